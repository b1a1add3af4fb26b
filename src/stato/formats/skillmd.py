"""Agent Skills SKILL.md -> a skill draft: front matter, parameters, lessons, dependencies, body."""

from __future__ import annotations

import re
from typing import Any

from stato.formats.drafts import Draft, Source, dedupe, is_under, safe_docstring, yaml_text
from stato.formats.markdown import Document, Section
from stato.formats.stems import safe_stem

LESSON_WORDS = re.compile(
    r"\b(lessons?|gotchas?|pitfalls?|caveats?|tips?|troubleshooting|"
    r"known issues?|common (mistakes|errors)|best practices|warnings?|"
    r"important|notes?)\b",
    re.I,
)
PARAM_WORDS = re.compile(r"\b(param(eter)?s?|defaults?|configuration|settings)\b", re.I)
DEP_WORDS = re.compile(r"\b(requirements|dependencies|prerequisites|depends on)\b", re.I)
_PARAM = re.compile(
    r"\A`?([A-Za-z_][\w.-]*)`?\s*(?::|=|\u2014|-)\s*`?([^`]+?)`?"
    r"(\s+[\(\u2014-].*)?\Z"
)
_DEFAULT = re.compile(r"\bdefault(?:s| is| value)?\s*[:=]?\s*(`[^`]+`|[^\s),;]+)", re.I)
_WORD = re.compile(r"[\w.+/-]{1,40}")
_DEP = re.compile(r"`([^`]+)`|\A([A-Za-z][\w.-]*)")
_BARE_DEP = re.compile(r"`?([A-Za-z][\w.+-]*)`?")
# What `stato bridge --platform skills` adds around a skill: not part of the skill itself.
_EXPORT_KEYS = ("generated-by", "source", "stato-name", "version")
_EXPORT_SECTIONS = ("After using this skill",)


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


def build_skill(doc: Document, src: Source) -> list[Draft]:
    """A skill from an Agent Skills SKILL.md: name and description from the front matter."""
    fm, origin = doc.front_matter, src.origin
    from stato.core.agentskills import is_valid_name
    from stato.core.render import default_run

    meta = fm["metadata"] if isinstance(fm.get("metadata"), dict) else {}
    exported = meta.get("generated-by") == "stato"
    # A skill stato exported goes back under the name it has in stato ("qc_filtering").
    given = meta.get("stato-name") if exported else None
    raw_name = str(given or fm.get("name") or src.project_hint or doc.title or "skill")
    # A valid Agent Skill name is kept as written, so exporting the skill gives it back unchanged.
    # A name with no ASCII in it ("日本語文章作成") falls back on the skill's folder name.
    fallback = safe_stem(src.project_hint or "skill")
    name = raw_name if is_valid_name(raw_name) else safe_stem(raw_name, fallback)
    paragraphs = [b.text for s in doc.sections for b in s.of("paragraph")]
    fallback = paragraphs[0] if paragraphs else f"Skill converted from {origin}"
    description = " ".join(str(fm.get("description") or fallback).split())
    fields: dict[str, Any] = {"name": name, "description": description}
    version = str(meta.get("version") or fm.get("version") or "1.0.0")
    parts = version.split(".") if re.fullmatch(r"\d+(\.\d+){0,2}", version) else ["1"]
    fields["version"] = ".".join(parts + ["0"] * (3 - len(parts)))
    lessons: list[str] = []
    params: dict[str, Any] = {}
    deps: list[str] = []
    body: list[str] = []
    lines = _raw_sections(doc, src.text)
    for section in doc.sections:
        if is_under(PARAM_WORDS, section):
            found, rest = _params(section)
            params.update(found)
            if found and not rest:
                continue  # all of it is in default_params; otherwise the text stays in the body
        if exported and (section.level == 1 or section.title in _EXPORT_SECTIONS):
            continue  # the export's title, source line and closing advice
        if is_under(LESSON_WORDS, section):
            lessons += [b.text for b in section.blocks if b.kind in ("bullet", "paragraph")]
            if not [b for b in section.blocks if b.kind in ("code", "table")]:
                continue  # all of it is in lessons_learned; code or a table stays in the body
        elif is_under(DEP_WORDS, section):
            names, rest = _deps(section)
            deps += names
            if names and not rest:
                continue
        body.append(lines.get(section.line, ""))
    if deps:
        fields["depends_on"] = dedupe(deps)
    if params:
        fields["default_params"] = params
    if lessons:
        fields["lessons_learned"] = "\n".join(f"- {t}" for t in dedupe(lessons)) + "\n"
    fields["tags"] = ["agent-skill"]
    extra = [
        (f"{k}.{mk}" if isinstance(v, dict) else k, mv)
        for k, v in fm.items()
        if k != "description" and (k != "name" or v != name)  # a name changed is kept here
        for mk, mv in (v.items() if isinstance(v, dict) else [("", v)])
        if not (exported and k == "metadata" and mk in _EXPORT_KEYS)
    ]
    footer = "; ".join(f"{k}: {yaml_text(v)}" for k, v in extra)
    docstring = "\n\n".join(
        p
        for p in (
            description,
            "\n\n".join(b for b in body if b),
            f"Agent Skill front matter: {footer}" if footer else "",
        )
        if p
    )
    cls = class_name_for(name)
    run = default_run(cls, "default_params" if params else None)
    return [
        Draft(
            f"skills/{safe_stem(name)}.py",
            "skill",
            cls,
            fields,
            safe_docstring(docstring),
            origin,
            run,
        )
    ]


def _deps(section: Section) -> tuple[list[str], bool]:
    """(dependency names, whether the section also says more than the names): bullets that
    start with a name, or a line of names separated by commas."""
    names: list[str] = []
    rest = False
    for block in section.blocks:
        parts = [p.strip() for p in block.text.split(",")]
        if block.kind == "paragraph" and all(_BARE_DEP.fullmatch(p) for p in parts):
            names += [p.strip("`") for p in parts]
        elif block.kind == "bullet" and (m := _DEP.search(block.text)):
            names.append(m.group(1) or m.group(2))
            rest = rest or block.text.strip("`") != names[-1]
        else:
            rest = True
    return names, rest


def _raw_sections(doc: Document, text: str) -> dict[int, str]:
    """Section start line -> that section's Markdown exactly as written (heading included)."""
    lines = text.split("\n")  # not splitlines(): U+2028 or a form feed is no line break here
    starts = [s.line for s in doc.sections]
    ends = [*starts[1:], len(lines) + 1] if starts else []
    return {
        start: "\n".join(lines[start - 1 : end - 1]).strip()
        for start, end in zip(starts, ends, strict=True)
    }
