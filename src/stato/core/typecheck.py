"""Pass 5: field types against the schema, with auto-corrections as edits (W001-W004)."""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from typing import Any

from stato.core.classinfo import ClassInfo
from stato.core.diagnostics import Diagnostic, make
from stato.core.edits import Edit, Offsets, after_parens
from stato.core.plan import is_step_id
from stato.core.schemas import SCHEMAS, STEP_FIELD_TYPES, STEP_REQUIRED

_VERSION_MAJOR_MINOR = re.compile(r"\d+\.\d+")
_PY_TYPES = {"str": (str,), "list": (list, tuple), "dict": (dict,)}


def type_name(value: Any) -> str:
    return type(value).__name__


def check_fields(
    info: ClassInfo, module_type: str, off: Offsets
) -> tuple[list[Diagnostic], list[Edit]]:
    """Type-check every schema field that evaluated; return diagnostics and the fixes to apply."""
    diags: list[Diagnostic] = []
    edits: list[Edit] = []
    schema = SCHEMAS[module_type]
    for name, expected in schema.field_types.items():
        b = info.bindings.get(name)
        if b is None or b.kind != "assign" or b.error or b.unknown:
            continue
        value = b.value
        if name == "depends_on" and module_type == "skill":
            if isinstance(value, str):
                edits.append(_wrap(b.node, off))
                diags.append(make("W001", b.line, fixed=True))
            elif not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
                diags.append(
                    make(
                        "E007",
                        b.line,
                        field=name,
                        expected="a list of names (str)",
                        actual=_describe(value),
                    )
                )
            continue
        if not isinstance(value, _PY_TYPES[expected]):
            diags.append(
                make("E007", b.line, field=name, expected=expected, actual=type_name(value))
            )
            continue
        if name == "version" and isinstance(value, str) and _VERSION_MAJOR_MINOR.fullmatch(value):
            new = value + ".0"
            if isinstance(b.node, ast.Constant):
                start, end = off.span(b.node)
                quote = off.source[start:end]
                text = quote.replace(value, new, 1)
                if text == quote:  # "1" ".0", "1.\x30": the literal is written afresh
                    text = f'"{new}"'
                edits.append(Edit(start, end, text))
                diags.append(make("W003", b.line, fixed=True, old=value, new=new))
            else:  # a computed value has no literal to fix in place: say so, not "auto-fixing"
                unfixed = make("W003", b.line, old=value, new=new)
                message = unfixed.message.replace("auto-fixing", "not auto-fixed (computed)", 1)
                diags.append(replace(unfixed, message=message))
        if name == "steps" and module_type == "plan":
            d, e = check_steps(value, b.node, b.line, off)
            diags.extend(d)
            edits.extend(e)
    return diags, edits


def _describe(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        bad = next((v for v in value if not isinstance(v, str)), None)
        return f"a list containing {type_name(bad)}"
    return type_name(value)


def _wrap(node: ast.AST, off: Offsets) -> Edit:
    start, end = off.span(node)
    return Edit(start, end, "[" + off.source[start:end] + "]")


def check_steps(
    steps: Any, node: ast.AST, line: int, off: Offsets
) -> tuple[list[Diagnostic], list[Edit]]:
    """Each step: a dict with int id, non-empty str action, list[int] depends_on, typed extras."""
    diags: list[Diagnostic] = []
    edits: list[Edit] = []
    literal = isinstance(node, ast.List) and not any(isinstance(e, ast.Starred) for e in node.elts)
    elts: list[ast.expr] = node.elts if literal else []  # type: ignore[attr-defined]
    for i, step in enumerate(steps):
        step_node = elts[i] if literal and i < len(elts) else None
        sline = step_node.lineno if step_node is not None else line
        if not isinstance(step, dict):
            diags.append(
                make("E007", sline, field=f"steps[{i}]", expected="dict", actual=type_name(step))
            )
            continue
        label = f"step {step['id']}" if is_step_id(step.get("id")) else f"steps[{i}]"
        for key in STEP_REQUIRED:
            if key not in step:
                diags.append(make("E003", sline, field=f"{key}' in '{label}"))
        for key, expected in STEP_FIELD_TYPES.items():
            if key not in step:
                continue
            value = step[key]
            if key == "depends_on" and is_step_id(value):  # one id, not a list: wrapped (W002)
                value_node = _dict_value(step_node, key)
                if value_node is not None:
                    edits.append(_wrap(value_node, off))
                diags.append(make("W002", sline, fixed=value_node is not None))
                continue
            wrong = _wrong_type(key, expected, value)
            if wrong is not None:
                field = f"{label}.{key}"
                diags.append(make("E007", sline, field=field, expected=wrong[0], actual=wrong[1]))
        if "status" not in step:
            edit = _insert_status(step_node, off) if isinstance(step_node, ast.Dict) else None
            if edit is not None:
                edits.append(edit)
            diags.append(make("W004", sline, fixed=edit is not None, step=step.get("id", f"#{i}")))
    return diags, edits


def _wrong_type(key: str, expected: str, value: Any) -> tuple[str, str] | None:
    """(expected, actual) when a step's ``key`` holds a value of the wrong type, else None."""
    if key == "id":
        return None if is_step_id(value) else ("int", type_name(value))
    if key == "action":
        if isinstance(value, str) and value.strip():
            return None
        return "a non-empty str", "an empty str" if isinstance(value, str) else type_name(value)
    if key == "depends_on":
        if isinstance(value, (list, tuple)) and all(is_step_id(v) for v in value):
            return None
        return "a list of step ids (int)", _describe_ids(value)
    return None if isinstance(value, _PY_TYPES[expected]) else (expected, type_name(value))


def _describe_ids(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        bad = next((v for v in value if not is_step_id(v)), None)
        return f"a list containing {type_name(bad)}"
    return type_name(value)


def _dict_value(node: ast.AST | None, key: str) -> ast.expr | None:
    if not isinstance(node, ast.Dict):
        return None
    found = None
    for k, v in zip(node.keys, node.values, strict=False):
        if isinstance(k, ast.Constant) and k.value == key:
            found = v
    return found


def _insert_status(node: ast.Dict, off: Offsets) -> Edit | None:
    if node.values:
        # After a last ``**other`` too: the step evaluated without a status, so other has none.
        last = node.values[-1]
        _, end = off.span(last)
        end = after_parens(off.source, end, off.span(node)[1])
        return Edit(end, end, ', "status": "pending"')
    start, _ = off.span(node)
    return Edit(start + 1, start + 1, '"status": "pending"')
