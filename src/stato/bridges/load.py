"""Which instruction files an agent loads, as its table row says, and how often stato's block.

Pure over three callables (does a path exist, which files match a glob, a file's text), so the
bridge can ask about the tree it is about to write and ``stato context`` about the one on disk.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from stato.bridges.agents import ALWAYS, ON_DEMAND, Agent, Read

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


# A file an agent's settings name: relative, plain segments, never ".." (never out of the project).
_FILE_NAME = re.compile(r"(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9_][A-Za-z0-9_./-]{0,199}")
MAX_NAMES = 20
MAX_SETTINGS_BYTES = 256 * 1024
AGENTS_MD = "AGENTS.md"


def _settings_value(rel: str, key: str, text: str) -> object:
    """The value at the dotted ``key`` of a settings file (JSON with comments, or YAML)."""
    if rel.endswith((".yml", ".yaml")):
        import yaml  # type: ignore[import-untyped]

        data = yaml.safe_load(text)  # never a tag that builds an object
    else:
        from stato.formats.jsonc import loads

        data = loads(text)
    for part in key.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data


@functools.lru_cache(maxsize=16)  # a bridge run asks per agent, per file it plans: parse once
def configured_names(rel: str, key: str, text: str | None) -> tuple[str, ...] | None:
    """The files a settings file's ``key`` names (a name or a list of them: Gemini CLI's
    ``context.fileName``, Aider's ``read``), or None when it names none we can use: no file,
    not parseable, or anything but relative paths inside the project. The file is the
    project's, so it is read as untrusted text, bounded, and never followed out of it."""
    if not text or len(text) > MAX_SETTINGS_BYTES:
        return None
    try:
        names = _settings_value(rel, key, text)
    except Exception:  # a damaged settings file is the agent's to report, not ours
        return None
    names = [names] if isinstance(names, str) else names
    if not isinstance(names, list) or not 0 < len(names) <= MAX_NAMES:
        return None
    if not all(isinstance(n, str) for n in names):
        return None
    plain = [n.removeprefix("./") for n in names]
    if not all(_FILE_NAME.fullmatch(n) for n in plain):
        return None
    return tuple(dict.fromkeys(plain))


def as_configured(agent: Agent, text_of: TextOf) -> Agent:
    """``agent`` as this project's settings make it read: Gemini CLI reads the files its
    ``context.fileName`` names instead of GEMINI.md (many projects set ["AGENTS.md",
    "GEMINI.md"]); Aider reads the files under ``read:`` in .aider.conf.yml, and nothing
    without it. Reading AGENTS.md itself, an agent needs no file of its own importing it."""
    if agent.names_setting is None:
        return agent
    rel, key = agent.names_setting
    names = configured_names(rel, key, text_of(rel))
    if names is None:
        return agent
    return replace(
        agent,
        reads=tuple(Read(name) for name in names),
        reads_agents_md=AGENTS_MD in names,
        silent="" if not agent.reads else agent.silent,  # its note told how to make it read
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
            when = when_loaded(read, text_of(rel)) if read.always_if else read.when
            add(rel, when, None, 0, read.limit_chars)
    return list(out.values())


def block_sources(loaded: list[Loaded], text_of: TextOf) -> list[str]:
    """The files loaded at every session start that carry stato's block: the agent reads it
    once per entry (a file it loads on demand only is not counted)."""
    return [f.path for f in loaded if f.when == ALWAYS and has_block(text_of(f.path))]


def when_loaded(read: Read, text: str | None) -> str:
    """When the agent loads a file ``read`` matched: its front matter can make it on demand."""
    if read.when != ALWAYS or not read.always_if:
        return read.when
    from stato.formats.markdown import split_front_matter

    front = split_front_matter(text or "")[0]
    for key, value in read.always_if:
        if key in front:
            found = front[key]
            # the same type too: Cursor takes `alwaysApply: "true"` (a string) as not always
            same = value is not None and type(found) is type(value) and found == value
            return ALWAYS if same else ON_DEMAND
        if value is None:
            return ALWAYS
    return ON_DEMAND
