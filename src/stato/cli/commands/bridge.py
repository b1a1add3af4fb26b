"""`stato bridge --platform NAME|all`: write the instruction file each coding agent reads."""

from __future__ import annotations

from pathlib import Path

import click

from stato.bridges.targets import TARGETS
from stato.cli.options import path_option

_HELP = ", ".join(t.id for t in TARGETS)


@click.command("bridge")
@click.option(
    "--platform",
    "-p",
    "platforms",
    multiple=True,
    # AGENTS.md is read by most agents and CLAUDE.md then holds one line (@AGENTS.md): a small,
    # unsurprising default; `all` writes every agent's own file.
    default=("agents", "claude"),
    show_default=True,
    metavar="NAME",
    help=f"Target to write (repeat or comma-separate): {_HELP}, or all.",
)
@path_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 when any file is stale (CI).")
@click.option(
    "--link/--no-link",
    default=None,
    help="CLAUDE.md as the one line @AGENTS.md (default: when AGENTS.md carries the bridge).",
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete exported SKILL.md files stato generated for skills that no longer exist.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@click.pass_context
def bridge(
    ctx: click.Context,
    platforms: tuple[str, ...],
    path: Path,
    check: bool,
    link: bool | None,
    prune: bool,
    as_json: bool,
) -> None:
    """Write the instruction files agents read by themselves (AGENTS.md, CLAUDE.md, Cursor,
    Copilot, Gemini, Windsurf, Cline, Kiro, Amazon Q, Junie rules, README.stato.md) and, with
    `skills`, export each skill as an Agent Skill in .claude/skills/ and .agents/skills/.

    The bridge is a small table of contents: skills with key parameters and lesson counts,
    plan progress and the next step, the working rules. In a file that already exists, stato
    replaces only its own marked block and keeps everything else; a run with nothing new
    writes nothing. `cursor` writes both of Cursor's files (.cursor/rules/stato.mdc and the
    .cursorrules the spec names; `cursor-rules` or `cursor-legacy` for one of them). `all` means
    every target except devin (an alternative location), which is written only when named.
    """
    from stato.ops.bridge import write_bridges
    from stato.ops.project import find_root

    result = write_bridges(find_root(path), platforms, check=check, link=link, prune=prune)
    if as_json:
        from stato.cli.console import emit_json
        from stato.cli.render.bridge import to_dict

        emit_json(to_dict(result))
    else:
        from stato.cli.render.bridge import show

        show(result)
    if check and result.stale:
        ctx.exit(1)
