"""What a conversion produces: module drafts, and the records and helpers the converters share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stato.formats.markdown import Document, Section

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


def is_under(pattern: re.Pattern[str], section: Section) -> bool:
    return any(pattern.search(title) for title in section.path)


def dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))
