"""Template resets for ``snapshot --template``, as source edits that keep the rest of the text."""

from __future__ import annotations

import ast
import re
from typing import Any

from stato.core.edits import Edit, Offsets, apply_edits
from stato.core.render import field_assignments

PENDING = '"pending"'


class TemplateError(ValueError):
    """A module whose resets cannot be done statically; the message says why."""


def _class(tree: ast.Module) -> ast.ClassDef | None:
    return next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)


def _step_edits(source: str, steps: ast.expr) -> list[Edit] | None:
    """Edits setting each step's status to pending and dropping its output; None if not literal."""
    if not isinstance(steps, (ast.List, ast.Tuple)):
        return None
    pos = Offsets(source)
    edits: list[Edit] = []
    for step in steps.elts:
        if not isinstance(step, ast.Dict) or any(
            not (isinstance(k, ast.Constant) and isinstance(k.value, str)) for k in step.keys
        ):
            return None
        keys = [k.value for k in step.keys if isinstance(k, ast.Constant)]
        if "status" not in keys:
            return None  # leave it to the materialized fallback
        for i, (key, value) in enumerate(zip(keys, step.values, strict=True)):
            if key == "status" and not (
                isinstance(value, ast.Constant) and value.value == "pending"
            ):
                start, end = pos.span(value)
                edits.append(Edit(start, end, PENDING))
            elif key == "output":
                edits.append(_drop_pair(source, pos, step, i))
    return edits


def _drop_pair(source: str, pos: Any, node: ast.Dict, i: int) -> Edit:
    """An edit removing the i-th key/value pair of a dict literal and one adjoining comma."""
    key = node.keys[i]
    assert key is not None
    start = pos.span(key)[0]
    end = pos.span(node.values[i])[1]
    if i + 1 < len(node.keys):
        nxt = node.keys[i + 1]
        assert nxt is not None
        return Edit(start, pos.span(nxt)[0], "")  # "output": x, <next key>
    if i > 0:
        return Edit(pos.span(node.values[i - 1])[1], end, "")  # <prev value>, "output": x
    trailing = re.compile(r"\s*,").match(source, end)
    return Edit(start, trailing.end() if trailing else end, "")  # the only pair


def reset_plan(source: str, fields: dict[str, Any]) -> str:
    """Every step pending, outputs removed; decision_log, structure and depends_on kept."""
    from stato.core.render import set_field

    tree = ast.parse(source)
    cls = _class(tree)
    binds = field_assignments(cls, "steps") if cls else []
    edits = _step_edits(source, binds[-1].value) if binds and binds[-1].value else None
    if edits is not None and len(binds) == 1:
        return apply_edits(source, edits)
    steps = fields.get("steps")
    if not isinstance(steps, list):
        if not binds:
            return source
        raise TemplateError(
            "its steps are computed, so their statuses cannot be reset; "
            "write them as a list of dict literals"
        )
    fresh = [
        {k: ("pending" if k == "status" else v) for k, v in s.items() if k != "output"}
        | ({} if "status" in s else {"status": "pending"})
        if isinstance(s, dict)
        else s
        for s in steps
    ]
    return set_field(source, "steps", fresh)


def _renamable(cls: ast.ClassDef, binds: list[ast.Assign | ast.AnnAssign]) -> bool:
    if len(binds) != 1 or field_assignments(cls, "prior_reflection"):
        return False
    stmt = binds[0]
    if isinstance(stmt, ast.Assign) and len(stmt.targets) != 1:
        return False
    used = [
        n
        for s in cls.body
        for n in ast.walk(s)
        if isinstance(n, ast.Name) and n.id == "reflection" and isinstance(n.ctx, ast.Load)
    ]
    return not used


def reset_memory(source: str, fields: dict[str, Any]) -> str:
    """phase -> "init", error_history cleared, reflection moved to prior_reflection."""
    from stato.core.render import set_field

    tree = ast.parse(source)
    cls = _class(tree)
    if cls is None:
        return source
    out = source
    refl = field_assignments(cls, "reflection")
    if refl and _renamable(cls, refl):
        stmt = refl[0]
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
        start, end = Offsets(source).span(target)
        out = apply_edits(source, [Edit(start, end, "prior_reflection")])
    elif refl:
        if "reflection" not in fields:
            raise TemplateError(
                "its reflection is computed, so it cannot be moved to "
                "prior_reflection; write it as a string literal"
            )
        out = set_field(out, "prior_reflection", fields["reflection"])
        out = set_field(out, "reflection", "")
    if fields.get("phase") != "init" or not field_assignments(cls, "phase"):
        out = set_field(out, "phase", "init")
    if field_assignments(cls, "error_history") and fields.get("error_history") != []:
        out = set_field(out, "error_history", [])
    return out


def template_source(source: str, module_type: str | None, fields: dict[str, Any]) -> str:
    """The module's source with the template resets of its type (skills and context unchanged)."""
    if module_type == "plan":
        return reset_plan(source, fields)
    if module_type == "memory":
        return reset_memory(source, fields)
    return source
