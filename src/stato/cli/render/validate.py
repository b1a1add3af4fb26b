"""Rendering `stato validate` results for people, and as one JSON document."""

from __future__ import annotations

from collections.abc import Iterator

from stato.cli.console import echo
from stato.ops.validate import Checked, ValidateReport

# Modules written per call: thousands of modules print in a few writes, and the output is
# never built whole in memory.
BATCH = 500


def render(report: ValidateReport, *, check: bool) -> None:
    invalid = 0
    lines: list[str] = []
    for m in report.modules:
        invalid += not m.valid
        lines.extend(_lines(m, check))
        if len(lines) >= BATCH:
            echo("\n".join(lines))
            lines.clear()
    if lines:
        echo("\n".join(lines))
    total = len(report.modules)
    if total == 0:
        echo("No modules found.")
    elif invalid == 0:
        echo(f"All {total} module(s) valid.")
    else:
        echo(f"{invalid} of {total} module(s) invalid.")


def _lines(m: Checked, check: bool) -> Iterator[str]:
    mark = "PASS" if m.valid else "FAIL"
    yield f"{mark} {m.display} ({m.module_type or 'unknown'})"
    for d in m.diagnostics:
        note = ""
        if d.fixed:
            note = (
                " (auto-fixed)"
                if m.written
                else (
                    " (fixable; not written: --check)"
                    if check
                    else " (fixable; not written: the module has errors)"
                )
            )
        yield f"  {d}{note}"
    if m.written and m.backup is not None:
        yield f"  fixes written; previous text kept in {m.backup}"


def render_json(report: ValidateReport) -> None:
    """``report.to_dict()`` as `emit_json` prints it, byte for byte, written a batch of
    modules at a time instead of built whole."""
    import click

    from stato.formats import jsondoc

    if not report.modules:
        click.echo(jsondoc.dumps(report.to_dict()))
        return
    click.echo(f'{{\n  "valid": {jsondoc.dumps(report.valid)},\n  "modules": [', nl=False)
    mods = report.modules
    for start in range(0, len(mods), BATCH):
        parts = [jsondoc.dumps(m.to_dict()) for m in mods[start : start + BATCH]]
        text = ",".join("\n" + part for part in parts).replace("\n", "\n    ")
        click.echo(("," if start else "") + text, nl=False)
    click.echo("\n  ]\n}")
