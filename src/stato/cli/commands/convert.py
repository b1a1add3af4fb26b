"""`stato convert FILE...`: migrate CLAUDE.md, AGENTS.md, .cursorrules, .mdc and SKILL.md files."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option

# The ids of stato.formats.convert.CONVERTERS, listed here so --help needs no import.
KINDS = (
    "claude",
    "agents",
    "cursorrules",
    "cursor-mdc",
    "skill",
    "gemini",
    "copilot",
    "windsurf",
    "cline",
    "kiro",
    "qwen",
    "conventions",
)


@click.command("convert")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--dry-run", is_flag=True, help="Print the modules that would be written; write nothing."
)
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (the one holding .stato/); a folder with none becomes a project.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Read FILES as this kind instead of guessing from the file name.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
@accept_risk_option
def convert(
    files: tuple[Path, ...], dry_run: bool, path: Path, kind: str | None, as_json: bool
) -> None:
    """Convert agent instruction files into stato modules.

    \b
    FILES may be CLAUDE.md, AGENTS.md, .cursorrules, .cursor/rules/*.mdc, GEMINI.md,
    .github/copilot-instructions.md, or SKILL.md; a Markdown rule in an agent's rule
    folder (.claude/rules, .windsurf/rules, .clinerules, .kiro/steering, ...) is read
    by its folder. A folder stands for its SKILL.md, or for every */SKILL.md and
    .mdc file in it (.claude/skills, .cursor/rules and its subfolders).
    Instruction files become .stato/context.py: each heading's bullets, table rows
    and shell commands become conventions ("Code Style: ..."), prose goes to notes,
    and "[x]" items to completed_tasks. TODO / Next steps sections and "[ ]" items
    become memory tasks, Known issues sections memory known_issues, a Current status
    section the memory phase. The block `stato bridge` wrote is skipped, and so is a
    SKILL.md stato exported from a skill the project has. A SKILL.md
    becomes .stato/skills/<name_in_snake_case>.py: front matter name and description,
    a Parameters/Defaults list or table as default_params, Gotchas/Lessons sections
    as lessons_learned, Requirements as depends_on, the rest of the body as the class
    docstring.

    \b
    Existing modules are never overwritten: conversion only adds. context.py,
    memory.py or a skill with the same name keep every value they already have and
    gain the conventions, tasks, issues, lessons and parameters they lack; a value
    that differs (say description) is kept and listed as "kept". A skill never goes
    into another skill's file (it gets a numbered file name). Running it twice
    changes nothing. Every module is validated first and all are written or none
    (the previous text goes to .stato/.history/).
    """
    from stato.ops.convert import convert_files

    report = convert_files(list(files), path, kind, dry_run)
    if as_json:
        from stato.cli.console import emit_json

        emit_json(report.to_dict())
    else:
        from stato.cli.render.convert import report as render

        render(report)
