"""Each agent's hook file, written out literally from its documentation (agent-targets.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stato.bridges.agent_table import HOOKS as TARGETS
from tests.conftest import invoke


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
def test_each_agent_gets_exactly_its_documented_hook(home_project: Path, agent: str) -> None:
    rel, expected = DOCUMENTED[agent]
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    path = home_project / rel
    assert json.loads(path.read_text("utf-8")) == expected
    text = path.read_text("utf-8")
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    assert path.read_text("utf-8") == text  # idempotent, byte for byte


@pytest.mark.parametrize("agent", sorted(USER_FILES))
def test_user_scope_files(home_project: Path, tmp_path: Path, agent: str) -> None:
    assert invoke("hooks", "install", "--agent", agent, "--user")[0] == 0
    data = json.loads((tmp_path / "home" / USER_FILES[agent]).read_text("utf-8"))
    assert data == DOCUMENTED[agent][1]
    assert not (home_project / DOCUMENTED[agent][0]).exists()


@pytest.mark.parametrize("agent", sorted(DOCUMENTED))
def test_run_prints_one_json_object_the_agent_injects(home_project: Path, agent: str) -> None:
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


def test_install_notes_what_each_agent_needs_first(home_project: Path) -> None:
    _, _, err = invoke("hooks", "install", "--agent", "all")
    assert "Codex CLI:" in err and "trust" in err
    assert "Gemini CLI:" in err and "untrusted" in err


OUTPUTS = json.loads((Path(__file__).parent / "data" / "hooks" / "outputs.json").read_text())


def _at(data: object, dotted: str) -> object:
    for key in dotted.split("."):
        assert isinstance(data, dict) and key in data, dotted
        data = data[key]
    return data


@pytest.mark.parametrize("agent", sorted(TARGETS))
def test_output_matches_the_documented_schema(home_project: Path, agent: str) -> None:
    documented = OUTPUTS[agent]
    code, out, _ = invoke("hooks", "run", "--agent", agent)
    assert code == 0
    data = json.loads(out)
    for dotted, kind in documented["paths"].items():
        value = _at(data, dotted)
        if kind == "string":
            assert isinstance(value, str) and value.strip(), dotted
        else:
            assert value == kind, dotted
    if "only" in documented:
        assert list(data) == documented["only"]


def test_the_documented_outputs_cover_every_hook_row() -> None:
    assert set(OUTPUTS) - {"_about"} == set(TARGETS)


STDIN = json.loads((Path(__file__).parent / "data" / "hooks" / "stdin.json").read_text())


def _run_as(caller: str, hook: str, root: Path) -> str:
    payload = json.dumps(STDIN[caller]).replace("@ROOT@", str(root))
    code, out, _ = invoke("hooks", "run", "--agent", hook, input=payload)
    assert code == 0
    data = json.loads(out)
    inner = data.get("hookSpecificOutput")
    return inner["additionalContext"] if inner else data.get("additional_context", "")


@pytest.mark.parametrize("caller", ["cursor", "copilot"])
def test_no_agent_reads_the_recap_twice(home_project: Path, caller: str) -> None:
    # Cursor (third-party configs on) and VS Code / Copilot CLI also run Claude Code's
    # .claude/settings.json hooks: with their own stato hook installed, Claude's stays silent
    assert invoke("hooks", "install", "--agent", "claude")[0] == 0
    assert _run_as(caller, "claude", home_project).strip()  # their own is not installed: deliver
    assert invoke("hooks", "install", "--agent", caller)[0] == 0
    assert _run_as(caller, "claude", home_project) == ""
    assert _run_as(caller, caller, home_project).strip()  # their own hook gives it, once
    assert _run_as("claude", "claude", home_project).strip()  # Claude Code itself still gets it
    code, out, _ = invoke("hooks", "doctor", "--json")
    checks = {c["agent"]: c for c in json.loads(out)}
    assert code == 0 and all(c["ok"] for c in checks.values())
    assert checks["claude"]["reaches_model"] == "yes"
    assert "Copilot CLI" in checks.get("copilot", {"reaches_model": "Copilot CLI"})["reaches_model"]
