"""Three-way merge of one module (base, ours, theirs): fields by value, the code around as text.

Each side's text is cut into regions: every field assigned once, on lines of its own, with a
value the compiler could materialize, is a field region; everything else (the class line, the
docstring, comments, methods, helpers, imports) is text. The text, with each field region
replaced by a placeholder line, is merged like ``git merge-file``; each placeholder is then
filled with the field's merged region: one side's bytes when that side's value is taken, the
merged value rendered into ours when both sides changed it, or conflict markers around the two
assignments. Nothing here runs module code; it is all ``ast`` and text.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from stato.core.diff import Code, same, view
from stato.core.diff3 import common, fence, merge_lines
from stato.core.edits import split_lines
from stato.core.merge_values import ABSENT, Conflict, Merger

_HOLE = "\x00"  # starts a placeholder line; never in a module (the decoder refuses NUL bytes)


@dataclass(frozen=True)
class Merge3:
    """A three-way merge of one module: the text, and what a person must settle (``conflicts``)."""

    path: str
    text: str
    conflicts: tuple[Conflict, ...] = ()
    taken: tuple[str, ...] = ()  # fields whose value came from theirs, or from both merged
    notes: tuple[str, ...] = ()
    as_text: bool = False  # a side is not a module: the whole file was merged as text

    @property
    def clean(self) -> bool:
        return not self.conflicts

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "clean": self.clean,
            "as_text": self.as_text,
            "taken": list(self.taken),
            "notes": list(self.notes),
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


@dataclass
class _Side:
    text: str
    lines: list[str]
    module: bool  # it has a class the compiler could read
    values: dict[str, Any] = field(default_factory=dict)
    regions: dict[str, tuple[int, int]] = field(default_factory=dict)  # field -> line range
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # value offsets in region
    nodes: dict[str, ast.expr] = field(default_factory=dict)  # each field's value node
    bound: set[str] = field(default_factory=set)  # names bound in the class that are not fields

    def region(self, name: str) -> str | None:
        if name not in self.regions:
            return None
        start, end = self.regions[name]
        return "".join(self.lines[start:end])


def _side(text: str, path: str) -> _Side:
    lines = split_lines(text)
    v = view(text, path)
    side = _Side(text, lines, v.parsed)
    if not side.module:
        return side
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # pragma: no cover - view() parsed it already
        return _Side(text, lines, False)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef))
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    count: dict[str, int] = {}
    stmts: dict[str, ast.Assign | ast.AnnAssign] = {}
    for stmt in cls.body:
        names: list[str] = []
        if isinstance(stmt, ast.Assign):
            names = [n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)]
            if len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
                stmts[stmt.targets[0].id] = stmt
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            names = [stmt.target.id]
            if stmt.value is not None:
                stmts[stmt.target.id] = stmt
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names = [stmt.name]
        else:
            names = [n.id for n in ast.walk(stmt) if isinstance(n, ast.Name)]
        for name in names:
            count[name] = count.get(name, 0) + 1
    for name, stmt in stmts.items():
        value = v.fields.get(name, ABSENT)
        span = _whole_lines(stmt, lines)
        if count[name] == 1 and span and value is not ABSENT and not isinstance(value, Code):
            side.regions[name] = span
            assert stmt.value is not None
            side.spans[name] = _value_span(stmt.value, lines, starts, span[0])
            side.nodes[name] = stmt.value
            side.values[name] = value
    side.bound = set(count) - set(side.regions)
    return side


def _col(line: str, col_byte: int) -> int:
    return len(line.encode("utf-8")[:col_byte].decode("utf-8", "replace"))


def _whole_lines(stmt: ast.stmt, lines: list[str]) -> tuple[int, int] | None:
    """The statement's line range, when it has its lines to itself (a comment may follow it)."""
    first, last = stmt.lineno - 1, (stmt.end_lineno or stmt.lineno) - 1
    if last >= len(lines):
        return None
    before = lines[first][: _col(lines[first], stmt.col_offset)]
    after = lines[last][_col(lines[last], stmt.end_col_offset or 0) :].strip()
    if before.strip() or (after and not after.startswith("#")):
        return None
    return first, last + 1


def _value_span(node: ast.expr, lines: list[str], starts: list[int], first: int) -> tuple[int, int]:
    def at(lineno: int, col: int) -> int:
        return starts[lineno - 1] + _col(lines[lineno - 1], col) - starts[first]

    return at(node.lineno, node.col_offset), at(node.end_lineno or 0, node.end_col_offset or 0)


def _skeleton(side: _Side) -> list[str]:
    """The side's lines with each field region replaced by its placeholder line."""
    out: list[str] = []
    holes = {start: (name, end) for name, (start, end) in side.regions.items()}
    i = 0
    while i < len(side.lines):
        if i in holes:
            name, end = holes[i]
            out.append(f"{_HOLE}{name}\n")
            i = end
        else:
            out.append(side.lines[i])
            i += 1
    return out


def merge3_module(
    base: str,
    ours: str,
    theirs: str,
    path: str = "<module>",
) -> Merge3:
    """Merge ``theirs`` into ``ours`` against ``base`` (``""`` when there is none)."""
    if ours == theirs or base == theirs:
        return Merge3(path, ours)
    if base == ours:
        return Merge3(path, theirs, taken=("source",))
    o, t = _side(ours, path), _side(theirs, path)
    b = _side(base, path) if base.strip() else _Side(base, [], False)
    if not (o.module and t.module):
        return _as_text(b, o, t, path)
    return _Fields(b, o, t, path).merge()


def _as_text(b: _Side, o: _Side, t: _Side, path: str) -> Merge3:
    old = b.lines if b.text.strip() else common(o.lines, t.lines)
    lines, n = merge_lines(old, o.lines, t.lines)
    why = "both sides changed these lines differently (a side is not a module)"
    conflicts = tuple(Conflict(path, "text", None, None, "markers", why) for _ in range(n))
    return Merge3(path, "".join(lines), conflicts, ("source",), as_text=True)


def _why(c: Conflict, name: str) -> str:
    why = c.why or "both sides changed it differently"
    return why if c.where == name else f"{c.where}: {why}"


def _fields_only(base: list[str], ours: list[str], theirs: list[str]) -> list[str] | None:
    """Both sides added or removed fields at one place: keep each side's fields (a field one
    side removed is gone). Any other line in the stretch leaves it a conflict."""
    if not all(x.startswith(_HOLE) or not x.strip() for x in (*base, *ours, *theirs)):
        return None
    kept = [x for x in ours if x not in base or x in theirs or not x.strip()]
    return kept + [x for x in theirs if x.strip() and x not in base and x not in ours]


class _Fields:
    """The field-level part of a three-way merge, for three sides of which ours and theirs parse."""

    def __init__(self, b: _Side, o: _Side, t: _Side, path: str) -> None:
        self.b, self.o, self.t, self.path = b, o, t, path
        self.merger = Merger(path, first_is_left=True)
        self.conflicts: list[Conflict] = []
        self.taken: list[str] = []
        # A name that is not a plain field on some side (code, bound twice, sharing a line) is
        # text on every side, so it merges with the code around it.
        unmasked = o.bound | t.bound | b.bound
        for side in (b, o, t):
            for name in unmasked & set(side.regions):
                del side.regions[name]

    def merge(self) -> Merge3:
        sk = [_skeleton(s) for s in (self.b, self.o, self.t)]
        old = sk[0] if self.b.module else common(sk[1], sk[2])
        lines, n = merge_lines(old, sk[1], sk[2], _fields_only)
        why = "both sides changed this code differently"
        self.conflicts += [Conflict(self.path, "code", None, None, "markers", why)] * n
        names = [*self.o.regions, *(k for k in self.t.regions if k not in self.o.regions)]
        filled = {name: self._field(name) for name in names}
        out: list[str] = []
        done: set[str] = set()
        last = None
        for line in lines:
            if not line.startswith(_HOLE):
                out.append(line)
                continue
            name = line[1:].rstrip("\n")
            if name in done or name not in filled:
                continue
            done.add(name)
            out.append(filled[name] or "")
            last = len(out)
        # A field one side changed and the other deleted lost its placeholder line: put its
        # conflict after the last field written.
        missing = [filled[n] or "" for n in names if n not in done and filled[n]]
        if missing:
            at = last if last is not None else min(1, len(out))
            out[at:at] = missing
        # A side's last line may lack its line end; anywhere but last it needs one.
        out = [x if x.endswith(("\n", "\r")) or i == len(out) - 1 else x + "\n"
               for i, x in enumerate(out) if x]  # fmt: skip
        notes = tuple(self.merger.notes)
        return Merge3(self.path, "".join(out), tuple(self.conflicts), tuple(self.taken), notes)

    def _field(self, name: str) -> str | None:
        """The merged region of one field (None: the field is gone)."""
        rb, ro, rt = (s.region(name) for s in (self.b, self.o, self.t))
        if ro == rt or rt == rb:
            return ro
        if ro == rb:
            self.taken.append(name)
            return rt
        vb, vo, vt = (s.values.get(name, ABSENT) for s in (self.b, self.o, self.t))
        if ro is None or rt is None:
            kept = vt if ro is None else vo
            if same(kept, vb):  # reformatted on one side, deleted on the other
                return None
            return self._conflict(name, vo, vt, ro, rt, "changed on one side, deleted on the other")
        if same(vo, vt):
            return ro
        # Both regions changed but one side's value did not: that side changed the bytes around
        # the value (an annotation, a comment, the layout). Its bytes keep the other's value.
        if same(vo, vb) or same(vt, vb):
            side, region, value = (self.o, ro, vt) if same(vo, vb) else (self.t, rt, vo)
            try:
                text = self._render(name, region, value, side)
            except (TypeError, SyntaxError, ValueError):
                why = "one side changed the value, the other the line around it"
                return self._conflict(name, vo, vt, ro, rt, why)
            self.taken.append(name)
            return text
        before = len(self.merger.conflicts)
        merged = self.merger.merge3(name, vb, vo, vt)
        found = self.merger.conflicts[before:]
        if found:
            return self._conflict(name, vo, vt, ro, rt, "; ".join(_why(c, name) for c in found))
        if same(merged, vo):
            return ro
        self.taken.append(name)
        if same(merged, vt):
            return rt
        try:
            return self._render(name, ro, merged)
        except (TypeError, SyntaxError, ValueError):
            why = "the merged value cannot be written as a literal"
            return self._conflict(name, vo, vt, ro, rt, why)

    def _render(self, name: str, region: str, value: Any, side: _Side | None = None) -> str:
        from stato.core.literal_patch import patch_literal
        from stato.core.render import py_literal

        side = side or self.o
        start, end = side.spans[name]
        indent = region[: len(region) - len(region.lstrip(" \t"))]
        # The side's literal edited where it changed (its layout and comments kept), else afresh.
        patched = patch_literal(side.text, side.nodes[name], side.values[name], value)
        literal = patched if patched is not None else py_literal(value, indent)
        if "\r\n" in region:
            literal = literal.replace("\r\n", "\n").replace("\n", "\r\n")
        text = region[:start] + literal + region[end:]
        ast.parse(text.strip())  # the rendered assignment must still be one statement
        return text

    def _conflict(
        self, name: str, vo: Any, vt: Any, ro: str | None, rt: str | None, why: str
    ) -> str:
        self.conflicts.append(Conflict(self.path, name, vo, vt, "markers", why))
        return "".join(fence(split_lines(ro or ""), split_lines(rt or "")))
