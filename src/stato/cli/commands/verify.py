"""`stato verify`: installed modules and their sources checked against .stato/stato.lock."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option


@click.command()
@click.option("--offline", is_flag=True, help="Check the modules only; do not read the sources.")
@path_option
@json_option
def verify(offline: bool, path: Path, as_json: bool) -> int:
    """Report modules changed or gone since they were installed, and lock entries whose source
    (registry or archive file) no longer serves what was installed. Exit 1 when any is found."""
    from stato.ops.lock import verify as run

    result = run(path or ".", offline=offline)
    from stato.cli.console import emit
    from stato.cli.render.verify import render

    emit(result, as_json, render)
    return 0 if result.ok else 1
