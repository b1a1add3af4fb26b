"""The converters by file kind (instruction files, SKILL.md), and convert_text: a file -> drafts."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePath
from typing import Any

from stato.formats.drafts import Conversion, Converter, Source
from stato.formats.instructions import build_instructions
from stato.formats.markdown import parse_markdown
from stato.formats.skillmd import build_skill


def _rules(kind: str, label: str, *patterns: str) -> Converter:
    return Converter(kind, label, patterns, build_instructions)


# Sources: each agent's documentation, as gathered in ../shared/agent-targets.md (2026).
CONVERTERS: tuple[Converter, ...] = (
    _rules("claude", "Claude Code CLAUDE.md, .claude/rules/*.md", "claude.md", "claude.local.md"),
    _rules("agents", "AGENTS.md", "agents.md", "agents.override.md", "agent.md"),
    _rules("cursorrules", "Cursor legacy .cursorrules (Markdown or JSON)", ".cursorrules"),
    _rules("cursor-mdc", "Cursor rule (.cursor/rules/*.mdc)", "*.mdc"),
    Converter("skill", "Agent Skill SKILL.md", ("skill.md",), build_skill),
    _rules("gemini", "Gemini CLI GEMINI.md", "gemini.md"),
    _rules(
        "copilot", "GitHub Copilot instructions", "copilot-instructions.md", "*.instructions.md"
    ),
    _rules("windsurf", "Windsurf .windsurfrules, .windsurf/rules/*.md", ".windsurfrules"),
    _rules("cline", "Cline .clinerules (file or folder)", ".clinerules"),
    _rules("kiro", "Kiro steering (.kiro/steering/*.md)"),
    _rules("qwen", "Qwen Code QWEN.md", "qwen.md"),
    _rules("conventions", "Aider CONVENTIONS.md", "conventions.md"),
)
BY_KIND: dict[str, Converter] = {c.kind: c for c in CONVERTERS}


# Rule folders whose Markdown files carry no telling name: the folder says what they are.
RULE_FOLDERS = {
    ".cursor/rules": "cursor-mdc",
    ".claude/rules": "claude",
    ".github/instructions": "copilot",
    ".windsurf/rules": "windsurf",
    ".devin/rules": "windsurf",
    ".clinerules": "cline",
    ".kiro/steering": "kiro",
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
            out.append(_blank(text[begin.start() : pos]))
        kept = _END.sub(lambda m: _blank(m.group(0)), "".join(out) + text[pos:])
        return kept, [
            "stato's markers are damaged; everything from a stato:begin line to its "
            "stato:end (or the end of the file) was left out"
        ]
    if span is None:
        return text, []
    return text[: span[0]] + _blank(text[span[0] : span[1]]) + text[span[1] :], [""]


def _blank(cut: str) -> str:
    """What stands for text left out: its line breaks, so every later line keeps its number
    (a converted section's line is the one in the file the person opens)."""
    return "\n" * cut.count("\n")


def _json_markdown(value: Any, level: int, key: str = "") -> list[str]:
    """A JSON value as Markdown: keys become headings, lists items, strings paragraphs."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                out += [f"{'#' * min(level, 6)} {k}", *_json_markdown(v, level + 1, str(k))]
            else:
                out.append(f"- {k}: {v}")
        return out
    if isinstance(value, list):
        items = [v for v in value if not isinstance(v, (dict, list))]
        nested = [v for v in value if isinstance(v, (dict, list))]
        out = [f"- {v}" for v in items]
        for v in nested:
            out += _json_markdown(v, level, key)
        return out
    return [str(value)]


def json_rules(text: str) -> str:
    """A .cursorrules written as JSON ({"rules": [...]}) read as the Markdown it stands for; any
    other text as it is."""
    import json

    if not text.lstrip().startswith("{"):
        return text
    try:
        data = json.loads(text)
    except ValueError:
        return text
    lines = _json_markdown(data, 2) if isinstance(data, dict) else []
    # Blank lines between blocks, so a heading never swallows the item after it.
    return "\n\n".join(lines) + "\n" if lines else text


def convert_text(text: str, origin: str, kind: str, project_hint: str = "") -> Conversion:
    """Drafts of the modules a file of ``kind`` holds (``kind`` is a row of CONVERTERS)."""
    converter = BY_KIND[kind]
    # Line breaks as Markdown counts them (CRLF, or a lone CR from an old Mac editor), so the
    # line numbers of sections match the text a skill's body is cut from.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = json_rules(text)
    doc = parse_markdown(text)
    drafts, routes = converter.build(doc, Source(text, origin, project_hint, kind))
    return Conversion(kind, origin, tuple(drafts), doc.problems, tuple(routes))
