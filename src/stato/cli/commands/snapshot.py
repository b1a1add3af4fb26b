"""`stato snapshot --name NAME`: export modules as a .stato archive, privacy-scanned first."""

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
    sign_option,
)


@click.command("snapshot")
@click.option(
    "--name",
    required=True,
    help="Archive name (letters, digits, . _ -); the default file is NAME.stato.",
)
@click.option("--template", is_flag=True, help="Reset plan progress and working memory for reuse.")
@click.option(
    "--type",
    "types",
    multiple=True,
    metavar="TYPE",
    help="Only modules of this type: skill, plan, memory, context, protocol (repeatable).",
)
@click.option(
    "--module",
    "modules",
    multiple=True,
    metavar="PATH",
    help="Only this module, e.g. skills/qc (repeatable; adds to --type).",
)
@click.option(
    "--exclude",
    "excludes",
    multiple=True,
    metavar="TYPE|PATH",
    help="Leave out a type or a module (repeatable).",
)
@sanitize_option
@force_option
@archive_output_option
@sign_option
@accept_risk_option
@path_option
@json_option
def snapshot(
    name: str,
    template: bool,
    types: tuple[str, ...],
    modules: tuple[str, ...],
    excludes: tuple[str, ...],
    sanitize: bool,
    force: bool,
    output: Path | None,
    sign: Path | None,
    path: Path,
    as_json: bool,
) -> int:
    """Export the project's modules as one .stato archive (a zip with manifest.toml).

    Every module must validate. The privacy scanner runs first: findings stop the snapshot
    unless --sanitize replaces them (in the archive only) or --force skips the scan. Any
    filter marks the archive partial; a filter that matches nothing is an error. With
    SOURCE_DATE_EPOCH set the archive is byte-for-byte reproducible.
    """
    from stato.cli.console import progress_bar
    from stato.ops.snapshot import snapshot as run

    with progress_bar("Compiling") as progress:
        res = run(
            path or ".",
            name,
            template=template,
            types=types,
            modules=modules,
            excludes=excludes,
            sanitize=sanitize,
            force=force,
            output=output,
            progress=progress,
            sign=sign,
        )
    from stato.cli.render.archive import show

    return show(res, as_json)
