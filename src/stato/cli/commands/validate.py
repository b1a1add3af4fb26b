"""`stato validate`: run the compiler over modules and report every diagnostic."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, type_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@type_option
@click.option("--check", is_flag=True, help="Report only; write no auto-fixes.")
@click.option("--strict", is_flag=True, help="Count W-codes (auto-corrections) as errors.")
@click.option(
    "--suppress",
    multiple=True,
    metavar="CODE",
    help="Hide a W- or I-code (repeatable); E-codes always block.",
)
@json_option
@accept_risk_option
def validate(
    paths: tuple[Path, ...],
    module_type: str | None,
    check: bool,
    strict: bool,
    suppress: tuple[str, ...],
    as_json: bool,
) -> int:
    """Compile modules (default: the project's .stato/) and report PASS/FAIL with diagnostics.

    Auto-corrections (W-codes) are written back, the previous text kept in .stato/.history/;
    --check writes nothing. Exit 0 when every module is valid, 1 when any has an E-code.
    """
    import os

    from stato.ops.project import find_root
    from stato.ops.validate import validate_paths

    targets = list(paths) or [Path(os.path.relpath(find_root() / ".stato"))]
    from stato.cli.console import progress_bar

    with progress_bar("Compiling") as progress:
        report = validate_paths(
            targets,
            expected_type=module_type,
            check=check,
            strict=strict,
            suppress=suppress,
            progress=progress,
        )
    from stato.cli.render.validate import render, render_json

    if as_json:
        render_json(report)
    else:
        render(report, check=check, targets=[t.as_posix() for t in targets])
    return 0 if report.valid else 1
