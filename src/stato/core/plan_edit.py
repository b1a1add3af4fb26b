"""Edit plan.py at exact AST positions: set a step's status or output, add a step; nothing else."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stato.core.edits import Edit, Offsets, after_parens, apply_edits
from stato.core.plan import is_step_id
from stato.core.render import py_literal
from stato.errors import StatoError


class PlanEditError(StatoError):
    """plan.py cannot be edited in place (no literal steps list, unknown step id, ...)."""


@dataclass(frozen=True)
class StepsList:
    """Where the ``steps`` list literal sits in a plan's source, and its step dicts by id."""

    node: ast.List
    by_id: dict[int, ast.Dict]
    offsets: Offsets


def _key(node: ast.expr | None) -> object:
    return node.value if isinstance(node, ast.Constant) else None


def field_node(source: str, name: str, module: str = "plan.py") -> ast.expr | None:
    """The value of the first class's last ``name = ...`` (None when the field is absent)."""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise PlanEditError(f"{module} does not parse (line {exc.lineno}): fix it first") from exc
    cls = next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)
    if cls is None:
        raise PlanEditError(f"{module} has no class: write a module first")
    value: ast.expr | None = None
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign):
            targets, assigned = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets, assigned = [stmt.target], stmt.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            value = assigned  # the last assignment is the one the class keeps
    return value


def set_dict_key(source: str, name: str, key: str, value: Any) -> str | None:
    """Set one key of a dict-literal field in place; None when ``name`` is not a dict literal."""
    node = field_node(source, name, "the module")
    if not isinstance(node, ast.Dict):
        return None
    return apply_edits(source, _set_key(source, Offsets(source), node, key, value))


def locate_steps(source: str) -> StepsList:
    """Find the first class's last ``steps = [...]`` and index its literal step dicts by id."""
    value = field_node(source, "steps")
    if not isinstance(value, ast.List):
        raise PlanEditError("plan.py's steps is not a list literal: edit it by hand")
    by_id: dict[int, ast.Dict] = {}
    for element in value.elts:
        if not isinstance(element, ast.Dict):
            continue
        for k, v in zip(element.keys, element.values, strict=True):
            ident = _key(v) if _key(k) == "id" else None
            if is_step_id(ident):
                by_id.setdefault(ident, element)
    return StepsList(value, by_id, Offsets(source))


def _append_item(
    source: str, off: Offsets, node: ast.expr, items: Sequence[ast.expr], text: str
) -> list[Edit]:
    """Edits that add ``text`` as the last item of a list or dict literal, in its own layout.

    One item per line stays one item per line (with the same indent, keeping a trailing comma
    and any comment after the last item where they were); a one-line literal stays one line.
    """
    start, end = off.span(node)
    close = end - 1  # the closing bracket or brace
    if not items:
        return (
            [Edit(start + 1, close, text)]
            if not source[start + 1 : close].strip()
            else [Edit(close, close, text)]
        )
    last = items[-1]
    last_end = after_parens(source, off.span(last)[1], close)  # past a value's own parens
    tail = source[last_end:close]
    comma = tail.find(",") if tail.lstrip().startswith(",") else -1
    first_line = node.lineno
    own_lines = last.lineno != first_line
    if not own_lines:
        at = last_end + comma + 1 if comma >= 0 else last_end
        return [Edit(at, at, (" " if comma >= 0 else ", ") + text)]
    line = source[off.starts[last.lineno - 1] :]
    indent = line[: len(line) - len(line.lstrip(" \t"))]
    after = last_end + comma + 1 if comma >= 0 else last_end
    newline = source.find("\n", after)
    if 0 <= newline < close:
        # Insert at the end of the last item's line, so a comment there stays on its line.
        at = newline - 1 if newline > 0 and source[newline - 1] == "\r" else newline
        eol = source[at : newline + 1]
        item = eol + indent + text + ("," if comma >= 0 else "")
    else:  # the closing bracket shares the last item's line
        at = after
        item = ("\r\n" if "\r\n" in source else "\n") + indent + text
    if comma >= 0:
        return [Edit(at, at, item)]
    if at == last_end:
        return [Edit(at, at, "," + item)]
    return [Edit(last_end, last_end, ","), Edit(at, at, item)]


def _set_key(source: str, off: Offsets, node: ast.Dict, key: str, value: Any) -> list[Edit]:
    # The last occurrence of a key is the one Python keeps.
    for k, v in reversed(list(zip(node.keys, node.values, strict=True))):
        if _key(k) == key:
            start, end = off.span(v)
            return [Edit(start, end, py_literal(value))]
    return _append_item(source, off, node, node.values, f"{py_literal(key)}: {py_literal(value)}")


def set_step(source: str, step_id: int, **values: Any) -> str:
    """Set keys (``status=``, ``output=``, ...) of one step; every byte outside that step stays."""
    found = locate_steps(source)
    node = found.by_id.get(step_id)
    if node is None:
        ids = ", ".join(str(i) for i in sorted(found.by_id)) or "none"
        raise PlanEditError(f"plan.py has no step with id {step_id} (ids: {ids})")
    edits: list[Edit] = []
    for key, value in values.items():
        if value is not None:
            edits.extend(_set_key(source, found.offsets, node, key, value))
    return apply_edits(source, edits)


def add_step(
    source: str,
    action: str,
    depends_on: Sequence[int] = (),
    status: str = "pending",
) -> tuple[str, int]:
    """Append ``{"id": N, "action": A, "status": S, "depends_on": [...]}``; return (source, N)."""
    found = locate_steps(source)
    missing = [d for d in depends_on if d not in found.by_id]
    if missing:
        ids = ", ".join(str(i) for i in sorted(found.by_id)) or "none"
        raise PlanEditError(
            f"plan.py has no step {', '.join(map(str, missing))} to depend on (ids: {ids})"
        )
    new_id = max(found.by_id, default=0) + 1
    fields = {"id": new_id, "action": action, "status": status, "depends_on": list(depends_on)}
    text = "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in fields.items()) + "}"
    node = found.node
    edits = _append_item(source, found.offsets, node, node.elts, text)
    return apply_edits(source, edits), new_id


def step_span(source: str, step_id: int) -> tuple[int, int]:
    """Character offsets of one step's dict literal (for callers and tests that check bytes)."""
    found = locate_steps(source)
    node = found.by_id.get(step_id)
    if node is None:
        raise PlanEditError(f"plan.py has no step with id {step_id}")
    return found.offsets.span(node)
