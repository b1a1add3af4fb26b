"""The labelled injection corpus: items, markers for what cannot be typed, and places.

Each ``*.txt`` file holds items: a header ``## technique @ place`` and the payload on the lines
after it. Markers spell what an editor hides or what would be tedious to encode by hand:
``{TAG:text}`` (Unicode tag characters), ``{ZW}`` (U+200B), ``{ZWJ}``, ``{RLO}``/``{PDF}``/``{LRI}``
(bidi controls), ``{CYR:text}`` (Latin letters swapped for Cyrillic look-alikes),
``{B64:text}``, ``{HEX:text}``, ``{PCT:text}`` and ``{UESC:text}`` (encodings of ``text``).
A place puts the payload where a module or an instruction file holds text, written the way stato
writes modules (``py_literal`` escapes invisible characters, as a real module would hold them).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stato.core.render import py_literal

HERE = Path(__file__).resolve().parent
_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTX", "асеорхуАВСЕНКМОРТХ")
_MARK = re.compile(r"\{(TAG|CYR|B64|HEX|PCT|UESC):([^{}]*)\}|\{(ZW|ZWJ|RLO|PDF|LRI|PDI)\}")
_SINGLE = {"ZW": "\u200b", "ZWJ": "\u200d", "RLO": "\u202e", "PDF": "\u202c", "LRI": "\u2066",
           "PDI": "\u2069"}  # fmt: skip


def _mark(m: re.Match[str]) -> str:
    if m.group(3):
        return _SINGLE[m.group(3)]
    kind, text = m.group(1), m.group(2)
    if kind == "TAG":
        return "".join(chr(0xE0000 + ord(c)) for c in text)
    if kind == "CYR":
        return text.translate(_CYRILLIC)
    if kind == "B64":
        return base64.b64encode(text.encode()).decode()
    if kind == "HEX":
        return text.encode().hex()
    if kind == "PCT":
        return "".join(c if c.isalnum() else f"%{ord(c):02X}" for c in text)
    return "".join(f"\\u{ord(c):04x}" for c in text)


def expand(text: str) -> str:
    return _MARK.sub(_mark, text)


def _module(cls: str, fields: str) -> str:
    return f'class {cls}:\n    """A module."""\n\n    name = "x"\n{fields}'


def _docstring(p: str) -> tuple[str, str]:
    return "skills/x.py", (
        f"class Loader:\n    {py_literal(p)}\n\n    name = \"loader\"\n    version = \"1.0.0\"\n"
    )


PLACES: dict[str, Callable[[str], tuple[str, str]]] = {
    "docstring": _docstring,
    "lesson": lambda p: ("skills/x.py", _module(
        "Skill", f"    lessons_learned = {py_literal(chr(10) + '- ' + p + chr(10))}\n")),
    "description": lambda p: ("skills/x.py", _module(
        "Skill", f"    description = {py_literal(p)}\n")),
    "param": lambda p: ("skills/x.py", _module(
        "Skill", f"    default_params = {py_literal({'method': 'scran', 'note': p})}\n")),
    "plan-output": lambda p: ("plan.py", _module("Plan", "    steps = " + py_literal(
        [{"id": 1, "action": "load", "status": "complete", "output": p}], "    ") + "\n")),
    "memory": lambda p: ("memory.py", _module(
        "State", f"    known_issues = {py_literal({'note': p})}\n")),
    "skill-md": lambda p: (".claude/skills/x/SKILL.md",
                           f"---\nname: x\ndescription: A helper.\n---\n\n# X\n\n{p}\n"),
    "claude-md": lambda p: ("CLAUDE.md", f"# Project notes\n\n- Use ruff.\n- {p}\n"),
}  # fmt: skip


@dataclass(frozen=True)
class Item:
    file: str
    number: int
    technique: str
    place: str
    payload: str

    @property
    def malicious(self) -> bool:
        return self.technique != "clean"

    def rendered(self) -> tuple[str, str]:
        """(path, text) of the payload placed where the header says."""
        return PLACES[self.place](expand(self.payload))


def load(name: str) -> list[Item]:
    items: list[Item] = []
    head: tuple[str, str] | None = None
    body: list[str] = []

    def flush() -> None:
        if head is not None:
            items.append(Item(name, len(items) + 1, head[0], head[1], "\n".join(body).strip()))

    for line in (HERE / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            flush()
            technique, _, place = line[3:].partition(" @ ")
            head, body = (technique.strip(), place.strip()), []
        elif not line.startswith("# ") and head is not None:
            body.append(line)
    flush()
    return items
