"""`stato import-bundle FILE`: import the stato_bundle.py a web AI wrote, then write the bridge."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, new_project_path_option


@click.command("import-bundle")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    metavar="NAME",
    help="Bridge to write afterwards (repeatable; 'all' = every target; "
    "default: claude). See `stato bridge --help` for the names.",
)
@click.option("--no-bridge", is_flag=True, help="Import the modules only; write no bridge file.")
@click.option("--dry-run", is_flag=True, help="Parse and validate; show what would be written.")
@new_project_path_option
@json_option
@accept_risk_option
def import_bundle(
    file: Path,
    platforms: tuple[str, ...],
    no_bridge: bool,
    dry_run: bool,
    path: Path,
    as_json: bool,
) -> int:
    """Import a stato_bundle.py written by a web AI (Claude.ai, ChatGPT, Gemini).

    \b
    The bundle is parsed with Python's ast and never run: only plain string
    literals are read from SKILLS (a dict of name -> module source), PLAN, MEMORY,
    CONTEXT, PROTOCOL and PROTOCOLS. Any other code in it (imports, calls) is
    ignored and listed. Each module is compiled; one with E-codes is refused and
    its diagnostics shown, the others are written to .stato/ (the previous text of
    a replaced module goes to .stato/.history/). Then the bridge is written.

    Exits 1 when any module was refused or nothing could be imported.
    """
    from stato.ops.bundle import DEFAULT_PLATFORMS
    from stato.ops.bundle import import_bundle as run

    chosen: tuple[str, ...] = () if no_bridge else (platforms or DEFAULT_PLATFORMS)
    report = run(file, path, chosen, dry_run)
    from stato.cli.console import emit
    from stato.cli.render.bundle import report as render

    emit(report, as_json, render)
    return 0 if report.ok else 1
