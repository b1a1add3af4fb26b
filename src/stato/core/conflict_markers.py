"""Unresolved merge conflicts in a module's text: git-style markers, found and named (E012)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stato.core.diagnostics import Diagnostic, make

_ASSIGN = re.compile(r"\s*([A-Za-z_]\w*)\s*(?::[^=]*)?=(?!=)\s*(.*)")


@dataclass(frozen=True)
class Block:
    """One conflict: the line of its ``<<<<<<<`` marker and the two sides' lines."""

    line: int
    ours: tuple[str, ...]
    theirs: tuple[str, ...]

    @property
    def where(self) -> str:
        for side in (self.ours, self.theirs):
            for text in side:
                found = _ASSIGN.match(text)
                if found and not text.lstrip().startswith("#"):
                    return f"field '{found.group(1)}'"
        return f"the code at line {self.line}"


def _preview(lines: tuple[str, ...]) -> str:
    body = [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
    if not body:
        return "(deleted)"
    found = _ASSIGN.match(body[0])
    text = found.group(2) if found else body[0]
    text += " ..." if len(body) > 1 else ""
    return text if len(text) <= 60 else text[:57] + "..."


def blocks(text: str) -> list[Block]:
    """Every ``<<<<<<< / ======= / >>>>>>>`` block (a ``|||||||`` base section is skipped)."""
    out: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("<<<<<<<"):
            i += 1
            continue
        start, part = i, 0
        sides: tuple[list[str], list[str], list[str]] = ([], [], [])
        i += 1
        while i < len(lines) and not lines[i].startswith(">>>>>>>"):
            if lines[i].startswith("|||||||"):
                part = 1
            elif lines[i].rstrip() == "=======":
                part = 2
            else:
                sides[part].append(lines[i])
            i += 1
        if i < len(lines):
            out.append(Block(start + 1, tuple(sides[0]), tuple(sides[2])))
        i += 1
    return out


def conflict_diagnostics(text: str) -> tuple[Diagnostic, ...]:
    """One E012 per conflict block, naming the field (or the code) and both values."""
    return tuple(
        make("E012", b.line, where=b.where, ours=_preview(b.ours), theirs=_preview(b.theirs))
        for b in blocks(text)
    )
