"""Which instruction files an agent loads, as its table row says, and how often stato's block.

Pure over three callables (does a path exist, which files match a glob, a file's text), so the
bridge can ask about the tree it is about to write and ``stato context`` about the one on disk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from stato.bridges.agents import Agent, Read

MAX_IMPORT_DEPTH = 5  # Claude Code follows @imports five hops deep; Gemini documents none
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_IMPORT = re.compile(r"(?:^|(?<=\s))@([A-Za-z0-9_.][A-Za-z0-9_./-]*\.md)\b", re.MULTILINE)
_BEGIN = re.compile(r"<!--[ \t]*stato:begin\b")
_BLOCK = re.compile(r"<!--[ \t]*stato:begin\b[^\n]*\n(.*?)<!--[ \t]*stato:end\b", re.DOTALL)

Exists = Callable[[str], bool]
Listing = Callable[[str], list[str]]
TextOf = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Loaded:
    """One file an agent loads: when, and through which file's ``@import`` (or directly)."""

    path: str
    when: str
    via: str | None = None
    limit_chars: int | None = None


def imports_of(text: str) -> list[str]:
    """The ``@path.md`` imports in ``text``, outside fenced code and code spans."""
    text = _FENCE.sub("", text)
    text = re.sub(r"`[^`\n]*`", "", text)
    return list(dict.fromkeys(m.group(1).removeprefix("./") for m in _IMPORT.finditer(text)))


def has_block(text: str | None) -> bool:
    """True when ``text`` carries stato's whole block (not only a one-line ``@import`` of it)."""
    if text is None or not _BEGIN.search(text):
        return False
    found = _BLOCK.search(text)
    body = found.group(1).strip() if found else ""
    return not (body.startswith("@") and "\n" not in body)


_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}")
MAX_NAMES = 20
AGENTS_MD = "AGENTS.md"


def configured_names(text: str | None) -> tuple[str, ...] | None:
    """The context file names a settings file's ``context.fileName`` sets (a name or a list of
    them), or None when it sets none we can use: no file, not JSON(C), or anything but plain
    file names. The file is the project's, so it is read as untrusted text and never followed
    out of the project (a name with a "/" is refused)."""
    from stato.formats.jsonc import JsoncError, loads

    if not text:
        return None
    try:
        data = loads(text)
    except JsoncError:
        return None
    context = data.get("context") if isinstance(data, dict) else None
    names = context.get("fileName") if isinstance(context, dict) else None
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not 0 < len(names) <= MAX_NAMES:
        return None
    if not all(isinstance(n, str) and _FILE_NAME.fullmatch(n) for n in names):
        return None
    return tuple(dict.fromkeys(names))


def as_configured(agent: Agent, text_of: TextOf) -> Agent:
    """``agent`` as this project's settings make it read: Gemini CLI reads the files its
    ``context.fileName`` names instead of GEMINI.md (many projects set ["AGENTS.md",
    "GEMINI.md"]). Reading AGENTS.md itself, it needs no GEMINI.md importing it."""
    if agent.names_setting is None:
        return agent
    names = configured_names(text_of(agent.names_setting))
    if names is None:
        return agent
    return replace(
        agent, reads=tuple(Read(name) for name in names), reads_agents_md=AGENTS_MD in names
    )


def loads(agent: Agent, exists: Exists, listing: Listing, text_of: TextOf) -> list[Loaded]:
    """Every project file ``agent`` loads, in its order, imports expanded (each file once)."""
    agent = as_configured(agent, text_of)
    out: dict[str, Loaded] = {}

    def add(rel: str, when: str, via: str | None, depth: int, limit: int | None) -> None:
        if rel in out:
            return
        out[rel] = Loaded(rel, when, via, limit)
        if not agent.imports or depth >= MAX_IMPORT_DEPTH:
            return
        text = text_of(rel)
        for target in imports_of(text) if text else []:
            if exists(target):
                add(target, when, rel, depth + 1, limit)

    for read in agent.reads:
        if any(exists(u) for u in read.unless):
            continue
        for rel in listing(read.pattern):
            add(rel, read.when, None, 0, read.limit_chars)
    return list(out.values())


def block_sources(loaded: list[Loaded], text_of: TextOf) -> list[str]:
    """The loaded files that carry stato's block: the agent reads it once per entry."""
    return [f.path for f in loaded if has_block(text_of(f.path))]
