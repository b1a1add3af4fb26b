"""`stato graft SOURCE`: add one module from an archive or a .py file."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, on_conflict_option, path_option


@click.command("graft")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--module",
    default=None,
    metavar="PATH",
    help="The module to take from an archive (e.g. skills/qc); for a .py file, "
    "where to put it (default: skills/FILE.py, or plan.py etc. by type).",
)
@on_conflict_option
@click.option("--dry-run", is_flag=True, help="Check and show what would happen; write nothing.")
@path_option
@json_option
@accept_risk_option
def graft(
    source: Path,
    module: str | None,
    on_conflict: str,
    dry_run: bool,
    path: Path,
    as_json: bool,
) -> int:
    """Add one module through the compiler and the store's gate.

    A conflict is a module at the same path or a skill with the same name. Code in the
    source is compiled, never run. Exit 1 when the module is invalid or in conflict (nothing
    is written); 0 when it was added, is already there, or --on-conflict skip kept yours.
    """
    from stato.ops.archive import graft as run

    res = run(path or ".", source, module, on_conflict, dry_run)
    from stato.cli.console import emit
    from stato.cli.render.archive import imported

    emit(res, as_json, lambda r: imported(r, verb="graft"))
    return 1 if res.stopped else 0
