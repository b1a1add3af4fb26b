"""Each agent's hook file, written out literally from its documentation (agent-targets.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from stato.ops.hooks import TARGETS


def invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    assert invoke("init", "--path", str(root))[0] == 0
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return root


def _cmd(agent: str) -> str:
    return f"stato hooks run --agent {agent}"


# file -> the whole object stato writes into an empty project
DOCUMENTED = {
    "claude": (
        ".claude/settings.json",
        {
            "hooks": {
                "SessionStart": [
                    {
                        "matcher": "compact|resume|clear",
                        "hooks": [{"type": "command", "command": _cmd("claude"), "timeout": 30}],
                    }
                ]
            }
        },
    ),
    "codex": (
        ".codex/hooks.json",
        {
            "hooks": {
                "SessionStart": [
                    {
                        # "compact" is a SessionStart source since openai/codex#21272
                        "matcher": "startup|resume|clear|compact",
                        "hooks": [{"type": "command", "command": _cmd("codex"), "timeout": 30}],
                    }
                ]
            }
        },
    ),
    "gemini": (
        ".gemini/settings.json",
        {
            "hooks": {
                "SessionStart": [
                    {
                        "hooks": [
                            {
                                "name": "stato-resume",
                                "type": "command",
                                "description": "Restore stato's recap",
                                "command": _cmd("gemini"),
                                "timeout": 30000,  # milliseconds
                            }
                        ]
                    }
                ]
            }
        },
    ),
    "copilot": (
        ".github/hooks/stato.json",
        {
            "version": 1,
            "hooks": {
                "sessionStart": [
                    {
                        "type": "command",
                        "bash": _cmd("copilot"),
                        "powershell": _cmd("copilot"),
                        "timeoutSec": 30,
                    }
                ]
            },
        },
    ),
    "cursor": (
        ".cursor/hooks.json",
        {"version": 1, "hooks": {"sessionStart": [{"command": _cmd("cursor"), "timeout": 30}]}},
    ),
}
USER_FILES = {
    "claude": ".claude/settings.json",
    "codex": ".codex/hooks.json",
    "gemini": ".gemini/settings.json",
    "copilot": ".copilot/hooks/stato.json",
    "cursor": ".cursor/hooks.json",
}


def test_documented_table_covers_every_agent() -> None:
    assert set(DOCUMENTED) == set(TARGETS) == set(USER_FILES)


@pytest.mark.parametrize("agent", sorted(DOCUMENTED))
def test_each_agent_gets_exactly_its_documented_hook(project: Path, agent: str) -> None:
    rel, expected = DOCUMENTED[agent]
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    path = project / rel
    assert json.loads(path.read_text("utf-8")) == expected
    text = path.read_text("utf-8")
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    assert path.read_text("utf-8") == text  # idempotent, byte for byte


@pytest.mark.parametrize("agent", sorted(USER_FILES))
def test_user_scope_files(project: Path, tmp_path: Path, agent: str) -> None:
    assert invoke("hooks", "install", "--agent", agent, "--user")[0] == 0
    data = json.loads((tmp_path / "home" / USER_FILES[agent]).read_text("utf-8"))
    assert data == DOCUMENTED[agent][1]
    assert not (project / DOCUMENTED[agent][0]).exists()


@pytest.mark.parametrize("agent", sorted(DOCUMENTED))
def test_run_prints_one_json_object_the_agent_injects(project: Path, agent: str) -> None:
    code, out, _ = invoke("hooks", "run", "--agent", agent)
    assert code == 0
    data = json.loads(out)  # stdout is JSON only (Gemini requires it; the others accept it)
    if agent in ("claude", "codex", "gemini"):
        assert list(data) == ["hookSpecificOutput"]
        inner = data["hookSpecificOutput"]
        assert inner["hookEventName"] == "SessionStart"
        context = inner["additionalContext"]
    elif agent == "copilot":
        # VS Code reads hookSpecificOutput.additionalContext, the Copilot SDK a top-level
        # additionalContext: each agent reads one of the two keys, never both
        assert list(data) == ["hookSpecificOutput", "additionalContext"]
        assert data["hookSpecificOutput"]["hookEventName"] == "SessionStart"
        assert data["hookSpecificOutput"]["additionalContext"] == data["additionalContext"]
        context = data["additionalContext"]
    else:
        assert list(data) == ["additional_context"]
        context = data["additional_context"]
    assert isinstance(context, str) and context.strip()


def test_install_notes_what_each_agent_needs_first(project: Path) -> None:
    _, _, err = invoke("hooks", "install", "--agent", "all")
    assert "Codex CLI:" in err and "trust" in err
    assert "Gemini CLI:" in err and "untrusted" in err
