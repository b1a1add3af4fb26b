"""`stato merge A.stato B.stato [--output OUT]`: combine two archives field by field."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option

_STRATEGIES = ("union", "prefer-left", "prefer-right")  # the ids of stato.core.merge.STRATEGIES


@click.command("merge")
@click.argument("left", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("right", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("merged.stato"),
    show_default=True,
    help="Where to write the merged archive (replaced atomically).",
)
@click.option(
    "--strategy",
    type=click.Choice(_STRATEGIES),
    default="union",
    show_default=True,
    help="How a value that differs on both sides is settled: union keeps left and reports it.",
)
@click.option("--dry-run", is_flag=True, help="Show what would be merged; write nothing.")
@json_option
@accept_risk_option
def merge(
    left: Path, right: Path, output: Path, strategy: str, dry_run: bool, as_json: bool
) -> None:
    """Merge two .stato archives into OUTPUT (--dry-run: only show what it would hold).

    Modules on one side are taken; identical modules once; modules on both sides are merged
    field by field (lists unioned, dicts by key, lessons_learned by line, plan steps by id).
    A scalar that differs is a conflict, settled by --strategy and always listed. The
    archives are read as untrusted input and no module code is ever run.

    Exit status: 0 when written (conflicts included: they are listed), 1 when nothing was
    written because of an error (an invalid module, a hostile archive), 2 for a usage error.
    """
    from stato.ops.merge import merge_archives

    report = merge_archives(left, right, output, strategy, dry_run)
    from stato.cli.console import emit
    from stato.cli.render.merge import report as render

    emit(report, as_json, render)
