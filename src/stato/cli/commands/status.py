"""`stato status`: the modules of the project and the plan's progress."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option


@click.command()
@path_option
@json_option
def status(path: Path, as_json: bool) -> int:
    """Show every module (path, type, class, version, valid?) and the plan's progress."""
    from stato.ops.project import find_root
    from stato.ops.status import status as get_status

    report = get_status(find_root(path))
    from stato.cli.console import emit
    from stato.cli.render.status import render

    emit(report, as_json, render)
    return 0
