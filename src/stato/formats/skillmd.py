"""Agent Skills SKILL.md -> a skill draft: front matter, parameters, lessons, dependencies, body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from stato.formats.deps import dependencies
from stato.formats.drafts import (
    Draft,
    Route,
    Source,
    label_of,
    raw_sections,
    safe_docstring,
    sentences,
    yaml_text,
)
from stato.formats.markdown import Document, Section
from stato.formats.signals import Kind, classify
from stato.formats.stems import safe_stem

SKILL_KINDS: tuple[Kind, ...] = ("rule", "lesson", "params")

_PARAM = re.compile(
    r"\A`?([A-Za-z_][\w.-]*)`?\s*(?::|=|\u2014|-)\s*`?([^`]+?)`?"
    r"(\s+[\(\u2014-].*)?\Z"
)
_DEFAULT = re.compile(r"\bdefault(?:s| is| value)?\s*[:=]?\s*(`[^`]+`|[^\s),;]+)", re.I)
_WORD = re.compile(r"[\w.+/-]{1,40}")
# What `stato bridge --platform skills` adds around a skill: not part of the skill itself.
_EXPORT_KEYS = ("generated-by", "source", "stato-name", "version")
_EXPORT_SECTIONS = ("After using this skill",)
# The sections the export writes after its title, in this order (stato.bridges.skills.body):
# each gives back one field of the skill, so converting the export is a round trip.
_EXPORTED = (
    "Procedure",
    "Parameters",
    "Inputs",
    "Outputs",
    "Lessons learned",
    "Depends on",
    *_EXPORT_SECTIONS,
)
_SCHEMAS = {"Inputs": "input_schema", "Outputs": "output_schema"}
_MAX_STATO_NAME = 200


def class_name_for(name: str) -> str:
    """The class of a converted skill: "pdf-processing" -> "PdfProcessing"."""
    from stato.core.render import class_name_for as camel

    base = camel(safe_stem(name))
    # A skill named "...state" would be read as memory by type inference; keep it a skill.
    return base + "Skill" if base.endswith(("Context", "State", "Protocol")) else base


def _param_value(text: str) -> Any:
    """A default written in Markdown as a Python value, or None when it is prose, not a value."""
    text = text.strip().strip("`").strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    for cast in (int, float):
        try:
            return cast(text.replace("_", ""))
        except ValueError:
            pass
    # A bare word ("scran", "lines") is a value; a phrase ("minimum genes per cell") is not.
    return text if _WORD.fullmatch(text) else None


def _params(section: Section) -> tuple[dict[str, Any], bool]:
    """(defaults found, whether the section also holds text that is not a default)."""
    params: dict[str, Any] = {}
    rest = False
    for block in section.blocks:
        if block.kind == "bullet" and (m := _PARAM.match(block.text)):
            stated = _DEFAULT.search(block.text)
            value = _param_value(stated.group(1) if stated else m.group(2))
            if value is not None:
                params[m.group(1)] = value
            rest = rest or value is None or stated is not None or bool(m.group(3))
        elif block.kind == "table" and len(block.rows) > 1:
            head = [c.lower() for c in block.rows[0]]
            col = next((i for i, c in enumerate(head) if "default" in c or "value" in c), 0)
            rest = rest or not col or len(head) > 2
            for row in block.rows[1:] if col else ():  # column 0 holds the names
                value = _param_value(row[col]) if len(row) > col else None
                if row[0] and value is not None:
                    params[row[0].strip("`")] = value
        elif block.kind != "table":
            rest = True
    return params, rest


def _identity(doc: Document, src: Source) -> tuple[dict[str, Any], bool]:
    """(name, description and version from the front matter, whether stato exported it)."""
    from stato.core.agentskills import is_valid_name

    fm = doc.front_matter
    meta = fm["metadata"] if isinstance(fm.get("metadata"), dict) else {}
    exported = meta.get("generated-by") == "stato"
    # A skill stato exported goes back under the name it has in stato ("qc_filtering").
    given = meta.get("stato-name") if exported else None
    raw_name = str(given or fm.get("name") or src.project_hint or doc.title or "skill")
    # A valid Agent Skill name is kept as written, so exporting the skill gives it back unchanged.
    # A name with no ASCII in it ("日本語文章作成") falls back on the skill's folder name.
    fallback = safe_stem(src.project_hint or "skill")
    # stato's own name for an exported skill comes back as it was ("QC_Filter", "x: y"): any
    # one line of text is a valid stato name; the file stem is derived from it separately.
    verbatim = is_valid_name(raw_name) or (given is not None and _plain_line(raw_name))
    name = raw_name if verbatim else safe_stem(raw_name, fallback)
    paragraphs = [b.text for s in doc.sections for b in s.of("paragraph") if b.info != "html"]
    first = sentences(paragraphs[0])[0].strip() if paragraphs else ""
    description = str(fm.get("description") or first or doc.title or f"Skill {name}")
    version = str(meta.get("version") or fm.get("version") or "1.0.0")
    parts = version.split(".") if re.fullmatch(r"\d+(\.\d+){0,2}", version) else ["1"]
    return {
        "name": name,
        "description": " ".join(description.split()),
        "version": ".".join(parts + ["0"] * (3 - len(parts))),
    }, exported


def _plain_line(text: str) -> bool:
    return 0 < len(text) <= _MAX_STATO_NAME and text.isprintable() and text.strip() == text


def _footer(fm: dict[str, Any], name: str, exported: bool) -> str:
    """The front matter no field holds ("license: MIT; allowed-tools: Read"), kept in the body."""
    extra = [
        (f"{k}.{mk}" if isinstance(v, dict) else k, mv)
        for k, v in fm.items()
        # a name changed is kept here, but not the one the export derived from stato's own
        if k != "description" and (k != "name" or (v != name and not exported))
        for mk, mv in (v.items() if isinstance(v, dict) else [("", v)])
        if not (exported and k == "metadata" and mk in _EXPORT_KEYS)
    ]
    return "\n".join(f"- {k}: {yaml_text(v)}" for k, v in extra)  # a line each: no giant line


@dataclass
class _Parts:
    body: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)


def _place(
    doc: Document, section: Section, raw: str, parts: _Parts, rel: str, exported: bool
) -> None:
    """One section of a SKILL.md into the body, lessons_learned or default_params."""
    kind, why = classify(section, SKILL_KINDS)
    where = "docstring"
    if kind == "params":
        found, rest = _params(section)
        parts.params.update(found)
        if found:  # the values; the text stays in the body when it says more
            parts.routes.append(
                Route(label_of(section) or section.title, section.line, rel, "default_params", why)
            )
        where = "default_params" if found and not rest else where
    elif kind == "lesson":
        # The heading `stato bridge` writes around a skill's lessons is not part of them.
        own = exported and section.title == "Lessons learned"
        parts.lessons.append(raw.split("\n", 1)[1].strip() if own and "\n" in raw else raw)
        where = "lessons_learned"
    if where == "docstring":
        parts.body.append(raw)
    if where != "default_params":
        parts.routes.append(
            Route(label_of(section) or section.title, section.line, rel, where, why)
        )
    if dependencies(doc, [section]):
        parts.routes.append(
            Route(label_of(section) or section.title, section.line, rel, "depends_on")
        )


def _span(cell: str) -> str:
    """The text of a table cell written as one code span (CommonMark 6.1), else the cell."""
    ticks = len(cell) - len(cell.lstrip("`"))
    if not ticks or len(cell) < 2 * ticks or not cell.endswith("`" * ticks):
        return cell
    inner = cell[ticks:-ticks]
    if len(inner) > 2 and inner[0] == inner[-1] == " " and inner.strip():
        inner = inner[1:-1]
    return inner


def _literal(text: str) -> Any:
    """A default as the export writes it: a Python literal (``200``, ``'200'``, ``['a']``), or
    else the string itself (``scran``). Parsed with ast.literal_eval, never run."""
    import ast

    try:
        return ast.literal_eval(text)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return text


def _exported_params(section: Section) -> dict[str, Any]:
    """The export's Parameters section: a table of code spans, long values in fences below."""
    params: dict[str, Any] = {}
    below: list[str] = []
    blocks = list(section.blocks)
    for block in blocks:
        for row in block.rows[1:] if block.kind == "table" else ():
            if len(row) < 2 or not row[0]:
                continue
            if row[1] == "(below)":
                below.append(row[0])
            else:
                params[row[0]] = _literal(_span(row[1]))
    for label, code in zip(blocks, blocks[1:], strict=False):  # each next to the one after it
        key = label.text[:-1] if label.kind == "paragraph" and label.text.endswith(":") else ""
        if key in below and code.kind == "code":
            params[key] = _literal(code.text)
    return params


@dataclass
class _Export:
    """The fields a SKILL.md stato exported gives back, section by section."""

    procedure: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    schemas: dict[str, Any] = field(default_factory=dict)  # input_schema, output_schema
    lessons: str = ""
    depends_on: list[str] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)


def _export_sections(doc: Document) -> list[Section]:
    """The sections the export wrote, in order: the first Procedure, then the last of each
    later one (a procedure may hold a "## Lessons learned" of its own: the export's comes
    after it)."""
    found = [s for s in doc.sections if s.level == 2 and s.title in _EXPORTED]
    start = next((s for s in found if s.title == "Procedure"), None)
    chosen: list[Section] = []
    limit = len(_EXPORTED)
    for section in reversed(found):
        rank = _EXPORTED.index(section.title)
        if 0 < rank < limit and (start is None or section.line > start.line):
            chosen.insert(0, section)
            limit = rank
    return [start, *chosen] if start is not None else chosen


def _exported(doc: Document, text: str, rel: str) -> _Export:
    """Read back what `stato bridge --platform skills` wrote: the procedure whole (headings of
    its own included) up to the next section the export writes, then each field's section."""
    lines = text.split("\n")
    out = _Export()
    sections = _export_sections(doc)
    for section, nxt in zip(sections, [*sections[1:], None], strict=True):
        end = nxt.line - 1 if nxt is not None else len(lines)
        content = "\n".join(lines[section.line : end]).strip()
        where = {"Procedure": "docstring", "Parameters": "default_params"}.get(section.title)
        if section.title == "Procedure":
            out.procedure = content
        elif section.title == "Parameters":
            out.params.update(_exported_params(section))
        elif section.title in _SCHEMAS:
            code = next((b.text for b in section.blocks if b.kind == "code"), None)
            schema = _literal(code) if code is not None else None
            if isinstance(schema, dict):  # the field's type; anything else stays out
                where = _SCHEMAS[section.title]
                out.schemas[where] = schema
        elif section.title == "Lessons learned":
            out.lessons = content + "\n"
            where = "lessons_learned"
        elif section.title == "Depends on":
            out.depends_on = [d.strip() for d in " ".join(content.split()).split(", ") if d.strip()]
            where = "depends_on"
        if where is not None:
            out.routes.append(Route(section.title, section.line, rel, where))
    return out


def build_skill(doc: Document, src: Source) -> tuple[list[Draft], list[Route]]:
    """A skill from an Agent Skills SKILL.md: name and description from the front matter, the
    sections as its body, lessons_learned or default_params (the signal table decides)."""
    from stato.core.render import default_run

    fields, exported = _identity(doc, src)
    rel = f"skills/{safe_stem(fields['name'])}.py"
    if exported and any(s.level == 2 and s.title in _EXPORTED for s in doc.sections):
        return _from_export(doc, src, fields, rel)
    parts = _Parts()
    raw = raw_sections(doc, src.text)
    for section in doc.sections:
        if exported and (section.level == 1 or section.title in _EXPORT_SECTIONS):
            continue  # the export's title, source line and closing advice
        _place(doc, section, raw.get(section.line, ""), parts, rel, exported)
    if deps := dependencies(doc):
        fields["depends_on"] = deps
    if parts.params:
        fields["default_params"] = parts.params
    if parts.lessons:
        fields["lessons_learned"] = "\n\n".join(parts.lessons) + "\n"
    fields["tags"] = ["agent-skill"]
    footer = _footer(doc.front_matter, fields["name"], exported)
    docstring = "\n\n".join(
        p
        for p in (
            fields["description"],
            "\n\n".join(b for b in parts.body if b),
            f"Agent Skill front matter:\n{footer}" if footer else "",
        )
        if p
    )
    cls = class_name_for(fields["name"])
    run = default_run(cls, "default_params" if parts.params else None)
    draft = Draft(rel, "skill", cls, fields, safe_docstring(docstring), src.origin, run)
    return [draft], parts.routes


def _from_export(
    doc: Document, src: Source, fields: dict[str, Any], rel: str
) -> tuple[list[Draft], list[Route]]:
    """A skill stato exported, field for field: converting the export gives the skill back."""
    from stato.core.render import default_run

    back = _exported(doc, src.text, rel)
    for key, value in (
        ("depends_on", back.depends_on),
        ("default_params", back.params),
        *back.schemas.items(),
        ("lessons_learned", back.lessons),
    ):
        if value:
            fields[key] = value
    fields["tags"] = ["agent-skill"]
    footer = _footer(doc.front_matter, fields["name"], True)
    docstring = "\n\n".join(
        p
        for p in (
            back.procedure or fields["description"],
            footer and f"Agent Skill front matter:\n{footer}",
        )
        if p
    )
    cls = class_name_for(fields["name"])
    run = default_run(cls, "default_params" if back.params else None)
    draft = Draft(rel, "skill", cls, fields, safe_docstring(docstring), src.origin, run)
    return [draft], back.routes
