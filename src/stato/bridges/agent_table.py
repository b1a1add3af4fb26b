"""The one agent table: one row per coding agent, each citing the documentation it follows.

Checked in late 2026 against each agent's own documentation (first address of ``docs``); where
the documentation is silent the row says so in ``silent`` and stato assumes the least.
Bridge (``--platform``), ``hooks``, ``mcp install`` and ``stato context`` all read this table.
"""

from __future__ import annotations

import fnmatch

from stato.bridges.agents import ON_DEMAND, STDIO, Agent, HookTarget, McpTarget, OwnFile, Read

# Codex stops reading AGENTS.md files at project_doc_max_bytes (32 KiB by default):
# https://developers.openai.com/codex/guides/agents-md
CODEX_MAX_BYTES = 32 * 1024
# "Each rule file is limited to 12,000 characters": https://docs.windsurf.com/windsurf/cascade/memories
WINDSURF_MAX_CHARS = 12_000
# Claude Code warns when a CLAUDE.md passes 40,000 characters (and its docs advise ~200 lines):
# https://code.claude.com/docs/en/memory
CLAUDE_MAX_CHARS = 40_000

AGENTS_MD = "AGENTS.md"
CLAUDE_FILES = ("CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md")
# Zed reads only the first of these that exists: https://zed.dev/docs/ai/rules
ZED_ORDER = (
    ".rules",
    ".cursorrules",
    ".windsurfrules",
    ".clinerules",
    ".github/copilot-instructions.md",
    "AGENT.md",
    "AGENTS.md",
    "CLAUDE.md",
    "GEMINI.md",
)


# Windsurf and Devin rule files: `trigger: always_on`; model_decision, glob and manual are not.
# No trigger at all is taken as always (stato writes one; the docs give no default).
ALWAYS_ON: tuple[tuple[str, object], ...] = (("trigger", "always_on"), ("trigger", None))


def _zed_reads() -> tuple[Read, ...]:
    return tuple(Read(p, unless=ZED_ORDER[:i]) for i, p in enumerate(ZED_ORDER))


def _vscode_user_file() -> str:
    """VS Code's user mcp.json sits in its User settings folder, which depends on the OS."""
    import sys

    if sys.platform == "darwin":
        return "Library/Application Support/Code/User/mcp.json"
    if sys.platform == "win32":
        return "AppData/Roaming/Code/User/mcp.json"
    return ".config/Code/User/mcp.json"


_SESSION_START = {
    "session_id": "doctor",
    "transcript_path": "",
    "cwd": "",
    "hook_event_name": "SessionStart",
}

AGENTS: tuple[Agent, ...] = (
    Agent(
        "claude",
        "Claude Code",
        (
            "https://code.claude.com/docs/en/memory",
            "https://code.claude.com/docs/en/skills",
            "https://code.claude.com/docs/en/hooks",
            "https://code.claude.com/docs/en/mcp",
        ),
        reads=(
            *(Read(p, limit_chars=CLAUDE_MAX_CHARS) for p in CLAUDE_FILES),
            # those with `paths:` front matter load on demand
            Read(".claude/rules/*.md", always_if=(("paths", None),)),
            # Since 2.1.277 (instructionFiles = claude-md-or-agents-md, the default) AGENTS.md
            # loads only when the project has no CLAUDE.md of its own.
            Read(AGENTS_MD, unless=CLAUDE_FILES),
        ),
        # Not counted as reading AGENTS.md: with a CLAUDE.md (any person's) it does not, so stato
        # writes CLAUDE.md holding the one line @AGENTS.md, which loads it exactly once.
        reads_agents_md=False,
        user_files=(".claude/CLAUDE.md",),
        own=(OwnFile("claude-md", "CLAUDE.md", link=AGENTS_MD, max_chars=CLAUDE_MAX_CHARS),),
        skills=(".claude/skills",),
        user_skills=(".claude/skills",),
        imports=True,
        max_chars=CLAUDE_MAX_CHARS,
        hook=HookTarget(
            "claude",
            "Claude Code",
            ".claude/settings.json",
            {**_SESSION_START, "source": "compact"},
            # SessionStart with source "compact" is the event whose output is injected after
            # compaction; PreCompact output is not.
            matcher="compact|resume|clear",
            docs="https://code.claude.com/docs/en/hooks",
        ),
        mcp=McpTarget(
            "claude",
            "Claude Code",
            ".mcp.json",
            "https://code.claude.com/docs/en/mcp",
            user_file=".claude.json",
            entry={"type": "stdio", **STDIO},
        ),
    ),
    Agent(
        "codex",
        "OpenAI Codex",
        (
            "https://developers.openai.com/codex/guides/agents-md",
            "https://developers.openai.com/codex/skills",
            "https://developers.openai.com/codex/hooks",
            "https://developers.openai.com/codex/mcp",
        ),
        # AGENTS.override.md replaces AGENTS.md in the same folder; files from the repo root down
        # to the working folder are concatenated up to project_doc_max_bytes.
        reads=(Read("AGENTS.override.md"), Read(AGENTS_MD, unless=("AGENTS.override.md",))),
        reads_agents_md=True,
        user_files=(".codex/AGENTS.md",),
        skills=(".agents/skills",),
        user_skills=(".agents/skills",),  # the USER scope of the skills page
        max_bytes=CODEX_MAX_BYTES,
        hook=HookTarget(
            "codex",
            "Codex CLI",
            ".codex/hooks.json",
            {**_SESSION_START, "transcript_path": None, "model": "doctor", "source": "compact"},
            # The {"hooks": {...}} wrapper is required; output as Claude's hookSpecificOutput.
            # "compact" is a SessionStart source since openai/codex#21272: without it the hook
            # never fires after compaction, the one event it exists for.
            matcher="startup|resume|clear|compact",
            note="Codex runs a new hook only after you review and trust it (/hooks)",
            reaches="yes, once you trust the hook in Codex (/hooks)",
            docs="https://developers.openai.com/codex/hooks",
        ),
        mcp=McpTarget(
            "codex",
            "Codex CLI",
            ".codex/config.toml",
            "https://developers.openai.com/codex/mcp",
            key="mcp_servers",
        ),
    ),
    Agent(
        "cursor",
        "Cursor",
        (
            "https://cursor.com/docs/context/rules",
            "https://cursor.com/docs/context/skills",
            "https://cursor.com/docs/agent/hooks",
            "https://cursor.com/docs/reference/third-party-hooks",
            "https://cursor.com/docs/context/mcp",
        ),
        reads=(
            # alwaysApply: true (a real boolean); the others attach on demand
            Read(".cursor/rules/*.mdc", always_if=(("alwaysApply", True),)),
            Read(AGENTS_MD),
            Read(".cursorrules"),  # legacy, still read
        ),
        reads_agents_md=True,
        own=(
            # Written only when named: Cursor reads AGENTS.md, so either would load it twice.
            OwnFile(
                "cursor-rules",
                ".cursor/rules/stato.mdc",
                "mdc",
                (
                    ("description", "stato project expertise, skills, plan progress and rules"),
                    ("globs", ""),
                    ("alwaysApply", True),
                ),
            ),
            OwnFile("cursor-legacy", ".cursorrules", "text"),
        ),
        # .claude/skills and .codex/skills are read for compatibility (third-party configs on)
        skills=(".cursor/skills", ".agents/skills", ".claude/skills"),
        hook=HookTarget(
            "cursor",
            "Cursor",
            ".cursor/hooks.json",
            {
                "conversation_id": "doctor",
                "generation_id": "doctor",
                "hook_event_name": "sessionStart",
                "workspace_roots": [],
            },
            # .cursor/hooks.json, version 1, camelCase events; sessionStart may return
            # {"additional_context": ...}.
            event="sessionStart",
            nested=False,
            entry={},
            outputs=("additional_context",),
            top={"version": 1},
            docs="https://cursor.com/docs/agent/hooks",
            stdin_keys=("conversation_id", "cursor_version", "workspace_roots"),
            # With third-party configs on, Cursor also runs .claude/settings.json hooks.
            also_runs=("claude",),
        ),
        # Cursor does not promise the server's working folder, but it expands ${workspaceFolder}.
        mcp=McpTarget(
            "cursor",
            "Cursor",
            ".cursor/mcp.json",
            "https://cursor.com/docs/context/mcp",
            entry={"command": "stato", "args": ["mcp", "--path", "${workspaceFolder}"]},
        ),
    ),
    Agent(
        "copilot",
        "GitHub Copilot (VS Code, Copilot CLI, coding agent)",
        (
            "https://code.visualstudio.com/docs/agent-customization/custom-instructions",
            "https://docs.github.com/en/copilot/how-tos/configure-custom-instructions",
            "https://github.blog/changelog/2025-08-28-copilot-coding-agent-now-supports-agents-md-custom-instructions/",
            "https://code.visualstudio.com/docs/agent-customization/hooks",
            "https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference",
            "https://code.visualstudio.com/docs/copilot/customization/mcp-servers",
        ),
        reads=(
            Read(".github/copilot-instructions.md"),
            Read(AGENTS_MD),  # VS Code (chat.useAgentsMdFile), Copilot CLI and the coding agent
            Read(".github/instructions/*.instructions.md", ON_DEMAND),  # by applyTo glob
        ),
        reads_agents_md=True,
        own=(OwnFile("copilot-instructions", ".github/copilot-instructions.md"),),
        skills=(".github/skills", ".claude/skills", ".agents/skills"),
        hook=HookTarget(
            "copilot",
            "GitHub Copilot",
            ".github/hooks/stato.json",
            {"sessionId": "doctor", "timestamp": 0, "cwd": "", "source": "resume"},
            user_file=".copilot/hooks/stato.json",
            # .github/hooks/*.json, version 1, bash/powershell, timeoutSec. VS Code injects
            # hookSpecificOutput.additionalContext and drops a top-level one; the Copilot SDK's
            # SessionStartHookOutput has a top-level additionalContext. Each reads only its own
            # key, so stato prints both and neither agent gets the recap twice.
            event="sessionStart",
            nested=False,
            command_keys=("bash", "powershell"),
            timeout_key="timeoutSec",
            outputs=("hookSpecificOutput", "additionalContext"),
            top={"version": 1},
            note="VS Code injects the recap; Copilot CLI runs sessionStart hooks but documents "
            "their output as not processed yet (github/copilot-cli#2142)",
            reaches="yes in VS Code; not yet in Copilot CLI (output not processed, "
            "github/copilot-cli#2142)",
            docs="https://docs.github.com/en/copilot/reference/copilot-cli-reference/cli-hooks-reference",
            # camelCase keys and a timestamp: Claude Code's own stdin has none of them
            stdin_keys=("sessionId", "hookEventName", "timestamp", "initialPrompt"),
            # VS Code and Copilot CLI also run Claude Code's .claude/settings.json hooks.
            also_runs=("claude",),
        ),
        # VS Code names the object "servers" and expands ${workspaceFolder} in args.
        mcp=McpTarget(
            "vscode",
            "VS Code / Copilot",
            ".vscode/mcp.json",
            "https://code.visualstudio.com/docs/copilot/customization/mcp-servers",
            user_file=_vscode_user_file(),
            key="servers",
            entry={
                "type": "stdio",
                "command": "stato",
                "args": ["mcp", "--path", "${workspaceFolder}"],
            },
        ),
    ),
    Agent(
        "gemini",
        "Gemini CLI",
        (
            "https://github.com/google-gemini/gemini-cli/blob/main/docs/cli/gemini-md.md",
            "https://geminicli.com/docs/cli/skills",
            "https://github.com/google-gemini/gemini-cli/blob/main/docs/hooks/reference.md",
            "https://geminicli.com/docs/tools/mcp-server",
        ),
        # GEMINI.md by default (context.fileName in .gemini/settings.json can add AGENTS.md).
        reads=(Read("GEMINI.md"),),
        reads_agents_md=False,
        user_files=(".gemini/GEMINI.md",),
        own=(OwnFile("gemini-md", "GEMINI.md", link=AGENTS_MD),),  # @file imports are expanded
        skills=(".gemini/skills", ".agents/skills"),
        user_skills=(".gemini/skills", ".agents/skills"),  # the user tier of skill discovery
        names_setting=(".gemini/settings.json", "context.fileName"),  # ["AGENTS.md", "GEMINI.md"]
        imports=True,
        hook=HookTarget(
            "gemini",
            "Gemini CLI",
            ".gemini/settings.json",
            {**_SESSION_START, "timestamp": "2026-01-01T00:00:00Z", "source": "resume"},
            # Named hooks, timeouts in milliseconds, stdout must be JSON only. A lifecycle matcher
            # is an exact string, so none: startup, resume and clear all get the recap.
            entry={
                "name": "stato-resume",
                "type": "command",
                "description": "Restore stato's recap",
            },
            timeout=30000,
            unit=0.001,
            note="with folder trust on, Gemini skips .gemini/settings.json in untrusted folders",
            reaches="yes at startup, resume and clear (Gemini has no event after compression)",
            docs="https://github.com/google-gemini/gemini-cli/blob/main/docs/hooks/reference.md",
        ),
        mcp=McpTarget(
            "gemini",
            "Gemini CLI",
            ".gemini/settings.json",
            "https://geminicli.com/docs/tools/mcp-server",
        ),
    ),
    Agent(
        "windsurf",
        "Windsurf (Cascade)",
        (
            "https://docs.windsurf.com/windsurf/cascade/memories",
            "https://docs.windsurf.com/windsurf/cascade/agents-md",
            "https://docs.windsurf.com/windsurf/cascade/skills",
            "https://docs.windsurf.com/windsurf/cascade/mcp",
        ),
        reads=(
            Read(".windsurf/rules/*.md", limit_chars=WINDSURF_MAX_CHARS, always_if=ALWAYS_ON),
            Read(".windsurfrules", limit_chars=WINDSURF_MAX_CHARS),  # legacy
            Read(AGENTS_MD, limit_chars=WINDSURF_MAX_CHARS),  # root: always on; nested: scoped
        ),
        reads_agents_md=True,
        user_files=(".codeium/windsurf/memories/global_rules.md",),
        own=(
            OwnFile(
                "windsurf-rules",
                ".windsurf/rules/stato.md",
                front_matter=(("trigger", "always_on"),),
                max_chars=WINDSURF_MAX_CHARS,
            ),
        ),
        # .claude/skills only with "read Claude Code config" on
        skills=(".windsurf/skills", ".agents/skills", ".claude/skills"),
        max_chars=WINDSURF_MAX_CHARS,
        # agent-targets.md (and the rule-sync tools) name .windsurf/mcp_config.json for the
        # project; Windsurf's own page names only the user file, so the install says so.
        mcp=McpTarget(
            "windsurf",
            "Windsurf",
            ".windsurf/mcp_config.json",
            "https://docs.windsurf.com/windsurf/cascade/mcp",
            user_file=".codeium/windsurf/mcp_config.json",
            note="Windsurf's MCP page documents only ~/.codeium/windsurf/mcp_config.json: "
            "if Cascade does not list stato, rerun with --user",
        ),
        silent="Cascade hooks document no session-start event whose output reaches the model",
    ),
    Agent(
        "devin",
        "Devin (Desktop, CLI)",
        ("https://docs.devin.ai/cli/extensibility/rules.md",),
        reads=(
            Read(AGENTS_MD),
            Read(".devin/rules/*.md", always_if=ALWAYS_ON),
            Read(".windsurf/rules/*.md", always_if=ALWAYS_ON),
        ),
        reads_agents_md=True,
        own=(
            OwnFile(
                "devin-rules",
                ".devin/rules/stato.md",
                front_matter=(("trigger", "always_on"),),
                max_chars=WINDSURF_MAX_CHARS,
            ),
        ),
        skills=(".agents/skills",),
        silent="skill folders, hooks and MCP files are not checked here beyond .agents/skills",
    ),
    Agent(
        "cline",
        "Cline",
        (
            "https://docs.cline.bot/features/cline-rules/overview",
            "https://docs.cline.bot/features/skills",
        ),
        reads=(
            Read(".clinerules/*.md", always_if=(("paths", None),)),  # `paths:` rules: when matched
            Read(".clinerules"),  # the legacy single file
            # Other tools' rules load only while no .clinerules exists: creating .clinerules/
            # silently stops Cline reading a team's .cursor/rules or .windsurf/rules.
            Read(".cursor/rules/*.mdc", unless=(".clinerules", ".clinerules/")),
            Read(".windsurf/rules/*.md", unless=(".clinerules", ".clinerules/")),
            Read(".cursorrules", unless=(".clinerules", ".clinerules/")),
            Read(".windsurfrules", unless=(".clinerules", ".clinerules/")),
            Read(AGENTS_MD),  # always, and searched in subfolders
        ),
        reads_agents_md=True,
        own=(OwnFile("clinerules", ".clinerules/stato.md"),),
        skills=(".cline/skills", ".clinerules/skills", ".claude/skills"),
        silent="hooks (TaskStart) and MCP settings live in the extension's storage: not written",
    ),
    Agent(
        "kiro",
        "Kiro",
        (
            "https://kiro.dev/docs/steering/",
            "https://kiro.dev/docs/skills/",
            "https://kiro.dev/docs/mcp/configuration",
        ),
        # inclusion: always by default; fileMatch, manual and auto load on demand
        reads=(
            Read(".kiro/steering/*.md", always_if=(("inclusion", "always"), ("inclusion", None))),
            Read(AGENTS_MD),
        ),
        reads_agents_md=True,
        own=(
            OwnFile(
                "kiro-steering", ".kiro/steering/stato.md", front_matter=(("inclusion", "always"),)
            ),
        ),
        skills=(".kiro/skills",),
        mcp=McpTarget(
            "kiro", "Kiro", ".kiro/settings/mcp.json", "https://kiro.dev/docs/mcp/configuration"
        ),
        silent="Kiro hooks document no session-start output that reaches the model",
    ),
    Agent(
        "amazonq",
        "Amazon Q Developer",
        (
            "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/context-project-rules.html",
            "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/mcp-ide.html",
        ),
        reads=(Read(".amazonq/rules/*.md"),),
        reads_agents_md=False,
        own=(OwnFile("amazonq-rules", ".amazonq/rules/stato.md"),),
        # Amazon Q (IDE and CLI) still reads .amazonq/mcp.json and ~/.aws/amazonq/mcp.json.
        mcp=McpTarget(
            "amazonq",
            "Amazon Q Developer",
            ".amazonq/mcp.json",
            "https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/mcp-ide.html",
            user_file=".aws/amazonq/mcp.json",
        ),
        silent="no AGENTS.md and no Agent Skills folder documented",
    ),
    Agent(
        "junie",
        "JetBrains Junie",
        ("https://www.jetbrains.com/help/junie/customize-guidelines.html",),
        # Junie reads only the first of .junie/AGENTS.md, AGENTS.md, .junie/guidelines.md.
        reads=(
            Read(".junie/AGENTS.md"),
            Read(AGENTS_MD, unless=(".junie/AGENTS.md",)),
            Read(".junie/guidelines.md", unless=(".junie/AGENTS.md", AGENTS_MD)),
        ),
        reads_agents_md=True,
        own=(OwnFile("junie-guidelines", ".junie/guidelines.md"),),
        silent="skill folders, hooks and MCP files are not documented on the guidelines page",
    ),
    Agent(
        "qwen",
        "Qwen Code",
        ("https://qwenlm.github.io/qwen-code-docs/en/users/configuration/memory/",),
        # QWEN.md and .qwen/QWEN.md, plus AGENTS.md (AGENT_CONTEXT_FILENAME), root to cwd.
        reads=(Read("QWEN.md"), Read(".qwen/QWEN.md"), Read(AGENTS_MD)),
        reads_agents_md=True,
        user_files=(".qwen/QWEN.md", ".qwen/AGENTS.md"),
        skills=(".qwen/skills",),
        imports=True,
        silent="hooks and MCP settings are not written by stato",
    ),
    Agent(
        "aider",
        "Aider",
        ("https://aider.chat/docs/usage/conventions.html",),
        reads=(),  # nothing by itself: `read: [AGENTS.md]` in .aider.conf.yml loads it
        reads_agents_md=False,
        names_setting=(".aider.conf.yml", "read"),
        silent="reads no instruction file by itself: add `read: [AGENTS.md]` to .aider.conf.yml",
    ),
    Agent(
        "continue",
        "Continue",
        ("https://docs.continue.dev/customize/deep-dives/rules",),
        # alwaysApply: true, or neither it nor globs; else by globs or when asked
        reads=(
            Read(
                ".continue/rules/*.md",
                always_if=(("alwaysApply", True), ("globs", None)),
            ),
        ),
        reads_agents_md=False,
        own=(
            OwnFile(
                "continue-rules",
                ".continue/rules/stato.md",
                front_matter=(("name", "stato"), ("alwaysApply", True)),
            ),
        ),
        silent="AGENTS.md, skills, hooks and MCP files are not documented for project folders",
    ),
    Agent(
        "opencode",
        "OpenCode",
        ("https://opencode.ai/docs/rules/", "https://opencode.ai/docs/skills/"),
        # AGENTS.md; CLAUDE.md only as a fallback when there is no AGENTS.md.
        reads=(Read(AGENTS_MD), Read("CLAUDE.md", unless=(AGENTS_MD,))),
        reads_agents_md=True,
        user_files=(".config/opencode/AGENTS.md",),
        skills=(".opencode/skills", ".claude/skills", ".agents/skills"),
        user_skills=(".config/opencode/skills", ".claude/skills", ".agents/skills"),
        silent="MCP servers live in opencode.json with its own schema: not written",
    ),
    Agent(
        "zed",
        "Zed",
        ("https://zed.dev/docs/ai/rules",),
        reads=_zed_reads(),  # only the first that exists
        reads_agents_md=True,
        skills=(".agents/skills",),
        silent="MCP servers live in Zed's settings.json (context_servers): not written",
    ),
    Agent(
        "roo",
        "Roo Code",
        ("https://docs.roocode.com/features/custom-instructions",),
        reads=(Read(".roo/rules/*.md"), Read(".roorules"), Read(AGENTS_MD)),
        reads_agents_md=True,  # on by default (roo-cline.useAgentRules)
        skills=(".roo/skills", ".agents/skills"),
        silent="MCP (.roo/mcp.json) and hooks are not written by stato",
    ),
    Agent(
        "antigravity",
        "Google Antigravity",
        ("https://antigravity.google/docs/rules-workflows",),
        # Antigravity 2.0 reads workspace rules from .agents/rules (agent-targets.md: "reads
        # AGENTS.md and .agents/"); .agent/rules is the 1.x folder, still read.
        reads=(Read(AGENTS_MD), Read(".agents/rules/*.md"), Read(".agent/rules/*.md")),
        reads_agents_md=True,
        skills=(".agents/skills",),
        silent="whether a project GEMINI.md is also read is not documented",
    ),
    Agent(
        "factory",
        "Factory (Droid)",
        ("https://docs.factory.ai/cli/configuration/agents-md",),
        reads=(Read(AGENTS_MD),),
        reads_agents_md=True,
        skills=(".factory/skills", ".agents/skills"),
        silent="hooks and MCP files are not written by stato",
    ),
)

# Files stato writes that belong to no single agent.
SHARED_FILES: tuple[OwnFile, ...] = (
    # The AGENTS.md standard: read by most agents (https://agents.md), the shared carrier.
    OwnFile("agents", AGENTS_MD, max_bytes=CODEX_MAX_BYTES),
    # Read by no agent on its own: tell the agent to read it.
    OwnFile("generic", "README.stato.md"),
)

BY_ID: dict[str, Agent] = {a.id: a for a in AGENTS}
# Every file stato can write, by id: the shared ones, then each agent's own.
FILES: dict[str, OwnFile] = {f.id: f for f in (*SHARED_FILES, *(o for a in AGENTS for o in a.own))}
# The rows ``stato hooks`` and ``stato mcp install`` take, by their --agent id.
HOOKS: dict[str, HookTarget] = {a.hook.id: a.hook for a in AGENTS if a.hook is not None}
MCPS: dict[str, McpTarget] = {a.mcp.id: a.mcp for a in AGENTS if a.mcp is not None}
SKILLS = "skills"  # the --platform name of the Agent Skills export
# Where the skills export writes, in order: .agents/skills is read by most agents; Claude Code
# reads only .claude/skills, so it is written too and agents reading both are named.
SKILL_FOLDERS = (".agents/skills", ".claude/skills")


def skill_duplicates(folders: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """agent id -> the written skill folders it reads, for agents that read more than one."""
    out = {}
    for agent in AGENTS:
        read = tuple(f for f in folders if f in agent.skills)
        if len(read) > 1:
            out[agent.id] = read
    return out


def limits_for(path: str) -> tuple[int | None, int | None]:
    """(characters, bytes): the most any agent reading ``path`` takes of it, from the table."""
    chars: list[int] = []
    size: list[int] = []
    for file in FILES.values():
        if file.path == path:
            chars += [file.max_chars] if file.max_chars else []
            size += [file.max_bytes] if file.max_bytes else []
    for agent in AGENTS:
        for read in agent.reads:
            if read.pattern == path or fnmatch.fnmatchcase(path, read.pattern):
                chars += [read.limit_chars] if read.limit_chars else []
                size += [agent.max_bytes] if agent.max_bytes else []
    return (min(chars) if chars else None, min(size) if size else None)
