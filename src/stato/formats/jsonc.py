"""JSON with comments (JSONC): read it, and find where each value sits so it can be edited in place.

JSONC is JSON plus ``//`` and ``/* */`` comments and trailing commas: VS Code's settings and
``mcp.json``, Gemini CLI's ``settings.json``. ``strip`` blanks comments and trailing commas with
spaces (newlines kept; strings matched first, so ``//`` in a URL stays), so ``json.loads``
reports errors at the file's own line and column. ``tokens`` and ``tree`` give each token's and
each value's span, for ``formats.jsonc_edit``.

The file may come from a cloned project: its size and nesting are bounded before parsing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_CHARS = 32 * 1024 * 1024  # ~/.claude.json grows to megabytes; strip + json.loads: ~0.1 s/MiB
MAX_EDIT_CHARS = 256 * 1024  # tokens and tree: ~2 s/MiB; an edited settings file is kilobytes
MAX_DEPTH = 100  # real settings nest a handful of levels; deeper ones are read, not edited

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"[^"\\]*(?:\\.[^"\\]*)*")
  | (?P<punct>[{}\[\]:,])
  | (?P<atom>[^ \t\r\n{}\[\]:,"/]+)
    """,
    re.DOTALL | re.VERBOSE,
)


class JsoncError(ValueError):
    """The text is not JSON with comments; ``msg``, ``lineno`` and ``colno`` say where."""

    def __init__(self, msg: str, text: str, pos: int) -> None:
        self.msg = msg
        self.lineno = text.count("\n", 0, pos) + 1
        self.colno = pos - text.rfind("\n", 0, pos)
        super().__init__(f"{msg} at line {self.lineno} column {self.colno}")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws, comment, string, punct or atom
    start: int
    end: int


def _check_size(text: str) -> None:
    if len(text) > MAX_CHARS:
        raise JsoncError(f"longer than {MAX_CHARS} characters", text, 0)


def _unexpected(text: str, pos: int) -> JsoncError:
    what = {'"': "unterminated string", "/": "unterminated comment or stray '/'"}
    return JsoncError(what.get(text[pos], "unexpected character"), text, pos)


def tokens(text: str) -> list[Token]:
    """Every token of ``text``, whitespace and comments included; refuses what JSONC cannot be."""
    _check_size(text)
    out: list[Token] = []
    pos = 0
    for found in _TOKEN.finditer(text):
        if found.start() != pos:  # a character no token starts with
            raise _unexpected(text, pos)
        out.append(Token(found.lastgroup or "", pos, found.end()))
        pos = found.end()
    if pos != len(text):
        raise _unexpected(text, pos)
    return out


def comments(text: str) -> list[str]:
    """The text of each comment, in order."""
    return [text[t.start : t.end] for t in tokens(text) if t.kind == "comment"]


_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_COMMENT_OR_STRING = re.compile(_STRING + r"|//[^\n]*|/\*.*?\*/|/\*", re.DOTALL)
_TRAILING_OR_STRING = re.compile(_STRING + r"|,(?=[ \t\r\n]*[}\]])")
_NOT_NEWLINE = re.compile(r"[^\r\n]")


def strip(text: str) -> str:
    """``text`` as plain JSON: comments and trailing commas become spaces, newlines stay.

    Two regular-expression passes (strings are matched first, so ``//`` in a URL stays): a
    settings file of a megabyte takes well under a second.
    """
    _check_size(text)

    def blank(found: re.Match[str]) -> str:
        word = found.group()
        if word[0] == '"':
            return word
        if word == "/*":
            raise JsoncError("unterminated comment", text, found.start())
        return _NOT_NEWLINE.sub(" ", word)

    plain = _COMMENT_OR_STRING.sub(blank, text)

    def trailing(found: re.Match[str]) -> str:
        if found.group() != ",":
            return found.group()
        before = found.start() - 1
        while before >= 0 and plain[before] in " \t\r\n":
            before -= 1
        # after a value only: "[,]" and "{,}" stay errors, as in VS Code
        return " " if before >= 0 and plain[before] not in "{[,:" else ","

    return _TRAILING_OR_STRING.sub(trailing, plain)


def loads(text: str) -> Any:
    """The value of a JSONC document; raises JsoncError naming the line and column."""
    plain = strip(text)
    try:
        return json.loads(plain)
    except json.JSONDecodeError as exc:
        raise JsoncError(exc.msg, text, exc.pos) from None
    except RecursionError:
        raise JsoncError("nested too deeply", text, 0) from None
    except ValueError as exc:  # a number too long for int(): hostile input
        raise JsoncError(str(exc), text, 0) from None


# ---------------------------------------------------------------- where each value sits


@dataclass
class Node:
    """One value's span; a container's items are its members or elements, in file order."""

    kind: str  # object, array or scalar
    start: int
    end: int
    items: list[Item] = field(default_factory=list)


@dataclass
class Item:
    key: str | None  # None in an array
    start: int  # where the key (or the element) starts
    value: Node
    comma: int | None = None  # where the comma after the value is


def tree(text: str) -> Node:
    """The spans of a document that ``loads`` accepts (call that first: this trusts the text)."""
    toks = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    node, _ = _node(text, toks, 0, 0)
    return node


def _node(text: str, toks: list[Token], i: int, depth: int) -> tuple[Node, int]:
    if depth > MAX_DEPTH:
        raise JsoncError(f"nested deeper than {MAX_DEPTH} levels", text, toks[i].start)
    tok = toks[i]
    opener = text[tok.start]
    if tok.kind != "punct" or opener not in "{[":
        return Node("scalar", tok.start, tok.end), i + 1
    node = Node("object" if opener == "{" else "array", tok.start, tok.end)
    i += 1
    while text[toks[i].start] not in "}]" or toks[i].kind != "punct":
        start = toks[i].start
        key = None
        if node.kind == "object":
            key = json.loads(text[toks[i].start : toks[i].end])
            i += 2  # the key and its colon
        value, i = _node(text, toks, i, depth + 1)
        item = Item(key, start, value)
        node.items.append(item)
        if text[toks[i].start] == "," and toks[i].kind == "punct":
            item.comma = toks[i].start
            i += 1
    node.end = toks[i].end
    return node, i + 1
