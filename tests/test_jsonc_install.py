"""`mcp install` and `hooks install` on JSON settings with comments (JSONC): accepted, comments kept."""

from __future__ import annotations

import difflib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from stato.bridges.agent_table import HOOKS, MCPS
from stato.formats.jsonc import comments, loads
from stato.ops import hooks
from tests.conftest import invoke


def only_inserted(before: str, after: str) -> bool:
    """Every byte of ``before`` is in ``after``, in order: the edit only added text."""
    codes = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return all(op in ("equal", "insert") for op, *_ in codes)


VSCODE = """// .vscode/mcp.json: the servers this workspace uses
{
  /* inputs first */
  "inputs": [
    {"type": "promptString", "id": "token", "password": true}, // asked once
  ],
  "servers": {
    // GitHub's server; the URL has // in it
    "github": {
      "type": "http",
      "url": "https://api.githubcopilot.com/mcp/", /* not a comment: "// */
    },
    "notes": {"command": "npx", "args": ["-y", "notes-mcp", "--glob=/*.md"]} // trailing
  }, // end of servers
} // end of file
"""

GEMINI = """{
  // Gemini CLI strips comments from settings.json
  "theme": "GitHub", /* the dark one */
  "tools": {"exclude": ["run_shell_command"],}, // trailing comma too
}
"""

CLAUDE = """{
  // my Claude Code settings
  "permissions": {"allow": ["Bash(npm test)"]}, // keep
  "hooks": {
    "SessionStart": [
      {"matcher": "startup", "hooks": [{"type": "command", "command": "echo hi"}]}, // mine
    ],
  },
}
"""


def test_vscode_mcp_json_with_comments_everywhere(home_project: Path) -> None:
    path = home_project / ".vscode/mcp.json"
    path.parent.mkdir()
    path.write_text(VSCODE)
    code, out, err = invoke("mcp", "install", "--agent", "vscode")
    assert code == 0, err
    text = path.read_text()
    assert only_inserted(VSCODE, text) and comments(text) == comments(VSCODE)
    data = loads(text)
    assert data["servers"]["stato"] == MCPS["vscode"].entry
    assert list(data["servers"]) == ["github", "notes", "stato"]
    assert data["servers"]["github"]["url"] == "https://api.githubcopilot.com/mcp/"
    assert path.with_name("mcp.json.stato-backup").read_text() == VSCODE

    assert invoke("mcp", "install", "--agent", "vscode")[0] == 0  # idempotent
    assert path.read_text() == text
    assert invoke("mcp", "uninstall", "--agent", "vscode")[0] == 0
    assert path.read_text() == VSCODE  # exactly the user's file again


def test_gemini_settings_take_both_the_server_and_the_hook(home_project: Path) -> None:
    path = home_project / ".gemini/settings.json"
    path.parent.mkdir()
    path.write_text(GEMINI)
    assert invoke("mcp", "install", "--agent", "gemini")[0] == 0
    assert invoke("hooks", "install", "--agent", "gemini")[0] == 0
    text = path.read_text()
    assert only_inserted(GEMINI, text) and comments(text) == comments(GEMINI)
    data = loads(text)
    assert data["mcpServers"] == {"stato": MCPS["gemini"].entry}
    assert hooks.installed(data, HOOKS["gemini"])
    assert data["tools"] == {"exclude": ["run_shell_command"]}
    assert invoke("hooks", "uninstall", "--agent", "gemini")[0] == 0
    assert invoke("mcp", "uninstall", "--agent", "gemini")[0] == 0
    after = path.read_text()
    assert comments(after) == comments(GEMINI) and loads(after) == loads(GEMINI)
    assert after == GEMINI


def test_claude_hooks_keep_the_users_hook_and_comments(home_project: Path) -> None:
    path = home_project / ".claude/settings.json"
    path.parent.mkdir()
    path.write_text(CLAUDE)
    code, _, err = invoke("hooks", "install", "--agent", "claude")
    assert code == 0, err
    text = path.read_text()
    assert only_inserted(CLAUDE, text) and comments(text) == comments(CLAUDE)
    groups = loads(text)["hooks"]["SessionStart"]
    assert groups[0]["hooks"][0]["command"] == "echo hi" and len(groups) == 2
    assert hooks.installed(loads(text), HOOKS["claude"])
    assert invoke("hooks", "install", "--agent", "claude")[0] == 0
    assert path.read_text() == text
    assert invoke("hooks", "uninstall", "--agent", "claude")[0] == 0
    assert path.read_text() == CLAUDE


def test_a_changed_command_edits_only_the_command(home_project: Path) -> None:
    path = home_project / ".vscode/mcp.json"
    path.parent.mkdir()
    path.write_text(VSCODE)
    invoke("mcp", "install", "--agent", "vscode")
    first = path.read_text()
    assert invoke("mcp", "install", "--agent", "vscode", "--command", "/opt/bin/stato")[0] == 0
    second = path.read_text()
    assert loads(second)["servers"]["stato"]["command"] == "/opt/bin/stato"
    assert second == first.replace('"command": "stato"', '"command": "/opt/bin/stato"')


def test_a_comment_inside_statos_entry_is_refused_in_one_line(home_project: Path) -> None:
    path = home_project / ".vscode/mcp.json"
    path.parent.mkdir()
    text = '{\n  "servers": {\n    "stato": {"command": "stato", "args": [/* pinned */]}\n  }\n}\n'
    path.write_text(text)
    code, _, err = invoke("mcp", "uninstall", "--agent", "vscode")
    assert code == 1 and str(path) in err and "pinned" in err
    assert len(err.strip().splitlines()) == 1 and path.read_text() == text


def test_the_files_mode_and_backup_mode_are_kept(home_project: Path) -> None:
    path = home_project / ".cursor/mcp.json"
    path.parent.mkdir()
    path.write_text('{\n  // holds a token\n  "mcpServers": {"x": {"env": {"T": "s3cret"}}}\n}\n')
    path.chmod(0o600)
    assert invoke("mcp", "install", "--agent", "cursor")[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.with_name("mcp.json.stato-backup").stat().st_mode) == 0o600
    assert "// holds a token" in path.read_text()


@pytest.mark.skipif(os.name == "nt", reason="POSIX file paths in the fixture text")
def test_install_as_a_real_process(home_project: Path) -> None:
    path = home_project / ".vscode/mcp.json"
    path.parent.mkdir()
    path.write_text(VSCODE)
    done = subprocess.run(
        [sys.executable, "-m", "stato", "mcp", "install", "--agent", "vscode"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=home_project,
    )
    assert done.returncode == 0, done.stderr
    assert json.dumps(loads(path.read_text())["servers"]["stato"]) == json.dumps(
        MCPS["vscode"].entry
    )


def test_a_large_plain_file_is_rewritten_and_a_large_commented_one_refused(tmp_path: Path) -> None:
    from stato.adapters.jsonconfig import SettingsError, update_json
    from stato.formats.jsonc import MAX_EDIT_CHARS

    big = {"projects": {f"/p/{n}": {"history": ["x" * 50]} for n in range(MAX_EDIT_CHARS // 50)}}
    plain = tmp_path / ".claude.json"  # Claude Code's user file grows to megabytes
    plain.write_text(json.dumps(big, indent=2))
    assert update_json(plain, lambda d: d.update(mcpServers={"stato": {}})).changed
    assert json.loads(plain.read_text()) == {**big, "mcpServers": {"stato": {}}}
    commented = tmp_path / "settings.json"
    text = "// mine\n" + json.dumps(big, indent=2)
    commented.write_text(text)
    with pytest.raises(SettingsError, match="settings.json: .*KiB"):
        update_json(commented, lambda d: d.update(k=1))
    assert commented.read_text() == text
