"""Rendering `stato scan`: a table of findings for people, tab-separated lines in a pipe."""

from __future__ import annotations

from stato.cli.console import console, echo, is_tty
from stato.ops.scan import ScanReport


def summary(report: ScanReport) -> str:
    if report.clean:
        return f"No findings in {len(report.files)} file(s)."
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[f.category] = counts.get(f.category, 0) + 1
    parts = ", ".join(f"{n} {category}" for category, n in sorted(counts.items()))
    advice = "Remove them, add a .statoignore pattern, or snapshot with --sanitize."
    if "injection" in counts:
        advice = (
            "Read each injection finding before trusting the text (warn: worth a look; "
            "high: refuse it). " + (advice if len(counts) > 1 else "")
        ).strip()
    return f"{len(report.findings)} finding(s) in {len(report.files)} file(s): {parts}. {advice}"


def render(report: ScanReport) -> None:
    """Findings with their redacted previews; the secret itself is never shown."""
    if report.findings and is_tty():
        from rich.table import Table
        from rich.text import Text

        table = Table(title="Privacy findings")
        for col in ("Location", "Category", "Severity", "Pattern", "Preview"):
            table.add_column(col, overflow="fold")
        for f in report.findings:
            table.add_row(
                f"{f.path}:{f.line}:{f.column}",
                f.category,
                f.severity,
                f.pattern,
                Text(f.preview),  # scanned text is data: never rich markup
            )
        console().print(table)
    else:
        for f in report.findings:
            echo(
                f"{f.path}:{f.line}:{f.column}\t{f.category}\t{f.pattern}\t{f.preview}\t{f.severity}"
            )
    echo(summary(report))
