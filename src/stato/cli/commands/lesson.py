"""`stato lesson add SKILL "TEXT"`: record what was learned in a skill's lessons_learned."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.console import echo
from stato.cli.options import accept_risk_option, json_option, path_option


@click.group("lesson")
def lesson() -> None:
    """Add lessons to skills without hand-editing Python."""


@lesson.command("add")
@click.argument("skill")
@click.argument("text")
@path_option
@json_option
@accept_risk_option
def add(skill: str, text: str, path: Path, as_json: bool) -> None:
    """Append TEXT as a bullet to SKILL's lessons_learned (SKILL: file name or name field).

    The skill is saved through the compiler gate (validated, the old text backed up); the rest
    of the file stays as written.
    """
    from stato.ops.lesson import add_lesson
    from stato.ops.project import find_root

    added = add_lesson(find_root(path), skill, text)
    if as_json:
        from stato.cli.console import emit_json

        emit_json(added.to_dict())
    else:
        echo(f"{added.path}: added lesson to {added.skill} ({added.count} lessons)")
