"""`stato status`: every module in a row, and the plan's progress through the shared plan rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.core import plan as plan_rules
from stato.ops.project import Project, load_project


@dataclass(frozen=True)
class ModuleRow:
    path: str
    type: str | None
    class_name: str | None
    version: str | None
    valid: bool
    errors: tuple[str, ...]


@dataclass(frozen=True)
class PlanSummary:
    path: str
    name: str | None
    objective: str | None
    completed: int
    total: int
    current: dict[str, Any] | None
    next: dict[str, Any] | None
    complete: bool


@dataclass(frozen=True)
class StatusReport:
    root: Path
    modules: tuple[ModuleRow, ...]
    plan: PlanSummary | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "modules": [
                {
                    "path": m.path,
                    "type": m.type,
                    "class_name": m.class_name,
                    "version": m.version,
                    "valid": m.valid,
                    "errors": list(m.errors),
                }
                for m in self.modules
            ],
            "plan": None
            if self.plan is None
            else {
                "path": self.plan.path,
                "name": self.plan.name,
                "objective": self.plan.objective,
                "completed": self.plan.completed,
                "total": self.plan.total,
                "current_step": self.plan.current,
                "next_step": self.plan.next,
                "complete": self.plan.complete,
            },
        }


def summarize_plan(project: Project) -> PlanSummary | None:
    plan = project.plan
    if plan is None:
        return None
    steps = [s for s in plan.fields.get("steps", []) if isinstance(s, dict)]
    done, total = plan_rules.progress(steps)
    current, nxt = plan_rules.current_step(steps), plan_rules.next_step(steps)
    return PlanSummary(
        plan.path,
        plan.fields.get("name"),
        plan.fields.get("objective"),
        done,
        total,
        dict(current) if current else None,
        dict(nxt) if nxt else None,
        plan_rules.is_complete(steps),
    )


def status(root: Path) -> StatusReport:
    project = load_project(root)
    rows = tuple(
        ModuleRow(
            m.path,
            m.module_type,
            m.class_name,
            v if isinstance(v := m.fields.get("version"), str) else None,
            m.valid,
            tuple(f"{d.code}: {d.message}" for d in m.errors),
        )
        for m in project.modules
    )
    return StatusReport(root, rows, summarize_plan(project))
