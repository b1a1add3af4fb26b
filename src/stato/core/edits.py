"""Auto-fixes as edits at source positions, applied back to front in one place."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

# Python ends a line only at \r\n, \r or \n; str.splitlines() also splits at \x0c, \x85,
# U+2028 ... which may sit inside a string literal and would shift every later offset.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def split_lines(text: str) -> list[str]:
    """Lines with their line ends, split only where Python ends a line."""
    return _LINE.findall(text)


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``source[start:end]`` (character offsets) with ``text``."""

    start: int
    end: int
    text: str


class OverlappingEdits(ValueError):
    """Two edits touch the same characters; applying both would corrupt the source."""


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """Apply edits from the last to the first so earlier offsets stay valid."""
    ordered = sorted(set(edits), reverse=True)
    out = source
    bound = len(source) + 1
    for edit in ordered:
        if edit.end > bound:
            raise OverlappingEdits(f"edits overlap at offset {edit.start}")
        out = out[: edit.start] + edit.text + out[edit.end :]
        bound = edit.start
    return out


class Offsets:
    """Convert ``ast`` positions (1-based line, UTF-8 byte column) to character offsets."""

    def __init__(self, source: str) -> None:
        self.source = source

    @cached_property
    def lines(self) -> list[str]:
        return split_lines(self.source)

    @cached_property
    def starts(self) -> list[int]:
        # Computed on first use: most modules need no edit, so most never pay for this.
        starts: list[int] = []
        pos = 0
        for line in self.lines:
            starts.append(pos)
            pos += len(line)
        starts.append(pos)
        return starts

    def offset(self, lineno: int, col_byte: int) -> int:
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ""
        if line.isascii():
            return self.starts[lineno - 1] + col_byte
        return self.starts[lineno - 1] + len(
            line.encode("utf-8")[:col_byte].decode("utf-8", "replace")
        )

    def span(self, node: ast.AST) -> tuple[int, int]:
        start = self.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
        end = self.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
        return start, end

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source[start:end]


def after_parens(source: str, pos: int, stop: int) -> int:
    """The offset after the closing parentheses that follow a value at ``pos`` (ast spans
    leave them out: ``"depends_on": (4)`` ends at ``4``), skipping comments, before ``stop``."""
    out = pos
    while pos < stop:
        ch = source[pos]
        if ch == "#":
            newline = source.find("\n", pos, stop)
            pos = stop if newline < 0 else newline
            continue
        if ch == ")":
            out = pos + 1
        elif ch not in " \t\r\n\\\f":
            break  # the comma or the closing brace: the value's parentheses are behind us
        pos += 1
    return out
