"""`stato memory set FIELD VALUE` / `memory add-issue KEY "TEXT"`: update the working memory."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from stato.cli.console import echo
from stato.cli.options import accept_risk_option, json_option, path_option

if TYPE_CHECKING:
    from stato.ops.memory import MemoryChange


def _root(path: Path) -> Path:
    from stato.ops.project import find_root

    return find_root(path)


def _report(change: MemoryChange, as_json: bool) -> None:
    if as_json:
        from stato.cli.console import emit_json

        emit_json(change.to_dict())
        return
    from stato.formats import jsondoc

    echo(f"memory.{change.field} = {jsondoc.dumps(change.after, indent=None)}")
    if change.last_updated:
        echo(f"memory.last_updated = {change.last_updated}")


@click.group("memory")
def memory() -> None:
    """Update .stato/memory.py in place (validated, backed up, the rest of the file kept)."""


@memory.command("set")
@click.argument("field")
@click.argument("value")
@path_option
@json_option
@accept_risk_option
def set_(field: str, value: str, path: Path, as_json: bool) -> None:
    """Set FIELD to VALUE: text for phase, reflection, ...; JSON for tasks, known_issues, ...

    last_updated, when the memory has it, is set to today.
    """
    from stato.ops.memory import set_memory

    _report(set_memory(_root(path), field, value), as_json)


@memory.command("add-issue")
@click.argument("key")
@click.argument("text")
@path_option
@json_option
@accept_risk_option
def add_issue(key: str, text: str, path: Path, as_json: bool) -> None:
    """Add (or replace) known_issues[KEY] = TEXT, keeping the other issues as written."""
    from stato.ops.memory import add_issue as add

    _report(add(_root(path), key, text), as_json)
