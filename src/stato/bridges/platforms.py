"""What `--platform NAMES` means: which files a bridge run writes, and for which agents.

An agent's name writes what that agent needs to load stato's block exactly once: AGENTS.md
when it reads that file, else its own file (CLAUDE.md and GEMINI.md import AGENTS.md with one
``@AGENTS.md`` line). A file's id (``cursor-rules``, ``copilot-instructions``, ...) writes that
file, even when an agent then reads the block twice (the run says so). ``all`` is every agent.
"""

from __future__ import annotations

from dataclasses import dataclass

from stato.bridges.agent_table import AGENTS, BY_ID, FILES, SKILLS
from stato.bridges.agents import Agent, OwnFile
from stato.bridges.load import TextOf, as_configured

ALL = "all"


@dataclass(frozen=True)
class Selection:
    files: tuple[OwnFile, ...]  # in table order (FILES)
    skills: bool
    agents: tuple[Agent, ...]  # the agents this run serves (for the once-per-agent check)
    named_files: frozenset[str]  # file ids named explicitly (written even when they shadow)
    unreachable: tuple[Agent, ...] = ()  # named agents no file of stato's reaches (Aider)


def ids() -> tuple[str, ...]:
    """Every name ``select`` takes besides "all": agents, files, then "skills"."""
    return tuple(dict.fromkeys([*BY_ID, *FILES, SKILLS]))


def _names(names: object) -> list[str]:
    raw = names if isinstance(names, (list, tuple, set, frozenset)) else [names]
    return [n.strip().lower() for item in raw for n in str(item).split(",") if n.strip()]


def select(names: object, text_of: TextOf | None = None) -> Selection:
    """The files and agents ``names`` stand for. Raises KeyError naming the first unknown one.

    ``text_of`` reads the project's files: an agent's settings there can change what it reads
    (Gemini CLI's ``context.fileName``), and so which file carries the block to it.
    """
    files: set[str] = set()
    agents: list[Agent] = []
    named: set[str] = set()
    skills = False
    for name in _names(names):
        if name == ALL:
            agents += AGENTS
            files.add("generic")
            skills = True
        elif name == SKILLS:
            skills = True
        elif name in BY_ID:
            agents.append(BY_ID[name])
        elif name in FILES:
            files.add(name)
            named.add(name)
        else:
            raise KeyError(name)
    chosen = tuple({a.id: a for a in agents}.values())
    if text_of is not None:
        chosen = tuple(as_configured(a, text_of) for a in chosen)
    for agent in chosen:
        carrier = agent.carrier
        if agent.reads_agents_md:
            files.add("agents")
        elif carrier is not None:
            files.add(carrier.id)
            if carrier.link:  # CLAUDE.md / GEMINI.md import AGENTS.md, which must exist
                files.add("agents")
    unreachable = tuple(a for a in chosen if not a.reads_agents_md and a.carrier is None)
    return Selection(
        tuple(f for f in FILES.values() if f.id in files),
        skills,
        chosen,
        frozenset(named),
        unreachable,
    )
