"""Agent Skills rules: a valid SKILL.md name/folder, and what cannot be exported as-is."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# The rules come from the Agent Skills specification (agentskills.io/specification) and its
# reference validator, PyPI `skills-ref` (skills_ref/validator.py): `name` is 1-64 characters of
# lowercase letters, digits and "-", no leading/trailing "-", no "--", equal to the folder name;
# `description` is 1-1024 characters. We keep names ASCII (a subset of what the validator allows)
# so every file system and every agent handles the folder the same way.
MAX_NAME = 64
MAX_DESCRIPTION = 1024
# "Keep SKILL.md under 5,000 tokens": the whole file is loaded when the skill is used
# (agentskills.io/specification, progressive disclosure).
MAX_BODY_TOKENS = 5000

_VALID_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NOT_ALLOWED = re.compile(r"[^a-z0-9]+")
_SNAKE = re.compile(r"[a-z0-9]+(?:_[a-z0-9]+)*")
# skills-ref splits the file on "---" before parsing YAML, so the text must never contain it.
_DASHES = re.compile(r"-{3,}")
# What a validator reads as an XML tag in a description: "<" then, later, ">" (`/<[^>]+>/`).
_TAG = re.compile(r"<[^>]+>")


def is_valid_name(name: object) -> bool:
    """True when ``name`` can be used unchanged as an Agent Skill name and folder."""
    return (
        isinstance(name, str)
        and 0 < len(name) <= MAX_NAME
        and _VALID_NAME.fullmatch(name) is not None
    )


def is_lossless(name: str) -> bool:
    """True when exporting ``name`` only swaps "_" for "-": "qc_filtering" -> "qc-filtering".

    Such a name goes back unchanged (one separator kind, nothing dropped, no case folded),
    so it needs no advice; two skills whose exported names collide are found per project.
    """
    if len(name) <= MAX_NAME and _SNAKE.fullmatch(name):
        return True  # the common case, without folding: skill_dir_name only swaps the "_"
    exported = skill_dir_name(name)
    return "-" not in name and name.replace("_", "-") == exported


def skill_dir_name(name: str) -> str:
    """The Agent Skill name and folder for a skill name: "qc_filtering" -> "qc-filtering".

    Accents are folded to ASCII, everything that is not a lowercase letter or digit becomes one
    "-", and the result is cut to 64 characters without a trailing "-". A name with nothing
    usable left becomes "skill".
    """
    if isinstance(name, str) and len(name) <= MAX_NAME and _SNAKE.fullmatch(name):
        return name.replace("_", "-")  # what the folding below gives such a name, at a tenth
    return _folded(name)


def _folded(name: str) -> str:
    """``skill_dir_name`` of any name: fold, split camelCase, one "-" per run of the rest."""
    folded = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    # Split camelCase before lowercasing so "QualityControl" reads "quality-control".
    folded = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", folded).lower()
    slug = _NOT_ALLOWED.sub("-", folded).strip("-")
    slug = slug[:MAX_NAME].rstrip("-")
    return slug or "skill"


def _untag(match: re.Match[str]) -> str:
    return "\u2039" + match.group(0)[1:-1] + "\u203a"


def clean_description(text: str) -> str:
    """One line of text (whitespace collapsed, no "---", nothing read as an XML tag), cut to
    1024 characters on a word."""
    line = _DASHES.sub("-", " ".join(str(text).split()))
    if len(line) > MAX_DESCRIPTION:
        line = line[: MAX_DESCRIPTION - 3].rsplit(" ", 1)[0].rstrip(" ,;:.") + "..."
    # Anthropic's Agent Skills rules: a description "cannot contain XML tags" (claude.ai refuses
    # `<name>`); the angle brackets of a tag-like span become the look-alikes ‹ ›, one for one.
    while _TAG.search(line):  # each pass takes at least one "<" (of at most 1024)
        line = _TAG.sub(_untag, line)
    return line


def export_problems(name: object, description: object) -> list[str]:
    if isinstance(name, str) and (description is None or isinstance(description, str)):
        return list(_export_problems_cached(name, description))
    return _export_problems(name, description)


@lru_cache(maxsize=256)
def _export_problems_cached(name: str, description: str | None) -> tuple[str, ...]:
    # The compiler asks for every skill on every validation; the answer depends on two strings.
    return tuple(_export_problems(name, description))


def _export_problems(name: object, description: object) -> list[str]:
    """Why a skill's ``name``/``description`` cannot be exported unchanged (empty when they can).

    Each entry is one short reason, fit for advice code I008. A name the export only changes
    from snake_case to kebab-case ("qc_filtering" -> "qc-filtering") loses nothing: no entry.
    """
    problems: list[str] = []
    if not isinstance(name, str) or not name.strip():
        problems.append("it has no usable name")
    elif not is_valid_name(name) and not is_lossless(name):
        problems.append(
            f"name {name!r} is exported as {skill_dir_name(name)!r} "
            "(Agent Skill names are 1-64 lowercase letters, digits and single hyphens)"
        )
    # A missing description is not a problem here: the export falls back to the docstring
    # (I002 already asks for one) and the result is valid.
    if description is None:
        pass
    elif not isinstance(description, str):
        problems.append("its description is not a string")
    else:
        if len(description) > MAX_DESCRIPTION:
            problems.append(
                f"description is {len(description)} characters; it is cut to {MAX_DESCRIPTION}"
            )
        if _DASHES.search(description):
            problems.append('description contains "---", which breaks SKILL.md front matter')
        if _TAG.search(description):
            problems.append(
                "description contains text read as an XML tag (<...>), which Claude's skill "
                "rules refuse; it is exported with \u2039 \u203a"
            )
    return problems
