"""`stato init`: create the .stato/ folders (and optionally the bundled example)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from stato.cli.options import json_option


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    help="Project folder (default: the current folder).",
)
@click.option(
    "--example", is_flag=True, help="Fill the project with the bundled scRNA-seq example."
)
@click.option(
    "--mcp",
    "mcp_agent",
    default=None,
    is_flag=False,
    flag_value="claude",
    metavar="AGENT",
    help="Also register stato's MCP server for AGENT (default claude; or all).",
)
@json_option
def init(path: Path, example: bool, mcp_agent: str | None, as_json: bool) -> int:
    """Create .stato/ with skills/, .history/, prompts/ and a .statoignore. Safe to run twice."""
    from stato.cli.console import echo
    from stato.ops.init import init_project

    if mcp_agent is not None:
        from stato.ops.mcp_install import targets

        targets(mcp_agent)  # an unknown agent is a usage error before anything is created
    result = init_project(path, example=example)
    changes: list[Any] = []
    if mcp_agent is not None:
        from stato.ops.mcp_install import change_servers

        changes = change_servers(mcp_agent, result.root)
    if as_json:
        from stato.cli.console import emit_json

        emit_json(
            {
                "root": str(result.root),
                "created": list(result.created),
                "example": list(result.example),
                "already_initialized": result.already,
                "mcp": [
                    {"path": str(c.path), "changed": c.changed, "created": c.created}
                    for c in changes
                ],
            }
        )
        return 0
    where = result.root / ".stato"
    if result.created:
        echo(f"Initialized {where}: " + ", ".join(result.created))
    else:
        echo(f"{where} already exists; nothing to create.")
    if result.example:
        echo("Example modules: " + ", ".join(result.example))
        echo("Next: stato status, stato validate, stato bridge --platform all")
    elif example:
        echo("Example modules already present; none overwritten.")
    else:
        echo(
            "Next: stato crystallize (have your agent capture its expertise), "
            "or stato init --example"
        )
    for change in changes:
        state = "created" if change.created else ("updated" if change.changed else "unchanged")
        echo(f"MCP server registered in {change.path} ({state})")
    from stato.ops.gitdriver import install_hint

    hint = install_hint(result.root)  # a hint only: init never touches git config itself
    if hint:
        echo(hint)
    return 0
