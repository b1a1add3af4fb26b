"""`stato context`: what each agent loads at session start and on demand, in tokens.

Every instruction file the agent table says the agent reads (the person's text and stato's),
its skill index (name and description of each skill, read at start) and skill bodies (on
demand); stato's share of each; the block loaded more than once, files over a limit or over
the budget, files an agent skips because another comes first, and skills whose description
does not say when to use them. Sizes are estimates (stato.core.tokens): no tokenizer download.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from stato.adapters.fs import read_file
from stato.bridges.agent_table import AGENTS, BY_ID, limits_for
from stato.bridges.agents import ALWAYS, Agent
from stato.bridges.load import as_configured, has_block
from stato.core.tokens import estimate
from stato.errors import UsageError
from stato.ops.bridge_plan import Tree

SKILL_FILE = "SKILL.md"
# The Agent Skills spec: a description says what the skill does *and when to use it*.
_SAYS_WHEN = re.compile(
    r"\b(when|whenever|if|before|after|use (?:it|this|for|to|on|with|in)|trigger|for tasks?)\b",
    re.IGNORECASE,
)
_FRONT = re.compile(r"\A---\r?\n(.*?)\r?\n---\r?\n", re.DOTALL)
_BLOCK = re.compile(r"<!--[ \t]*stato:begin\b.*?<!--[ \t]*stato:end[^\n]*\n?", re.DOTALL)


@dataclass(frozen=True)
class FileLoad:
    """One file an agent loads: when, its size, how much of it is stato's, and its problems."""

    path: str
    when: str  # "always" | "on-demand"
    tokens: int
    stato_tokens: int
    via: str | None = None  # loaded through this file's @import
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class SkillLoad:
    """One Agent Skill an agent lists: its index line at start, its body on demand."""

    folder: str
    name: str
    index_tokens: int  # name + description, shown at every session start
    body_tokens: int  # the whole SKILL.md, read when the agent uses the skill
    stato: bool
    says_when: bool


@dataclass(frozen=True)
class AgentContext:
    id: str
    label: str
    files: tuple[FileLoad, ...]
    skills: tuple[SkillLoad, ...]
    shadowed: tuple[str, ...]  # "FILE (skipped: HIDER comes first)"
    duplicates: tuple[str, ...]
    over_budget: tuple[str, ...]
    notes: tuple[str, ...]

    @property
    def start_tokens(self) -> int:
        files = sum(f.tokens for f in self.files if f.when == ALWAYS)
        return files + sum(s.index_tokens for s in self.skills)

    @property
    def stato_start_tokens(self) -> int:
        files = sum(f.stato_tokens for f in self.files if f.when == ALWAYS)
        return files + sum(s.index_tokens for s in self.skills if s.stato)

    @property
    def on_demand_tokens(self) -> int:
        files = sum(f.tokens for f in self.files if f.when != ALWAYS)
        return files + sum(s.body_tokens for s in self.skills)

    @property
    def block_loads(self) -> int:
        return sum(1 for f in self.files if f.stato_tokens and f.when == ALWAYS)


@dataclass(frozen=True)
class ContextReport:
    root: Path
    budget: int
    agents: tuple[AgentContext, ...]

    @property
    def vague_skills(self) -> tuple[str, ...]:
        """Skills whose description does not say when to use them (each name once)."""
        return tuple(sorted({s.name for a in self.agents for s in a.skills if not s.says_when}))


def _stato_part(text: str) -> str:
    found = _BLOCK.search(text)
    return found.group(0) if found and has_block(text) else ""


def _description(text: str) -> tuple[str, str]:
    """(name, description) from a SKILL.md's front matter, read leniently (no YAML import)."""
    found = _FRONT.match(text)
    fields: dict[str, str] = {}
    for line in (found.group(1) if found else "").splitlines():
        key, sep, value = line.partition(":")
        if sep and not line.startswith((" ", "\t")):
            fields[key.strip()] = value.strip().strip("'\"")
    return fields.get("name", ""), fields.get("description", "")


def _skills(root: Path, agent: Agent, seen: dict[str, str]) -> list[SkillLoad]:
    """The skills the agent lists: the project's folders, then the person's own in the home
    folder (``~/.claude/skills``), which every project pays for at session start too."""
    home = Path.home()
    places = [(folder, root / folder) for folder in agent.skills]
    places += [(f"~/{folder}", home / folder) for folder in agent.user_skills]
    out: list[SkillLoad] = []
    for label, base in places:
        if not base.is_dir():
            continue
        for path in sorted(base.glob(f"*/{SKILL_FILE}")):
            key = str(path)
            text = seen.get(key)
            if text is None:
                try:
                    text = seen[key] = read_file(path).decode("utf-8", errors="replace")
                except OSError:
                    continue
            name, description = _description(text)
            out.append(
                SkillLoad(
                    label,
                    name or path.parent.name,
                    estimate(f"{name}: {description}"),
                    estimate(text),
                    "generated-by: stato" in text,
                    bool(_SAYS_WHEN.search(description)),
                )
            )
    return out


def _shadowed(agent: Agent, tree: Tree, loaded: set[str]) -> list[str]:
    """Files the agent would read but skips because another comes first (and not imported)."""
    out = []
    for read in agent.reads:
        hiders = [u for u in read.unless if tree.exists(u)]
        if not hiders:
            continue
        for rel in tree.listing(read.pattern):
            if rel in loaded:
                continue
            out.append(f"{rel} (skipped: {hiders[0].rstrip('/')} comes first)")
    return out


def _agent(root: Path, agent: Agent, tree: Tree, budget: int, seen: dict[str, str]) -> AgentContext:
    agent = as_configured(agent, tree.text_of)  # what the project's settings make it read
    files: list[FileLoad] = []
    hashes: dict[str, str] = {}
    duplicates: list[str] = []
    stato_paths: list[str] = []
    codex_bytes = 0
    for load in tree.loads(agent):
        text = tree.text_of(load.path) or ""
        problems: list[str] = []
        max_chars, _ = limits_for(load.path)
        limit = load.limit_chars or (max_chars if load.when == ALWAYS else None)
        if limit is not None and len(text) > limit:
            problems.append(f"{len(text):,} characters: {agent.label} reads {limit:,}")
        if agent.max_bytes is not None and load.when == ALWAYS:
            codex_bytes += len(text.encode("utf-8"))
            if codex_bytes > agent.max_bytes:
                problems.append(f"past the {agent.max_bytes:,} bytes {agent.label} reads in all")
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if text.strip() and digest in hashes:
            duplicates.append(f"{load.path} repeats {hashes[digest]}")
        hashes.setdefault(digest, load.path)
        stato = _stato_part(text)
        if stato and load.when == ALWAYS:
            stato_paths.append(load.path)
        files.append(
            FileLoad(
                load.path, load.when, estimate(text), estimate(stato), load.via, tuple(problems)
            )
        )
    for rel in agent.user_files:  # the person's own, in the home folder: always paid for too
        home_file = Path.home() / rel
        try:
            mine = home_file.read_text("utf-8", errors="replace") if home_file.is_file() else None
        except OSError:
            mine = None
        if mine is not None:
            files.append(FileLoad(f"~/{rel}", ALWAYS, estimate(mine), estimate(_stato_part(mine))))
    if len(stato_paths) > 1:
        duplicates.append(f"stato's block loads {len(stato_paths)} times: {', '.join(stato_paths)}")
    skills = _skills(root, agent, seen)
    names: dict[str, str] = {}
    for skill in skills:
        if skill.name in names and names[skill.name] != skill.folder:
            duplicates.append(
                f"skill {skill.name} listed from {names[skill.name]} and {skill.folder}"
            )
        names.setdefault(skill.name, skill.folder)
    stato_start = sum(f.stato_tokens for f in files if f.when == ALWAYS)
    over = [f"stato's always-on text is {stato_start:,} tokens, over the {budget:,} budget"]
    notes = [agent.silent] if agent.silent else []
    if not agent.reads:
        notes.append("loads no instruction file by itself")
    return AgentContext(
        agent.id,
        agent.label,
        tuple(files),
        tuple(skills),
        tuple(_shadowed(agent, tree, {f.path for f in files})),
        tuple(duplicates),
        tuple(over if stato_start > budget else ()),
        tuple(notes),
    )


def explain(root: Path, agent: str = "all") -> ContextReport:
    """What ``agent`` (or every agent in the table) loads in ``root``."""
    from stato.adapters.config import bridge_budget
    from stato.bridges.budget import DEFAULT_TOKENS, MIN_TOKENS

    if agent != "all" and agent not in BY_ID:
        raise UsageError.unknown_agent(agent, BY_ID)
    chosen = AGENTS if agent == "all" else (BY_ID[agent],)
    budget = bridge_budget(root, DEFAULT_TOKENS, MIN_TOKENS)
    tree = Tree(root)
    seen: dict[str, str] = {}  # SKILL.md texts, read once for all agents
    return ContextReport(root, budget, tuple(_agent(root, a, tree, budget, seen) for a in chosen))
