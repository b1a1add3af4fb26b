"""`stato bridge --platform NAME|all`: write the instruction file each coding agent reads."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option

_HELP = (
    "an agent (claude, codex, cursor, copilot, gemini, windsurf, cline, kiro, amazonq, junie, "
    "devin, qwen, aider, continue, opencode, zed, roo, antigravity, factory), a file (agents, "
    "claude-md, gemini-md, cursor-rules, cursor-legacy, copilot-instructions, windsurf-rules, "
    "devin-rules, clinerules, kiro-steering, amazonq-rules, junie-guidelines, continue-rules, "
    "generic), skills"
)


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
    help="Delete exported SKILL.md files of skills that no longer exist, and remove stato's "
    "block from its files an agent would load twice (e.g. stato 0.1's .cursorrules).",
)
@json_option
def bridge(
    platforms: tuple[str, ...],
    path: Path,
    check: bool,
    link: bool | None,
    prune: bool,
    as_json: bool,
) -> int:
    """Write what each coding agent reads by itself, so each loads stato's block exactly once.

    AGENTS.md is the shared carrier (Codex, Cursor, Copilot, Windsurf, Cline, Kiro, Junie, Devin,
    Qwen Code, OpenCode, Zed, Roo Code, Antigravity, Factory read it); CLAUDE.md and GEMINI.md
    hold the one line @AGENTS.md; Amazon Q and Continue get their own rule file. `skills`
    exports each skill to .agents/skills/ and .claude/skills/. Naming a file's id (e.g.
    cursor-rules) writes that file even when an agent then reads the block twice: the run says so.

    The block is a small table of contents: skills, plan progress and the next step, the working
    rules. In a file that already exists, stato replaces only its own marked block and keeps
    everything else; a run with nothing new writes nothing. Warnings name any agent that loads
    the block twice or not at all, and any person's file an agent stops reading.
    """
    from stato.ops.bridge import write_bridges
    from stato.ops.project import find_root

    result = write_bridges(find_root(path), platforms, check=check, link=link, prune=prune)
    from stato.cli.console import emit
    from stato.cli.render.bridge import show

    emit(result, as_json, show)
    return 1 if check and result.stale else 0
