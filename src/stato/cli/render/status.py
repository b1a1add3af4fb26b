"""Rendering `stato status`: a rich table on a terminal, plain lines in a pipe."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import console, echo, is_tty
from stato.core.plan import STATES

if TYPE_CHECKING:
    from stato.core.plan import StepView
    from stato.ops.status import StatusReport


def _step(step: StepView | None) -> str:
    if step is None:
        return "none"
    return f"Step {step.id} -- {step.action} ({step.status})"


def render(report: StatusReport) -> None:
    for w in report.warnings:
        echo(f"warning: {w}", err=True)
    if not report.modules:
        echo(
            f"No modules in {report.root / '.stato'} yet "
            "(stato crystallize, or stato init --example)."
        )
        return
    if is_tty():
        from rich.panel import Panel
        from rich.table import Table
        from rich.text import Text

        table = Table(title=f"stato modules in {report.root}")
        for col in ("Module", "Type", "Class", "Version", "Valid"):
            table.add_column(col)
        for m in report.modules:
            table.add_row(
                m.path,
                m.type or "-",
                m.class_name or "-",
                m.version or "-",
                Text("withheld", style="red")
                if m.withheld
                else Text("yes", style="green")
                if m.valid
                else Text("no", style="red"),
            )
        con = console()
        con.print(table)
        if report.plan:
            p = report.plan
            con.print(
                Panel(
                    f"Objective: {p.objective}\nProgress: {p.done}/{p.total} steps complete\n"
                    f"Current step: {_step(p.current)}\nNext step: {_step(p.next)}"
                    + ("" if p.current or p.next else f"\n{STATES[p.state]}"),
                    title=f"Plan: {p.name}",
                )
            )
    else:
        for m in report.modules:
            echo(
                "\t".join(
                    [
                        m.path,
                        m.type or "-",
                        m.class_name or "-",
                        m.version or "-",
                        "WITHHELD" if m.withheld else "valid" if m.valid else "INVALID",
                    ]
                )
            )
        if report.plan:
            p = report.plan
            echo(
                f"Plan: {p.name}\nObjective: {p.objective}\n"
                f"Progress: {p.done}/{p.total} steps complete"
            )
            echo(f"Current step: {_step(p.current)}\nNext step: {_step(p.next)}")
            if p.current is None and p.next is None:
                echo(STATES[p.state])
    for m in report.modules:
        if not m.valid:
            echo(f"{m.path} is invalid: {'; '.join(m.errors)} (run stato validate)")
        elif m.withheld:
            echo(
                f"{m.path} is withheld from agents (bridge, resume, hooks): high injection "
                f"finding(s) {', '.join(m.withheld)}; read them with `stato scan .stato/{m.path}`"
            )
