"""The schemas of the five module types, as one table of frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModuleSchema:
    """What a module type requires and which type each known field has."""

    type: str
    required_fields: tuple[str, ...]
    field_types: dict[str, str] = field(default_factory=dict)
    required_methods: tuple[str, ...] = ()
    suffix: str | None = None
    location: str = ""


SCHEMAS: dict[str, ModuleSchema] = {
    s.type: s
    for s in (
        ModuleSchema(
            "skill",
            ("name",),
            {
                "name": "str",
                "description": "str",
                "version": "str",
                "depends_on": "list",
                "input_schema": "dict",
                "output_schema": "dict",
                "default_params": "dict",
                "lessons_learned": "str",
                "tags": "list",
                "context_requires": "list",
            },
            ("run",),
            None,
            "skills/<name>.py",
        ),
        ModuleSchema(
            "plan",
            ("name", "objective", "steps"),
            {
                "name": "str",
                "objective": "str",
                "steps": "list",
                "version": "str",
                "decision_log": "str",
                "constraints": "list",
                "created_by": "str",
            },
            (),
            None,
            "plan.py",
        ),
        ModuleSchema(
            "memory",
            ("phase",),
            {
                "phase": "str",
                "tasks": "list",
                "known_issues": "dict",
                "reflection": "str",
                "prior_reflection": "str",
                "error_history": "list",
                "decisions": "list",
                "metadata": "dict",
                "last_updated": "str",
            },
            (),
            "State",
            "memory.py",
        ),
        ModuleSchema(
            "context",
            ("project", "description"),
            {
                "project": "str",
                "description": "str",
                "datasets": "list",
                "environment": "dict",
                "conventions": "list",
                "tools": "list",
                "pending_tasks": "list",
                "completed_tasks": "list",
                "team": "list",
                "notes": "str",
            },
            (),
            "Context",
            "context.py",
        ),
        ModuleSchema(
            "protocol",
            ("name", "handoff_schema"),
            {
                "name": "str",
                "handoff_schema": "dict",
                "description": "str",
                "validation_rules": "list",
                "error_handling": "str",
            },
            (),
            "Protocol",
            "protocol.py",
        ),
    )
}

# A plan step's fields and their types (id and action are required; status is auto-set).
STEP_FIELD_TYPES: dict[str, str] = {
    "id": "int",
    "action": "str",
    "status": "str",
    "depends_on": "list",
    "params": "dict",
    "output": "str",
    "assigned_to": "str",
    "metrics": "dict",
    "notes": "str",
}
STEP_REQUIRED: tuple[str, ...] = ("id", "action")
