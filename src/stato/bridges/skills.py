"""Agent Skills export: one NAME/SKILL.md per skill, front matter exactly as PyYAML writes it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from stato.bridges.render import cell
from stato.bridges.summary import SkillView
from stato.core.agentskills import MAX_NAME, clean_description, skill_dir_name

GENERATOR = "stato"
SKILL_FILE = "SKILL.md"


def _unique(names: Iterable[str]) -> list[str]:
    """Folder names made unique by a numeric suffix, still within the 64-character limit."""
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        candidate, n = name, 2
        while candidate in seen:
            suffix = f"-{n}"
            candidate = name[: MAX_NAME - len(suffix)].rstrip("-") + suffix
            n += 1
        seen.add(candidate)
        out.append(candidate)
    return out


def description_for(skill: SkillView) -> str:
    """The skill's description (or docstring), else one generated from its name and parameters."""
    text = skill.description or ""
    if not text.strip():
        params = ", ".join(k for k, _ in skill.params[:5])
        text = f"Learned procedure '{skill.name}' from this project's stato modules"
        text += f" (parameters: {params})." if params else "."
    return clean_description(text)


def front_matter(folder: str, skill: SkillView) -> str:
    meta = {"generated-by": GENERATOR, "source": f".stato/{skill.path}", "stato-name": skill.name}
    if skill.version:
        meta["version"] = skill.version
    data = {"name": folder, "description": description_for(skill), "metadata": meta}
    text = _fast_yaml(data)
    if text is None:
        text = _pyyaml(data)
    return f"---\n{text}---\n"


def _pyyaml(data: dict[str, Any]) -> str:
    import yaml  # type: ignore[import-untyped]  # heavy: only the skills export needs it

    # width: keep each value on one line; quoting is the serializer's job (a ": " in a
    # description must never reach a strict YAML parser bare).
    # safe_dump is the pure-Python SafeDumper, on purpose: libyaml's CSafeDumper escapes some
    # characters differently, and the output must be byte-identical everywhere for `--check`.
    text: str = yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100_000
    )
    return text


# One line of characters PyYAML writes as they are with allow_unicode (printable, no line
# break: U+0085, U+2028 and U+2029 break lines; U+FEFF and the last code point are escaped).
_PRINTABLE = re.compile(
    "[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010fffe]+"
)
_INDICATOR = set("#,[]{}&*!|>'\"%@`")  # a value starting with one is quoted
_MAX_FAST = 10_000  # PyYAML folds a line past its width (100,000): longer values go to it


def _fast_yaml(data: dict[str, Any]) -> str | None:
    """``_pyyaml(data)`` for the front matter's shape (keys of plain words, string values, one
    nested mapping), without PyYAML's emitter; None when a value is not one line of printable
    text. tests/test_bridge_skills.py holds it byte-equal to PyYAML."""
    lines = []
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            for sub, item in value.items():
                scalar = _scalar(item)
                if scalar is None:
                    return None
                lines.append(f"  {sub}: {scalar}")
        else:
            scalar = _scalar(value)
            if scalar is None:
                return None
            lines.append(f"{key}: {scalar}")
    return "\n".join(lines) + "\n"


def _scalar(value: object) -> str | None:
    """``value`` as PyYAML's SafeDumper writes a block mapping value (Emitter.analyze_scalar and
    choose_scalar_style): plain when YAML reads it back unquoted as this string, else single-
    quoted; None (ask PyYAML) for anything but one line of printable text."""
    if type(value) is not str or len(value) > _MAX_FAST or not _PRINTABLE.fullmatch(value):
        return None
    first = value[0]
    quoted = (
        first == " "
        or value[-1] == " "
        or first in _INDICATOR
        or (first in "?:-" and value[1:2] in ("", " "))
        or value.startswith(("---", "..."))
        or ": " in value
        or value.endswith(":")
        or " #" in value
        or not _resolves_to_str(value)
    )
    return "'" + value.replace("'", "''") + "'" if quoted else value


@lru_cache(maxsize=1)
def _resolver() -> Any:
    import yaml

    return yaml.SafeDumper(None)


def _resolves_to_str(value: str) -> bool:
    """True when YAML reads ``value`` unquoted back as a string (not a bool, number, date, null)."""
    import yaml

    tag: str = _resolver().resolve(yaml.ScalarNode, value, (True, False))
    return tag == "tag:yaml.org,2002:str"


def body(skill: SkillView) -> str:
    out = [f"# {skill.name}", ""]
    if skill.description:
        out += [" ".join(skill.description.split()), ""]
    version = f" (version {skill.version})" if skill.version else ""
    out += [
        f"Source of truth: `.stato/{skill.path}`{version}. Edit that module, not this file; "
        "`stato bridge --platform skills` regenerates it.",
        "",
    ]
    procedure = (skill.procedure or "").strip()
    if procedure and " ".join(procedure.split()) != " ".join((skill.description or "").split()):
        # The skill's whole procedure, as written: the part an agent needs to do the work.
        out += ["## Procedure", "", procedure, ""]
    if skill.params:
        out += _params(skill.params)
    for title, schema in (("Inputs", skill.inputs), ("Outputs", skill.outputs)):
        if schema is not None:  # input_schema / output_schema, whole, as a Python literal
            text = _literal_text(schema)
            fence = "`" * max(3, _longest_run(text, "`") + 1)
            out += [f"## {title}", "", fence + "python", text, fence, ""]
    if skill.lessons:
        out += ["## Lessons learned", ""] + [f"- {lesson}" for lesson in skill.lessons] + [""]
    if skill.depends_on:
        out += ["## Depends on", "", ", ".join(skill.depends_on), ""]
    out += [
        "## After using this skill",
        "",
        f"If you learn something new, add it to `lessons_learned` in `.stato/{skill.path}` "
        "and run `stato validate .stato/`.",
    ]
    return "\n".join(out) + "\n"


_CELL = 60  # a longer value (or one of several lines) is written whole below the table


def _params(params: tuple[tuple[str, Any], ...]) -> list[str]:
    """The parameters table, every value whole: a short one in its cell as a code span (a
    "|" escaped so the table holds), a long or multi-line one in a fence after the table."""
    rows, below = ["## Parameters", "", "| Parameter | Default |", "|---|---|"], []
    for key, value in params:
        text = _shown(value)
        name = cell(str(key))
        if len(text) <= _CELL and "\n" not in text and "\r" not in text:
            rows.append(f"| {name} | {_code_span(text).replace('|', chr(92) + '|')} |")
            continue
        rows.append(f"| {name} | (below) |")
        fence = "`" * max(3, _longest_run(text, "`") + 1)
        below += [f"{name}:", "", fence, text, fence, ""]
    return [*rows, "", *below]


def _shown(value: Any) -> str:
    """A default as written in SKILL.md: a string as it is, unless it reads as another value
    ("200", "True", "") and so is quoted; anything else as its Python literal. `stato convert`
    reads it back with ast.literal_eval (stato.formats.skillmd)."""
    import ast

    if not isinstance(value, str):
        return repr(value)
    try:
        ast.literal_eval(value)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return value or '""'
    return repr(value)


def _literal_text(value: Any) -> str:
    import pprint

    return pprint.pformat(value, width=100, sort_dicts=False)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(f"{re.escape(char)}+", text)
    return max((len(r) for r in runs), default=0)


def _code_span(text: str) -> str:
    """``text`` as one Markdown code span, whatever backticks it holds (CommonMark 6.1)."""
    ticks = "`" * (_longest_run(text, "`") + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def folders(skills: Iterable[SkillView]) -> list[tuple[str, SkillView]]:
    """Each skill with its folder name, derived by the Agent Skills rules and made unique."""
    items = list(skills)
    return list(zip(_unique(skill_dir_name(s.name) for s in items), items, strict=True))


def render(folder: str, skill: SkillView) -> str:
    """The SKILL.md stato writes for ``skill`` in ``folder``."""
    return front_matter(folder, skill) + "\n" + body(skill)


def generated_by_stato(text: str) -> bool:
    """True when an existing SKILL.md was written by this export (so it may be replaced)."""
    import yaml

    if not text.startswith("---"):
        return False
    parts = text.split("---", 2)
    if len(parts) < 3:
        return False
    try:
        data = yaml.safe_load(parts[1])
    except yaml.YAMLError:
        return False
    meta = data.get("metadata") if isinstance(data, dict) else None
    return isinstance(meta, dict) and meta.get("generated-by") == GENERATOR
