"""`stato mcp install|uninstall`: merge the server into each agent's MCP config, JSON or TOML."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from stato.bridges.agent_table import MCPS as TARGETS
from stato.cli.commands.mcp import AGENTS
from tests.conftest import invoke

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


CODEX = """# my Codex settings
model = "gpt-5-codex"  # keep this comment

[mcp_servers.github]
command = "npx"
args = ["-y", "@modelcontextprotocol/server-github"]

[profiles.fast]
model = "gpt-5-mini"
"""


def _load(path: Path) -> dict[str, object]:
    text = path.read_text()
    return tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)


def test_every_target_is_wired() -> None:
    assert set(AGENTS) == set(TARGETS)
    assert all(t.docs.startswith("https://") for t in TARGETS.values())


@pytest.mark.parametrize("agent", sorted(a for a, t in TARGETS.items() if t.project_file))
def test_install_is_idempotent_and_uninstall_restores(home_project: Path, agent: str) -> None:
    target = TARGETS[agent]
    assert target.project_file is not None
    path = home_project / target.project_file
    path.parent.mkdir(parents=True, exist_ok=True)
    if target.toml:
        path.write_text(CODEX)
    else:
        other = {"command": "npx", "args": ["-y", "other-server"]}
        path.write_text(json.dumps({"theme": "dark", target.key: {"other": other}}, indent=4))
    before_text, before = path.read_text(), _load(path)

    code, out, _ = invoke("mcp", "install", "--agent", agent)
    assert code == 0 and "added" in out
    after = _load(path)
    servers = after[target.key]
    assert isinstance(servers, dict)
    assert servers["stato"] == target.entry
    assert {k: v for k, v in servers.items() if k != "stato"} == before[target.key]
    assert {k: v for k, v in after.items() if k != target.key} == {
        k: v for k, v in before.items() if k != target.key
    }
    assert path.with_name(path.name + ".stato-backup").read_text() == before_text

    installed_text = path.read_text()
    code, out, _ = invoke("mcp", "install", "--agent", agent)
    assert "already installed" in out and path.read_text() == installed_text

    code, out, _ = invoke("mcp", "uninstall", "--agent", agent)
    assert code == 0 and "removed" in out
    assert _load(path) == before


def test_codex_toml_keeps_comments_and_layout(home_project: Path) -> None:
    path = home_project / ".codex/config.toml"
    path.parent.mkdir()
    path.write_text(CODEX)
    invoke("mcp", "install", "--agent", "codex")
    text = path.read_text()
    assert text.startswith(CODEX)  # everything the person wrote, byte for byte, then stato's table
    assert "[mcp_servers.stato]" in text
    invoke("mcp", "uninstall", "--agent", "codex")
    assert path.read_text() == CODEX


def test_codex_toml_keeps_the_comment_of_the_table_after_stato(home_project: Path) -> None:
    """A comment over the next table, right after an older stato table, is the person's: a
    reinstall and an uninstall keep it (they used to drop it with stato's old table)."""
    path = home_project / ".codex/config.toml"
    path.parent.mkdir()
    mine = '# Codex\nmodel = "gpt-5"\n\n# the docs server: keep me\n[mcp_servers.docs]\ncommand = "d"\n'
    old = '\n[mcp_servers.stato]\ncommand = "old-stato"\nargs = ["mcp"]\n'
    head, tail = mine.split("\n\n", 1)
    path.write_text(head + "\n" + old + "\n" + tail)
    invoke("mcp", "install", "--agent", "codex")
    text = path.read_text()
    assert text.startswith(mine) and _load(path)["mcp_servers"] == {
        "docs": {"command": "d"},
        "stato": TARGETS["codex"].entry,
    }
    invoke("mcp", "uninstall", "--agent", "codex")
    assert path.read_text() == mine
    # and a comment closing the file, after stato's table, stays too
    path.write_text(mine + old + "\n# the end\n")
    invoke("mcp", "uninstall", "--agent", "codex")
    assert path.read_text() == mine + "\n# the end\n"


def test_install_then_uninstall_leaves_no_config_file_it_created(home_project: Path) -> None:
    """A file that held only stato's server goes on uninstall (not `{}` or an empty TOML)."""
    files = [home_project / t.project_file for t in TARGETS.values() if t.project_file]
    assert invoke("mcp", "install", "--agent", "all")[0] == 0
    assert all(f.is_file() for f in files)
    assert invoke("mcp", "uninstall", "--agent", "all")[0] == 0
    assert [f for f in files if f.exists()] == []


@pytest.mark.parametrize("agent", sorted(a for a, t in TARGETS.items() if t.project_file))
def test_keys_a_person_added_to_statos_entry_stay(home_project: Path, agent: str) -> None:
    """A reinstall (a new --command, an upgrade) updates stato's keys and keeps the ones the
    person added to its entry, such as env; it used to replace the whole entry."""
    target = TARGETS[agent]
    assert target.project_file is not None
    path = home_project / target.project_file
    path.parent.mkdir(parents=True, exist_ok=True)
    mine = {**target.entry, "command": "old-stato", "env": {"STATO_REGISTRY": "https://r"}}
    if target.toml:
        import tomli_w

        path.write_text(tomli_w.dumps({target.key: {"stato": mine}}))
    else:
        path.write_text(json.dumps({target.key: {"stato": mine}}))
    assert invoke("mcp", "install", "--agent", agent)[0] == 0
    entry = _load(path)[target.key]["stato"]  # type: ignore[index]
    assert entry == {**target.entry, "env": {"STATO_REGISTRY": "https://r"}}
    text = path.read_text()
    assert invoke("mcp", "install", "--agent", agent)[0] == 0 and path.read_text() == text


def test_all_creates_each_file_with_its_shape(home_project: Path) -> None:
    code, _, _ = invoke("mcp", "install", "--agent", "all")
    assert code == 0
    assert _load(home_project / ".mcp.json") == {"mcpServers": {"stato": TARGETS["claude"].entry}}
    vscode = _load(home_project / ".vscode/mcp.json")
    assert vscode == {"servers": {"stato": TARGETS["vscode"].entry}}
    assert _load(home_project / ".codex/config.toml") == {
        "mcp_servers": {"stato": {"command": "stato", "args": ["mcp"]}}
    }


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        (".codex/config.toml", 'model = "x\n', "is not valid TOML"),
        (".vscode/mcp.json", '{"servers": {/* never closed\n}}', "is not valid JSON"),
    ],
)
def test_unparsable_files_are_refused_and_nothing_is_written(
    home_project: Path, file: str, text: str, message: str
) -> None:
    path = home_project / file
    path.parent.mkdir(parents=True)
    path.write_text(text)
    code, _, err = invoke("mcp", "install", "--agent", "all")
    assert code == 1 and str(path) in err and message in err
    assert path.read_text() == text
    assert not (home_project / ".mcp.json").exists()  # all or nothing


def test_inline_toml_table_is_refused_not_mangled(home_project: Path) -> None:
    path = home_project / ".codex/config.toml"
    path.parent.mkdir()
    text = 'mcp_servers = { stato = { command = "old" } }\n'
    path.write_text(text)
    code, _, err = invoke("mcp", "install", "--agent", "codex")
    assert code == 1 and "by hand" in err
    assert path.read_text() == text


def test_user_install_goes_to_home(home_project: Path, tmp_path: Path) -> None:
    code, _, _ = invoke("mcp", "install", "--agent", "cursor", "--user", "--json")
    assert code == 0
    assert (tmp_path / "home/.cursor/mcp.json").is_file()
    assert not (home_project / ".cursor").exists()


def test_command_option_splits_into_command_and_args(home_project: Path) -> None:
    code, _, _ = invoke("mcp", "install", "--agent", "claude", "--command", "uvx stato")
    assert code == 0
    entry = _load(home_project / ".mcp.json")["mcpServers"]["stato"]  # type: ignore[index]
    assert entry == {"type": "stdio", "command": "uvx", "args": ["stato", "mcp"]}
    code, _, err = invoke("mcp", "install", "--agent", "claude", "--command", " ")
    assert code == 2 and "--command" in err


# The documented file, top-level key and stdio entry of each agent, written out literally (not
# read back from TARGETS) so a wrong row fails. Sources: agent-targets.md and each row's docs.
_PLAIN_ENTRY = {"command": "stato", "args": ["mcp"]}
DOCUMENTED = {
    "claude": (".mcp.json", "mcpServers", {"type": "stdio", **_PLAIN_ENTRY}),
    "cursor": (
        ".cursor/mcp.json",
        "mcpServers",
        {"command": "stato", "args": ["mcp", "--path", "${workspaceFolder}"]},
    ),
    "vscode": (
        ".vscode/mcp.json",
        "servers",
        {"type": "stdio", "command": "stato", "args": ["mcp", "--path", "${workspaceFolder}"]},
    ),
    "codex": (".codex/config.toml", "mcp_servers", _PLAIN_ENTRY),
    "gemini": (".gemini/settings.json", "mcpServers", _PLAIN_ENTRY),
    "kiro": (".kiro/settings/mcp.json", "mcpServers", _PLAIN_ENTRY),
    "amazonq": (".amazonq/mcp.json", "mcpServers", _PLAIN_ENTRY),
    # agent-targets.md: ".windsurf/mcp_config.json" (Windsurf's page names only the user file)
    "windsurf": (".windsurf/mcp_config.json", "mcpServers", _PLAIN_ENTRY),
}
USER_FILES = {
    "claude": ".claude.json",
    "cursor": ".cursor/mcp.json",
    "codex": ".codex/config.toml",
    "gemini": ".gemini/settings.json",
    "kiro": ".kiro/settings/mcp.json",
    "amazonq": ".aws/amazonq/mcp.json",
    "windsurf": ".codeium/windsurf/mcp_config.json",
}


def test_documented_table_covers_every_agent() -> None:
    assert set(DOCUMENTED) == set(TARGETS)


@pytest.mark.parametrize("agent", sorted(DOCUMENTED))
def test_each_agent_gets_its_documented_file_key_and_entry(home_project: Path, agent: str) -> None:
    rel, key, entry = DOCUMENTED[agent]
    assert invoke("mcp", "install", "--agent", agent)[0] == 0
    data = _load(home_project / rel)
    assert data == {key: {"stato": entry}}
    if rel.endswith(".toml"):
        assert "[mcp_servers.stato]" in (home_project / rel).read_text()
    # a second install changes nothing, byte for byte
    text = (home_project / rel).read_text()
    assert invoke("mcp", "install", "--agent", agent)[0] == 0
    assert (home_project / rel).read_text() == text


@pytest.mark.parametrize("agent", sorted(USER_FILES))
def test_user_scope_files(home_project: Path, tmp_path: Path, agent: str) -> None:
    assert invoke("mcp", "install", "--agent", agent, "--user")[0] == 0
    data = _load(tmp_path / "home" / USER_FILES[agent])
    assert data[DOCUMENTED[agent][1]]["stato"]["command"] == "stato"  # type: ignore[index]


def test_vscode_user_file_is_in_the_user_settings_folder_of_this_os() -> None:
    expected = {
        "darwin": "Library/Application Support/Code/User/mcp.json",
        "win32": "AppData/Roaming/Code/User/mcp.json",
    }.get(sys.platform, ".config/Code/User/mcp.json")
    assert TARGETS["vscode"].user_file == expected


def test_all_writes_every_documented_file(home_project: Path, tmp_path: Path) -> None:
    code, _, err = invoke("mcp", "install", "--agent", "all")
    assert code == 0
    # the project file agent-targets.md names, and where Windsurf's own page says it reads
    assert "~/.codeium/windsurf/mcp_config.json" in err and "--user" in err
    written = {str(p.relative_to(home_project)) for p in home_project.rglob("*") if p.is_file()}
    documented = {rel for rel, _, _ in DOCUMENTED.values() if rel}
    assert documented <= written
    assert invoke("mcp", "install", "--agent", "all", "--user")[0] == 0
    assert (tmp_path / "home" / ".codeium/windsurf/mcp_config.json").is_file()
