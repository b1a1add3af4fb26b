"""Instruction files (CLAUDE.md, AGENTS.md, rules) -> context and memory drafts."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from stato.formats.drafts import (
    Draft,
    Source,
    as_markdown,
    dedupe,
    is_under,
    label_of,
    safe_docstring,
    split_section,
    yaml_text,
)
from stato.formats.markdown import Block, Document
from stato.formats.stems import safe_stem

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
# "This file provides guidance to Claude Code ..." in the languages these files are written in.
ABOUT_FILE = re.compile(
    r"\bthis (file|document)\b|\b(diese datei|ce fichier|este archivo|este arquivo|questo file)\b|"
    "このファイル|本文件|该文件|此文件|这个文件|이 파일",
    re.I,
)
# A section whose first paragraph says what the project is, when the file has no intro.
OVERVIEW_WORDS = re.compile(
    r"^(project |repository |repo )?(overview|summary|about|purpose|introduction|description)\b|"
    "概要|概述|简介|개요",
    re.I,
)
_BOLD_LEAD = re.compile(r"\A\*\*(.+?)\*\*\s*[:\-\u2014]?\s*(.*)\Z")


READ_KEYS = {"description", "globs", "alwaysApply", "applyTo", "paths"}  # front matter used
EVERYWHERE = {"*", "**", "**/*", "/**", "./**"}  # globs that scope nothing
RULE_LABEL = {
    "cursor-mdc": "Cursor rule",
    "copilot": "Copilot instructions",
    "claude": "Claude rule",
}
PLACEHOLDER = "Project converted from "  # a context description when the file gave none


def is_placeholder(field: str, value: object) -> bool:
    """True for a value stato made up (a later conversion may replace it with real text)."""
    return field == "description" and isinstance(value, str) and value.startswith(PLACEHOLDER)


def _issue(text: str) -> tuple[str, str]:
    bold = _BOLD_LEAD.match(text)
    if bold and bold.group(2):
        return safe_stem(bold.group(1), "issue"), bold.group(2)
    return safe_stem(" ".join(text.split()[:5]), "issue"), text


def _scope(front: dict[str, Any], kind: str) -> tuple[bool, str]:
    """(whether the file is one scoped rule rather than the project's instructions, the
    "[globs] " prefix its conventions get): Cursor ``globs``, Copilot ``applyTo``, Claude
    ``paths``; none when the rule applies everywhere."""
    keys = [k for k in ("globs", "applyTo", "paths") if k in front]
    rule = kind == "cursor-mdc" or bool(keys)
    found = [front[k] for k in keys if front[k]]
    if not found or front.get("alwaysApply") is True:
        return rule, ""
    value = found[0]
    parts = [str(v) for v in value] if isinstance(value, list) else str(value).split(",")
    globs = [g.strip() for g in parts if g.strip()]
    if not globs or all(g in EVERYWHERE for g in globs):
        return rule, ""
    shown = ", ".join(globs) if isinstance(value, list) else str(value).strip()
    return rule, f"[{shown}] "


def _about_project(text: str) -> str:
    """A paragraph without its sentences about the file itself ("This file provides guidance to
    Claude Code ..."), which describe the file, not the project."""
    if not ABOUT_FILE.search(text):
        return text
    sentences = re.split(r"(?<=[.!?\u3002])\s+", text)
    return " ".join(s for s in sentences if not ABOUT_FILE.search(s))


def _describes(text: str) -> bool:
    """A paragraph that can say what the project is (not markup, code or a bare link)."""
    rest = " ".join(w for w in text.split() if "://" not in w)  # "Docs: https://..." says nothing
    if len(rest) < 12 or rest.endswith((":", "\uff1a")) or text.startswith(("<", "```")):
        return False
    return not ABOUT_FILE.search(text)


def build_instructions(doc: Document, src: Source) -> list[Draft]:
    """Context conventions and notes, and memory tasks and known issues, of an instruction file."""
    origin, project_hint, kind = src.origin, src.project_hint, src.kind
    front = doc.front_matter
    conventions: list[str] = []
    notes: list[str] = []
    tasks: list[str] = []
    done: list[str] = []
    issues: dict[str, str] = {}
    phase = ""
    description = ""
    rule, scope = _scope(front, kind)
    title = ""  # the document's title: its one H1, else the first H1 that gave the description
    for section in doc.sections:
        checks = [b for b in section.blocks if b.kind == "bullet" and b.checked is not None]
        tasks += [b.text for b in checks if not b.checked]
        done += [b.text for b in checks if b.checked]
        label = label_of(section)
        firsts = [b for b in section.blocks if b.kind in ("paragraph", "bullet")]
        rest: list[Block] = []  # what a memory section holds besides its items: kept as notes
        if is_under(ISSUE_WORDS, section):
            items = [b for b in firsts if b.checked is None]
            for key, text in map(_issue, (b.text for b in items)):
                n, base = 1, key
                while key in issues and issues[key] != text:  # two issues, one label: keep both
                    n += 1
                    key = f"{base}_{n}"
                issues[key] = text
            rest = [b for b in section.blocks if all(b is not i for i in items)]
            rest = [b for b in rest if b.checked is None]
        elif is_under(TASK_WORDS, section):
            tasks += [b.text for b in section.of("bullet") if b.checked is None]
            rest = [b for b in section.blocks if b.kind != "bullet"]
        elif is_under(PHASE_WORDS, section) and firsts and not phase:
            phase = firsts[0].text
            rest = [b for b in section.blocks if b is not firsts[0] and b.checked is None]
        else:
            found, prose = split_section(section)
            conventions += [f"{scope}{label}: {t}" if label else f"{scope}{t}" for t in found]
            if not section.path:
                # "This file provides guidance to Claude Code..." is about the file, not the project
                prose = [q for q in map(_about_project, prose) if q]
            first = next((p for p in prose if _describes(p)), None)
            # The intro before any heading, an Overview section, or the text under the
            # first of several top headings ("# Rules for X" then "You are an expert in ...").
            first_h1 = section is doc.sections[0] and section.level <= 1
            overview = not section.path or first_h1 or is_under(OVERVIEW_WORDS, section)
            if first and overview and not description and not rule:
                description = first
                prose.remove(first)
                if first_h1 and section.path:
                    title = title or section.title  # "# Rules for X": the first of several H1s
            if prose:
                notes.append((f"## {label}\n\n" if label else "") + "\n\n".join(prose))
        if rest:
            notes.append((f"## {label}\n\n" if label else "") + as_markdown(rest))
    title = doc.title or title
    generic = not title or GENERIC_TITLE.search(title) or rule
    project = project_hint if generic else title
    if not rule:  # a rule's description describes the rule, not the project
        description = description or str(front.get("description") or "")
    kept = [n for n in notes if n]
    if rule and (front.get("description") or title):
        # "Cursor rule react.mdc (React components): Conventions for ..."
        head = f"{RULE_LABEL.get(kind, 'Rule')} {PurePath(origin).name}"
        wants = front.get("description")
        head += f" ({title})" if title and title != str(wants or "").strip() else ""
        kept.insert(0, f"{head}: {wants}" if wants else head)
    # Other front matter (a docs site's title, Continue's name, Kiro's inclusion) is kept too.
    extra = [(k, v) for k, v in front.items() if k not in READ_KEYS and v not in (None, "", [])]
    if extra:
        kept.append("Front matter: " + "; ".join(f"{k}: {yaml_text(v)}" for k, v in extra))
    if not (description or conventions or kept or done or tasks or issues or phase):
        return []  # nothing a person wrote: only imports, or stato's own block
    description = description or f"{PLACEHOLDER}{origin}"
    context: dict[str, Any] = {"project": project or "project", "description": description}
    if conventions:
        context["conventions"] = dedupe(conventions)
    if done:
        context["completed_tasks"] = dedupe(done)
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
