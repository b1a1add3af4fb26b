"""Merging values: lists as sequences, dicts by key, lesson lines, plan steps by id; conflicts kept.

One engine for both merges: ``Merger.merge3`` merges a field's value on two sides against their
common base (``stato merge-file``, the git driver); with no base (``ABSENT``) it is the two-way
merge of two archives (``stato merge``), where nothing says which side changed what.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from stato.core.diff import Code, same
from stato.core.merge_lists import lines3, seq3, union, union_lines


class _Absent:
    """No value: a field or key missing on a side, or a base that does not exist."""

    def __repr__(self) -> str:
        return "<absent>"


ABSENT: Any = _Absent()

# A step whose status both sides changed, differently, takes the one later in this order: work
# done elsewhere is not undone by a merge (a completed step stays complete).
LIFECYCLE: tuple[str, ...] = ("pending", "running", "blocked", "failed", "complete")
# Fields that are timestamps as ISO text: both sides changed them, the later one is kept.
LATEST_FIELDS: frozenset[str] = frozenset({"last_updated"})

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
    """A value ready for JSON: code as its source text, a missing value (deleted) as None."""
    if value is ABSENT:
        return None
    return value.text if isinstance(value, Code) else value


class Merger:
    """Merges values of the ``first`` side (the strategy's winner) with the ``second`` side."""

    def __init__(self, path: str, first_is_left: bool, keep_first_deps: bool = False) -> None:
        self.path = path
        self.first_is_left = first_is_left
        self.keep_first_deps = keep_first_deps
        self.conflicts: list[Conflict] = []
        self.notes: list[str] = []  # what a clean merge did that a person may want to know

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

    # ------------------------------------------------------------------ three-way (with a base)

    def merge3(self, where: str, base: Any, a: Any, b: Any) -> Any:
        """``a`` (the first side) and ``b`` merged against ``base``; ABSENT base: two-way."""
        if base is ABSENT:
            return self.value(where, a, b)
        if same(a, b):
            return a
        if same(base, a):
            return b
        if same(base, b):
            return a
        if isinstance(a, dict) and isinstance(b, dict):
            return self.dict3(where, base if isinstance(base, dict) else {}, a, b)
        if isinstance(a, list) and isinstance(b, list):
            old = base if isinstance(base, list) else []
            if where == "steps" and by_id(a) and by_id(b) and by_id(old):
                return self.steps3(old, a, b)
            return seq3(old, a, b)
        if isinstance(a, str) and isinstance(b, str):
            if where in LINE_FIELDS:
                return lines3(base if isinstance(base, str) else "", a, b)
            if where in LATEST_FIELDS:
                later = _later(a, b)
                if later is None:  # "yesterday", "2025-1-9": which is later is not for us to guess
                    return self.conflict(where, a, b, "not two comparable ISO 8601 timestamps")
                return later
        return self.conflict(where, a, b)

    def dict3(
        self,
        where: str,
        base: dict[Any, Any],
        a: dict[Any, Any],
        b: dict[Any, Any],
        steps: bool = False,
    ) -> dict[Any, Any]:
        """Key by key: a key one side deleted (the other left it alone) is deleted."""
        out: dict[Any, Any] = {}
        for k in [*a, *(k for k in b if k not in a)]:
            va, vb, vo = a.get(k, ABSENT), b.get(k, ABSENT), base.get(k, ABSENT)
            here = _key(where, k)
            if va is ABSENT or vb is ABSENT:
                kept, other = (vb, va) if va is ABSENT else (va, vb)
                if vo is ABSENT:
                    out[k] = kept  # added on one side
                elif not same(vo, kept):  # changed on one side, deleted on the other
                    self.conflict(here, va, vb, "changed on one side, deleted on the other")
                    if va is not ABSENT:
                        out[k] = va
                continue
            if steps and k == "status" and _both_moved(vo, va, vb):
                out[k] = max(va, vb, key=LIFECYCLE.index)
            else:
                out[k] = self.merge3(here, vo, va, vb)
        return out

    def steps3(
        self, base: list[dict[str, Any]], a: list[dict[str, Any]], b: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        """Plan steps by id, in the merged order of their ids; new ids on both sides may clash."""
        old = {s["id"]: s for s in base}
        mine, theirs = {s["id"]: s for s in a}, {s["id"]: s for s in b}
        renamed = self._renumber(old, mine, theirs, b)
        theirs = {renamed.get(i, i): (dict(s, id=renamed[i]) if i in renamed else s)
                  for i, s in theirs.items()}  # fmt: skip
        order = seq3(list(old), list(mine), [renamed.get(s["id"], s["id"]) for s in b])
        # An id one side dropped from the order may still be a step the other side changed.
        order += [i for i in (*mine, *theirs) if i not in set(order)]
        out: list[dict[str, Any]] = []
        for sid in order:
            where = f"steps[id={sid!r}]"
            sa, sb, so = mine.get(sid, ABSENT), theirs.get(sid, ABSENT), old.get(sid, ABSENT)
            if sa is ABSENT or sb is ABSENT:
                kept = sb if sa is ABSENT else sa
                if so is ABSENT:
                    out.append(kept)
                elif not same(so, kept):
                    self.conflict(where, sa, sb, "changed on one side, deleted on the other")
                    if sa is not ABSENT:
                        out.append(sa)
                continue
            if so is ABSENT and not same(sa, sb):
                self.conflict(where, sa, sb, "both sides added a different step with this id")
                out.append(sa)
                continue
            out.append(self.dict3(where, so if so is not ABSENT else {}, sa, sb, steps=True))
        if cyclic(out):
            self.conflict("steps", a, b, "the merged depends_on would make a cycle")
        return out

    def _renumber(
        self,
        old: dict[Any, Any],
        mine: dict[Any, Any],
        theirs: dict[Any, Any],
        b: list[dict[str, Any]],
    ) -> dict[Any, Any]:
        """New ids on both sides with different steps: their step gets the next free id, when
        nothing on their side depends on it (so no reference can point at the wrong step)."""
        clash = [i for i in theirs if i in mine and i not in old and not same(mine[i], theirs[i])]
        ids = [i for i in (*old, *mine, *theirs) if isinstance(i, int) and not isinstance(i, bool)]
        if not clash or len(ids) != len([*old, *mine, *theirs]):
            return {}
        refs = {d for s in b for d in _deps(s)}
        out: dict[Any, Any] = {}
        free = max(ids) + 1
        for i in clash:
            if i in refs:
                continue
            out[i] = free
            self.notes.append(f"step {i} was added on both sides: theirs is now step {free}")
            free += 1
        return out


def _key(where: str, k: Any) -> str:
    return f"{where}.{k}" if isinstance(k, str) and k.isidentifier() else f"{where}[{k!r}]"


def by_id(steps: list[Any]) -> bool:
    """True when every step is a dict with a distinct hashable id (so steps can pair by id)."""
    try:
        ids = [s["id"] for s in steps if isinstance(s, dict) and "id" in s]
        return len(ids) == len(steps) == len(set(ids))
    except TypeError:
        return False


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


def _later(a: str, b: str) -> str | None:
    """The later of two ISO 8601 timestamps (``a`` on a tie), compared as instants, not as text
    ("10:00+02:00" is before "09:00Z"); None when either does not parse or they cannot be
    compared (a time with a zone and one without)."""
    from datetime import datetime

    try:
        return b if datetime.fromisoformat(b) > datetime.fromisoformat(a) else a
    except (ValueError, TypeError):
        return None


def _deps(step: dict[str, Any]) -> list[Any]:
    deps = step.get("depends_on", [])
    return deps if isinstance(deps, list) else [deps]


def _both_moved(base: Any, a: Any, b: Any) -> bool:
    """Both sides set a known status, each different from the base and from each other."""
    known = all(isinstance(x, str) and x in LIFECYCLE for x in (a, b))
    return known and not same(a, b) and not same(base, a) and not same(base, b)
