"""Turn agent instruction files and SKILL.md into module drafts: one converter row per file kind."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from stato.formats.bundle import safe_stem
from stato.formats.markdown import Document, Section, parse_markdown

SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh", "fish", "powershell", "ps1", "cmd"}
TASK_WORDS = re.compile(r"\b(todo|to do|tasks?|next steps?|roadmap|in progress|backlog|wip)\b",
                        re.I)
ISSUE_WORDS = re.compile(r"\b(known (issues?|bugs?|problems?)|bugs|open questions?|limitations)\b",
                         re.I)
PHASE_WORDS = re.compile(r"\b(current (status|phase|focus|state)|phase|status)\b", re.I)
GENERIC_TITLE = re.compile(
    r"(claude|agents?|gemini|copilot|cursor|rules|instructions|guidelines|memory)(\.md)?\b", re.I)
LESSON_WORDS = re.compile(r"\b(lessons?|gotchas?|pitfalls?|caveats?|tips?|troubleshooting|"
                          r"known issues?|common (mistakes|errors)|best practices|warnings?|"
                          r"important|notes?)\b", re.I)
PARAM_WORDS = re.compile(r"\b(param(eter)?s?|defaults?|configuration|settings|options|"
                         r"arguments|inputs)\b", re.I)
DEP_WORDS = re.compile(r"\b(requirements|dependencies|prerequisites|depends on)\b", re.I)
ABOUT_FILE = re.compile(r"\bthis (file|document)\b", re.I)
_BOLD_LEAD = re.compile(r"\A\*\*(.+?)\*\*\s*[:\-\u2014]?\s*(.*)\Z")
_PARAM = re.compile(r"\A`?([A-Za-z_][\w.-]*)`?\s*(?::|=|\u2014|-)\s*`?([^`]+?)`?"
                    r"(?:\s+[\(\u2014-].*)?\Z")
_DEP = re.compile(r"`([^`]+)`|\A([A-Za-z][\w.-]*)")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def safe_docstring(text: str) -> str:
    """Text that ``render_module`` can put between triple quotes: no control characters, and no
    closing quote that would run into the docstring's own."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n")).strip()
    return text + " " if text.endswith('"') else text


@dataclass(frozen=True)
class Draft:
    """A module a conversion produces, before it is merged with the project and rendered."""

    rel: str
    module_type: str
    class_name: str
    fields: dict[str, Any]
    docstring: str
    origin: str
    methods_source: str | None = None


@dataclass(frozen=True)
class Conversion:
    kind: str
    origin: str
    drafts: tuple[Draft, ...]
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Converter:
    """One kind of input file: the names it has and the function that makes drafts of it."""

    kind: str
    label: str
    patterns: tuple[str, ...]  # case-insensitive file name patterns
    build: Callable[[Document, Source], list[Draft]] = field(repr=False)


@dataclass(frozen=True)
class Source:
    """The file being converted: its text, how to name it, and a project name to fall back on."""

    text: str
    origin: str
    project_hint: str
    kind: str


def _label(section: Section) -> str:
    return " / ".join(section.path)


def _is(pattern: re.Pattern[str], section: Section) -> bool:
    return any(pattern.search(title) for title in section.path)


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


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


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
        if _is(ISSUE_WORDS, section):
            issues.update(_issue(b.text) for b in section.blocks
                          if b.kind in ("bullet", "paragraph") and b.checked is None)
        elif _is(TASK_WORDS, section):
            tasks += [b.text for b in section.of("bullet") if b.checked is None]
        elif _is(PHASE_WORDS, section) and firsts and not phase:
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
    description = description or f"Project converted from {origin}"
    context: dict[str, Any] = {"project": project or "project", "description": description}
    if conventions:
        context["conventions"] = _dedupe(conventions)
    if done:
        context["completed_tasks"] = _dedupe(done)
    kept = [n for n in notes if n]
    if kind == "cursor-mdc" and doc.front_matter.get("description"):
        kept.insert(0, f"Cursor rule {PurePath(origin).name}: {doc.front_matter['description']}")
    if kept:
        context["notes"] = "\n\n".join(kept)
    drafts = [Draft("context.py", "context", "ProjectContext", context,
                    safe_docstring(f"Project context converted from {origin}."), origin)]
    if tasks or issues or phase:
        memory: dict[str, Any] = {"phase": phase or "ongoing"}
        if tasks:
            memory["tasks"] = _dedupe(tasks)
        if issues:
            memory["known_issues"] = issues
        drafts.append(Draft("memory.py", "memory", "ProjectState", memory,
                            safe_docstring(f"Working memory converted from {origin}."), origin))
    return drafts


def class_name_for(name: str) -> str:
    """The class of a converted skill: "pdf-processing" -> "PdfProcessing"."""
    from stato.core.render import class_name_for as camel

    base = camel(safe_stem(name))
    # A skill named "...state" would be read as memory by type inference; keep it a skill.
    return base + "Skill" if base.endswith(("Context", "State", "Protocol")) else base


def _param_value(text: str) -> Any:
    text = text.strip().strip("'\"")
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def _params(section: Section) -> tuple[dict[str, Any], list[str]]:
    params: dict[str, Any] = {}
    rest: list[str] = []
    for block in section.blocks:
        if block.kind == "bullet" and (m := _PARAM.match(block.text)):
            params[m.group(1)] = _param_value(m.group(2))
        elif block.kind == "table" and len(block.rows) > 1 and len(block.rows[0]) >= 2:
            head = [c.lower() for c in block.rows[0]]
            col = next((i for i, c in enumerate(head) if "default" in c or "value" in c), 1)
            for row in block.rows[1:]:
                if len(row) > col and row[0]:
                    params[row[0].strip("`")] = _param_value(row[col].strip("`"))
        elif block.kind in ("bullet", "paragraph"):
            rest.append(block.text)
    return params, rest


def build_skill(doc: Document, src: Source) -> list[Draft]:
    """A skill from an Agent Skills SKILL.md: name and description from the front matter."""
    fm, origin = doc.front_matter, src.origin
    from stato.core.agentskills import is_valid_name
    from stato.core.render import default_run

    raw_name = str(fm.get("name") or src.project_hint or doc.title or "skill")
    # A valid Agent Skill name is kept as written, so exporting the skill gives it back unchanged.
    name = raw_name if is_valid_name(raw_name) else safe_stem(raw_name)
    paragraphs = [b.text for s in doc.sections for b in s.of("paragraph")]
    fallback = paragraphs[0] if paragraphs else f"Skill converted from {origin}"
    description = " ".join(str(fm.get("description") or fallback).split())
    fields: dict[str, Any] = {"name": name, "description": description}
    meta = fm["metadata"] if isinstance(fm.get("metadata"), dict) else {}
    version = str(meta.get("version", "1.0.0"))
    parts = version.split(".") if re.fullmatch(r"\d+(\.\d+){0,2}", version) else ["1"]
    fields["version"] = ".".join(parts + ["0"] * (3 - len(parts)))
    lessons: list[str] = []
    params: dict[str, Any] = {}
    deps: list[str] = []
    body: list[str] = []
    lines = _raw_sections(doc, src.text)
    for section in doc.sections:
        if _is(PARAM_WORDS, section):
            found, rest = _params(section)
            params.update(found)
            lessons += rest if not found else []
            if found:
                continue
        if _is(LESSON_WORDS, section):
            lessons += [b.text for b in section.blocks if b.kind in ("bullet", "paragraph")]
            continue
        if _is(DEP_WORDS, section):
            for b in section.of("bullet"):
                if m := _DEP.search(b.text):
                    deps.append(m.group(1) or m.group(2))
            continue
        body.append(lines.get(section.line, ""))
    if deps:
        fields["depends_on"] = _dedupe(deps)
    if params:
        fields["default_params"] = params
    if lessons:
        fields["lessons_learned"] = "\n".join(f"- {t}" for t in _dedupe(lessons)) + "\n"
    fields["tags"] = ["agent-skill"]
    extra = [(f"{k}.{mk}" if isinstance(v, dict) else k, mv)
             for k, v in fm.items() if k not in ("name", "description")
             for mk, mv in (v.items() if isinstance(v, dict) else [("", v)])]
    footer = "; ".join(f"{k}: {v}" for k, v in extra)
    docstring = "\n\n".join(p for p in (description, "\n\n".join(b for b in body if b),
                                       f"Agent Skill front matter: {footer}" if footer else "")
                            if p)
    cls = class_name_for(name)
    run = default_run(cls, "default_params" if params else None)
    return [Draft(f"skills/{safe_stem(name)}.py", "skill", cls, fields, safe_docstring(docstring),
                  origin, run)]


def _raw_sections(doc: Document, text: str) -> dict[int, str]:
    """Section start line -> that section's Markdown exactly as written (heading included)."""
    lines = text.splitlines()
    starts = [s.line for s in doc.sections]
    ends = [*starts[1:], len(lines) + 1] if starts else []
    return {start: "\n".join(lines[start - 1 : end - 1]).strip()
            for start, end in zip(starts, ends, strict=True)}


CONVERTERS: tuple[Converter, ...] = (
    Converter("claude", "Claude Code CLAUDE.md", ("claude.md", "claude.local.md"),
              build_instructions),
    Converter("agents", "AGENTS.md", ("agents.md", "agents.override.md", "agent.md"),
              build_instructions),
    Converter("cursorrules", "Cursor legacy .cursorrules", (".cursorrules",), build_instructions),
    Converter("cursor-mdc", "Cursor rule (.cursor/rules/*.mdc)", ("*.mdc",), build_instructions),
    Converter("skill", "Agent Skill SKILL.md", ("skill.md",), build_skill),
    Converter("gemini", "Gemini CLI GEMINI.md", ("gemini.md",), build_instructions),
    Converter("copilot", "GitHub Copilot instructions",
              ("copilot-instructions.md", "*.instructions.md"), build_instructions),
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
