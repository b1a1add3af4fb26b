"""Render an import-bundle run: each module's fate, its diagnostics, ignored code, bridges."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import echo, is_tty, rich_table

if TYPE_CHECKING:
    from stato.ops.bundle import BundleImport


def report(rep: BundleImport) -> None:
    head = "Dry run of" if rep.dry_run else "Imported"
    echo(f"{head} {rep.bundle}:")
    rows = []
    for m in rep.modules:
        codes = " ".join(sorted({d.code for d in m.result.diagnostics}))
        rows.append([f".stato/{m.rel}", m.key, m.status, codes])
    if rows and is_tty():
        rich_table(("module", "from", "result", "diagnostics"), rows)
    else:
        for row in rows:
            echo("  " + "  ".join(cell for cell in row if cell))
    for m in rep.modules:
        fixes = [d for d in m.result.diagnostics if d.severity == "warning"]
        for d in fixes:  # auto-corrections: say what will differ from the bundle's text
            echo(f"  {m.rel}: {d.code} {d.message}")
    for m in rep.refused:
        echo(f"refused {m.key} ({m.rel}):", err=True)
        for d in m.result.errors:
            where = f"line {d.line}: " if d.line else ""
            echo(f"  {d.code} {where}{d.message}", err=True)
    for p in rep.problems:
        where = f"line {p.line}: " if p.line else ""
        echo(f"{p.severity}: {rep.bundle}: {where}{p.message}", err=True)
    if not rep.modules and not any(p.severity == "error" for p in rep.problems):
        echo(
            "error: no module could be imported from the bundle: no SKILLS, PLAN, MEMORY or "
            "CONTEXT holds a module source (see `stato crystallize --web`)",
            err=True,
        )
    for path in rep.bridges:
        echo(f"Wrote bridge {path}")
    if rep.bridge_note:
        echo(f"({rep.bridge_note})")
    if rep.dry_run:
        echo("Dry run: nothing was written.")
