"""`stato mcp install|uninstall`: register stato's MCP server in each agent's MCP config file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stato.adapters.jsonconfig import (
    ConfigChange,
    JsonObject,
    check_parses,
    update_json,
    update_toml_table,
)
from stato.bridges.agent_table import MCPS
from stato.bridges.agents import McpTarget
from stato.errors import UsageError

NAME = "stato"


def targets(agent: str, user: bool = False) -> list[McpTarget]:
    """The rows for ``--agent NAME``; without ``user`` only agents that read a project file.

    ``all`` leaves out an agent that documents only a user-level file: a project file would
    be read by no one. Naming such an agent without ``--user`` is refused.
    """
    if agent == "all":
        return [t for t in MCPS.values() if user or t.project_file is not None]
    if agent not in MCPS:
        raise UsageError.unknown_agent(agent, MCPS)
    target = MCPS[agent]
    if not user and target.project_file is None:
        raise UsageError(
            f"{target.label} reads MCP servers only from ~/{target.user_file}, not from a "
            f"project file: rerun with --user"
        )
    return [target]


def config_path(target: McpTarget, root: Path, user: bool) -> Path:
    if user or target.project_file is None:
        return Path.home() / target.user_file
    return root / target.project_file


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
    servers[NAME] = merged(servers.get(NAME), entry)


def merged(old: Any, entry: dict[str, Any]) -> dict[str, Any]:
    """stato's entry over the one installed: keys a person added to it (env, cwd, timeout)
    stay; the keys stato writes take stato's values."""
    return {**old, **entry} if isinstance(old, dict) else entry


def server_entry(target: McpTarget, stato: str = "stato") -> dict[str, Any]:
    """The agent's entry for the server; ``stato`` is how to run stato (on PATH by default)."""
    import shlex

    words = shlex.split(stato)
    if not words:
        raise UsageError.empty_command()
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
    if not user:  # the project's own config file: never through a link out of the project
        from stato import confine

        confine.check_within(root, path)
    if target.toml:
        return update_toml_table(path, (target.key, NAME), entry, merge=merged)
    # an uninstall that leaves an empty object removes the file: it held only stato's entry
    return update_json(path, lambda d: _set(d, target, entry), delete_if=lambda d: not d)


def change_servers(
    agent: str, root: Path, user: bool = False, install: bool = True, stato: str = "stato"
) -> list[ConfigChange]:
    """Add (or update) the ``stato`` server in each chosen agent's MCP config, or remove only
    that entry (``install`` False)."""
    chosen = targets(agent, user)
    for target in chosen:  # parse every file first: one that does not parse stops them all
        check_parses(config_path(target, root, user))
        server_entry(target, stato)
    return [_apply(target, root, user, install, stato) for target in chosen]
