"""Turn one JSONC document into another by editing only the spans that differ.

Every byte outside an edited span stays: the user's comments, blank lines, key order and
trailing commas. One edit at a time (remove a member, change a value, add a member), the text
parsed again after each, until it holds the wanted value. Adding a member and removing it again
restores the text exactly. The result is checked: it must parse to the wanted value and keep
every comment of the original, or ``EditRefused`` says why and nothing is written.
"""

from __future__ import annotations

import difflib
import json
from collections import Counter
from typing import Any

from stato.formats.jsonc import MAX_EDIT_CHARS, JsoncError, Node, comments, loads, tokens, tree

Edit = tuple[int, int, str]
MAX_EDITS = 500  # each edit fixes one difference; a settings change needs a handful


class EditRefused(ValueError):
    """The change cannot be made without dropping a comment (or another surprise)."""


def patch(text: str, new: Any, unit: str = "  ") -> str:
    """``text`` edited in place so that it parses (as JSONC) to ``new``; ``unit`` is one indent."""
    if "\r\n" in text and text.count("\n") == text.count("\r\n"):  # Windows line ends stay
        return patch(text.replace("\r\n", "\n"), new, unit).replace("\n", "\r\n")
    if len(text) > MAX_EDIT_CHARS:
        raise EditRefused(
            f"it is over {MAX_EDIT_CHARS // 1024} KiB, more than stato edits in place"
        )
    current = text
    for _ in range(MAX_EDITS):
        try:
            old = loads(current)
        except JsoncError:  # pragma: no cover - a bug in the editor: refuse, never write
            raise EditRefused("stato's edit would not parse") from None
        if _same(old, new):
            break
        edits = _first_edit(current, tree(current), old, new, unit, multiline=True)
        current = _apply(current, edits)
    else:
        raise EditRefused(f"more than {MAX_EDITS} edits needed")
    try:
        ok = _same(loads(current), new)
    except JsoncError:
        ok = False
    if not ok:  # pragma: no cover - a bug in the editor, never the user's file: refuse, not write
        raise EditRefused("the edited text would not hold the new settings")
    lost = Counter(comments(text)) - Counter(comments(current))
    if lost:
        first = next(iter(lost)).strip().splitlines()[0][:60]
        raise EditRefused(f"the part it must change holds your comment {first!r}")
    return current


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a != a and b != b)  # NaN (Python's JSON reads it) equals NaN


def _apply(text: str, edits: list[Edit]) -> str:
    """Edits sorted back to front; of two at one place, the one listed first ends up first."""
    order = sorted(range(len(edits)), key=lambda n: (edits[n][0], n), reverse=True)
    for start, end, repl in (edits[n] for n in order):
        text = text[:start] + repl + text[end:]
    return text


def _line_indent(text: str, pos: int) -> str:
    line = text[text.rfind("\n", 0, pos) + 1 : pos]
    return line[: len(line) - len(line.lstrip(" \t"))]


def _lead(text: str, pos: int) -> int:
    """Where the whitespace before ``pos`` starts; from its first newline on when it has one, so
    that the line before keeps its trailing spaces (a ``// comment``'s own, for one)."""
    start = pos
    while start > 0 and text[start - 1] in " \t\r\n":
        start -= 1
    newline = text.find("\n", start, pos)
    return start if newline < 0 else newline


def _swallowed(text: str, lead: int, edits: list[Edit]) -> bool:
    """True when a ``//`` comment ends at ``lead`` and, once ``edits`` remove the newline
    after it, no newline follows: the comment would swallow the text after it."""
    if "//" not in text[text.rfind("\n", 0, lead) + 1 : lead]:
        return False  # the cheap test first: no // on the line
    following = _apply(text, [e for e in edits if e[0] >= lead])[lead:]
    if "\n" in following[: len(following) - len(following.lstrip(" \t\r\n"))]:
        return False
    return any(
        t.kind == "comment" and t.end == lead and text.startswith("//", t.start)
        for t in tokens(text)
    )


def _dump(value: Any, indent: str, unit: str, multiline: bool) -> str:
    if not multiline or not isinstance(value, (dict, list)) or not value:
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value, indent=unit, ensure_ascii=False).replace("\n", "\n" + indent)


def _member(key: str | None, value: Any, indent: str, unit: str, multiline: bool) -> str:
    text = _dump(value, indent, unit, multiline)
    return text if key is None else json.dumps(key, ensure_ascii=False) + ": " + text


def _first_edit(
    text: str, node: Node, old: Any, new: Any, unit: str, multiline: bool
) -> list[Edit]:
    """The edits that fix the first difference between ``old`` (at ``node``) and ``new``."""
    multi = multiline and "\n" in text[node.start : node.end]
    if isinstance(old, dict) and isinstance(new, dict) and node.kind == "object":
        where = {item.key: n for n, item in enumerate(node.items)}  # the last of a repeated key
        for key in old:
            if key not in new:
                return _remove(text, node, where[key])
        for key in old:
            if not _same(old[key], new[key]):
                item = node.items[where[key]]
                return _first_edit(text, item.value, old[key], new[key], unit, multi)
        key = next(k for k in new if k not in old)
        return _insert(text, node, len(node.items), key, new[key], unit)
    if isinstance(old, list) and isinstance(new, list) and node.kind == "array":
        codes = difflib.SequenceMatcher(
            None, [_hashable(v) for v in old], [_hashable(v) for v in new], autojunk=False
        ).get_opcodes()
        op, i1, _, j1, _ = next(c for c in codes if c[0] != "equal")
        if op == "delete":
            return _remove(text, node, i1)
        if op == "insert":
            return _insert(text, node, i1, None, new[j1], unit)
        return _first_edit(text, node.items[i1].value, old[i1], new[j1], unit, multi)
    indent = _line_indent(text, node.start)
    return [(node.start, node.end, _dump(new, indent, unit, multiline))]


def _hashable(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _remove(text: str, node: Node, n: int) -> list[Edit]:
    """Remove item ``n``: its key, value and one comma; the whitespace before it goes too."""
    item = node.items[n]
    lead = _lead(text, item.start)
    if n + 1 < len(node.items) and not text[item.value.end : node.items[n + 1].start].strip(
        " \t\r\n,"
    ):
        return [(item.start, node.items[n + 1].start, "")]  # the next item takes its place
    edits = _removal(node, n, lead)
    if lead < item.start and _swallowed(text, lead, edits):
        edits = _removal(node, n, text.index("\n", lead) + 1)  # keep the newline
    if len(node.items) == 1:
        after = item.value.end if item.comma is None else item.comma + 1
        if not (text[node.start + 1 : lead] + text[after : node.end - 1]).strip():
            return [(node.start + 1, node.end - 1, "")]  # nothing else inside: {} again
    return edits


def _removal(node: Node, n: int, lead: int) -> list[Edit]:
    item = node.items[n]
    edits: list[Edit] = [(lead, item.value.end, "")]
    if item.comma is not None:
        edits.append((item.comma, item.comma + 1, ""))
    elif n > 0:  # the last item without a trailing comma: the comma before it goes
        comma = node.items[n - 1].comma
        assert comma is not None
        edits.append((comma, comma + 1, ""))
    return edits


def _insert(text: str, node: Node, n: int, key: str | None, value: Any, unit: str) -> list[Edit]:
    """Add an item before item ``n`` (at the end when ``n`` is the count), in the file's layout."""
    close = node.end - 1
    if n < len(node.items):  # before an item: copy the whitespace that leads it
        item = node.items[n]
        lead = _lead(text, item.start)
        space = text[lead : item.start]
        indent = space.rsplit("\n", 1)[1] if "\n" in space else _line_indent(text, item.start)
        member = _member(key, value, indent, unit, "\n" in space)
        return [(lead, lead, space + member + ",")]
    if not node.items:
        indent = _line_indent(text, node.start)
        member = _member(key, value, indent + unit, unit, True)
        inside = text[node.start + 1 : close]
        if not inside.strip():
            return [(node.start + 1, close, "\n" + indent + unit + member + "\n" + indent)]
        return [(_lead(text, close), _lead(text, close), "\n" + indent + unit + member)]
    last = node.items[-1]
    if "\n" not in text[_lead(text, last.start) : last.start]:  # items share a line: so does it
        member = _member(key, value, "", unit, False)
        if last.comma is None:
            return [(last.value.end, last.value.end, ", " + member)]
        return [(last.comma + 1, last.comma + 1, " " + member + ",")]
    indent = _line_indent(text, last.start)
    member = _member(key, value, indent, unit, True)
    at = _lead(text, close)
    if last.comma is None:
        return [(last.value.end, last.value.end, ","), (at, at, "\n" + indent + member)]
    return [(at, at, "\n" + indent + member + ",")]
