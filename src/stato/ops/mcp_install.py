"""`stato mcp install|uninstall`: register stato's MCP server in each agent's MCP config file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.jsonconfig import (
    ConfigChange,
    JsonObject,
    check_parses,
    update_json,
    update_toml_table,
)
from stato.errors import UsageError

NAME = "stato"


@dataclass(frozen=True)
class McpTarget:
    """Where one agent reads MCP servers from, and the entry it expects for a stdio server."""

    id: str
    label: str
    project_file: str
    user_file: str  # relative to the home folder
    key: str  # the object (JSON) or table (TOML) holding servers by name
    entry: dict[str, Any]
    docs: str

    @property
    def toml(self) -> bool:
        return self.project_file.endswith(".toml")


def _vscode_user_file() -> str:
    """VS Code's user mcp.json sits in its User settings folder, which depends on the OS."""
    import sys

    if sys.platform == "darwin":
        return "Library/Application Support/Code/User/mcp.json"
    if sys.platform == "win32":
        return "AppData/Roaming/Code/User/mcp.json"
    return ".config/Code/User/mcp.json"


_STDIO = {"command": "stato", "args": ["mcp"]}  # the server finds .stato/ from its working folder

TARGETS: dict[str, McpTarget] = {
    t.id: t
    for t in (
        McpTarget("claude", "Claude Code", ".mcp.json", ".claude.json", "mcpServers",
                  {"type": "stdio", **_STDIO}, "https://docs.claude.com/en/docs/claude-code/mcp"),
        # Cursor does not promise the server's working folder, but it expands ${workspaceFolder}
        # in command/args/env ("Config interpolation"), in the user file too.
        McpTarget("cursor", "Cursor", ".cursor/mcp.json", ".cursor/mcp.json", "mcpServers",
                  {"command": "stato", "args": ["mcp", "--path", "${workspaceFolder}"]},
                  "https://cursor.com/docs/context/mcp"),
        # VS Code names the object "servers" and expands ${workspaceFolder} in args; the user file
        # is in the User settings folder (code.visualstudio.com/docs/configure/settings).
        McpTarget("vscode", "VS Code / Copilot", ".vscode/mcp.json", _vscode_user_file(),
                  "servers", {"type": "stdio", "command": "stato",
                              "args": ["mcp", "--path", "${workspaceFolder}"]},
                  "https://code.visualstudio.com/docs/copilot/customization/mcp-servers"),
        McpTarget("codex", "Codex CLI", ".codex/config.toml", ".codex/config.toml",
                  "mcp_servers", dict(_STDIO),
                  "https://developers.openai.com/codex/mcp"),
        McpTarget("gemini", "Gemini CLI", ".gemini/settings.json", ".gemini/settings.json",
                  "mcpServers", dict(_STDIO),
                  "https://geminicli.com/docs/tools/mcp-server"),
        McpTarget("kiro", "Kiro", ".kiro/settings/mcp.json", ".kiro/settings/mcp.json",
                  "mcpServers", dict(_STDIO), "https://kiro.dev/docs/mcp/configuration"),
        # Amazon Q Developer (IDE and CLI) still reads .amazonq/mcp.json and ~/.aws/amazonq/mcp.json
        # (useLegacyMcpJson defaults to true); its GUI writes the agent file default.json instead.
        McpTarget("amazonq", "Amazon Q Developer", ".amazonq/mcp.json", ".aws/amazonq/mcp.json",
                  "mcpServers", dict(_STDIO),
                  "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/mcp-ide.html"),
        # Windsurf documents only the user file (~/.codeium/windsurf/mcp_config.json).
        McpTarget("windsurf", "Windsurf", ".windsurf/mcp_config.json",
                  ".codeium/windsurf/mcp_config.json", "mcpServers", dict(_STDIO),
                  "https://docs.windsurf.com/windsurf/cascade/mcp"),
    )
}  # fmt: skip


def targets(agent: str) -> list[McpTarget]:
    if agent == "all":
        return list(TARGETS.values())
    if agent not in TARGETS:
        raise UsageError(f"unknown agent '{agent}': choose one of {', '.join(TARGETS)} or all")
    return [TARGETS[agent]]


def config_path(target: McpTarget, root: Path, user: bool) -> Path:
    return Path.home() / target.user_file if user else root / target.project_file


def _set(data: JsonObject, target: McpTarget, entry: dict[str, Any] | None) -> None:
    servers = data.get(target.key)
    if entry is None:
        if isinstance(servers, dict) and NAME in servers:
            del servers[NAME]
            if not servers:
                del data[target.key]
        return
    if servers is None:
        servers = data[target.key] = {}
    if not isinstance(servers, dict):
        raise UsageError(f"'{target.key}' in the {target.label} config is not an object")
    servers[NAME] = entry


def server_entry(target: McpTarget, stato: str = "stato") -> dict[str, Any]:
    """The agent's entry for the server; ``stato`` is how to run stato (on PATH by default)."""
    import shlex

    words = shlex.split(stato)
    if not words:
        raise UsageError("--command needs the command that runs stato, e.g. /path/to/bin/stato")
    entry = dict(target.entry)
    entry["command"], entry["args"] = words[0], [*words[1:], *target.entry["args"]]
    return entry


def _apply(
    target: McpTarget, root: Path, user: bool, install: bool, stato: str = "stato"
) -> ConfigChange:
    path = config_path(target, root, user)
    entry = server_entry(target, stato) if install else None
    if not install and not path.is_file():
        return ConfigChange(path, False)
    if target.toml:
        return update_toml_table(path, (target.key, NAME), entry)
    return update_json(path, lambda d: _set(d, target, entry))


def _each(
    agent: str, root: Path, user: bool, install: bool, stato: str = "stato"
) -> list[ConfigChange]:
    chosen = targets(agent)
    for target in chosen:  # parse every file first: one that does not parse stops them all
        check_parses(config_path(target, root, user))
        server_entry(target, stato)
    return [_apply(target, root, user, install, stato) for target in chosen]


def install_servers(
    agent: str, root: Path, user: bool = False, stato: str = "stato"
) -> list[ConfigChange]:
    """Add (or update) the ``stato`` server in each chosen agent's MCP config."""
    return _each(agent, root, user, True, stato)


def uninstall_servers(agent: str, root: Path, user: bool = False) -> list[ConfigChange]:
    """Remove only the ``stato`` server entry."""
    return _each(agent, root, user, False)
