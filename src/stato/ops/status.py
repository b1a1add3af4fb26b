"""`stato status`: every module in a row, and the plan's progress through the shared plan rules."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.core.plan import PlanView, view_of
from stato.ops.project import load_project, withheld


@dataclass(frozen=True)
class ModuleRow:
    path: str
    type: str | None
    class_name: str | None
    version: str | None
    valid: bool
    errors: tuple[str, ...]
    withheld: tuple[str, ...] = ()  # high injection findings (rule at line:col): kept from agents


@dataclass(frozen=True)
class StatusReport:
    root: Path
    modules: tuple[ModuleRow, ...]
    plan: PlanView | None
    warnings: tuple[str, ...] = ()  # about the project's setup (the git merge driver)

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
                    "withheld": list(m.withheld),
                }
                for m in self.modules
            ],
            "plan": None if self.plan is None else self.plan.to_dict(),
            "warnings": list(self.warnings),
        }


def status(root: Path) -> StatusReport:
    from stato.adapters.resultcache import ResultCache

    cache = ResultCache.for_project(root)
    project = load_project(root, cache)
    held = withheld(project.modules, cache)
    cache.save()
    rows = tuple(
        ModuleRow(
            m.path,
            m.module_type,
            m.class_name,
            v if isinstance(v := m.fields.get("version"), str) else None,
            m.valid,
            tuple(f"{d.code}: {d.message}" for d in m.errors),
            tuple(f"{f.pattern} at {f.line}:{f.column + 1}" for f in held.get(m.path, ())),
        )
        for m in project.modules
    )
    plan = project.plan
    from stato.ops.gitdriver import missing_driver

    warning = missing_driver(root)
    warnings = (warning,) if warning else ()
    return StatusReport(root, rows, None if plan is None else view_of(plan), warnings)
