"""Rendering `stato status`: a rich table on a terminal, plain lines in a pipe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import console, echo, is_tty, titled_panel, warnings
from stato.core.plan import STATES

if TYPE_CHECKING:
    from stato.core.plan import StepView
    from stato.ops.status import StatusReport


def _step(step: StepView | None) -> str:
    return "none" if step is None else step.label


def render(report: StatusReport) -> None:
    warnings(report.warnings)
    if not report.modules:
        echo(
            f"No modules in {report.root / '.stato'} yet "
            "(stato crystallize, or stato init --example)."
        )
        return
    cells = [(m.path, m.type or "-", m.class_name or "-", m.version or "-") for m in report.modules]
    p = report.plan
    plan = (
        []
        if p is None
        else [
            f"Objective: {p.objective}",
            f"Progress: {p.done}/{p.total} steps complete",
            f"Current step: {_step(p.current)}",
            f"Next step: {_step(p.next)}",
            *([] if p.current or p.next else [STATES[p.state]]),
        ]
    )
    if is_tty():
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"stato modules in {report.root}")
        for col in ("Module", "Type", "Class", "Version", "Valid"):
            table.add_column(col, overflow="fold")
        for m, row in zip(report.modules, cells, strict=True):
            valid = "withheld" if m.withheld else "yes" if m.valid else "no"
            table.add_row(*row, Text(valid, style="green" if valid == "yes" else "red"))
        con = console()
        con.print(table)
        if p is not None:
            con.print(titled_panel(con, "\n".join(plan), f"Plan: {p.name}"))
    else:
        for m, row in zip(report.modules, cells, strict=True):
            valid = "WITHHELD" if m.withheld else "valid" if m.valid else "INVALID"
            echo("\t".join([*row, valid]))
        if p is not None:
            echo("\n".join([f"Plan: {p.name}", *plan]))
    for m in report.modules:
        if not m.valid:
            echo(f"{m.path} is invalid: {'; '.join(m.errors)} (run stato validate)")
        elif m.withheld:
            echo(
                f"{m.path} is withheld from agents (bridge, resume, hooks): high injection "
                f"finding(s) {', '.join(m.withheld)}; read them with `stato scan .stato/{m.path}`"
            )
