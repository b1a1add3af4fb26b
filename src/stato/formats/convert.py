"""Agent instruction files -> context and memory drafts; the table of converters by file kind."""

from __future__ import annotations

import fnmatch
import re
from pathlib import PurePath
from typing import Any

from stato.formats.bundle import safe_stem
from stato.formats.drafts import (
    Conversion,
    Converter,
    Draft,
    Source,
    dedupe,
    is_under,
    safe_docstring,
)
from stato.formats.markdown import Document, Section, parse_markdown
from stato.formats.skillmd import build_skill

SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh", "fish", "powershell", "ps1", "cmd"}
# Memory sections are recognised by how their heading starts, so "Running tasks with Celery" or
# "HTTP status codes" stay conventions.
TASK_WORDS = re.compile(
    r"^(current |open |pending |remaining )?(todos?|to-?dos?|tasks?|"
    r"next steps?|roadmap|in progress|work in progress|backlog|wip)\b",
    re.I,
)
ISSUE_WORDS = re.compile(
    r"^(known (issues?|bugs?|problems?|limitations)|open (issues?|bugs?|"
    r"questions?)|bugs|limitations)\b",
    re.I,
)
PHASE_WORDS = re.compile(r"^(current |project )?(status|phase|focus|state)\W*$", re.I)
GENERIC_TITLE = re.compile(
    r"(claude|agents?|gemini|copilot|cursor|rules|instructions|guidelines|memory)(\.md)?\b", re.I
)
IMPORT_LINE = re.compile(r"(@[\w./~-]+\s*)+")
ABOUT_FILE = re.compile(r"\bthis (file|document)\b", re.I)
_BOLD_LEAD = re.compile(r"\A\*\*(.+?)\*\*\s*[:\-\u2014]?\s*(.*)\Z")


PLACEHOLDER = "Project converted from "  # a context description when the file gave none


def is_placeholder(field: str, value: object) -> bool:
    """True for a value stato made up (a later conversion may replace it with real text)."""
    return field == "description" and isinstance(value, str) and value.startswith(PLACEHOLDER)


def _label(section: Section) -> str:
    return " / ".join(section.path)


def _split(section: Section) -> tuple[list[str], list[str]]:
    """(conventions, prose) of a section: bullets, table rows and shell commands are conventions,
    each self-contained; paragraphs and non-shell code are prose."""
    out: list[str] = []
    prose: list[str] = []
    blocks = section.blocks
    lead = ""
    top = -1  # index in ``out`` of the last top-level bullet, which nested ones extend
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if block.kind == "paragraph":
            # .cursorrules often label a list with a short line instead of a heading.
            short = len(block.text) <= 60 and not block.text.endswith((".", "!", "?"))
            if IMPORT_LINE.fullmatch(block.text):
                continue  # Claude Code's "@AGENTS.md" import: that file is converted on its own
            if following and following.kind == "bullet" and (short or block.text.endswith(":")):
                lead = block.text.rstrip(":")
            else:
                lead = ""
                prose.append(block.text)
        elif block.kind == "bullet" and block.checked is None:
            if block.depth and top >= 0:
                joint = " \u2014 " if " \u2014 " not in out[top] else "; "
                out[top] += joint + block.text
                continue
            out.append(f"{lead}: {block.text}" if lead else block.text)
            top = len(out) - 1
        elif block.kind == "table":
            out.extend(" \u2014 ".join(c for c in row if c) for row in block.rows[1:])
        elif block.kind == "code" and block.info.lower() in SHELL_LANGS:
            out.extend(_commands(block.text))
        elif block.kind == "code":
            prose.append(f"```{block.info}\n{block.text}\n```")
    return out, prose


def _commands(code: str) -> list[str]:
    out, comment = [], ""
    for raw in code.splitlines():
        line = raw.strip()
        if line.startswith("#"):
            comment = line.lstrip("# ").strip()
        elif line:
            line = line[2:] if line.startswith("$ ") else line
            out.append(f"`{line}` ({comment})" if comment else f"`{line}`")
            comment = ""
    return out


def _issue(text: str) -> tuple[str, str]:
    bold = _BOLD_LEAD.match(text)
    if bold and bold.group(2):
        return safe_stem(bold.group(1), "issue"), bold.group(2)
    return safe_stem(" ".join(text.split()[:5]), "issue"), text


def build_instructions(doc: Document, src: Source) -> list[Draft]:
    """Context conventions and notes, and memory tasks and known issues, of an instruction file."""
    origin, project_hint, kind = src.origin, src.project_hint, src.kind
    conventions: list[str] = []
    notes: list[str] = []
    tasks: list[str] = []
    done: list[str] = []
    issues: dict[str, str] = {}
    phase = ""
    description = ""
    scope = ""
    if kind == "cursor-mdc":
        globs = doc.front_matter.get("globs")
        if globs and doc.front_matter.get("alwaysApply") is not True:
            scope = f"[{', '.join(globs) if isinstance(globs, list) else globs}] "
    for section in doc.sections:
        checks = [b for b in section.blocks if b.kind == "bullet" and b.checked is not None]
        tasks += [b.text for b in checks if not b.checked]
        done += [b.text for b in checks if b.checked]
        firsts = [b.text for b in section.blocks if b.kind in ("paragraph", "bullet")]
        if is_under(ISSUE_WORDS, section):
            issues.update(
                _issue(b.text)
                for b in section.blocks
                if b.kind in ("bullet", "paragraph") and b.checked is None
            )
        elif is_under(TASK_WORDS, section):
            tasks += [b.text for b in section.of("bullet") if b.checked is None]
        elif is_under(PHASE_WORDS, section) and firsts and not phase:
            phase = firsts[0]
        else:
            label = _label(section)
            found, prose = _split(section)
            conventions += [f"{scope}{label}: {t}" if label else f"{scope}{t}" for t in found]
            if not section.path:
                # "This file provides guidance to Claude Code..." is about the file, not the project
                prose = [p for p in prose if not ABOUT_FILE.search(p)]
                if prose and not description and kind != "cursor-mdc":
                    description = prose.pop(0)
            if prose:
                head = f"## {label}\n\n" if label else ""
                notes.append(head + "\n\n".join(prose))
    title = doc.title or ""
    generic = not title or GENERIC_TITLE.search(title) or kind == "cursor-mdc"
    project = project_hint if generic else title
    if kind != "cursor-mdc":  # a rule's description describes the rule, not the project
        description = description or str(doc.front_matter.get("description") or "")
    if not (description or conventions or notes or done or tasks or issues or phase):
        return []  # nothing a person wrote: only imports, or stato's own block
    description = description or f"{PLACEHOLDER}{origin}"
    context: dict[str, Any] = {"project": project or "project", "description": description}
    if conventions:
        context["conventions"] = dedupe(conventions)
    if done:
        context["completed_tasks"] = dedupe(done)
    kept = [n for n in notes if n]
    if kind == "cursor-mdc" and doc.front_matter.get("description"):
        kept.insert(0, f"Cursor rule {PurePath(origin).name}: {doc.front_matter['description']}")
    if kept:
        context["notes"] = "\n\n".join(kept)
    drafts = [
        Draft(
            "context.py",
            "context",
            "ProjectContext",
            context,
            safe_docstring(f"Project context converted from {origin}."),
            origin,
        )
    ]
    if tasks or issues or phase:
        memory: dict[str, Any] = {"phase": phase or "ongoing"}
        if tasks:
            memory["tasks"] = dedupe(tasks)
        if issues:
            memory["known_issues"] = issues
        drafts.append(
            Draft(
                "memory.py",
                "memory",
                "ProjectState",
                memory,
                safe_docstring(f"Working memory converted from {origin}."),
                origin,
            )
        )
    return drafts


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


def converter_for(path: PurePath) -> Converter | None:
    name = path.name.lower()
    return next((c for c in CONVERTERS if any(fnmatch.fnmatch(name, p) for p in c.patterns)), None)


def convert_text(text: str, origin: str, kind: str, project_hint: str = "") -> Conversion:
    """Drafts of the modules a file of ``kind`` holds (``kind`` is a row of CONVERTERS)."""
    converter = BY_KIND[kind]
    doc = parse_markdown(text)
    drafts = converter.build(doc, Source(text, origin, project_hint, kind))
    return Conversion(kind, origin, tuple(drafts), doc.problems)
