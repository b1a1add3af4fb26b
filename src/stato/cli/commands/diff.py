"""`stato diff A [B]`: field-level differences of modules or archives (as `git diff`: exit 0
when shown; --exit-code makes differences exit 1)."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option


@click.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path))
@click.option("--brief", is_flag=True, help="Name the changed fields and modules only.")
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are differences (as `git diff`; for CI)."
)
@json_option
@click.option(
    "--path",
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Project folder, for a module given by its path inside .stato/.",
)
def diff(
    old: Path,
    new: Path | None,
    brief: bool,
    exit_code: bool,
    as_json: bool,
    project: Path | None,
) -> int:
    """Compare modules field by field.

    \b
    stato diff skills/qc.py                  the module against its last backup
    stato diff qc_v1.py qc_v2.py             two module files
    stato diff export-v1.stato export-v2.stato   two archives: added, removed, changed modules

    Exit status, as `git diff`: 0 when the comparison is shown, differences or not (with
    --exit-code: 1 when there are differences); 1 on an error, with a one-line message on
    stderr; 2 for a usage error.
    Nothing is executed: modules are compiled statically and archives read as untrusted.
    """
    from stato.ops.diff import diff_paths

    report = diff_paths(old, new, project)
    if as_json:
        from stato.cli.console import emit_json

        emit_json(report.to_dict(brief))
    else:
        from stato.cli.render.diff import report as render

        render(report, brief)
    return 1 if exit_code and not report.same else 0
