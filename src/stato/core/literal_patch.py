"""Write a merged value over a literal by editing only the parts that changed.

A plan whose steps both sides edited is merged as a value; writing that value afresh would
re-layout every step and drop the comments between them. Here the old literal's text is kept
and only what differs is edited: a dict's changed values and new keys, a list's changed, new and
removed items (matched by ``id`` for dicts, else by value). Anything else (keys removed from a
dict, items reordered, items that share a line) gives None, and the caller writes the value
afresh. The result is checked by reading it back; nothing is ever run.
"""

from __future__ import annotations

import ast
from typing import Any

from stato.core.diff import canon, same
from stato.core.edits import Edit, Offsets, apply_edits
from stato.core.render import py_literal


class _Give(Exception):
    """This shape is not patched in place; the value is written afresh."""


def patch_literal(source: str, node: ast.expr, old: Any, new: Any) -> str | None:
    """The text of ``node`` (in ``source``, holding ``old``) edited to hold ``new``, or None."""
    off = Offsets(source)
    start, _ = off.span(node)
    try:
        edits = _edits(source, off, node, old, new)
        text = apply_edits(source, edits)
    except (TypeError, ValueError, IndexError, KeyError):
        return None
    end = off.span(node)[1] + len(text) - len(source)
    patched = text[start:end]
    try:
        if not same(ast.literal_eval(patched), new):
            return None
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return None
    return patched


def _edits(source: str, off: Offsets, node: ast.expr, old: Any, new: Any) -> list[Edit]:
    """Edits that turn ``node`` into ``new``; a part that cannot be patched is written afresh."""
    if same(old, new):
        return []
    try:
        if isinstance(node, ast.Dict) and isinstance(old, dict) and isinstance(new, dict):
            return _dict(source, off, node, old, new)
        if isinstance(node, ast.List) and isinstance(old, list) and isinstance(new, list):
            return _list(source, off, node, old, new)
    except (_Give, KeyError):
        pass
    start, end = off.span(node)
    return [Edit(start, end, py_literal(new, _indent(source, start)))]


def _indent(source: str, at: int) -> str:
    line = source[source.rfind("\n", 0, at) + 1 : at]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _dict(
    source: str, off: Offsets, node: ast.Dict, old: dict[Any, Any], new: dict[Any, Any]
) -> list[Edit]:
    keys = [k.value if isinstance(k, ast.Constant) else _Give for k in node.keys]
    if (
        _Give in keys
        or len(set(map(canon, keys))) != len(keys)
        or set(map(canon, old)) - set(map(canon, new))
    ):
        raise _Give  # ** unpacking, a computed key, or a key removed
    edits: list[Edit] = []
    for key, value in zip(keys, node.values, strict=True):
        edits += _edits(source, off, value, old[key], new[key])
    added = [k for k in new if canon(k) not in set(map(canon, keys))]
    if added:
        if not node.values:
            raise _Give
        _, end = off.span(node.values[-1])
        text = "".join(
            f", {py_literal(k)}: {py_literal(new[k], _indent(source, end))}" for k in added
        )
        edits.append(Edit(end, end, text))
    return edits


def _key(item: Any) -> str:
    return f"id:{canon(item['id'])}" if isinstance(item, dict) and "id" in item else canon(item)


def _list(source: str, off: Offsets, node: ast.List, old: list[Any], new: list[Any]) -> list[Edit]:
    """Items matched by key; kept items must keep their order, each on lines of its own."""
    if len(node.elts) != len(old) or not node.elts:
        raise _Give
    old_keys, new_keys = [_key(x) for x in old], [_key(x) for x in new]
    if len(set(old_keys)) != len(old_keys) or len(set(new_keys)) != len(new_keys):
        raise _Give
    lines = [off.span(e) for e in node.elts]
    starts = [source.rfind("\n", 0, s) + 1 for s, _ in lines]
    if any(source[a:s].strip() for a, (s, _) in zip(starts, lines, strict=True)):
        raise _Give  # an item shares its line with the bracket or another item
    if len(set(starts)) != len(starts):
        raise _Give
    kept = [k for k in new_keys if k in old_keys]
    if kept != [k for k in old_keys if k in new_keys]:
        raise _Give  # reordered
    where = {k: i for i, k in enumerate(old_keys)}
    edits: list[Edit] = []
    # Each item owns its text from its line's start to the start of the next item's line.
    ends = [*starts[1:], _close_line(source, off, node, lines[-1][1])]
    for k, i in where.items():
        if k not in new_keys:
            edits.append(Edit(starts[i], ends[i], ""))
    anchor = None  # the old item the next new items follow
    pending: list[Any] = []
    for k, item in zip(new_keys, new, strict=True):
        if k in where:
            i = where[k]
            edits += _flush(source, lines, ends, anchor, pending)
            pending, anchor = [], i
            edits += _edits(source, off, node.elts[i], old[i], item)
        else:
            pending.append(item)
    edits += _flush(source, lines, ends, anchor, pending)
    return edits


def _close_line(source: str, off: Offsets, node: ast.List, last_end: int) -> int:
    """Where the last item's lines end: the start of the closing bracket's line."""
    _, close = off.span(node)
    line_start = source.rfind("\n", 0, close - 1) + 1
    if line_start <= last_end:
        raise _Give  # the closing bracket is on the last item's line
    return line_start


def _flush(
    source: str, lines: list[tuple[int, int]], ends: list[int], anchor: int | None, items: list[Any]
) -> list[Edit]:
    """New items, one a line, after the anchor item's lines (before the first item if none)."""
    if not items:
        return []
    first = lines[0][0]
    indent = _indent(source, first)
    text = "".join(f"{indent}{py_literal(x, indent)},\n" for x in items)
    if anchor is None:
        at = source.rfind("\n", 0, first) + 1
        return [Edit(at, at, text)]
    end = lines[anchor][1]
    after = source[end : ends[anchor]]
    if not after.lstrip(" \t").startswith(","):
        return [Edit(end, end, ","), Edit(ends[anchor], ends[anchor], text)]
    return [Edit(ends[anchor], ends[anchor], text)]
