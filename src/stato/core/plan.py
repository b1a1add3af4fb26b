"""Plan rules shared by every view: the current step, the next step, progress, completion."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeGuard

if TYPE_CHECKING:
    from stato.core.model import ValidationResult

STATUSES: tuple[str, ...] = ("pending", "running", "complete", "failed", "blocked")

Step = Mapping[str, Any]


def is_step_id(value: object) -> TypeGuard[int]:
    """Step ids are ints; a bool is an int to Python but never a step id."""
    return isinstance(value, int) and not isinstance(value, bool)


def step_deps(step: Step) -> list[Any]:
    """A step's dependencies as a list (a lone int is one dependency; anything else, none)."""
    deps = step.get("depends_on", [])
    if is_step_id(deps):
        return [deps]
    return list(deps) if isinstance(deps, (list, tuple)) else []


def current_step(steps: Sequence[Step]) -> Step | None:
    """The first step whose status is "running", or None."""
    return next((s for s in steps if s.get("status") == "running"), None)


def next_step(steps: Sequence[Step]) -> Step | None:
    """The first pending (or unstatused) step whose dependencies are all complete."""
    status = {s.get("id"): s.get("status", "pending") for s in steps if isinstance(s, Mapping)}
    for step in steps:
        if not isinstance(step, Mapping) or step.get("status", "pending") != "pending":
            continue
        if all(status.get(dep) == "complete" for dep in step_deps(step)):
            return step
    return None


def progress(steps: Sequence[Step]) -> tuple[int, int]:
    """(completed, total)."""
    done = sum(1 for s in steps if isinstance(s, Mapping) and s.get("status") == "complete")
    return done, len(steps)


def is_complete(steps: Sequence[Step]) -> bool:
    """True when no step is left to do: every step is complete.

    A plan with no steps is complete (as ``all([])`` is): it has no current step, no next step
    and nothing blocked, so nothing is left to do; ``PlanView.state`` still tells it apart as
    "empty" (``total == 0``), and the JSON carries both (``"state": "empty", "complete": true``).
    """
    done, total = progress(steps)
    return done == total


def blocked_by(steps: Sequence[Step], step_id: Any) -> list[Any]:
    """The dependencies of ``step_id`` that are not complete yet."""
    status = {s.get("id"): s.get("status", "pending") for s in steps if isinstance(s, Mapping)}
    step = next((s for s in steps if isinstance(s, Mapping) and s.get("id") == step_id), None)
    if step is None:
        return []
    return [d for d in step_deps(step) if status.get(d) != "complete"]


@dataclass(frozen=True)
class StepView:
    """One step as every view shows it; ``fields`` is the step as written, extra keys included."""

    id: Any
    action: str
    status: str
    output: str | None
    notes: str | None
    depends_on: tuple[Any, ...]
    blocked_by: tuple[Any, ...]  # the dependencies not complete yet
    fields: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The step as written (extra keys included), with its status and open dependencies."""
        return {**self.fields, "status": self.status, "blocked_by": list(self.blocked_by)}

    @property
    def label(self) -> str:
        """How every text view names the step: ``Step 4 -- find_hvg (running)``."""
        return f"Step {self.id} -- {self.action} ({self.status})"


# Where a plan stands, in one word, and the one sentence every view says about it.
STATES: dict[str, str] = {
    "empty": "The plan has no steps yet.",
    "running": "A step is running.",
    "ready": "A step is ready to start.",
    "stuck": "No step is ready: every open step waits on a failed, blocked or unfinished step.",
    "complete": "All steps are complete.",
}


def plan_state(total: int, done: int, current: object, nxt: object) -> str:
    """The key of ``STATES`` for a plan with these counts and current/next steps."""
    if total == 0:
        return "empty"
    if done == total:
        return "complete"
    if current is not None:
        return "running"
    return "ready" if nxt is not None else "stuck"


@dataclass(frozen=True)
class PlanView:
    """The plan as status, plan, resume, bridges, the hooks and the MCP tools show it."""

    path: str  # inside .stato/, e.g. "plan.py"
    name: str | None
    objective: str | None
    done: int
    total: int
    complete: bool
    current: StepView | None  # the first running step
    next: StepView | None  # the first pending step whose dependencies are complete
    steps: tuple[StepView, ...]
    warnings: tuple[str, ...] = ()  # the compiler's warnings on the plan module

    @property
    def state(self) -> str:
        """One of ``STATES``: empty, running, ready, stuck or complete."""
        return plan_state(self.total, self.done, self.current, self.next)

    @property
    def blocked(self) -> tuple[Any, ...]:
        """Ids of the open steps that wait on a dependency that is not complete."""
        return tuple(s.id for s in self.steps if s.status != "complete" and s.blocked_by)

    @property
    def headline(self) -> str:
        """`N/M steps complete` and the state's sentence: the one wording of every view."""
        return f"{self.done}/{self.total} steps complete. {STATES[self.state]}"

    def to_dict(self) -> dict[str, Any]:
        """The one JSON shape of a plan, wherever a plan appears in `--json` (and MCP)."""
        return {
            "path": self.path,
            "name": self.name,
            "objective": self.objective,
            "state": self.state,
            "headline": self.headline,
            "done": self.done,
            "total": self.total,
            "complete": self.complete,
            "current": None if self.current is None else self.current.to_dict(),
            "next": None if self.next is None else self.next.to_dict(),
            "blocked": list(self.blocked),
            "steps": [s.to_dict() for s in self.steps],
            "warnings": list(self.warnings),
        }


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def plan_view(fields: Mapping[str, Any], path: str, warnings: Sequence[str] = ()) -> PlanView:
    """The view of a plan module from its evaluated fields; steps that are not dicts are skipped."""
    raw = fields.get("steps")
    steps = [s for s in raw if isinstance(s, Mapping)] if isinstance(raw, (list, tuple)) else []
    status = {s.get("id"): s.get("status", "pending") for s in steps}
    views: list[StepView] = []
    for step in steps:
        deps = tuple(step_deps(step))
        views.append(
            StepView(
                step.get("id"), str(step.get("action", "?")), str(step.get("status", "pending")),
                _text(step.get("output")), _text(step.get("notes")), deps,
                tuple(d for d in deps if status.get(d) != "complete"), dict(step),
            )
        )  # fmt: skip
    by_step = {id(step): view for step, view in zip(steps, views, strict=True)}
    cur, nxt = current_step(steps), next_step(steps)
    done, total = progress(steps)
    return PlanView(
        path, _text(fields.get("name")), _text(fields.get("objective")), done, total,
        is_complete(steps), None if cur is None else by_step[id(cur)],
        None if nxt is None else by_step[id(nxt)], tuple(views), tuple(warnings),
    )  # fmt: skip


def view_of(result: ValidationResult) -> PlanView:
    """The view of a compiled plan module, with the compiler's warnings on it."""
    warnings = [f"{d.code}: {d.message}" for d in result.diagnostics if d.severity == "warning"]
    return plan_view(result.fields, result.path, warnings)
