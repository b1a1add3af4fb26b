"""Writing module source: readable Python literals, whole modules, and one-field edits in place."""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from typing import Any

from stato.core.edits import Edit, Offsets, apply_edits

WIDTH = 88


LONG = 160  # a one-line string past this is written as several lines, joined by Python


def _triple(value: str) -> str | None:
    """``value`` as a triple-quoted literal, backslashes and quote runs escaped so that it
    evaluates to exactly ``value``; None when it holds characters that need other escapes."""
    if not value.replace("\n", "").replace("\t", "").isprintable():
        return None
    body = value.replace("\\", "\\\\")
    body = re.sub(r'"(?="")', r'\\"', body)  # no three quotes in a row close it early
    if body.endswith('"'):
        body = body[:-1] + '\\"'
    literal = '"""' + body + '"""'
    return literal if ast.literal_eval(literal) == value else None


def _wrapped(value: str, indent: str) -> str:
    """A long one-line string as adjacent literals, a line each, in parentheses: Python joins
    them into the one string (the AST holds a single constant)."""
    inner = indent + "    "
    width = max(40, WIDTH - len(inner) - 4)
    chunks = re.findall(r".{1," + str(width) + r"}(?:\s+|$)|\S+\s*", value)
    if "".join(chunks) != value:
        return repr(value)
    return "(\n" + "".join(f"{inner}{_str_literal(c)}\n" for c in chunks) + indent + ")"


def _str_literal(value: str) -> str:
    if "\n" in value and (literal := _triple(value)) is not None:
        return literal  # exact: evaluating it gives back ``value``
    r = repr(value)
    if r.startswith("'") and '"' not in value:
        r = '"' + r[1:-1].replace("\\'", "'") + '"'
    return r


def py_literal(value: Any, indent: str = "") -> str:
    """A Python literal for ``value`` (plain data only), wrapped one item a line when long."""
    if isinstance(value, str):
        literal = _str_literal(value)
        if "\n" not in literal and len(literal) + len(indent) > LONG:
            return _wrapped(value, indent)
        return literal
    if isinstance(value, (bool, int, float, complex, bytes)) or value is None:
        return repr(value)
    if value is Ellipsis:
        return "..."
    inner = indent + "    "
    if isinstance(value, Mapping):
        items = [f"{py_literal(k, inner)}: {py_literal(v, inner)}" for k, v in value.items()]
        open_, close = "{", "}"
    elif isinstance(value, (list, tuple, set, frozenset)):
        seq = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
        items = [py_literal(v, inner) for v in seq]
        open_, close = ("(", ")") if isinstance(value, tuple) else ("[", "]")
        if isinstance(value, tuple) and len(items) == 1:
            items[0] += ","
        if isinstance(value, (set, frozenset)):
            if not items:
                return "set()"
            open_, close = "{", "}"
    else:
        raise TypeError(f"cannot write a {type(value).__name__} as a module literal")
    flat = open_ + ", ".join(items) + close
    if len(flat) + len(indent) <= WIDTH and "\n" not in flat:
        return flat
    return open_ + "\n" + "".join(f"{inner}{item},\n" for item in items) + indent + close


def class_name_for(name: str, suffix: str = "") -> str:
    """A CamelCase class name from any text, with an optional type suffix."""
    words = [w for w in "".join(ch if ch.isalnum() else " " for ch in name).split() if w]
    base = "".join(w[:1].upper() + w[1:] for w in words) or "Module"
    if base[0].isdigit():
        base = "M" + base
    return base if not suffix or base.endswith(suffix) else base + suffix


def _docstring_literal(doc: str) -> str:
    """A triple-quoted docstring when the text allows it, else an exact escaped literal."""
    literal = _triple(doc)
    return literal if literal is not None else repr(doc)


def render_module(
    class_name: str,
    fields: Mapping[str, Any],
    docstring: str | None = None,
    methods_source: str | None = None,
) -> str:
    """A whole module: one class with a docstring, its fields in order, then its methods."""
    lines = [f"class {class_name}:"]
    if docstring:
        lines.append(f"    {_docstring_literal(docstring)}")
    for name, value in fields.items():
        lines.append(f"    {name} = {py_literal(value, '    ')}")
    if methods_source:
        lines.append("")
        lines.extend(methods_source.rstrip("\n").splitlines())
    if len(lines) == 1:
        lines.append("    pass")
    return "\n".join(lines) + "\n"


def default_run(class_name: str, params_field: str | None = "default_params") -> str:
    """A typed, side-effect-free run() for generated skills."""
    merged = f"{{**{class_name}.{params_field}, **kwargs}}" if params_field else "dict(kwargs)"
    return (
        "    @staticmethod\n"
        "    def run(**kwargs: object) -> dict[str, object]:\n"
        '        """Return the parameters to use: the defaults, overridden by kwargs."""\n'
        f"        return {merged}\n"
    )


def field_assignments(cls: ast.ClassDef, name: str) -> list[ast.Assign | ast.AnnAssign]:
    """The class-body statements that assign ``name`` (``name = v`` or ``name: T [= v]``)."""
    found: list[ast.Assign | ast.AnnAssign] = []
    for stmt in cls.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)
            or (
                isinstance(stmt, ast.AnnAssign)
                and isinstance(stmt.target, ast.Name)
                and stmt.target.id == name
            )
        ):
            found.append(stmt)
    return found


def _augmented(cls: ast.ClassDef, name: str) -> list[ast.AugAssign]:
    return [
        s
        for s in cls.body
        if isinstance(s, ast.AugAssign) and isinstance(s.target, ast.Name) and s.target.id == name
    ]


def set_fields(
    source: str, values: Mapping[str, Any], cls: ast.ClassDef | None = None
) -> str | None:
    """``set_field`` of each (name, value) in turn, from one parse of ``source`` (``cls``: its
    first class, when the caller parsed it already); None when an edit could change what a
    later one sees, or a value has no literal form (then call ``set_field`` per field).

    Each field must be bound already, by a statement standing on lines of its own with no
    augmented assignment after it: then each edit replaces only its own value, and the indent
    it is written at is the same before and after the other edits.
    """
    if "\r" in source:
        return None
    try:
        cls = cls or _first_class(ast.parse(source))
    except (SyntaxError, ValueError):
        return None
    off = Offsets(source)
    edits: list[Edit] = []
    for name, value in values.items():
        bound = [stmt for stmt in field_assignments(cls, name) if stmt.value is not None]
        target = bound[-1].value if bound else None
        if target is None or any(s.lineno > target.lineno for s in _augmented(cls, name)):
            return None
        stmt_start, stmt_end = off.span(bound[-1])
        line_start = source.rfind("\n", 0, stmt_start) + 1
        line_end = source.find("\n", stmt_end)
        after = source[stmt_end : len(source) if line_end < 0 else line_end].strip()
        if source[line_start:stmt_start].strip() or (after and not after.startswith("#")):
            return None
        start, end = off.span(target)
        before = source[source.rfind("\n", 0, start) + 1 : start]
        stmt_indent = before[: len(before) - len(before.lstrip())]  # as set_field finds it
        try:
            edits.append(Edit(start, end, py_literal(value, stmt_indent)))
        except TypeError:
            return None
    try:
        return apply_edits(source, edits)
    except ValueError:
        return None


def _drop(source: str, off: Offsets, stmt: ast.stmt) -> Edit:
    """An edit removing ``stmt``: its whole line when it stands alone there, else ``pass``."""
    start, end = off.span(stmt)
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    line_end = len(source) if line_end < 0 else line_end + 1
    if not source[line_start:start].strip() and not source[end:line_end].strip():
        return Edit(line_start, line_end, "")
    return Edit(start, end, "pass")


def _first_class(tree: ast.Module) -> ast.ClassDef:
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef):
            return stmt
    raise ValueError("the module has no class")


def set_field(source: str, name: str, value: Any) -> str:
    """Replace one class-level field's value in place (or add it at the end of the class body)."""
    tree = ast.parse(source)
    cls = _first_class(tree)
    off = Offsets(source)
    # The last binding wins, as when the class body runs; a bare annotation binds nothing.
    bound = [stmt.value for stmt in field_assignments(cls, name) if stmt.value is not None]
    target = bound[-1] if bound else None
    first = cls.body[0]
    first_start = off.offset(first.lineno, 0)
    indent = source[first_start : off.offset(first.lineno, first.col_offset)]  # tabs stay tabs
    if target is not None:
        start, end = off.span(target)
        line_start = source.rfind("\n", 0, start) + 1
        stmt_indent = source[line_start:start][
            : len(source[line_start:start]) - len(source[line_start:start].lstrip())
        ]
        edits = [Edit(start, end, py_literal(value, stmt_indent))]
        # `name += more` after it would add its part again to the whole value written here.
        edits += [_drop(source, off, s) for s in _augmented(cls, name) if s.lineno > target.lineno]
        return apply_edits(source, edits)
    assigns = [s for s in cls.body if isinstance(s, (ast.Assign, ast.AnnAssign))]
    docs = [
        s for s in cls.body[:1] if isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant)
    ]
    anchor = (assigns or docs or [None])[-1]
    text = f"{name} = {py_literal(value, indent)}"
    if anchor is None:  # the class holds only methods: put the field first
        start = off.offset(first.lineno, first.col_offset)
        return apply_edits(source, [Edit(start, start, f"{text}\n{indent}")])
    _, end = off.span(anchor)
    return apply_edits(source, [Edit(end, end, f"\n{indent}{text}")])
