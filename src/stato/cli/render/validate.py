"""Rendering `stato validate` results for people, and as one JSON document."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence

from stato.adapters.store import STATO_DIR
from stato.cli.console import echo
from stato.ops.validate import Checked, ValidateReport

# Modules written per call: thousands of modules print in a few writes, and the output is
# never built whole in memory.
BATCH = 500


# The tiers in the order cli-guide shows them: errors, then auto-corrections, then advice.
_TIER = {"error": 0, "warning": 1, "advice": 2}


def shown(display: str, targets: Sequence[str]) -> str:
    """A module's name relative to the file or folder it was found from, as cli-guide shows
    it (`stato validate .stato/skills/qc.py` prints `PASS qc.py (skill)`; a folder gives the
    path inside it: `skills/qc.py`, as `stato status` names modules)."""
    for target in targets:
        if display == target:
            return posixpath.basename(target) or target
        top = target.rstrip("/")
        for base in (STATO_DIR,) if top in ("", ".") else (f"{top}/{STATO_DIR}", top):
            if display.startswith(base + "/"):
                return display[len(base) + 1 :]
    return display


def render(report: ValidateReport, *, check: bool, targets: Sequence[str] = ()) -> None:
    invalid = 0
    lines: list[str] = []
    for m in report.modules:
        invalid += not m.valid
        lines.extend(_lines(m, check, targets))
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


def _lines(m: Checked, check: bool, targets: Sequence[str]) -> Iterator[str]:
    mark = "PASS" if m.valid else "FAIL"
    yield f"{mark} {shown(m.display, targets)} ({m.module_type or 'unknown'})"
    # `W001 depends_on is string, auto-wrapping in list (auto-fixed)`, as cli-guide shows it;
    # the line after it. Errors first, each tier in code order (the JSON keeps pass order).
    for d in sorted(m.diagnostics, key=lambda d: (_TIER.get(d.severity, 3), d.code)):
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
        yield f"  {d.code} {d.message}{note}" + (f" (line {d.line})" if d.line else "")
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
