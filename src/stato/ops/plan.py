"""`stato plan`: show the plan, and move a step through its statuses by editing plan.py in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.store import Store, format_errors
from stato.core import plan as rules
from stato.core import plan_edit
from stato.core.compiler import compile_source
from stato.core.model import ValidationResult
from stato.core.plan import PlanView, view_of
from stato.errors import ModuleInvalid, StatoError

PLAN = "plan.py"


@dataclass(frozen=True)
class ModuleUpdate:
    """One module rewritten through the store's gate: the text before and the saved result."""

    path: str
    before: ValidationResult
    after: ValidationResult


def read_module(store: Store, rel: str, expected_type: str) -> ValidationResult:
    if not store.exists(rel):
        raise StatoError(f"no .stato/{rel} in {store.root} (stato init --example shows one)")
    result = compile_source(store.read(rel), rel, expected_type)
    if not result.valid:
        raise ModuleInvalid(format_errors(result) + ": fix it first (stato validate)", [result])
    return result


def update_module(
    root: Path, rel: str, expected_type: str, edit: Callable[[ValidationResult], str]
) -> ModuleUpdate:
    """Read a valid module, ``edit`` its source, and save it through the gate, all under the
    store's lock: a concurrent writer's version is never lost between the read and the write."""
    store = Store(root)
    read_module(store, rel, expected_type)  # a clear error before taking the lock
    seen: list[ValidationResult] = []

    def apply(text: str) -> str:
        before = compile_source(text, rel, expected_type)
        if not before.valid:
            raise ModuleInvalid(format_errors(before) + ": fix it first (stato validate)", [before])
        seen.append(before)
        return edit(before)

    after = store.update(rel, apply, expected_type=expected_type)
    return ModuleUpdate(rel, seen[-1], after)


def show(root: Path) -> PlanView:
    """The plan's view; refused, naming rules and places only, when plan.py is withheld from
    agents (a high injection finding): an agent runs `stato plan`, and its steps would carry
    the planted text to it."""
    result = read_module(Store(root), PLAN, "plan")
    from stato.ops.project import withheld

    held = withheld([result]).get(PLAN)
    if held:
        from stato.core.gate import where

        raise StatoError(
            f"refusing to show {PLAN}: it holds high-severity injection finding(s) {where(held)}"
            f" (text that tries to steer an agent), so it is withheld from agents; a person "
            f"reviews it with `stato scan .stato/{PLAN}`"
        )
    return view_of(result)


@dataclass(frozen=True)
class StepChange:
    """What ``plan start|done|fail|block|add`` did to one step."""

    step_id: int
    action: str
    before: str | None  # None: the step was added
    after: str
    output: str | None
    plan: PlanView

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step_id, "action": self.action, "before": self.before,
            "after": self.after, "output": self.output, "plan": self.plan.to_dict(),
        }  # fmt: skip


def _step(steps: Sequence[dict[str, Any]], step_id: int) -> dict[str, Any]:
    found = next((s for s in steps if s.get("id") == step_id), None)
    if found is None:
        ids = ", ".join(str(s.get("id")) for s in steps) or "none"
        raise StatoError(f"plan.py has no step {step_id} (steps: {ids})")
    return found


def set_status(root: Path, step_id: int, status: str, output: str | None = None) -> StepChange:
    """Move one step to ``status`` (and record ``output``); refuses to start or complete a step
    whose dependencies are not complete yet."""
    seen: dict[str, Any] = {}

    def edit(before: ValidationResult) -> str:
        steps = [s for s in before.fields.get("steps", []) if isinstance(s, dict)]
        step = _step(steps, step_id)
        seen.update(step)
        if status in ("running", "complete"):  # the same rule for the CLI and MCP tools
            waiting = rules.blocked_by(steps, step_id)
            if waiting:
                states = {s.get("id"): s.get("status", "pending") for s in steps}
                open_ = ", ".join(f"{d} ({states.get(d, 'missing')})" for d in waiting)
                raise StatoError(
                    f"step {step_id} ({step.get('action')}) depends on step(s) {open_}, "
                    "not complete yet: finish those first"
                )
        if step.get("status", "pending") == status and output in (None, step.get("output")):
            raise StatoError(f"step {step_id} is already {status}; nothing changed")
        return plan_edit.set_step(before.source, step_id, status=status, output=output)

    update = update_module(root, PLAN, "plan", edit)
    return StepChange(
        step_id, str(seen.get("action")), seen.get("status", "pending"), status, output,
        view_of(update.after),
    )  # fmt: skip


def add_step(root: Path, action: str, after: Sequence[int] = ()) -> StepChange:
    """Append a pending step that depends on ``after``."""
    if not action.strip():
        raise StatoError('a step needs an action: stato plan add "what to do"')
    added: list[int] = []

    def edit(before: ValidationResult) -> str:
        deps = list(dict.fromkeys(after))  # --after 1 --after 1 depends on step 1 once
        source, new_id = plan_edit.add_step(before.source, action, deps)
        added[:] = [new_id]
        return source

    update = update_module(root, PLAN, "plan", edit)
    return StepChange(added[0], action, None, "pending", None, view_of(update.after))
