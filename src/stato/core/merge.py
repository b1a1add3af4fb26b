"""Merge two modules, or two sets of modules, field by field under a conflict strategy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from stato.core.diff import Code, ModuleView, same, view
from stato.core.merge_values import Conflict, Merger, cyclic, plain, union, union_lines
from stato.core.model import ValidationResult
from stato.errors import ModuleInvalid, UsageError

__all__ = [
    "STRATEGIES",
    "Conflict",
    "MergeResult",
    "ModuleMerge",
    "Strategy",
    "merge_module",
    "merge_sets",
    "plain",
    "strategy",
    "union",
    "union_lines",
]


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
                m.conflict(name, fv, sv)
            continue
        merged = m.value(name, fv, sv)
        if not same(merged, fv):
            out[name] = merged
    for name, sv in second.fields.items():
        if name in first.fields:
            continue
        if isinstance(sv, Code):  # cannot be written from a value; reported, never run
            m.conflict(name, None, sv)
        else:
            out[name] = sv
    return out


def _append_methods(text: str, methods: list[str]) -> str:
    """Add method sources (dedented) at the end of the module's class body."""
    import ast
    import textwrap

    node = next(n for n in ast.parse(text).body if isinstance(n, ast.ClassDef))
    lines = text.split("\n")
    last = node.body[-1]
    indent = " " * last.col_offset
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
            m.conflict(f"{name}()", Code(src), Code(second.methods[name]))
    return _fields(first, second, m)


def merge_module(path: str, left: str, right: str, strat: Strategy) -> ModuleMerge:
    """Merge two versions of one module; raises ModuleInvalid if a side or the result is invalid."""
    from stato.core.compiler import compile_source
    from stato.core.render import set_field

    if left == right:
        return _taken(path, "both", left)
    lv, rv = view(left, path), view(right, path)
    _require_valid(lv.result, "left")
    _require_valid(rv.result, "right")
    first, second = (lv, rv) if strat.winner == "left" else (rv, lv)
    m = Merger(path, strat.winner == "left")
    if first.result.module_type != second.result.module_type:
        m.conflict("type", first.result.module_type, second.result.module_type)
        winner = left if strat.winner == "left" else right
        return _outcome(path, strat.winner, winner, first.result, tuple(m.conflicts))
    changes = _compare(first, second, m)
    if cyclic(changes.get("steps")):
        # Unioned depends_on made a cycle: the winner's dependencies keep the plan a DAG.
        m = Merger(path, strat.winner == "left", keep_first_deps=True)
        changes = _compare(first, second, m)
    text = first.result.corrected_source
    for name, value in changes.items():
        text = set_field(text, name, value)
    extra = [src for name, src in second.methods.items() if name not in first.methods]
    if extra:
        text = _append_methods(text, extra)
    result = compile_source(text, path, expected_type=first.result.module_type)
    if not result.valid:
        codes = ", ".join(f"{d.code} {d.message}" for d in result.errors)
        raise ModuleInvalid(
            f"merging {path} gives an invalid module ({codes}); edit one side so they agree",
            [result],
        )
    return _outcome(
        path, "merged", result.corrected_source, result, tuple(m.conflicts), tuple(changes)
    )


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
    return ModuleMerge(
        path,
        origin,
        text,
        conflicts,
        changed,
        result.module_type,
        result.class_name,
        version if isinstance(version, str) else None,
    )


def _taken(path: str, origin: str, text: str) -> ModuleMerge:
    """A module taken as it is from one side (or both, identical); it must validate."""
    from stato.core.compiler import compile_source

    result = compile_source(text, path)
    _require_valid(result, "right" if origin == "right" else "left")
    return _outcome(path, origin, text, result)


@dataclass(frozen=True)
class MergeResult:
    """Two module sets merged: the merged texts by path and what happened to each module."""

    strategy: Strategy
    modules: dict[str, str]
    outcomes: tuple[ModuleMerge, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for o in self.outcomes for c in o.conflicts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy.id,
            "modules": [o.to_dict() for o in self.outcomes],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def merge_sets(left: Mapping[str, str], right: Mapping[str, str], strat: Strategy) -> MergeResult:
    """Merge two module sets {path: text}: one-sided modules are taken, shared ones merged."""
    outcomes: list[ModuleMerge] = []
    for path in sorted(set(left) | set(right)):
        if path not in right:
            outcomes.append(_taken(path, "left", left[path]))
        elif path not in left:
            outcomes.append(_taken(path, "right", right[path]))
        else:
            outcomes.append(merge_module(path, left[path], right[path], strat))
    return MergeResult(strat, {o.path: o.text for o in outcomes}, tuple(outcomes))
