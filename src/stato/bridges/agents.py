"""The records of the one agent table: what a coding agent reads, where its hooks and MCP go.

The rows live in ``stato.bridges.agent_table``; bridge, hooks, MCP install and ``stato context``
all read them through the lookups at the end of this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

FrontMatter = tuple[tuple[str, "str | bool"], ...]
FORMATS = ("markdown", "mdc", "text")

# Load kinds of an instruction file.
ALWAYS = "always"  # in every session, from its start
ON_DEMAND = "on-demand"  # only when the agent works on matching files or decides to read it


@dataclass(frozen=True)
class Read:
    """One instruction file (or glob) an agent loads by itself, relative to the project root.

    ``unless``: the agent skips this file when any of these exists (precedence: Claude Code
    reads AGENTS.md only without a CLAUDE.md; Zed reads only the first of its list; Cline reads
    other tools' rule folders only without .clinerules). A name ending in "/" is a folder,
    any other a file. ``limit_chars`` is the most the agent
    reads of one such file (it drops the rest). ``always_if``: see the field.
    """

    pattern: str
    when: str = ALWAYS
    unless: tuple[str, ...] = ()
    limit_chars: int | None = None
    # The front matter that keeps a matched file always on, as (key, value) pairs read in
    # order: the first pair whose key the file has decides (the value it needs; None: the key
    # must be absent), a pair with None whose key is absent means always; else on demand (a
    # Cursor .mdc without `alwaysApply: true`). Empty: its front matter does not decide.
    always_if: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True)
class OwnFile:
    """A file stato can write for an agent: path, format and the front matter it creates.

    ``link`` names a file the agent imports with a one-line ``@path`` (CLAUDE.md, GEMINI.md),
    so the block is not repeated. ``max_chars`` / ``max_bytes``: most the agent reads.
    """

    id: str
    path: str
    format: str = "markdown"
    front_matter: FrontMatter = ()
    link: str | None = None
    max_chars: int | None = None
    max_bytes: int | None = None


STDIO = {"command": "stato", "args": ["mcp"]}  # the server finds .stato/ from its working folder


@dataclass(frozen=True)
class HookTarget:
    """One agent's hook file, the entry stato adds to it, and the output the agent accepts.

    The defaults are Claude Code's layout, which most agents copy; ``user_file`` (relative to
    the home folder) defaults to ``project_file`` (relative to the project root).
    """

    id: str
    label: str
    project_file: str
    stdin: dict[str, Any]  # what the agent sends for the restoring event (for doctor)
    user_file: str = ""
    event: str = "SessionStart"
    matcher: str | None = None  # nested layout only: {"matcher": ..., "hooks": [entry]}
    nested: bool = True  # event -> [{"matcher", "hooks": [...]}] (Claude style) or event -> [entry]
    entry: dict[str, Any] = field(default_factory=lambda: {"type": "command"})  # without command
    command_keys: tuple[str, ...] = ("command",)
    timeout_key: str = "timeout"
    timeout: int = 30  # in the agent's unit
    unit: float = 1.0  # seconds per timeout unit (Gemini counts milliseconds)
    # "hookSpecificOutput" | "additionalContext" | "additional_context"
    outputs: tuple[str, ...] = ("hookSpecificOutput",)
    top: dict[str, Any] = field(default_factory=dict)  # keys the file itself needs
    docs: str = ""
    note: str = ""  # what a person should know after installing
    reaches: str = "yes"  # whether the output reaches the model: "yes", or why not / when not
    stdin_keys: tuple[str, ...] = ()  # keys only this agent's stdin has (who is calling)
    also_runs: tuple[str, ...] = ()  # other agents' hook files this agent runs too (by hook id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_file", self.user_file or self.project_file)

    @property
    def output(self) -> str:
        """The shape the agent itself reads (the first of ``outputs``)."""
        return self.outputs[0]


@dataclass(frozen=True)
class McpTarget:
    """Where one agent reads MCP servers from, and the entry it expects for a stdio server.

    ``project_file`` is None when the agent documents no project-level file;
    ``user_file`` (relative to the home folder) defaults to ``project_file``.
    """

    id: str
    label: str
    project_file: str | None
    docs: str
    user_file: str = ""
    key: str = "mcpServers"  # the object (JSON) or table (TOML) holding servers by name
    entry: dict[str, Any] = field(default_factory=lambda: dict(STDIO))
    note: str = ""  # what a person should know after a project install

    def __post_init__(self) -> None:
        object.__setattr__(self, "user_file", self.user_file or self.project_file)

    @property
    def toml(self) -> bool:
        return self.user_file.endswith(".toml")


@dataclass(frozen=True)
class Agent:
    """One coding agent: what it loads by itself, where its skills, hooks and MCP servers go.

    ``own`` is the agent's own instruction file: stato writes it for ``--platform all`` only when
    the agent does not read AGENTS.md (``reads_agents_md`` False). ``skills`` are the project
    folders it lists Agent Skills from. ``imports``: it expands ``@path`` lines. ``max_bytes``
    is the most it reads of all its always-on files together (Codex's project_doc_max_bytes).
    ``silent`` says what its documentation does not tell.
    """

    id: str
    label: str
    docs: tuple[str, ...]
    reads: tuple[Read, ...]
    reads_agents_md: bool
    own: tuple[OwnFile, ...] = ()
    skills: tuple[str, ...] = ()
    imports: bool = False
    hook: HookTarget | None = None
    mcp: McpTarget | None = None
    max_bytes: int | None = None
    max_chars: int | None = None  # per always-on file (warning threshold or hard cut)
    silent: str = ""
    user_files: tuple[str, ...] = ()  # always-on files in the home folder (relative to it)
    user_skills: tuple[str, ...] = ()  # skill folders in the home folder, listed in every project
    # A project settings file and the dotted key whose files (a name or a list) replace
    # ``reads`` (Gemini CLI's context.fileName, Aider's read): stato.bridges.load.as_configured.
    names_setting: tuple[str, str] | None = None

    @property
    def carrier(self) -> OwnFile | None:
        """The file stato writes so this agent loads the block (None: AGENTS.md carries it)."""
        if self.reads_agents_md or not self.own:
            return None
        return self.own[0]
