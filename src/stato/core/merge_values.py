"""Merging values: lists unioned, dicts by key, lesson lines, plan steps by id; conflicts kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stato.core.diff import Code, canon, same

# Text fields merged line by line (a union of bullets) instead of being a conflict when they differ.
# Bullet-list prose, unioned line by line: the spec names lessons_learned; a decision log is
# the same shape.
LINE_FIELDS: frozenset[str] = frozenset({"lessons_learned", "decision_log"})


@dataclass(frozen=True)
class Conflict:
    """A value that differs on the two sides, at a field path like ``steps[id=3].status``."""

    path: str
    where: str
    left: Any
    right: Any
    kept: str  # "left" | "right"
    why: str = ""  # set when it is not simply two different values

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "field": self.where,
            "left": plain(self.left),
            "right": plain(self.right),
            "kept": self.kept,
            "why": self.why or "the values differ",
        }


def plain(value: Any) -> Any:
    """A value ready for JSON: code as its source text."""
    return value.text if isinstance(value, Code) else value


class Merger:
    """Merges values of the ``first`` side (the strategy's winner) with the ``second`` side."""

    def __init__(self, path: str, first_is_left: bool, keep_first_deps: bool = False) -> None:
        self.path = path
        self.first_is_left = first_is_left
        self.keep_first_deps = keep_first_deps
        self.conflicts: list[Conflict] = []

    def conflict(self, where: str, first: Any, second: Any, why: str = "") -> Any:
        left, right = (first, second) if self.first_is_left else (second, first)
        kept = "left" if self.first_is_left else "right"
        self.conflicts.append(Conflict(self.path, where, left, right, kept, why))
        return first

    def value(self, where: str, a: Any, b: Any) -> Any:
        if same(a, b):
            return a
        if isinstance(a, dict) and isinstance(b, dict):
            out = {k: (self.value(_key(where, k), v, b[k]) if k in b else v) for k, v in a.items()}
            out.update({k: v for k, v in b.items() if k not in a})
            return out
        if isinstance(a, list) and isinstance(b, list):
            if where == "steps" and by_id(a) and by_id(b):
                return self.steps(a, b)
            return union(a, b)
        if where in LINE_FIELDS and isinstance(a, str) and isinstance(b, str):
            return union_lines(a, b)
        return self.conflict(where, a, b)

    def steps(self, a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Plan steps merged by id: the first side's order, then the second side's new steps."""
        theirs = {s["id"]: s for s in b}
        out: list[dict[str, Any]] = []
        for step in a:
            other = theirs.get(step["id"])
            if other is None:
                out.append(step)
                continue
            where = f"steps[id={step['id']!r}]"
            merged = {}
            for k, v in step.items():
                if k not in other:
                    merged[k] = v
                elif k == "depends_on" and self.keep_first_deps and not same(v, other[k]):
                    merged[k] = self.conflict(
                        f"{where}.depends_on", v, other[k], "their union would make a cycle"
                    )
                else:
                    merged[k] = self.value(f"{where}.{k}", v, other[k])
            merged.update({k: v for k, v in other.items() if k not in step})
            out.append(merged)
        ids = {s["id"] for s in a}
        return out + [s for s in b if s["id"] not in ids]


def _key(where: str, k: Any) -> str:
    return f"{where}.{k}" if isinstance(k, str) and k.isidentifier() else f"{where}[{k!r}]"


def by_id(steps: list[Any]) -> bool:
    """True when every step is a dict with a distinct hashable id (so steps can pair by id)."""
    try:
        ids = [s["id"] for s in steps if isinstance(s, dict) and "id" in s]
        return len(ids) == len(steps) == len(set(ids))
    except TypeError:
        return False


def union(a: list[Any], b: list[Any]) -> list[Any]:
    """``a`` as it is, then each item of ``b`` not already present, in ``b``'s order."""
    seen = {canon(x) for x in a}
    out = list(a)
    for item in b:
        key = canon(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def union_lines(a: str, b: str) -> str:
    """``a`` with every non-blank line of ``b`` it lacks (compared stripped) after its last line."""
    import textwrap

    lines = a.split("\n")
    have = {line.strip() for line in lines}
    new: list[str] = []
    for line in textwrap.dedent(b).split("\n"):
        if line.strip() and line.strip() not in have:
            have.add(line.strip())
            new.append(line.rstrip())
    if not new:
        return a
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return b
    first = lines[filled[0]]
    indent = first[: len(first) - len(first.lstrip())]
    last = filled[-1] + 1
    return "\n".join(lines[:last] + [indent + n if n else n for n in new] + lines[last:])


def cyclic(steps: Any) -> bool:
    """True when the steps' depends_on edges form a cycle (a merge of two DAGs can)."""
    if not isinstance(steps, list) or not by_id(steps):
        return False
    deps = {s["id"]: s.get("depends_on", []) for s in steps}
    state: dict[Any, int] = {}  # 1 = on the current path, 2 = done

    def visit(node: Any) -> bool:
        state[node] = 1
        edges = deps.get(node, [])
        for dep in edges if isinstance(edges, list) else [edges]:
            if dep in deps and (state.get(dep) == 1 or (dep not in state and visit(dep))):
                return True
        state[node] = 2
        return False

    return any(node not in state and visit(node) for node in deps)
