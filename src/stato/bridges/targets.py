"""The one table of agent targets: which file each coding agent reads by itself, and its format."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

FrontMatter = tuple[tuple[str, "str | bool"], ...]


@dataclass(frozen=True)
class Target:
    """One agent's instruction file (or, for kind "skills", its Agent Skills folders).

    ``paths`` are posix paths relative to the project root; a "file" target has one path.
    ``front_matter`` is written (in this order) only when stato creates the file; afterwards
    stato owns just its marked block. ``link`` names a file this agent can import with a
    one-line ``@path`` instead of repeating the content. ``in_all`` is False for legacy or
    alternative locations that would make one agent read the same content twice; those are
    written only when asked for by id. ``max_chars`` / ``max_bytes`` is the most the agent
    reads of the file (it silently drops the rest), so a bigger file earns a warning.
    ``read_first`` lists files the agent takes in place of this one (the first that exists).
    """

    id: str
    agent: str
    paths: tuple[str, ...]
    format: str
    source: str
    front_matter: FrontMatter = ()
    link: str | None = None
    in_all: bool = True
    kind: str = "file"
    max_chars: int | None = None
    max_bytes: int | None = None
    read_first: tuple[str, ...] = ()  # files the agent reads instead, when one exists

    @property
    def path(self) -> str:
        return self.paths[0]


FORMATS = ("markdown", "mdc", "text", "skill-md")
# Codex stops reading AGENTS.md files at project_doc_max_bytes (32 KiB by default):
# https://developers.openai.com/codex/guides/agents-md
CODEX_MAX_BYTES = 32 * 1024
# "Each rule file is limited to 12,000 characters": https://docs.windsurf.com/windsurf/cascade/memories
WINDSURF_MAX_CHARS = 12_000


def over_limit(target: Target, text: str) -> str:
    """A warning when ``text`` is longer than ``target``'s agent reads, else ""."""
    if target.max_chars is not None and len(text) > target.max_chars:
        return (
            f"{len(text):,} characters, over the {target.max_chars:,} a Windsurf/Devin rule "
            "file may hold: remove skills or lessons, or use AGENTS.md"
        )
    size = len(text.encode("utf-8"))
    if target.max_bytes is not None and size > target.max_bytes:
        return (
            f"{size:,} bytes, over the {target.max_bytes:,} Codex reads "
            "(project_doc_max_bytes): the rest is silently dropped"
        )
    return ""


TARGETS: tuple[Target, ...] = (
    # The AGENTS.md standard, read at the repository root by Codex, Cursor, Copilot, Zed, Warp,
    # Amp, Jules, OpenCode, Junie, Devin, Cline, Kiro, ...: https://agents.md
    Target(
        "agents",
        "AGENTS.md standard (most agents)",
        ("AGENTS.md",),
        "markdown",
        "https://agents.md",
        max_bytes=CODEX_MAX_BYTES,
    ),
    # Claude Code reads CLAUDE.md; a line "@AGENTS.md" imports that file, so when AGENTS.md is
    # written too the block is that single line: https://docs.claude.com/en/docs/claude-code/memory
    Target(
        "claude",
        "Claude Code",
        ("CLAUDE.md",),
        "markdown",
        "https://docs.claude.com/en/docs/claude-code/memory",
        link="AGENTS.md",
    ),
    # Codex concatenates AGENTS.md files from the repo root down, up to 32 KiB
    # (project_doc_max_bytes): https://developers.openai.com/codex/guides/agents-md
    Target(
        "codex",
        "OpenAI Codex",
        ("AGENTS.md",),
        "markdown",
        "https://developers.openai.com/codex/guides/agents-md",
        max_bytes=CODEX_MAX_BYTES,
        read_first=("AGENTS.override.md",),  # read instead of AGENTS.md in the same folder
    ),
    # Cursor project rules: .mdc with front matter description / globs (comma-separated,
    # unquoted) / alwaysApply (a real boolean): https://cursor.com/docs/context/rules
    Target(
        "cursor-rules",
        "Cursor",
        (".cursor/rules/stato.mdc",),
        "mdc",
        "https://cursor.com/docs/context/rules",
        front_matter=(
            ("description", "stato project expertise, skills, plan progress and working rules"),
            ("globs", ""),
            ("alwaysApply", True),
        ),
    ),
    # The single-file .cursorrules: the bridge file stato's spec names for Cursor, deprecated by
    # Cursor's docs but still read next to .cursor/rules. `--platform cursor` writes both (see
    # ALIASES), so either generation of Cursor, and anyone following the spec, finds the bridge.
    Target(
        "cursor-legacy",
        "Cursor (legacy)",
        (".cursorrules",),
        "text",
        "https://cursor.com/docs/context/rules",
    ),
    # Repository-wide custom instructions (no front matter):
    # https://docs.github.com/en/copilot/how-tos/configure-custom-instructions
    Target(
        "copilot",
        "GitHub Copilot",
        (".github/copilot-instructions.md",),
        "markdown",
        "https://docs.github.com/en/copilot/how-tos/configure-custom-instructions",
    ),
    # Gemini CLI context file (name configurable via context.fileName):
    # https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/gemini-md.md
    Target(
        "gemini",
        "Gemini CLI",
        ("GEMINI.md",),
        "markdown",
        "https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/gemini-md.md",
    ),
    # Windsurf workspace rules, front matter trigger: always_on. Devin Desktop (the Windsurf
    # rebrand) and Devin CLI still read .windsurf/rules/*.md:
    # https://docs.devin.ai/cli/extensibility/rules.md, https://docs.windsurf.com/windsurf/cascade/memories
    Target(
        "windsurf",
        "Windsurf / Devin Desktop",
        (".windsurf/rules/stato.md",),
        "markdown",
        "https://docs.windsurf.com/windsurf/cascade/memories",
        front_matter=(("trigger", "always_on"),),
        max_chars=WINDSURF_MAX_CHARS,
    ),
    # Devin Desktop's preferred folder since the 2026 rebrand; it also reads .windsurf/rules,
    # so it is written only on request to avoid loading the block twice.
    Target(
        "devin",
        "Devin Desktop",
        (".devin/rules/stato.md",),
        "markdown",
        "https://docs.devin.ai/cli/extensibility/rules.md",
        front_matter=(("trigger", "always_on"),),
        in_all=False,
        max_chars=WINDSURF_MAX_CHARS,
    ),
    # Cline combines every .md in .clinerules/; no front matter means always active:
    # https://docs.cline.bot/customization/cline-rules
    Target(
        "cline",
        "Cline",
        (".clinerules/stato.md",),
        "markdown",
        "https://docs.cline.bot/customization/cline-rules",
    ),
    # Kiro steering files, front matter inclusion: always: https://kiro.dev/docs/steering/
    Target(
        "kiro",
        "Kiro",
        (".kiro/steering/stato.md",),
        "markdown",
        "https://kiro.dev/docs/steering/",
        front_matter=(("inclusion", "always"),),
    ),
    # Amazon Q Developer project rules: Markdown files in .amazonq/rules/:
    # https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html
    Target(
        "amazonq",
        "Amazon Q Developer",
        (".amazonq/rules/stato.md",),
        "markdown",
        "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html",
    ),
    # Junie's own default guidelines file (it reads AGENTS.md too, which `all` writes). Not
    # .junie/AGENTS.md: that one would hide a person's root AGENTS.md from Junie. Junie reads
    # only the first of .junie/AGENTS.md, AGENTS.md, .junie/guidelines.md.
    # https://www.jetbrains.com/help/junie/customize-guidelines.html
    Target(
        "junie",
        "JetBrains Junie",
        (".junie/guidelines.md",),
        "markdown",
        "https://www.jetbrains.com/help/junie/customize-guidelines.html",
        read_first=(".junie/AGENTS.md", "AGENTS.md"),
    ),
    # Read by no agent on its own: tell the agent to read it.
    Target(
        "generic", "any agent (when told to read it)", ("README.stato.md",), "markdown", "stato"
    ),
    # Agent Skills: NAME/SKILL.md, read from .claude/skills (Claude Code, Copilot, Cursor,
    # OpenCode, Cline) and .agents/skills (Codex, Gemini CLI, OpenCode, Amp, Zed, Antigravity):
    # https://agentskills.io/specification
    Target(
        "skills",
        "Agent Skills (SKILL.md folders)",
        (".claude/skills", ".agents/skills"),
        "skill-md",
        "https://agentskills.io/specification",
        kind="skills",
    ),
)

BY_ID: dict[str, Target] = {t.id: t for t in TARGETS}
# Names that stand for several rows. "cursor" is both of Cursor's files: the .cursorrules the
# spec names and the .cursor/rules/*.mdc Cursor documents today (Cursor then reads the block
# twice; name "cursor-rules" or "cursor-legacy" for one of them).
ALIASES: dict[str, tuple[str, ...]] = {"cursor": ("cursor-rules", "cursor-legacy")}


def shadowed(target: Target, text_of: Callable[[str], str | None]) -> str:
    """A warning when the agent reads another file instead of ``target``'s and it lacks the block.

    ``text_of(rel)`` is a file's text after this run (None when it does not exist).
    """
    for rel in target.read_first:
        text = text_of(rel)
        if text is None:
            continue
        if "stato:begin" in text:
            return ""
        return (
            f"{target.agent} reads {rel} instead of this file, and {rel} has no stato block: "
            f"add one (`stato bridge --platform agents` does it for AGENTS.md) or move {rel}"
        )
    return ""


def ids() -> tuple[str, ...]:
    """Every name ``select`` takes besides "all": the rows' ids and the aliases."""
    return tuple(dict.fromkeys([*(t.id for t in TARGETS), *ALIASES]))


def select(names: object) -> tuple[Target, ...]:
    """The targets named (in table order, each once); "all" means every row with ``in_all``.

    Raises KeyError naming the first unknown id.
    """
    wanted: set[str] = set()
    for raw in names if isinstance(names, (list, tuple, set, frozenset)) else [names]:
        for name in str(raw).split(","):
            name = name.strip().lower()
            if not name:
                continue
            if name == "all":
                wanted.update(t.id for t in TARGETS if t.in_all)
            elif name in ALIASES:
                wanted.update(ALIASES[name])
            elif name in BY_ID:
                wanted.add(name)
            else:
                raise KeyError(name)
    return tuple(t for t in TARGETS if t.id in wanted)
