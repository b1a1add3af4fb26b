"""`stato import FILE`: bring an archive's modules into a project, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, on_conflict_option, path_option


@click.command("import")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@path_option
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="PATH",
    help="Import only this module, e.g. skills/qc (repeatable).",
)
@click.option("--dry-run", is_flag=True, help="Check and show what would happen; write nothing.")
@on_conflict_option
@json_option
@accept_risk_option
def import_(
    archive: Path,
    path: Path,
    modules: tuple[str, ...],
    dry_run: bool,
    on_conflict: str,
    as_json: bool,
) -> int:
    """Import modules from a .stato archive.

    Every module is checked (checksum, then compiler) before anything is written, and the
    write is all or nothing, even if interrupted. Exit 1 when a module is invalid or in
    conflict (nothing is written); 0 otherwise, also when every module is already there or
    skipped (--on-conflict skip).
    """
    from stato.cli.console import progress_bar
    from stato.ops.archive import import_archive

    with progress_bar("Checking") as progress:
        res = import_archive(
            path or ".", archive, modules or None, on_conflict, dry_run, progress=progress
        )
    from stato.cli.console import emit
    from stato.cli.render.archive import imported

    emit(res, as_json, imported)
    return 1 if res.stopped else 0
