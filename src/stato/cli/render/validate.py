"""Rendering `stato validate` results for people."""

from __future__ import annotations

from stato.cli.console import echo
from stato.ops.validate import ValidateReport


def render(report: ValidateReport, *, check: bool) -> None:
    lines: list[str] = []
    emit = lines.append  # one write at the end: thousands of modules print in one go
    invalid = 0
    for m in report.modules:
        r = m.result
        mark = "PASS" if m.valid else "FAIL"
        invalid += not m.valid
        kind = r.module_type or "unknown"
        emit(f"{mark} {m.display} ({kind})")
        for d in r.diagnostics:
            where = f" line {d.line}" if d.line else ""
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
            emit(f"  {d.code}{where}: {d.message}{note}")
        if m.written and m.backup is not None:
            emit(f"  fixes written; previous text kept in {m.backup}")
    if lines:
        echo("\n".join(lines))
    total = len(report.modules)
    if total == 0:
        echo("No modules found.")
    elif invalid == 0:
        echo(f"All {total} module(s) valid.")
    else:
        echo(f"{invalid} of {total} module(s) invalid.")
