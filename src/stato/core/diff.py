"""Field-level differences between two modules, and between two sets of modules."""

from __future__ import annotations

import ast
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from stato.core.compiler import compile_source
from stato.core.model import ValidationResult


@dataclass(frozen=True)
class Code:
    """A field or method the compiler could not materialize, known only by its source text."""

    text: str

    def __repr__(self) -> str:
        return self.text


def canon(value: Any) -> str:
    """A canonical text for a materialized value: equal only when type and content are equal.

    Plain ``==`` says ``1 == True == 1.0``; a merge or a diff must not. Dict key order is ignored,
    as it is by ``==``.
    """
    if isinstance(value, dict):
        items = sorted(canon(k) + ":" + canon(v) for k, v in value.items())
        return "{" + ",".join(items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canon(v) for v in value) + "]"
    if isinstance(value, tuple):
        return "(" + ",".join(canon(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return type(value).__name__ + "{" + ",".join(sorted(canon(v) for v in value)) + "}"
    if isinstance(value, Code):
        return "<code>" + value.text
    return type(value).__name__ + ":" + repr(value)


def same(a: Any, b: Any) -> bool:
    """True when two materialized values are equal in type and content."""
    if type(a) is type(b) and type(a) in _PLAIN:
        return bool(a == b)  # what canon says for these types, without writing both out
    return a is b or canon(a) == canon(b)


_PLAIN = (str, int, bool)  # == is exact for these types (not for floats: nan, -0.0)


@dataclass(frozen=True)
class ModuleView:
    """What a module holds: every field (materialized, or as code) and every method."""

    result: ValidationResult
    fields: dict[str, Any]
    methods: dict[str, str]
    # the class of result.corrected_source, parsed once here, for an edit of that text
    node: ast.ClassDef | None = field(default=None, compare=False, repr=False)

    @property
    def parsed(self) -> bool:
        return self.result.class_name is not None


def _class_node(source: str) -> ast.ClassDef | None:
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    return next((n for n in tree.body if isinstance(n, ast.ClassDef)), None)


def method_sources(source: str, node: ast.ClassDef | None = None) -> dict[str, str]:
    """Each method of the module's class (decorators included) as dedented source text."""
    import textwrap

    node = node or _class_node(source)
    if node is None:
        return {}
    lines = source.splitlines()
    out: dict[str, str] = {}
    for item in node.body:
        if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.end_lineno:
            first = min([item.lineno] + [d.lineno for d in item.decorator_list])
            out[item.name] = textwrap.dedent("\n".join(lines[first - 1 : item.end_lineno]))
    return out


def view(
    source: str,
    path: str = "<module>",
    *,
    fix: bool = True,
    result: ValidationResult | None = None,
    node: ast.ClassDef | None = None,
) -> ModuleView:
    """Compile ``source`` (never run it) and collect its fields and methods.

    With ``fix`` the fields are read after the compiler's auto-corrections (what a write would
    store); without, as the text has them (what a diff of two texts must compare). ``result``:
    the text's compile result when the caller has it already (compiled with ``fix``); ``node``:
    the class that compile read (``compiler.compile_node``), so the text is not parsed again.
    """
    from stato.core.edits import Offsets

    if result is None:
        result = compile_source(source, path, fix=fix)
    text = result.corrected_source
    fields: dict[str, Any] = dict(result.fields)
    node = node or _class_node(text)
    if node is not None:
        where = Offsets(text)
        for item in node.body:
            targets: list[ast.expr] = []
            value: ast.expr | None = None
            if isinstance(item, ast.Assign):
                targets, value = list(item.targets), item.value
            elif isinstance(item, ast.AnnAssign) and item.value is not None:
                targets, value = [item.target], item.value
            for target in targets:
                if value is not None and isinstance(target, ast.Name) and target.id not in fields:
                    fields[target.id] = Code(where.text(value))
    return ModuleView(result, fields, method_sources(text, node) if node else {}, node)


@dataclass(frozen=True)
class FieldChange:
    """One field (or ``docstring``, ``class``, ``type``, ``name()`` for a method) that differs."""

    field: str
    kind: str  # "added" | "removed" | "changed"
    old: Any = None
    new: Any = None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "kind": self.kind, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ModuleDiff:
    """The field-level differences between two versions of one module."""

    path: str
    changes: tuple[FieldChange, ...] = ()

    @property
    def same(self) -> bool:
        return not self.changes

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "changes": [c.to_dict() for c in self.changes]}


def _entries(v: ModuleView) -> dict[str, Any]:
    """Everything compared, in source order: type, class, docstring, fields, methods."""
    r = v.result
    header = {"type": r.module_type, "class": r.class_name, "docstring": r.docstring}
    out: dict[str, Any] = {k: x for k, x in header.items() if x is not None}
    out.update(v.fields)
    out.update({f"{name}()": text for name, text in v.methods.items()})
    return out


def diff_modules(old: str, new: str, path: str = "<module>") -> ModuleDiff:
    """Added, removed and changed fields between two module sources (old first)."""
    if old == new:
        return ModuleDiff(path)
    # As written: corrected, "1.0" and "1.0.0" would read the same and hide the fix's change.
    a, b = view(old, path, fix=False), view(new, path, fix=False)
    if not (a.parsed and b.parsed):
        # Without a class on one side there are no fields to compare: report the text itself.
        return ModuleDiff(path, (FieldChange("source", "changed", old, new),))
    ea, eb = _entries(a), _entries(b)
    changes: list[FieldChange] = []
    for name, value in ea.items():
        if name not in eb:
            changes.append(FieldChange(name, "removed", value, None))
        elif not same(value, eb[name]):
            changes.append(FieldChange(name, "changed", value, eb[name]))
    changes += [FieldChange(n, "added", None, v) for n, v in eb.items() if n not in ea]
    if not changes:
        # Same fields, different text (comments, layout, code outside the class): still a change.
        changes.append(FieldChange("source", "changed", old, new))
    return ModuleDiff(path, tuple(changes))


@dataclass(frozen=True)
class SetDiff:
    """Modules added, removed and changed between two sets of modules {path: text}."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[ModuleDiff, ...] = ()
    unchanged: tuple[str, ...] = field(default_factory=tuple)

    @property
    def same(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [d.to_dict() for d in self.changed],
            "unchanged": list(self.unchanged),
        }


def diff_sets(old: Mapping[str, str], new: Mapping[str, str]) -> SetDiff:
    """Compare two module sets by path; a module whose text differs gets a field-level diff."""
    changed: list[ModuleDiff] = []
    unchanged: list[str] = []
    for path in sorted(set(old) & set(new)):
        d = diff_modules(old[path], new[path], path)
        if d.same:
            unchanged.append(path)
        else:
            changed.append(d)
    return SetDiff(
        added=tuple(sorted(set(new) - set(old))),
        removed=tuple(sorted(set(old) - set(new))),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
    )
