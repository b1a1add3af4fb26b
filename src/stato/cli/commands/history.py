"""`stato history` and `stato rollback`: a module's backups in .stato/.history/."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option


@click.command()
@click.argument("module")
@path_option
@json_option
def history(module: str, path: Path, as_json: bool) -> int:
    """List the backups of MODULE (e.g. skills/qc.py), oldest first, numbered for rollback --to."""
    from stato.cli.console import echo, emit_json
    from stato.ops.history import module_history

    found = module_history(path, module)
    if as_json:
        emit_json(found.to_dict())
        return 0
    if not found.backups:
        echo(f"No backups of {found.module} yet.")
        return 0
    for i, p in enumerate(found.backups, 1):
        echo(f"{i:>3}  {p.relative_to(found.root)}")
    return 0


@click.command()
@click.argument("module")
@click.option(
    "--to",
    "to",
    type=int,
    default=None,
    help="Backup number from `stato history` (default: the latest).",
)
@path_option
@json_option
def rollback(module: str, to: int | None, path: Path, as_json: bool) -> int:
    """Restore MODULE from a backup; its current text is backed up first."""
    from stato.cli.console import echo, emit_json
    from stato.ops.history import rollback as restore

    done = restore(path, module, to)
    if as_json:
        emit_json(done.to_dict())
        return 0
    echo(
        f"Restored .stato/{done.module} from {done.restored_from.name} "
        "(the replaced text is in .stato/.history/)"
    )
    return 0
