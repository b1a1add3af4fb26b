"""The converters by file kind (instruction files, SKILL.md), and convert_text: a file -> drafts."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePath

from stato.formats.drafts import Conversion, Converter, Source
from stato.formats.instructions import (
    ABOUT_FILE,
    EVERYWHERE,
    GENERIC_TITLE,
    ISSUE_WORDS,
    OVERVIEW_WORDS,
    PHASE_WORDS,
    PLACEHOLDER,
    READ_KEYS,
    RULE_LABEL,
    TASK_WORDS,
    build_instructions,
    is_placeholder,
)
from stato.formats.markdown import parse_markdown
from stato.formats.skillmd import build_skill

# Reading one instruction file lives in instructions; its names stay importable from here.
__all__ = [
    "ABOUT_FILE",
    "BY_KIND",
    "CONVERTERS",
    "EVERYWHERE",
    "GENERIC_TITLE",
    "ISSUE_WORDS",
    "OVERVIEW_WORDS",
    "PHASE_WORDS",
    "PLACEHOLDER",
    "READ_KEYS",
    "RULE_FOLDERS",
    "RULE_LABEL",
    "TASK_WORDS",
    "build_instructions",
    "convert_text",
    "converter_for",
    "is_placeholder",
    "strip_stato_block",
]


CONVERTERS: tuple[Converter, ...] = (
    Converter(
        "claude", "Claude Code CLAUDE.md", ("claude.md", "claude.local.md"), build_instructions
    ),
    Converter(
        "agents", "AGENTS.md", ("agents.md", "agents.override.md", "agent.md"), build_instructions
    ),
    Converter("cursorrules", "Cursor legacy .cursorrules", (".cursorrules",), build_instructions),
    Converter("cursor-mdc", "Cursor rule (.cursor/rules/*.mdc)", ("*.mdc",), build_instructions),
    Converter("skill", "Agent Skill SKILL.md", ("skill.md",), build_skill),
    Converter("gemini", "Gemini CLI GEMINI.md", ("gemini.md",), build_instructions),
    Converter(
        "copilot",
        "GitHub Copilot instructions",
        ("copilot-instructions.md", "*.instructions.md"),
        build_instructions,
    ),
)
BY_KIND: dict[str, Converter] = {c.kind: c for c in CONVERTERS}


# Rule folders whose Markdown files carry no telling name: the folder says what they are.
RULE_FOLDERS = {
    ".cursor/rules": "cursor-mdc",
    ".claude/rules": "claude",
    ".github/instructions": "copilot",
    ".windsurf/rules": "agents",
    ".devin/rules": "agents",
    ".clinerules": "agents",
    ".kiro/steering": "agents",
    ".amazonq/rules": "agents",
    ".continue/rules": "agents",
}


def converter_for(path: PurePath) -> Converter | None:
    """The converter for a file, by its name, else by the agent's rule folder it sits in."""
    name = path.name.lower()
    found = next((c for c in CONVERTERS if any(fnmatch.fnmatch(name, p) for p in c.patterns)), None)
    if found is not None or not name.endswith((".md", ".mdc")):
        return found
    folders = ["/".join(path.parts[i : i + 2]).lower() for i in range(len(path.parts) - 1)]
    folders += [part.lower() for part in path.parts[:-1]]
    return next((BY_KIND[RULE_FOLDERS[f]] for f in folders if f in RULE_FOLDERS), None)


_BEGIN = re.compile(r"^[ \t]*<!--[ \t]*stato:begin\b.*$", re.M)
_END = re.compile(r"^[ \t]*<!--[ \t]*stato:end\b.*$\r?\n?", re.M)


def strip_stato_block(text: str) -> tuple[str, list[str]]:
    """The text a person wrote, and a note per kind of block left out: what `stato bridge`
    generated is stato's own output. A note "" means a whole, well-formed block."""
    from stato.formats.markers import MarkerError, find_block

    try:
        span = find_block(text)
    except MarkerError:
        # Damaged markers (a copy pasted twice, an end line deleted): leave out every block,
        # an unclosed one up to the end of the file, so stato's text never comes back as yours.
        out, pos = [], 0
        for begin in _BEGIN.finditer(text):
            if begin.start() < pos:
                continue
            out.append(text[pos : begin.start()])
            end = _END.search(text, begin.end())
            pos = end.end() if end else len(text)
        kept = _END.sub("", "".join(out) + text[pos:])
        return kept, [
            "stato's markers are damaged; everything from a stato:begin line to its "
            "stato:end (or the end of the file) was left out"
        ]
    if span is None:
        return text, []
    return text[: span[0]] + text[span[1] :], [""]


def convert_text(text: str, origin: str, kind: str, project_hint: str = "") -> Conversion:
    """Drafts of the modules a file of ``kind`` holds (``kind`` is a row of CONVERTERS)."""
    converter = BY_KIND[kind]
    # Line breaks as Markdown counts them (CRLF, or a lone CR from an old Mac editor), so the
    # line numbers of sections match the text a skill's body is cut from.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    doc = parse_markdown(text)
    drafts = converter.build(doc, Source(text, origin, project_hint, kind))
    return Conversion(kind, origin, tuple(drafts), doc.problems)
