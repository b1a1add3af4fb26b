"""`stato merge-file BASE OURS THEIRS [--path NAME]`: the git merge driver (%O %A %B %P)."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option


@click.command("merge-file")
@click.argument("base", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("ours", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("theirs", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--path",
    "name",
    default=None,
    metavar="NAME",
    help="The file's path in the repository (git's %P), used in messages.",
)
@json_option
def merge_file(base: Path, ours: Path, theirs: Path, name: str | None, as_json: bool) -> int:
    """Merge THEIRS into OURS against BASE, field by field, and write the result to OURS.

    The contract of a git merge driver (`stato git install` registers it): fields changed on
    one side take that side; dicts merge by key, lists as sequences, lessons_learned bullet
    by bullet, plan steps by id; the code around the fields merges as text. A field both
    sides changed differently is left between conflict markers, which `stato validate`
    names (E012). Module code is never run.

    Exit status: 0 when the merge is clean, 1 when a conflict remains (or on an error, with
    OURS untouched), 2 for a usage error.
    """
    from stato.ops.merge_file import merge_file as run

    report = run(base, ours, theirs, name)
    from stato.cli.console import emit
    from stato.cli.render.merge import merge_file_report

    emit(report, as_json, merge_file_report)
    return 0 if report.clean else 1
