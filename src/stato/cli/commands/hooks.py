"""`stato hooks install|uninstall|doctor|run`: agent hooks that restore stato's recap."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option

# The ids of stato.bridges.agent_table.HOOKS (kept literal so --help does not import the ops).
AGENTS = ("claude", "codex", "gemini", "copilot", "cursor")

_agent_all = click.option(
    "--agent",
    type=click.Choice((*AGENTS, "all")),
    required=True,
    help="Which agent's hook file to change (all: every one).",
)
_user = click.option(
    "--user", is_flag=True, help="Change the user-level file in your home folder instead."
)


def _root(path: Path, user: bool) -> Path:
    if user:
        return path.resolve()
    from stato.ops.project import find_root

    return find_root(path)


@click.group("hooks")
def hooks() -> None:
    """Install agent hooks that give stato's recap back after compaction or a restart.

    Claude Code gets a SessionStart hook for compact|resume|clear in .claude/settings.json,
    Codex one for startup|resume|clear|compact in .codex/hooks.json, Gemini CLI
    .gemini/settings.json, Copilot (VS Code, Copilot CLI) .github/hooks/stato.json and Cursor
    .cursor/hooks.json (the rows of the agent table). Cursor and VS Code also run Claude Code's
    hooks: stato's Claude hook stays silent for them when their own is installed, so no agent
    reads the recap twice; `hooks doctor` says per agent whether the recap reaches the model.
    Files are merged, never replaced: other hooks and keys stay, the previous text is kept as
    FILE.stato-backup, and a file that does not parse is refused.
    """


@hooks.command("install")
@_agent_all
@_user
@path_option
@click.option(
    "--command",
    "stato",
    default="stato",
    show_default=True,
    help="How the agent's shell runs stato, when it is not on PATH (e.g. /venv/bin/stato).",
)
@json_option
def install(agent: str, user: bool, path: Path, stato: str, as_json: bool) -> None:
    """Add stato's hook to each agent's settings (a second install changes nothing)."""
    from stato.cli.render.hooks import changes
    from stato.ops.hooks import install_hooks, targets

    changes(install_hooks(agent, _root(path, user), user, stato), "install", as_json)
    for target in targets(agent):
        if target.note:
            click.echo(f"note: {target.label}: {target.note} ({target.docs})", err=True)


@hooks.command("uninstall")
@_agent_all
@_user
@path_option
@json_option
def uninstall(agent: str, user: bool, path: Path, as_json: bool) -> None:
    """Remove stato's hook entries, and only those."""
    from stato.cli.render.hooks import changes
    from stato.ops.hooks import uninstall_hooks

    changes(uninstall_hooks(agent, _root(path, user), user), "uninstall", as_json)


@hooks.command("doctor")
@click.option(
    "--agent",
    type=click.Choice((*AGENTS, "all")),
    default="all",
    show_default=True,
    help="Which agent's hooks to check.",
)
@_user
@path_option
@json_option
def doctor(agent: str, user: bool, path: Path, as_json: bool) -> int:
    """Run each installed stato hook as its agent would: same stdin, same timeout.

    Checks that the command finishes in time, exits 0, and prints the JSON shape the agent
    injects. Exit 1 when a hook is broken or none is installed.
    """
    from stato.cli.render.hooks import doctor as render
    from stato.ops.hooks_doctor import doctor as run_doctor

    root = _root(path, user)
    checks = run_doctor(agent, root, user)
    render(checks, as_json)
    if not as_json and not user:
        from stato.cli.console import echo
        from stato.ops.gitdriver import missing_driver

        warning = missing_driver(root)
        if warning:
            echo(f"warning: {warning}", err=True)
    return 0 if checks and all(c.ok for c in checks) else 1


@hooks.command("run")
@click.option("--agent", type=click.Choice(AGENTS), required=True, help="Whose shape to print.")
def run(agent: str) -> None:
    """The hook itself: read the agent's JSON on stdin, print the recap in its shape.

    Always exits 0 with valid JSON, so a problem never blocks the agent's session start.
    """
    from stato.formats import jsondoc
    from stato.ops.hooks import hook_output, targets
    from stato.ops.hooks import run as answer
    from stato.ops.resume import hook_recap

    try:
        output = answer(agent, _stdin_text(), hook_recap)
    except Exception as exc:  # the hook's own boundary: the agent always gets its JSON
        why = f"{type(exc).__name__}: {exc}"[:300]
        output = hook_output(targets(agent)[0], f"stato could not build its recap ({why}).")
    # ASCII-only JSON: valid whatever encoding the agent's pipe has (Windows consoles, LANG=C).
    click.echo(jsondoc.dumps(output, indent=None, ascii_only=True))


# What an agent sends is a small JSON object; more than this is not read (bounded work).
_MAX_STDIN = 1024 * 1024


def _stdin_text() -> str:
    """The agent's stdin as text: empty when stdin is closed, missing or unreadable."""
    import sys

    stream = sys.stdin
    if stream is None:  # started with stdin closed (`<&-`)
        return ""
    try:
        buffer = getattr(stream, "buffer", None)
        raw = buffer.read(_MAX_STDIN) if buffer is not None else stream.read(_MAX_STDIN).encode()
    except (OSError, ValueError, UnicodeError):  # closed, a folder, not text
        return ""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else ""
