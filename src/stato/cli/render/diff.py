"""Render a diff for people: +/-/~ per field, with line-level detail for text, keys and items."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Any

from stato.cli.console import console, echo, is_tty

if TYPE_CHECKING:
    from stato.core.diff import FieldChange, ModuleDiff
    from stato.ops.diff import DiffReport

_MARK = {"added": "+", "removed": "-", "changed": "~"}
_STYLE = {"+": "green", "-": "red", "~": "yellow", "@": "cyan"}


def _out(line: str, mark: str = "") -> None:
    """One line, coloured by its mark on a terminal (the mark is given: text may start with -)."""
    mark = mark or line[:1]
    if is_tty() and mark in _STYLE:
        console().print(line, style=_STYLE[mark], markup=False, highlight=False)
    else:
        echo(line)


def _short(value: Any, width: int = 70) -> str:
    from stato.cli.render.merge import short

    return short(value, width)


def _detail(old: Any, new: Any) -> list[str]:
    """Finer lines under a changed field: text lines, dict keys, list items."""
    from stato.core.diff import Code, canon

    if isinstance(old, (str, Code)) and isinstance(new, (str, Code)):
        a = old.text if isinstance(old, Code) else old
        b = new.text if isinstance(new, Code) else new
        if "\n" not in a + b:
            return []
        lines = difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=1)
        return [line for line in lines if not line.startswith(("---", "+++"))]
    if isinstance(old, dict) and isinstance(new, dict):
        out = [f"- {k!r}: {_short(v)}" for k, v in old.items() if k not in new]
        out += [f"+ {k!r}: {_short(v)}" for k, v in new.items() if k not in old]
        out += [
            f"~ {k!r}: {_short(v)} -> {_short(new[k])}"
            for k, v in old.items()
            if k in new and canon(v) != canon(new[k])
        ]
        return out
    if isinstance(old, list) and isinstance(new, list):
        if _by_id(old) and _by_id(new):
            return _steps(old, new)
        have, want = {canon(x) for x in old}, {canon(x) for x in new}
        out = [f"- {_short(x)}" for x in old if canon(x) not in want]
        out += [f"+ {_short(x)}" for x in new if canon(x) not in have]
        return out or ["~ same items, new order"]
    return []


def _by_id(items: list[Any]) -> bool:
    from stato.core.merge_values import by_id

    return bool(items) and by_id(items)


def _at(step: dict[str, Any], key: str) -> str:
    return _short(step[key], 30) if key in step else "(absent)"


def _steps(old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[str]:
    """Plan steps compared by id: which were added, removed, and which keys changed."""
    from stato.core.diff import canon

    before, after = {s["id"]: s for s in old}, {s["id"]: s for s in new}
    out = [f"- step {i!r}: {_short(s.get('action'))}" for i, s in before.items() if i not in after]
    out += [
        f"+ step {i!r}: {_short(s.get('action'))} ({s.get('status', 'pending')}), "
        f"depends_on {_short(s.get('depends_on', []), 30)}"
        for i, s in after.items()
        if i not in before
    ]
    for i, s in before.items():
        t = after.get(i)
        if t is None or canon(s) == canon(t):
            continue
        keys = [*s, *(k for k in t if k not in s)]
        keys = [k for k in keys if (k in s) != (k in t) or canon(s.get(k)) != canon(t.get(k))]
        parts = [f"{k} {_at(s, k)} -> {_at(t, k)}" for k in keys]
        out.append(f"~ step {i!r}: " + "; ".join(parts))
    if [s["id"] for s in old if s["id"] in after] != [s["id"] for s in new if s["id"] in before]:
        out.append("~ steps reordered")
    return out


def _change(c: FieldChange) -> list[tuple[str, str]]:
    """(mark, line) pairs for one field change; detail lines carry their own mark."""
    mark = _MARK.get(c.kind, "~")
    if c.field == "source":
        return [("~", "~ source text differs (comments, layout or code outside the class)")]
    if c.field.endswith("()") and c.kind != "changed":
        return [(mark, f"{mark} method {c.field}")]
    if c.kind == "added":
        return [("+", f"+ {c.field} = {_short(c.new)}")]
    if c.kind == "removed":
        return [("-", f"- {c.field} = {_short(c.old)}")]
    detail = _detail(c.old, c.new)
    if detail:
        return [(mark, f"{mark} {c.field}:")] + [(d[:1], "    " + d) for d in detail]
    return [(mark, f"{mark} {c.field}: {_short(c.old)} -> {_short(c.new)}")]


def _module(d: ModuleDiff, brief: bool, header: bool) -> None:
    if brief:
        names = ", ".join(f"{_MARK.get(c.kind, '~')}{c.field}" for c in d.changes)
        echo(f"{d.path}: {names}" if header else names)
        return
    if header:
        echo(f"{d.path}:")
    for c in d.changes:
        for mark, line in _change(c):
            _out(f"  {line}" if header else line, mark)


def report(rep: DiffReport, brief: bool = False) -> None:
    from stato.cli.render.archive import notes

    notes(rep.notes)
    if rep.same:
        echo(f"No differences between {rep.old} and {rep.new}.")
        return
    d = rep.diff
    if rep.kind == "archives":
        echo(f"--- {rep.old}\n+++ {rep.new}")
        for path in d.added:
            _out(f"+ {path} (added)")
        for path in d.removed:
            _out(f"- {path} (removed)")
        for m in d.changed:
            if brief:
                _out(f"~ {m.path} (changed)")
            else:
                _module(m, brief, True)
        n = len(d.added) + len(d.removed) + len(d.changed)
        echo(
            f"{n} module(s) differ: {len(d.added)} added, {len(d.removed)} removed, "
            f"{len(d.changed)} changed; {len(d.unchanged)} unchanged."
        )
        return
    echo(f"--- {rep.old}\n+++ {rep.new}")
    for m in d.changed:
        _module(m, brief, False)


def updates(diffs: tuple[ModuleDiff, ...], label: str) -> None:
    """What installing ``label`` changes in modules an earlier version installed."""
    echo(f"Updating {label} changes {len(diffs)} installed module(s):")
    for d in diffs:
        _module(d, False, True)
