"""`stato slice --module PATH ...`: an archive of chosen modules, optionally with dependencies."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import (
    accept_risk_option,
    archive_output_option,
    force_option,
    json_option,
    path_option,
    sanitize_option,
)


@click.command("slice")
@click.option(
    "--module",
    "modules",
    multiple=True,
    required=True,
    metavar="PATH",
    help="A module to include, e.g. skills/normalize (repeatable).",
)
@click.option(
    "--with-deps",
    is_flag=True,
    help="Also include the project skills named in depends_on, transitively.",
)
@click.option(
    "--name", default=None, help="Archive name (default: the output's stem, or MODULE-slice)."
)
@archive_output_option
@sanitize_option
@force_option
@accept_risk_option
@path_option
@json_option
def slice_(
    modules: tuple[str, ...],
    with_deps: bool,
    name: str | None,
    output: Path | None,
    sanitize: bool,
    force: bool,
    path: Path,
    as_json: bool,
) -> int:
    """Archive chosen modules (always marked partial), privacy-scanned like snapshot.

    A depends_on entry naming another skill of the project is a warning, or is followed
    transitively with --with-deps.
    """
    from stato.ops.slice import slice_project

    res = slice_project(
        path or ".",
        modules,
        with_deps=with_deps,
        name=name,
        output=output,
        sanitize=sanitize,
        force=force,
    )
    from stato.cli.render.archive import show

    return show(res, as_json, verb="slice")
