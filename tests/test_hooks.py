"""`stato hooks`: merge into each agent's documented settings, run, uninstall, doctor."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stato.bridges.agent_table import HOOKS as TARGETS
from stato.cli.commands.hooks import AGENTS
from stato.ops.hooks import hook_entry, installed
from stato.ops.hooks_doctor import check_output
from tests.conftest import invoke

DATA = Path(__file__).parent / "data" / "hooks"
FIXTURE = {
    "claude": "claude.settings.json",
    "codex": "codex.hooks.json",
    "gemini": "gemini.settings.json",
    "copilot": "copilot.hooks.json",
    "cursor": "cursor.hooks.json",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    assert invoke("init", "--path", str(root), "--example")[0] == 0
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    # doctor runs the hook commands through a shell, as the agents do: `stato` must be on PATH
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    return root


def _place(root: Path, agent: str) -> Path:
    path = root / TARGETS[agent].project_file
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA / FIXTURE[agent], path)
    return path


def _stdin(agent: str, root: Path) -> str:
    payload = json.loads((DATA / "stdin.json").read_text())[agent]
    return json.dumps(payload).replace("@ROOT@", str(root).replace("\\", "\\\\"))


def test_every_target_is_wired() -> None:
    assert set(AGENTS) == set(TARGETS) == set(FIXTURE)
    for target in TARGETS.values():
        assert target.docs.startswith("https://")
        assert target.stdin  # doctor needs the agent's canonical stdin


@pytest.mark.parametrize("agent", sorted(TARGETS))
def test_install_merges_into_documented_settings(project: Path, agent: str) -> None:
    path = _place(project, agent)
    before_text = path.read_text()
    before = json.loads(before_text)
    code, out, _ = invoke("hooks", "install", "--agent", agent)
    assert code == 0, out
    after = json.loads(path.read_text())
    target = TARGETS[agent]
    # nothing of the user's is gone: every other key and every other hook is still there
    for key, value in before.items():
        if key != "hooks":
            assert after[key] == value
    for event, groups in before["hooks"].items():
        for group in groups:
            assert group in after["hooks"][event]
    assert installed(after, target) == [(target.matcher, hook_entry(target))]
    assert path.with_name(path.name + ".stato-backup").read_text() == before_text

    # a second install changes nothing, not even the backup
    stamp = path.stat().st_mtime_ns
    code, out, _ = invoke("hooks", "install", "--agent", agent)
    assert code == 0 and "already installed" in out
    assert path.stat().st_mtime_ns == stamp

    # uninstall removes exactly stato's entry
    code, out, _ = invoke("hooks", "uninstall", "--agent", agent)
    assert code == 0 and "removed" in out
    assert json.loads(path.read_text()) == before


@pytest.mark.parametrize("agent", ["claude", "gemini"])
def test_reinstall_keeps_keys_a_person_added_to_stato_entry(project: Path, agent: str) -> None:
    """As for the MCP entry: stato renews its own keys (command, type, timeout: an older
    stato's or a wrong unit is brought to today's) and keeps what the person added."""
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    path = project / TARGETS[agent].project_file
    _edit_entry(path, statusMessage="Loading the recap", timeout=1)
    assert invoke("hooks", "install", "--agent", agent)[0] == 0
    target = TARGETS[agent]
    ((_, entry),) = installed(json.loads(path.read_text()), target)
    assert entry == {**hook_entry(target), "statusMessage": "Loading the recap"}
    assert invoke("hooks", "uninstall", "--agent", agent)[0] == 0
    assert installed(json.loads(path.read_text()) if path.exists() else {}, target) == []


def test_documented_shapes(project: Path) -> None:
    invoke("hooks", "install", "--agent", "all")
    claude = json.loads((project / ".claude/settings.json").read_text())
    assert claude["hooks"]["SessionStart"] == [
        {
            "matcher": "compact|resume|clear",
            "hooks": [
                {"type": "command", "command": "stato hooks run --agent claude", "timeout": 30}
            ],
        }
    ]
    codex = json.loads((project / ".codex/hooks.json").read_text())
    assert list(codex) == ["hooks"]  # the wrapper Codex requires
    gemini_hook = json.loads((project / ".gemini/settings.json").read_text())["hooks"][
        "SessionStart"
    ][0]["hooks"][0]
    assert gemini_hook["name"] == "stato-resume" and gemini_hook["timeout"] == 30000  # ms
    copilot = json.loads((project / ".github/hooks/stato.json").read_text())
    assert copilot["version"] == 1
    assert copilot["hooks"]["sessionStart"][0]["timeoutSec"] == 30
    assert set(copilot["hooks"]["sessionStart"][0]) >= {"type", "bash", "powershell"}
    cursor = json.loads((project / ".cursor/hooks.json").read_text())
    assert cursor == {
        "version": 1,
        "hooks": {"sessionStart": [{"command": "stato hooks run --agent cursor", "timeout": 30}]},
    }


def test_owned_copilot_file_is_deleted_on_uninstall(project: Path) -> None:
    invoke("hooks", "install", "--agent", "copilot")
    assert (project / ".github/hooks/stato.json").is_file()
    invoke("hooks", "uninstall", "--agent", "copilot")
    assert not (project / ".github/hooks/stato.json").exists()
    # and the backup cannot be loaded as a hook file (.github/hooks/*.json)
    assert not list((project / ".github/hooks").glob("*.json"))


def test_install_then_uninstall_leaves_no_settings_file_it_created(project: Path) -> None:
    """Where there was no settings file, an uninstall leaves none (not `{}` or Cursor's
    `{"version": 1}`); a file with a person's key or comment stays."""
    files = {a: project / TARGETS[a].project_file for a in AGENTS if a != "all"}
    assert not any(f.exists() for f in files.values())
    invoke("hooks", "install", "--agent", "all")
    assert all(f.is_file() for f in files.values())
    invoke("hooks", "uninstall", "--agent", "all")
    assert [a for a, f in files.items() if f.exists()] == []
    kept = files["claude"]
    for text in ('{"env": {"A": "1"}}\n', "{\n  // mine\n}\n"):
        kept.write_text(text)
        invoke("hooks", "install", "--agent", "claude")
        invoke("hooks", "uninstall", "--agent", "claude")
        assert kept.is_file() and json.loads(kept.read_text().replace("// mine", "")) == (
            {"env": {"A": "1"}} if "env" in text else {}
        )


def test_unparsable_settings_are_refused_and_nothing_changes(project: Path) -> None:
    bad = project / ".claude/settings.json"
    bad.parent.mkdir()
    bad.write_text('{"hooks": {"SessionStart": [}\n')
    code, _, err = invoke("hooks", "install", "--agent", "all")
    assert code == 1
    assert str(bad) in err and "line 1 column" in err
    assert bad.read_text() == '{"hooks": {"SessionStart": [}\n'
    # all or nothing: no other agent's file was written either
    for target in TARGETS.values():
        if target.id != "claude":
            assert not (project / target.project_file).exists()


def test_settings_that_are_not_an_object_are_refused(project: Path) -> None:
    path = project / ".cursor/hooks.json"
    path.parent.mkdir()
    path.write_text("[]")
    code, _, err = invoke("hooks", "install", "--agent", "cursor")
    assert code == 1 and "not an object" in err and path.read_text() == "[]"


def test_user_install_goes_to_home(project: Path, tmp_path: Path) -> None:
    code, _, _ = invoke("hooks", "install", "--agent", "claude", "--user")
    assert code == 0
    assert (tmp_path / "home/.claude/settings.json").is_file()
    assert not (project / ".claude").exists()


@pytest.mark.parametrize("agent", sorted(TARGETS))
def test_run_prints_the_agents_shape(project: Path, tmp_path: Path, agent: str) -> None:
    os.chdir(tmp_path)  # the project is found from the stdin's cwd / workspace_roots
    code, out, _ = invoke("hooks", "run", "--agent", agent, input=_stdin(agent, project))
    assert code == 0
    assert check_output(TARGETS[agent], out) == []
    assert "cortex" in out  # the example project's recap


def test_run_outside_a_project_still_answers(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    code, out, _ = invoke("hooks", "run", "--agent", "gemini", input="not json")
    assert code == 0
    assert json.loads(out) == {
        "hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": ""}
    }


def test_run_as_a_real_process_prints_json_only(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stato", "hooks", "run", "--agent", "gemini"],
        input=_stdin("gemini", project),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert check_output(TARGETS["gemini"], done.stdout) == []  # Gemini: stdout is JSON only


def test_doctor_passes_installed_hooks(project: Path) -> None:
    invoke("hooks", "install", "--agent", "all")
    code, out, _ = invoke("hooks", "doctor", "--json")
    assert code == 0
    checks = json.loads(out)
    assert {c["agent"] for c in checks} == set(TARGETS)
    assert all(c["ok"] and c["seconds"] is not None for c in checks)


def test_doctor_with_nothing_installed_fails(project: Path) -> None:
    code, out, _ = invoke("hooks", "doctor")
    assert code == 1 and "No stato hooks installed" in out


def _edit_entry(path: Path, **changes: object) -> None:
    data = json.loads(path.read_text())
    data["hooks"]["SessionStart"][0]["hooks"][0].update(changes)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "command",
    [
        "touch pwned; stato hooks run --agent claude",
        "stato hooks run --agent claude && touch pwned",
        "stato hooks run --agent claude $(touch pwned)",
        "touch pwned # stato hooks run --agent claude",
        "sh -c 'touch pwned' stato hooks run",
    ],
)
def test_doctor_never_runs_a_command_from_the_settings_file(project: Path, command: str) -> None:
    # issue 10: a cloned repository's .claude/settings.json could hold any command that merely
    # mentions `stato hooks run`; doctor ran it through a shell.
    invoke("hooks", "install", "--agent", "claude")
    path = project / ".claude/settings.json"
    _edit_entry(path, command=command)
    code, out, _ = invoke("hooks", "doctor", "--agent", "claude", "--json")
    assert code == 1
    (check,) = json.loads(out)
    assert check["stato_entry"] is False and not check["ok"]
    assert "not stato's own hook" in check["problems"][-1] or "not stato" in out
    assert not (project / "pwned").exists()


def test_doctor_runs_stato_own_hook_and_checks_it(project: Path) -> None:
    invoke("hooks", "install", "--agent", "gemini")
    code, out, _ = invoke("hooks", "doctor", "--json")
    (check,) = json.loads(out)
    assert code == 0 and check["ok"] and check["stato_entry"] and check["seconds"] is not None


def test_doctor_catches_a_failing_command_and_wrong_units(project: Path) -> None:
    invoke("hooks", "install", "--agent", "gemini")
    path = project / ".gemini/settings.json"
    _edit_entry(path, command="stato hooks run --agent nosuch", timeout=30)
    code, out, _ = invoke("hooks", "doctor", "--json")
    assert code == 1
    (check,) = json.loads(out)
    assert any("milliseconds" in p for p in check["problems"])
    assert not check["ok"]


def test_doctor_catches_the_wrong_shape_for_the_agent(project: Path) -> None:
    invoke("hooks", "install", "--agent", "cursor")
    path = project / ".cursor/hooks.json"
    data = json.loads(path.read_text())
    data["hooks"]["sessionStart"][0]["command"] = "stato hooks run --agent claude"
    path.write_text(json.dumps(data))
    code, out, _ = invoke("hooks", "doctor", "--json")
    assert code == 1
    assert "additional_context" in json.loads(out)[0]["problems"][0]
    assert json.loads(out)[0]["stato_entry"] is True


def test_command_option_and_doctor_hint_when_stato_is_not_found(project: Path) -> None:
    code, _, _ = invoke("hooks", "install", "--agent", "claude", "--command", "/nonexistent/stato")
    assert code == 0
    settings = json.loads((project / ".claude/settings.json").read_text())
    hook = settings["hooks"]["SessionStart"][0]["hooks"][0]
    assert hook["command"] == "/nonexistent/stato hooks run --agent claude"
    code, out, _ = invoke("hooks", "doctor")
    assert code == 1 and "reinstall with --command" in out
    # installing again with the right command replaces stato's entry instead of adding one
    stato = str(Path(sys.executable).parent / "stato")
    invoke("hooks", "install", "--agent", "claude", "--command", stato)
    settings = json.loads((project / ".claude/settings.json").read_text())
    assert [h["command"] for g in settings["hooks"]["SessionStart"] for h in g["hooks"]] == [
        f"{stato} hooks run --agent claude"
    ]
    assert invoke("hooks", "doctor")[0] == 0


def test_install_says_what_copilot_does_not_do_yet(project: Path) -> None:
    code, _, err = invoke("hooks", "install", "--agent", "copilot")
    assert code == 0 and "not processed yet" in err
    code, _, err = invoke("hooks", "install", "--agent", "claude")
    assert err == ""


def test_run_survives_stdin_that_is_not_utf8(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stato", "hooks", "run", "--agent", "claude"],
        input=b'{"cwd": "' + str(project).encode() + b'", "x": "\xff\xfe"}',
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 0
    assert check_output(TARGETS["claude"], done.stdout.decode("ascii")) == []
