"""Instruction files (CLAUDE.md, AGENTS.md, rules) -> context, memory and skill drafts.

Each section is classified by the signal table in ``formats.signals`` and handed to the one
function for its kind: rules become context conventions and notes, procedures skills with their
steps in the body, open work memory tasks, known issues memory issues, lessons a skill's
lessons_learned. Every heading, item and code block lands in some field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from stato.formats.deps import dependencies
from stato.formats.drafts import (
    IMPORT_LINE,
    Draft,
    Route,
    Source,
    as_markdown,
    dedupe,
    label_of,
    raw_sections,
    safe_docstring,
    sentences,
    split_section,
    yaml_text,
)
from stato.formats.markdown import Block, Document, Section
from stato.formats.signals import TODO_ITEM, Kind, classify
from stato.formats.stems import safe_stem

GENERIC_TITLE = re.compile(
    r"(claude|agents?|gemini|qwen|copilot|cursor|windsurf|cline|kiro|rules|instructions|"
    r"guidelines|conventions|memory)(\.md)?\b",
    re.I,
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
    r"^what is this\b|"
    "概要|概述|简介|개요",
    re.I,
)
KINDS: tuple[Kind, ...] = ("rule", "procedure", "task", "issue", "phase", "lesson")
# Front matter that says where a rule applies: Cursor, Copilot, Claude/Cline, Kiro, Windsurf.
SCOPE_KEYS = ("globs", "applyTo", "paths", "fileMatchPattern")
READ_KEYS = {"description", "alwaysApply", *SCOPE_KEYS}  # front matter used
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


def _globs(value: Any) -> list[str]:
    parts = [str(v) for v in value] if isinstance(value, list) else str(value).split(",")
    return [g.strip() for g in parts if g.strip()]


def _scope(front: dict[str, Any], kind: str) -> tuple[bool, str]:
    """(whether the file is one scoped rule rather than the project's instructions, the
    "[globs] " prefix its conventions get); none when the rule applies everywhere."""
    keys = [k for k in SCOPE_KEYS if k in front]
    rule = kind == "cursor-mdc" or bool(keys) or "trigger" in front or "inclusion" in front
    found = [front[k] for k in keys if front[k]]
    globs = _globs(found[0]) if found else []
    if front.get("alwaysApply") is True or all(g in EVERYWHERE for g in globs):
        return rule, ""
    shown = ", ".join(globs) if isinstance(found[0], list) else str(found[0]).strip()
    return rule, f"[{shown}] "


def _about_project(text: str) -> str:
    """A paragraph without its sentences about the file itself ("This file provides guidance to
    Claude Code ..."), which describe the file, not the project. Only a sentence whose subject
    is the file goes: "... are symlinks to this file; run `make docs` to recreate them" stays."""
    if not ABOUT_FILE.search(text):
        return text
    return "".join(s for s in sentences(text) if not ABOUT_FILE.match(s.lstrip())).strip()


def _describes(text: str, lead: bool = False) -> bool:
    """A paragraph that can say what the project is (not markup, code or a bare link); one
    that leads into a list ("...containing:") only when ``lead``."""
    rest = " ".join(w for w in text.split() if "://" not in w)  # "Docs: https://..." says nothing
    opens = not lead and rest.endswith((":", "\uff1a"))
    markup = text.startswith(("<", "```")) or IMPORT_LINE.fullmatch(text)
    if len(rest) < (24 if lead else 12) or opens or markup:
        return False
    return not ABOUT_FILE.match(text)


@dataclass
class _Skill:
    """A procedure (or a lesson section) of the file, becoming a skill."""

    name: str
    title: str
    description: str
    body: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)


@dataclass
class _Out:
    """What the sections of one file add up to."""

    src: Source
    scope: str
    raw: dict[int, str]
    conventions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    issues: dict[str, str] = field(default_factory=dict)
    phase: str = ""
    rule: bool = False  # one scoped rule, whose text describes the rule, not the project
    description: str = ""
    # by the heading path that opened it
    skills: dict[tuple[str, ...], _Skill] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)

    def route(self, section: Section, module: str, name: str, why: tuple[str, ...] = ()) -> None:
        self.routes.append(
            Route(label_of(section) or section.title, section.line, module, name, why)
        )


def _labelled(label: str, text: str) -> str:
    return (f"## {label}\n\n" if label else "") + text


def _open_items(section: Section, out: _Out) -> Section:
    """Items that open with "TODO:" or "Next:" go to memory tasks, wherever they are; the
    section without them."""
    todo = [b for b in section.blocks if b.kind == "bullet" and TODO_ITEM.match(b.text)]
    if not todo:
        return section
    out.tasks += [b.text for b in todo]
    out.route(section, "memory.py", "tasks", ("todo-items",))
    return _without(section, todo)


def _take_description(section: Section, prose: list[str], out: _Out, why: tuple[str, ...]) -> None:
    """The intro's (or an Overview's, or the first H1's) first paragraph that says what the
    project is becomes the description, once; a rule file's text describes only the rule."""
    overview = not section.path or OVERVIEW_WORDS.search(section.title) or section.level == 1
    if not overview or out.description or out.rule:
        return
    first = next((p for p in prose if _describes(p)), "")
    if first:
        prose.remove(first)
    else:  # "My Blog is a monorepo containing:" above its list: the list stays a convention
        lead = section.blocks[0] if section.blocks else None
        said = lead is not None and lead.kind == "paragraph" and _describes(lead.text, True)
        first = lead.text if said and lead is not None else ""
    if first:
        out.description = " ".join(first.split())
        out.route(section, "context.py", "description", why)


def _rule(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    """Items, table rows and commands -> conventions ("Heading: item"); prose and code -> notes
    under the heading (a heading with nothing else is kept there too)."""
    section = _open_items(section, out)
    label = label_of(section)
    found, prose = split_section(section)
    out.conventions += [f"{out.scope}{label}: {t}" if label else f"{out.scope}{t}" for t in found]
    if not section.path:
        # "This file provides guidance to Claude Code..." is about the file, not the project
        prose = [q if q.startswith("`") else _about_project(q) for q in prose]
        prose = [q for q in prose if q]
    _take_description(section, prose, out, why)
    if found:
        out.route(section, "context.py", "conventions", why)
    note = _labelled(label, "\n\n".join(prose)).strip() if prose or not found else ""
    if note:
        out.notes.append(note)
        out.route(section, "context.py", "notes", why)


def _without(section: Section, gone: list[Block]) -> Section:
    kept = tuple(b for b in section.blocks if all(b is not g for g in gone))
    return Section(section.title, section.level, section.path, section.line, kept)


def _rest(section: Section, used: list[Block], out: _Out) -> None:
    """What a memory section holds besides its items, kept as notes under its heading."""
    rest = [b for b in section.blocks if all(b is not u for u in used)]
    # The heading stays too, so the notes say where the items came from.
    out.notes.append(_labelled(label_of(section), as_markdown(rest)).strip())
    if rest:
        out.route(section, "context.py", "notes")


def _task(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    items = section.of("bullet")
    out.tasks += [b.text for b in items if not b.checked]
    out.done += [b.text for b in items if b.checked]
    if any(not b.checked for b in items):
        out.route(section, "memory.py", "tasks", why)
    if any(b.checked for b in items):
        out.route(section, "context.py", "completed_tasks", why)
    _rest(section, items, out)


def _issue(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    items = [b for b in section.blocks if b.kind in ("bullet", "paragraph") and b.info != "html"]
    for block in items:
        key = base = safe_stem(re.sub(r"[*`_]", "", block.text).split(":")[0][:48], "issue")
        n = 1
        while key in out.issues and out.issues[key] != block.text:  # one label, two issues
            n += 1
            key = f"{base}_{n}"
        out.issues[key] = block.text
    if items:
        out.route(section, "memory.py", "known_issues", why)
    _rest(section, items, out)


def _phase(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    first = next((b for b in section.blocks if b.kind in ("paragraph", "bullet")), None)
    if first is None or out.phase:
        _rule(section, out, why)
        return
    out.phase = first.text
    out.route(section, "memory.py", "phase", why)
    _rest(section, [first], out)


def _skill_name(title: str, out: _Out) -> str:
    base = safe_stem(title, "procedure").replace("_", "-")[:60].strip("-")
    name, n = base, 1
    while any(s.name == name for s in out.skills.values()):
        n += 1
        name = f"{base}-{n}"
    return name


def _owner(section: Section, out: _Out) -> _Skill | None:
    """The procedure a section belongs to: one whose heading is above it."""
    for depth in range(len(section.path) - 1, 0, -1):
        found = out.skills.get(section.path[:depth])
        if found is not None:
            return found
    return None


def _skill_of(section: Section, out: _Out, describe: Callable[[str], str]) -> _Skill:
    """The skill ``section`` adds to: its procedure's, else a new one described by ``describe``."""
    skill = _owner(section, out) or out.skills.get(section.path)  # a heading written twice
    if skill is None:
        title = section.title or out.src.origin
        skill = out.skills[section.path] = _Skill(_skill_name(title, out), title, describe(title))
    skill.sections.append(section)
    return skill


def _procedure(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    paragraphs = [b.text for b in section.blocks if b.kind == "paragraph" and b.info != "html"]
    first = sentences(paragraphs[0])[0].strip() if paragraphs else ""
    skill = _skill_of(section, out, lambda title: first or title)
    skill.body.append(out.raw.get(section.line, ""))
    out.route(section, f"skills/{safe_stem(skill.name)}.py", "docstring", why)


def _lesson(section: Section, out: _Out, why: tuple[str, ...]) -> None:
    skill = _skill_of(section, out, lambda title: f"Lessons from {out.src.origin}: {title}")
    skill.lessons.append(out.raw.get(section.line, ""))
    out.route(section, f"skills/{safe_stem(skill.name)}.py", "lessons_learned", why)


HANDLERS: dict[Kind, Callable[[Section, _Out, tuple[str, ...]], None]] = {
    "rule": _rule,
    "procedure": _procedure,
    "task": _task,
    "issue": _issue,
    "phase": _phase,
    "lesson": _lesson,
}


def _kind_of(section: Section, out: _Out) -> tuple[Kind, tuple[str, ...]]:
    kind, why = classify(section, KINDS)
    if kind == "rule" and _owner(section, out) is not None:
        return "procedure", ("under-procedure",)  # a step's own heading stays with its procedure
    return kind, why


def _skill_draft(skill: _Skill, doc: Document, origin: str) -> Draft:
    from stato.core.render import default_run
    from stato.formats.skillmd import class_name_for

    fields: dict[str, Any] = {
        "name": skill.name,
        "description": " ".join(skill.description.split()),
        "version": "1.0.0",
    }
    if deps := dependencies(doc, skill.sections):
        fields["depends_on"] = deps
    if skill.lessons:
        fields["lessons_learned"] = "\n\n".join(skill.lessons) + "\n"
    fields["tags"] = ["procedure" if skill.body else "lessons"]
    doc_text = "\n\n".join([*skill.body, f"Converted from {origin}."])
    cls = class_name_for(skill.name)
    return Draft(
        f"skills/{safe_stem(skill.name)}.py",
        "skill",
        cls,
        fields,
        safe_docstring(doc_text),
        origin,
        default_run(cls, None),
    )


def _front_notes(doc: Document, src: Source, rule: bool, title: str) -> list[str]:
    """A rule's heading line, and the front matter no field holds, as notes."""
    front = doc.front_matter
    out = []
    if rule and (front.get("description") or title):
        # "Cursor rule react.mdc (React components): Conventions for ..."
        head = f"{RULE_LABEL.get(src.kind, 'Rule')} {PurePath(src.origin).name}"
        wants = front.get("description")
        head += f" ({title})" if title and title != str(wants or "").strip() else ""
        out.append(f"{head}: {wants}" if wants else head)
    elif title:
        out.append(f"# {title}")
    # Other front matter (Windsurf's trigger, Kiro's inclusion, a docs site's title) is kept too.
    extra = [(k, v) for k, v in front.items() if k not in READ_KEYS and v not in (None, "", [])]
    if extra:
        out.append("Front matter: " + "; ".join(f"{k}: {yaml_text(v)}" for k, v in extra))
    return out


def _said(section: Section) -> bool:
    """True when a section holds text a person wrote, not only "@file" imports."""
    return any(
        b.rows or not (IMPORT_LINE.fullmatch(b.text) or not _about_project(b.text))
        for b in section.blocks
    )


def _leaves(notes: list[str], conventions: list[str]) -> list[str]:
    """Notes without the bare "## A" of a heading whose subsections say "A / B: ..." anyway."""
    text = "\n".join([*notes, *conventions])
    return [
        n for n in notes if not (n.startswith("## ") and "\n" not in n and f"{n[3:]} / " in text)
    ]


def _context(doc: Document, src: Source, out: _Out) -> Draft | None:
    """The context draft: project, description, conventions, notes; None when the file gave
    nothing for it."""
    title = doc.title or ""
    generic = not title or GENERIC_TITLE.search(title) or out.rule
    project = src.project_hint if generic else title
    notes = _front_notes(doc, src, out.rule, "" if project == title else title)
    notes += _leaves([n for n in out.notes if n], out.conventions)
    front = "" if out.rule else str(doc.front_matter.get("description") or "")
    description = out.description or front
    if not (out.conventions or notes or out.done or description or project == title != ""):
        return None  # (a title names the project: kept even when all else went elsewhere)
    fields: dict[str, Any] = {
        "project": project or "project",
        "description": description or f"{PLACEHOLDER}{src.origin}",
        "conventions": dedupe(out.conventions),
        "completed_tasks": dedupe(out.done),
        "notes": "\n\n".join(notes),
    }
    about = safe_docstring(f"Project context converted from {src.origin}.")
    kept = {k: v for k, v in fields.items() if v}
    return Draft("context.py", "context", "ProjectContext", kept, about, src.origin)


def _memory(src: Source, out: _Out) -> Draft | None:
    """The memory draft, only when the file names open work, known issues or a phase."""
    if not (out.tasks or out.issues or out.phase):
        return None
    fields: dict[str, Any] = {
        "phase": out.phase or "ongoing",
        "tasks": dedupe(out.tasks),
        "known_issues": out.issues,
    }
    about = safe_docstring(f"Working memory converted from {src.origin}.")
    kept = {k: v for k, v in fields.items() if v}
    return Draft("memory.py", "memory", "ProjectState", kept, about, src.origin)


def build_instructions(doc: Document, src: Source) -> tuple[list[Draft], list[Route]]:
    """Context, memory and skill drafts of an instruction file: each section classified by
    the signal table, then handed to the one function for its kind."""
    if not doc.front_matter and not any(map(_said, doc.sections)):
        return [], []  # headings alone (a template), imports, or only stato's own block
    rule, scope = _scope(doc.front_matter, src.kind)
    out = _Out(src, scope, raw_sections(doc, src.text), rule=rule)
    for section in doc.sections:
        kind, why = _kind_of(section, out)
        HANDLERS[kind](section, out, why)
    skills = [_skill_draft(s, doc, src.origin) for s in out.skills.values()]
    found = [_context(doc, src, out), *skills, _memory(src, out)]
    return [d for d in found if d is not None], out.routes
