"""Merge two versions of one module without a base, and the strategies that settle its conflicts."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stato.core.compiler import FIX_CODES, compile_source
from stato.core.diff import Code, ModuleView, same, view
from stato.core.merge_values import ABSENT, Conflict, Merger, cyclic
from stato.core.model import ValidationResult
from stato.errors import ModuleInvalid, UsageError

# (text, path, expected type) -> its compile result: compile_source, or a caller's answer for
# texts it compiled beforehand (the archive merge compiles both sides in one batch, and caches).
Compile = Callable[[str, str, "str | None"], ValidationResult]
# (text, path) -> the view of one side of a module both sides hold (core.diff.view of its
# compile result): a caller that compiles the text there passes the class it parsed on.
Viewed = Callable[[str, str], ModuleView]


@dataclass(frozen=True)
class Strategy:
    """How a conflict (a scalar that differs on the two sides) is resolved."""

    id: str
    winner: str  # "left" | "right": whose value a conflict keeps, and whose text the merge edits
    resolved: bool  # False: the conflict is kept for a person to settle (union reports it)
    help: str


STRATEGIES: dict[str, Strategy] = {
    s.id: s
    for s in (
        Strategy("union", "left", False, "a conflict keeps the left value and stays reported"),
        Strategy("prefer-left", "left", True, "a conflict takes the left value"),
        Strategy("prefer-right", "right", True, "a conflict takes the right value"),
    )
}


def strategy(name: str) -> Strategy:
    try:
        return STRATEGIES[name]
    except KeyError:
        raise UsageError(
            f"unknown merge strategy {name!r}; use one of {', '.join(STRATEGIES)}"
        ) from None


@dataclass(frozen=True)
class ModuleMerge:
    """The outcome for one module path: where its text came from and what conflicted."""

    path: str
    origin: str  # "left" | "right" | "both" (identical) | "merged"
    text: str
    conflicts: tuple[Conflict, ...] = ()
    fields: tuple[str, ...] = ()  # fields of the merged text that differ from the winner's
    module_type: str | None = None
    class_name: str | None = None
    version: str | None = None
    skill_name: str | None = None  # a skill's ``name``: two skills must not share one

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "origin": self.origin,
            "type": self.module_type,
            "changed_fields": list(self.fields),
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def _fields(first: ModuleView, second: ModuleView, m: Merger) -> dict[str, Any]:
    """The fields whose merged value differs from the first side's, by name."""
    out: dict[str, Any] = {}
    for name, fv in first.fields.items():
        if name not in second.fields:
            continue
        sv = second.fields[name]
        if isinstance(fv, Code) or isinstance(sv, Code):
            if not same(fv, sv):  # code is not merged: it stays as the winner wrote it
                m.conflict(name, fv, sv, "code is compared, never merged")
            continue
        merged = m.merge3(name, ABSENT, fv, sv)  # the engine's two-way case: no base
        if not same(merged, fv):
            out[name] = merged
    for name, sv in second.fields.items():
        if name in first.fields:
            continue
        if isinstance(sv, Code):  # cannot be written from a value; reported, never run
            m.conflict(name, None, sv, "code on one side only is not copied")
        else:
            out[name] = sv
    return out


def _append_methods(text: str, methods: list[str]) -> str:
    """Add method sources (dedented) at the end of the module's class body."""
    import textwrap

    node = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
    lines = text.split("\n")
    last = node.body[-1]
    indent = lines[last.lineno - 1][: last.col_offset]  # the body's own indent, tabs included
    end = node.end_lineno or len(lines)
    block = [""] + [textwrap.indent(src, indent) for src in methods]
    return "\n".join(lines[:end] + block + lines[end:])


def _compare(first: ModuleView, second: ModuleView, m: Merger) -> dict[str, Any]:
    """Record class, docstring and method conflicts, and return the merged field changes."""
    fr, sr = first.result, second.result
    for where, fvalue, svalue in (
        ("class", fr.class_name, sr.class_name),
        ("docstring", fr.docstring, sr.docstring),
    ):
        if fvalue != svalue:
            m.conflict(where, fvalue, svalue)
    for name, src in first.methods.items():
        if name in second.methods and second.methods[name] != src:
            m.conflict(f"{name}()", Code(src), Code(second.methods[name]), "the code differs")
    for name, src in second.methods.items():
        if name in first.fields:  # a def on one side, an assignment (a lambda) on the other
            m.conflict(f"{name}()", first.fields[name], Code(src), "a def and an assignment")
    return _fields(first, second, m)


def merge_module(
    path: str,
    left: str,
    right: str,
    strat: Strategy,
    compiled: Compile = compile_source,
    viewed: Viewed | None = None,
) -> ModuleMerge:
    """Merge two versions of one module; raises ModuleInvalid if a side or the result is invalid."""
    if left == right:
        return taken(path, "both", left, compiled)
    if viewed is None:
        lv = view(left, path, result=compiled(left, path, None))
        rv = view(right, path, result=compiled(right, path, None))
    else:
        lv, rv = viewed(left, path), viewed(right, path)
    _require_valid(lv.result, "left")
    _require_valid(rv.result, "right")
    first, second = (lv, rv) if strat.winner == "left" else (rv, lv)
    m = Merger(path, strat.winner == "left")
    if first.result.module_type != second.result.module_type:
        m.conflict(
            "type", first.result.module_type, second.result.module_type, "the module types differ"
        )
        winner = left if strat.winner == "left" else right
        return _outcome(path, strat.winner, winner, first.result, tuple(m.conflicts))
    changes = _compare(first, second, m)
    if cyclic(changes.get("steps")):
        # Unioned depends_on made a cycle: the winner's dependencies keep the plan a DAG.
        m = Merger(path, strat.winner == "left", keep_first_deps=True)
        changes = _compare(first, second, m)
    known = set(first.methods) | set(first.fields)
    extra = [src for name, src in second.methods.items() if name not in known]
    crlf = "\r\n" in first.result.corrected_source
    expected = first.result.module_type
    checked: dict[str, ValidationResult] = {}

    def parses(candidate: str) -> bool:
        """Whether the merged text parses: told by its compile, which the merge needs anyway
        when the text is the one compiled below (no method appended, no CRLF)."""
        if extra or crlf:
            return _parses(candidate)
        result = checked[candidate] = compiled(candidate, path, expected)
        codes = {d.code for d in result.diagnostics}
        return _parses(candidate) if "E012" in codes else "E001" not in codes  # E012: it stopped

    text, written = _write(first.result.corrected_source, changes, first, second, m, parses)
    if extra:
        text = _append_methods(text, extra)
    if crlf:
        # Edits write "\n"; a CRLF file stays CRLF throughout (Python reads both the same).
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    if text == first.result.source and not _INFERRED & {d.code for d in first.result.diagnostics}:
        result = first.result  # the winner as it came: its compile says all, the type included
    else:
        result = checked.get(text) or compiled(text, path, expected)
    if not result.valid:
        codes = ", ".join(f"{d.code} {d.message}" for d in result.errors)
        raise ModuleInvalid(
            f"merging {path} gives an invalid module ({codes}); edit one side so they agree",
            [result],
        )
    # The compiler reads past a BOM and its texts hold none: the winner's BOM is kept.
    bom = "\ufeff" if (left if strat.winner == "left" else right).startswith("\ufeff") else ""
    return _outcome(
        path, "merged", bom + result.corrected_source, result, tuple(m.conflicts), tuple(written)
    )


# Where a compile with the type given can differ from one that inferred it (W006: inferred by
# the last rule; a fix: its check of the corrected text re-infers the type)
_INFERRED = frozenset({"W006", *FIX_CODES})


def _parses(text: str) -> bool:
    try:
        ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return True


def _write(
    text: str,
    changes: dict[str, Any],
    first: ModuleView,
    second: ModuleView,
    m: Merger,
    parses: Callable[[str], bool] = _parses,
) -> tuple[str, list[str]]:
    """The winner's text with the merged values written in, and the fields written.

    All at once, from the winner's parse, when no edit can change another (render.set_fields)
    and the result ``parses``; else field by field, each edit kept only if the file still parses.
    """
    from stato.core.render import set_field, set_fields

    together = set_fields(text, changes, first.node) if changes else None
    if together is not None and parses(together):
        return together, list(changes)
    written = []
    for name, value in changes.items():
        try:
            candidate = set_field(text, name, value)
            ast.parse(candidate)
        except (TypeError, SyntaxError, ValueError):
            # No literal form (bytes, complex), or the edit would break the file's layout (a
            # tab-indented class): the winner's value stays, and the difference is reported.
            why = "the merged value cannot be written into this file"
            m.conflict(name, first.fields.get(name), second.fields.get(name), why)
            continue
        text = candidate
        written.append(name)
    return text, written


def _require_valid(result: ValidationResult, side: str) -> None:
    if not result.valid:
        codes = ", ".join(d.code for d in result.errors)
        raise ModuleInvalid(
            f"the {side} {result.path} has errors ({codes}); fix it with `stato validate` first",
            [result],
        )


def _outcome(
    path: str,
    origin: str,
    text: str,
    result: ValidationResult,
    conflicts: tuple[Conflict, ...] = (),
    changed: tuple[str, ...] = (),
) -> ModuleMerge:
    version = result.fields.get("version")
    name = result.fields.get("name") if result.module_type == "skill" else None
    return ModuleMerge(
        path,
        origin,
        text,
        conflicts,
        changed,
        result.module_type,
        result.class_name,
        version if isinstance(version, str) else None,
        name if isinstance(name, str) else None,
    )


def taken(path: str, origin: str, text: str, compiled: Compile = compile_source) -> ModuleMerge:
    """A module taken as it is from one side (or both, identical); it must validate."""
    result = compiled(text, path, None)
    _require_valid(result, "right" if origin == "right" else "left")
    return _outcome(path, origin, text, result)
