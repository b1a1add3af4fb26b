"""`stato plan`: show the plan (or its graph) and move steps through their statuses."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from stato.cli.console import echo
from stato.cli.options import accept_risk_option, json_option, path_option

if TYPE_CHECKING:
    from stato.ops.plan import StepChange

_output = click.option("--output", "-o", default=None, help="What the step produced (recorded).")


def _root(path: Path) -> Path:
    from stato.ops.project import find_root

    return find_root(path)


@click.group("plan", invoke_without_command=True)
@json_option
@click.option("--graph", is_flag=True, help="Print the step graph with statuses instead.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("mermaid", "dot")),
    default="mermaid",
    show_default=True,
    help="Graph format (with --graph): mermaid renders on GitHub, dot in Graphviz.",
)
@path_option
@click.pass_context
def plan(ctx: click.Context, as_json: bool, graph: bool, fmt: str, path: Path) -> None:
    """Show the plan: steps with status, dependencies and outputs; current and next step.

    The subcommands edit .stato/plan.py through the compiler gate (validated, the old text
    backed up in .stato/.history/, written atomically) and change only the step they name:
    comments, decision_log and formatting stay as they are.
    """
    if ctx.invoked_subcommand is not None:
        return
    from stato.ops.plan import show

    view = show(_root(path))
    if graph:
        from stato.cli.render.plan import dot, mermaid

        echo((mermaid if fmt == "mermaid" else dot)(view.steps), nl=False)
    else:
        from stato.cli.console import emit
        from stato.cli.render.plan import plan as render

        emit(view, as_json, render)


def _status_command(name: str, status: str, doc: str, with_output: bool) -> click.Command:
    def command(step_id: int, path: Path, as_json: bool, output: str | None = None) -> None:
        from stato.ops.plan import set_status

        _report(set_status(_root(path), step_id, status, output), as_json)

    command.__doc__ = doc
    command = click.argument("step_id", metavar="ID", type=int)(command)
    extra = (_output,) if with_output else ()
    for option in (path_option, json_option, accept_risk_option, *extra):
        command = option(command)
    return plan.command(name)(command)


def _report(change: StepChange, as_json: bool) -> None:
    from stato.cli.console import emit
    from stato.cli.render.plan import change as render

    emit(change, as_json, render)


start = _status_command(
    "start", "running",
    "Mark step ID running (refused while a step it depends on is not complete).", False,
)  # fmt: skip
done = _status_command(
    "done", "complete", "Mark step ID complete, optionally with its output.", True
)
fail = _status_command("fail", "failed", "Mark step ID failed, optionally saying why.", True)
block = _status_command("block", "blocked", "Mark step ID blocked.", False)


@plan.command("add")
@click.argument("action")
@click.option(
    "--after", "after", type=int, multiple=True, metavar="ID", help="A step it depends on (repeat)."
)
@path_option
@json_option
@accept_risk_option
def add(action: str, after: tuple[int, ...], path: Path, as_json: bool) -> None:
    """Append a pending step ACTION, depending on the --after steps."""
    from stato.ops.plan import add_step

    _report(add_step(_root(path), action, after), as_json)
