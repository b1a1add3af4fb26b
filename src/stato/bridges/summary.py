"""What bridges and resume show of a project, extracted once from its compiled modules."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from stato.core.plan import PlanView
from stato.core.plan import view_of as plan_view_of

if TYPE_CHECKING:  # not imported at run time: a cache hit on the hook path never needs it
    from stato.core.model import ValidationResult

KEY_PARAMS = 3
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def lesson_items(text: object) -> tuple[str, ...]:
    """The lessons in a ``lessons_learned`` text: its bullets, else its non-empty lines."""
    if not isinstance(text, str):
        return ()
    lines = [line for line in text.splitlines() if line.strip()]
    if not any(_BULLET.match(line) for line in lines):
        return tuple(line.strip() for line in lines)
    items: list[str] = []
    for line in lines:
        if _BULLET.match(line):
            items.append(_BULLET.sub("", line, count=1).strip())
        elif items:  # a continuation line belongs to the bullet above it
            items[-1] = f"{items[-1]} {line.strip()}"
        else:
            items.append(line.strip())
    return tuple(items)


def short_value(value: Any, limit: int = 24) -> str:
    """A parameter value as people write it (``200``, ``scran``, ``[1, 2]``), cut to ``limit``."""
    text = value if isinstance(value, str) else repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass(frozen=True)
class SkillView:
    name: str
    path: str
    version: str | None
    description: str | None
    params: tuple[tuple[str, Any], ...]
    lessons: tuple[str, ...]
    depends_on: tuple[str, ...]
    procedure: str | None = None  # the class docstring: the skill's steps, exported whole
    inputs: Any = None  # input_schema: what run() expects
    outputs: Any = None  # output_schema: what it returns

    def key_params(self, limit: int = KEY_PARAMS) -> str:
        return ", ".join(f"{k}={short_value(v)}" for k, v in self.params[:limit])


@dataclass(frozen=True)
class MemoryView:
    path: str
    phase: str | None
    tasks: tuple[str, ...]
    known_issues: tuple[tuple[str, str], ...]
    reflection: str | None
    last_updated: str | None


@dataclass(frozen=True)
class ContextView:
    path: str
    project: str | None
    description: str | None
    conventions: tuple[str, ...]
    datasets: tuple[str, ...]
    environment: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class InvalidView:
    path: str
    codes: tuple[str, ...]
    message: str


@dataclass(frozen=True)
class Summary:
    skills: tuple[SkillView, ...]
    plan: PlanView | None
    memory: MemoryView | None
    context: ContextView | None
    protocols: tuple[str, ...]
    invalid: tuple[InvalidView, ...]


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _item(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):  # e.g. a dataset {"name": ..., "path": ..., "cells": ...}
        return ", ".join(f"{k}={short_value(v, 60)}" for k, v in value.items())
    return short_value(value, 80)


def _strs(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(_item(v) for v in value)
    return ()


def _pairs(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, Mapping):
        return ()
    return tuple(
        (str(k), v if isinstance(v, str) else short_value(v, 80)) for k, v in value.items()
    )


def _skill(result: ValidationResult) -> SkillView:
    f = result.fields
    params = f.get("default_params")
    stem = result.path.rsplit("/", 1)[-1].removesuffix(".py")
    return SkillView(
        name=_str(f.get("name")) or stem,
        path=result.path,
        version=_str(f.get("version")),
        description=_str(f.get("description")) or result.docstring,
        params=tuple(params.items()) if isinstance(params, Mapping) else (),
        lessons=lesson_items(f.get("lessons_learned")),
        depends_on=_strs(f.get("depends_on")),
        procedure=result.docstring if result.docstring and result.docstring.strip() else None,
        inputs=f.get("input_schema") or None,
        outputs=f.get("output_schema") or None,
    )


def _memory(result: ValidationResult) -> MemoryView:
    f = result.fields
    return MemoryView(
        result.path,
        _str(f.get("phase")),
        _strs(f.get("tasks")),
        _pairs(f.get("known_issues")),
        _str(f.get("reflection")),
        _str(f.get("last_updated")),
    )


def _context(result: ValidationResult) -> ContextView:
    f = result.fields
    return ContextView(
        result.path,
        _str(f.get("project")),
        _str(f.get("description")),
        _strs(f.get("conventions")),
        _strs(f.get("datasets")),
        _pairs(f.get("environment")),
    )


CANONICAL = {"plan": "plan.py", "memory": "memory.py", "context": "context.py"}


def summarize(modules: Iterable[ValidationResult]) -> Summary:
    """Classify every module once and list the invalid ones.

    Of several valid plans (memories, contexts) the one at its canonical path (plan.py, ...)
    wins, else the first in path order, as in stato.ops.project.Project.
    """
    skills: list[SkillView] = []
    protocols: list[str] = []
    invalid: list[InvalidView] = []
    plan = memory = context = None
    ordered = sorted(modules, key=lambda r: CANONICAL.get(r.module_type or "") != r.path)
    for result in ordered:
        if not result.valid:
            errors = result.errors
            invalid.append(
                InvalidView(
                    result.path, tuple(d.code for d in errors), errors[0].message if errors else ""
                )
            )
        elif result.module_type == "skill":
            skills.append(_skill(result))
        elif result.module_type == "plan" and plan is None:
            plan = plan_view_of(result)
        elif result.module_type == "memory" and memory is None:
            memory = _memory(result)
        elif result.module_type == "context" and context is None:
            context = _context(result)
        elif result.module_type == "protocol":
            protocols.append(_str(result.fields.get("name")) or result.path)
    return Summary(tuple(skills), plan, memory, context, tuple(protocols), tuple(invalid))


def from_dict(d: dict[str, Any]) -> Summary:
    """A summary rebuilt from its plain dicts (``dataclasses.asdict`` of one, as cached).

    Raises TypeError, KeyError or ValueError on data of another shape: a cache miss.
    """
    from stato.core.plan import PlanView, StepView

    def step(s: dict[str, Any] | None) -> StepView | None:
        return None if s is None else StepView(**s)

    plan = None
    if d["plan"] is not None:
        p = d["plan"]
        steps = tuple(StepView(**s) for s in p["steps"])
        plan = PlanView(
            **{**p, "current": step(p["current"]), "next": step(p["next"]), "steps": steps}
        )
    return Summary(
        skills=tuple(SkillView(**s) for s in d["skills"]),
        plan=plan,
        memory=None if d["memory"] is None else MemoryView(**d["memory"]),
        context=None if d["context"] is None else ContextView(**d["context"]),
        protocols=d["protocols"],
        invalid=tuple(InvalidView(**i) for i in d["invalid"]),
    )
