"""`stato status`: every module in a row, and the plan's progress through the shared plan rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato.core.plan import PlanView, view_of
from stato.ops.project import withheld

if TYPE_CHECKING:
    from stato.core.model import ValidationResult
    from stato.core.privacy import Finding


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
    """Every module's row, a chunk of modules at a time: only the rows, the skill names the
    project checks need and the valid plans are kept, so memory stays flat in their number."""
    from stato.adapters.resultcache import ResultCache
    from stato.core.project_checks import Named, clashes, named
    from stato.ops.project import compiled_chunks

    cache = ResultCache.for_project(root)
    rows: list[ModuleRow] = []
    names: list[Named] = []
    plans: list[ValidationResult] = []
    for chunk in compiled_chunks(root, cache):
        held = withheld(chunk, cache)
        for m in chunk:
            names.append(named(m))
            rows.append(_row(m, held.get(m.path, ())))
            if m.module_type == "plan" and m.valid and m.path not in held:
                plans.append(m)  # a withheld plan's steps never reach an agent (MCP status)
    cache.save()
    for i, extra in clashes(names).items():  # E011 (an error) and I008 (advice)
        errors = tuple(f"{d.code}: {d.message}" for d in extra if d.severity == "error")
        if errors:  # now invalid: no agent reads it, so it was never withheld either
            rows[i] = replace(rows[i], valid=False, errors=rows[i].errors + errors, withheld=())
    plan = next((m for m in plans if m.path == "plan.py"), plans[0] if plans else None)
    from stato.ops.gitdriver import missing_driver

    warning = missing_driver(root)
    warnings = (warning,) if warning else ()
    return StatusReport(root, tuple(rows), None if plan is None else view_of(plan), warnings)


def _row(m: ValidationResult, held: tuple[Finding, ...]) -> ModuleRow:
    version = m.fields.get("version")
    return ModuleRow(
        m.path,
        m.module_type,
        m.class_name,
        version if isinstance(version, str) else None,
        m.valid,
        tuple(f"{d.code}: {d.message}" for d in m.errors),
        tuple(f"{f.pattern} at {f.line}:{f.column + 1}" for f in held),
    )
