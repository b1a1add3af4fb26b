"""`stato convert FILE...`: migrate CLAUDE.md, AGENTS.md, .cursorrules, .mdc and SKILL.md files."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, new_project_path_option

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
@new_project_path_option
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Read FILES as this kind instead of guessing from the file name.",
)
@json_option
@accept_risk_option
def convert(
    files: tuple[Path, ...], dry_run: bool, path: Path, kind: str | None, as_json: bool
) -> None:
    """Convert agent instruction files into stato modules.

    \b
    FILES may be CLAUDE.md, AGENTS.md, GEMINI.md, QWEN.md, Aider's CONVENTIONS.md,
    .cursorrules (Markdown or JSON), .windsurfrules, .clinerules, .cursor/rules/*.mdc,
    .github/copilot-instructions.md, .github/instructions/*.instructions.md, or SKILL.md.
    A folder stands for its SKILL.md, for every */SKILL.md and .mdc file in it, or for
    the rule files of an agent's rule folder (.claude/rules, .windsurf/rules,
    .clinerules, .kiro/steering, .github/instructions).

    \b
    Each section is classified by a table of signals (heading words, numbered steps,
    checkboxes, phrases): rules become .stato/context.py conventions ("Heading: item")
    and notes; procedures ("How to ...", a task heading over numbered steps) become a
    skill with the steps in its docstring; gotchas, pitfalls and lessons a skill's
    lessons_learned; open work memory tasks, but only under a TODO or Next steps
    heading, unchecked boxes under Tasks, Roadmap or Backlog, or an item opening with
    "TODO:" or "Next:"; Known issues memory known_issues; a Current status section the
    memory phase. A checklist elsewhere stays a rule. depends_on only takes package
    names from install commands (pip/uv/npm/... install) and lists of bare package
    names under Requirements.
    Scoping front matter (globs, applyTo, paths, fileMatchPattern) prefixes the
    conventions ("[src/api/**] ..."); other front matter is kept in the notes. The
    output says where each section went (--json too).

    \b
    Existing modules are never overwritten: conversion only adds. context.py,
    memory.py or a skill with the same name keep every value they already have and
    gain the conventions, tasks, issues, lessons and parameters they lack; a value
    that differs (say description) is kept and listed as "kept". Two inputs giving a
    skill the same name are both kept ("deploy", "deploy-2"). An input with nothing to
    convert is said and skipped. Running it twice changes nothing. Every module is
    validated first and all are written or none (the previous text goes to
    .stato/.history/).
    """
    from stato.ops.convert import convert_files

    report = convert_files(list(files), path, kind, dry_run)
    from stato.cli.console import emit
    from stato.cli.render.convert import report as render

    emit(report, as_json, render)
