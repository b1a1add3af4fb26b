"""`stato inspect FILE`: an archive's metadata and modules, nothing extracted or run."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option


@click.command("inspect")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@json_option
def inspect(archive: Path, as_json: bool) -> int:
    """Show a .stato archive's name, creation time, template and partial flags, and a table of
    its modules with type, version and validation status.

    The archive is read in memory as untrusted input; module code is compiled, never run.
    Exit 1 when a module would be refused on import.
    """
    from stato.ops.inspect import inspect_archive

    res = inspect_archive(archive)
    from stato.cli.console import emit
    from stato.cli.render.archive import inspect as render

    emit(res, as_json, render)
    return 0 if res.ok else 1
