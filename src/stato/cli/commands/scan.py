"""`stato scan`: secrets, personal data, addresses and home paths before sharing; instructions
aimed at an agent (injection) in what came in."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@json_option
def scan(paths: tuple[Path, ...], as_json: bool) -> int:
    """Scan PATH ... (default: the project's .stato/) for secrets, PII, IPs, home paths and
    injected instructions.

    PATH may be any text file (CLAUDE.md, a SKILL.md) or folder. Exits 1 when anything is
    found but `warn`-severity findings (shown, such as a well-known installer piped to a
    shell), 0 otherwise. Patterns in .stato/.statoignore or ./.statoignore (one * glob per
    line) silence matching findings.
    """
    from stato.errors import ProjectNotFound
    from stato.ops.project import find_root
    from stato.ops.scan import scan_paths

    if paths:
        try:
            root = find_root(Path.cwd())
        except ProjectNotFound:
            root = Path.cwd()
        targets = list(paths)
    else:
        root = find_root(Path.cwd())
        targets = [root / ".stato"]
    report = scan_paths(targets, root)
    from stato.cli.console import emit
    from stato.cli.render.scan import render

    emit(report, as_json, render)
    return 1 if report.failed else 0
