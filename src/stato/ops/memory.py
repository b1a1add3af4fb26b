"""`stato memory set FIELD VALUE` and `memory add-issue KEY TEXT`: update memory.py in place."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from stato.core import plan_edit
from stato.core.diff import same
from stato.core.model import ValidationResult
from stato.core.render import set_field
from stato.core.schemas import SCHEMAS
from stato.errors import StatoError, UsageError
from stato.ops.plan import update_module

MEMORY = "memory.py"
_PY_TYPES = {"str": str, "list": list, "dict": dict}


@dataclass(frozen=True)
class MemoryChange:
    field: str
    before: Any
    after: Any
    last_updated: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"path": f".stato/{MEMORY}", "field": self.field, "before": self.before,
                "after": self.after, "last_updated": self.last_updated}  # fmt: skip


def parse_value(field: str, value: str) -> Any:
    """VALUE as the field's schema type: text for str fields, JSON for list and dict fields."""
    types = SCHEMAS["memory"].field_types
    if field not in types:
        raise UsageError(f"memory has no field '{field}' (fields: {', '.join(types)})")
    kind = types[field]
    if kind == "str":
        return value
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError:
        example = '\'["first", "second"]\'' if kind == "list" else '\'{"key": "text"}\''
        raise UsageError(f"{field} is a {kind}: give it as JSON, e.g. {example}") from None
    if not isinstance(parsed, _PY_TYPES[kind]):
        raise UsageError(f"{field} is a {kind}, not a {type(parsed).__name__}")
    return parsed


def _stamp(source: str, before: ValidationResult, field: str, today: str) -> str:
    """Keep ``last_updated`` current when the memory has one (and it is not what is being set)."""
    if field == "last_updated" or "last_updated" not in before.field_lines:
        return source
    return set_field(source, "last_updated", today)


def _change(root: Path, field: str, compute: Any) -> MemoryChange:
    day = date.today().isoformat()
    seen: dict[str, Any] = {}

    def edit(before: ValidationResult) -> str:
        old = before.fields.get(field)
        source, new = compute(before, old)
        # same(), not ==: {"flag": true} is not {"flag": 1}, nor 2 the 2.0 that was there.
        if same(new, old) and field in before.field_lines:
            raise StatoError(f"memory.{field} already has that value; nothing changed")
        seen.update(before=old, after=new)
        return _stamp(source, before, field, day)

    update = update_module(root, MEMORY, "memory", edit)
    stamped = update.after.fields.get("last_updated") if field != "last_updated" else None
    return MemoryChange(field, seen["before"], seen["after"], stamped)


def set_memory(root: Path, field: str, value: str) -> MemoryChange:
    """Replace one memory field's value (the rest of memory.py stays byte for byte)."""
    new = parse_value(field, value)
    return _change(root, field, lambda b, _old: (set_field(b.source, field, new), new))


def add_issue(root: Path, key: str, text: str) -> MemoryChange:
    """Add or replace one entry of ``known_issues``, keeping the other entries as written."""
    if not key.strip() or not text.strip():
        raise UsageError('an issue needs a key and a text: stato memory add-issue KEY "TEXT"')

    def compute(before: ValidationResult, old: Any) -> tuple[str, Any]:
        # Present but not a dict: a wrong type, or a value never run (known_issues = ISSUES, an
        # import) whose entries a new dict would silently drop.
        if "known_issues" in before.field_lines and not isinstance(old, dict):
            raise StatoError("memory.known_issues is not a plain dict; edit it by hand")
        new = {**(old or {}), key: text}
        in_place = plan_edit.set_dict_key(before.source, "known_issues", key, text)
        return (in_place or set_field(before.source, "known_issues", new)), new

    return _change(root, "known_issues", compute)
