"""Rendering `stato plan`: a step table, a change line, and the step DAG as mermaid or dot."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stato.cli.console import console, echo, is_tty, warnings
from stato.core.plan import STATES

if TYPE_CHECKING:
    from stato.core.plan import PlanView, StepView
    from stato.ops.plan import StepChange

MARK = {"complete": "✓", "running": "▶", "failed": "✗", "blocked": "‖", "pending": "·"}
COLOR = {  # fill, stroke: green, amber, red, grey, white
    "complete": ("#d4edda", "#28a745"),
    "running": ("#fff3cd", "#d39e00"),
    "failed": ("#f8d7da", "#dc3545"),
    "blocked": ("#e2e3e5", "#6c757d"),
    "pending": ("#ffffff", "#6c757d"),
}


def _status(step: StepView) -> str:
    return step.status if step.status in COLOR else "pending"


def mermaid(steps: Sequence[StepView]) -> str:
    """A mermaid flowchart of the steps (GitHub and most editors render it)."""
    lines = ["flowchart TD"]
    for s in steps:
        label = f"{s.id}. {s.action}<br/>{MARK[_status(s)]} {_status(s)}"
        lines.append(f'    s{s.id}["{label.replace(chr(34), "#quot;")}"]')
    lines += [f"    s{d} --> s{s.id}" for s in steps for d in s.depends_on]
    for status, (fill, stroke) in COLOR.items():
        ids = [f"s{s.id}" for s in steps if _status(s) == status]
        if ids:
            lines.append(f"    classDef {status} fill:{fill},stroke:{stroke}")
            lines.append(f"    class {','.join(ids)} {status}")
    return "\n".join(lines) + "\n"


def _dot_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(steps: Sequence[StepView]) -> str:
    """A Graphviz digraph of the steps, filled by status."""
    lines = ["digraph plan {", "    rankdir=TB;", '    node [shape=box, style="rounded,filled"];']
    for s in steps:
        fill, stroke = COLOR[_status(s)]
        label = _dot_str(f"{s.id}. {s.action}\n{_status(s)}")
        lines.append(f'    s{s.id} [label={label}, fillcolor="{fill}", color="{stroke}"];')
    lines += [f"    s{d} -> s{s.id};" for s in steps for d in s.depends_on]
    return "\n".join(lines) + "\n}\n"


def _line(step: StepView | None) -> str:
    if step is None:
        return "none"
    return f"step {step.id} -- {step.action} ({step.status})"


def plan(view: PlanView) -> None:
    head = f"Plan: {view.name}  ({view.done}/{view.total} steps complete)"
    if is_tty():
        from rich.table import Table

        table = Table(title=head, caption=f"Objective: {view.objective}")
        for col in ("", "Id", "Action", "Status", "Depends on", "Output"):
            table.add_column(col, overflow="fold")
        for s in view.steps:
            table.add_row(
                MARK[_status(s)], str(s.id), s.action, _status(s),
                ", ".join(map(str, s.depends_on)) or "-", s.output or "-",
            )  # fmt: skip
        console().print(table)
    else:
        echo(head)
        echo(f"Objective: {view.objective}")
        for s in view.steps:
            deps = ", ".join(map(str, s.depends_on))
            out = f"  -> {s.output}" if s.output else ""
            after = f" (after {deps})" if deps else ""
            echo(f"{MARK[_status(s)]} {s.id}. {s.action} [{_status(s)}]{after}{out}")
    echo(f"Current: {_line(view.current)}")
    echo(f"Next: {_line(view.next)}")
    if view.state in ("stuck", "complete", "empty"):
        echo(STATES[view.state])
    warnings(view.warnings)


def change(done: StepChange) -> None:
    if done.before is None:
        echo(f"Added step {done.step_id}: {done.action} (pending)")
    else:
        echo(f"Step {done.step_id} ({done.action}): {done.before} -> {done.after}")
    if done.output:
        echo(f"  output: {done.output}")
    view = done.plan
    echo(f"Progress: {view.done}/{view.total} steps complete; next: {_line(view.next)}")
    if view.state in ("stuck", "complete"):
        echo(STATES[view.state])
