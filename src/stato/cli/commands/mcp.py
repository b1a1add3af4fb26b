"""`stato mcp`: serve stato over MCP (stdio), or register the server with agents."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option

# The ids of stato.bridges.agent_table.MCPS (literal so --help does not import the ops).
AGENTS = ("claude", "cursor", "vscode", "codex", "gemini", "kiro", "amazonq", "windsurf")


@click.group("mcp", invoke_without_command=True)
@path_option
@click.pass_context
def mcp(ctx: click.Context, path: Path) -> None:
    """Serve the project over MCP on stdio: status, resume, validate, read/write modules
    (through the compiler gate), plan next/start/done, lesson add; each module as a resource.

    Needs the mcp extra: pip install 'stato[mcp]'.
    """
    if ctx.invoked_subcommand is not None:
        return
    from stato.errors import ProjectNotFound
    from stato.ops.mcp_server import require_mcp, serve
    from stato.ops.project import find_root

    require_mcp()
    try:
        root = find_root(path)
    except ProjectNotFound as exc:  # serve anyway: the agent is told, no failed server shows
        click.echo(f"stato mcp: {exc}; serving without a project", err=True)
        serve(None, str(exc))
        return
    serve(root)


def _change(install: bool) -> click.Command:
    verb = "install" if install else "uninstall"

    @click.option(
        "--agent",
        type=click.Choice((*AGENTS, "all")),
        required=True,
        help="Whose MCP config file to change (all: every one).",
    )
    @click.option("--user", is_flag=True, help="Change the user-level file in your home folder.")
    @path_option
    @json_option
    def command(agent: str, user: bool, path: Path, as_json: bool, stato: str = "stato") -> None:
        from stato.bridges.agent_table import MCPS
        from stato.cli.render.hooks import changes
        from stato.ops import mcp_install
        from stato.ops.project import find_root, resolved

        root = resolved(path) if user else find_root(path)
        changes(mcp_install.change_servers(agent, root, user, install, stato), verb, as_json)
        if not user:
            for target in MCPS.values():
                if agent != "all" and target.id != agent:
                    continue
                if target.project_file is None:  # a project file would be read by no one
                    click.echo(
                        f"note: {target.label} reads MCP servers only from ~/{target.user_file}:"
                        f" rerun with --user to {verb} it there",
                        err=True,
                    )
                elif install and target.note:
                    click.echo(f"note: {target.note}", err=True)

    command.__doc__ = (
        "Register the stato server in each agent's MCP config (merged; a backup kept)."
        if install
        else "Remove the stato server entry from each agent's MCP config, and only it."
    )
    if install:
        command = click.option(
            "--command",
            "stato",
            default="stato",
            show_default=True,
            help="How the agent runs stato, when it is not on PATH (e.g. 'uvx stato').",
        )(command)
    return mcp.command(verb)(command)


install = _change(True)
uninstall = _change(False)
