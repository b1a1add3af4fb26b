"""The agent table: every row is wired up, every file has a golden, each agent loads stato once."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stato.bridges.agent_table import AGENTS, BY_ID, FILES, HOOKS, MCPS, SKILL_FOLDERS
from stato.bridges.agents import FORMATS
from stato.bridges.platforms import ids, select
from stato.bridges.render import render_body
from stato.bridges.summary import SkillView, Summary
from stato.formats import markers
from stato.ops.bridge import write_bridges
from stato.ops.bridge_plan import Tree
from stato.ops.init import init_project

GOLDEN = Path(__file__).parent / "data" / "bridge"
UPDATE = os.environ.get("STATO_UPDATE_GOLDEN") == "1"

# Each agent's documented load table, written out literally (not read back from the table) so a
# wrong row fails: (pattern, files that hide it). Sources: each row's docs in agent_table.py.
CLAUDE_FILES = ("CLAUDE.md", ".claude/CLAUDE.md", "CLAUDE.local.md")
ZED = (
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
DOCUMENTED_READS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "claude": [
        *((p, ()) for p in CLAUDE_FILES),
        (".claude/rules/*.md", ()),
        ("AGENTS.md", CLAUDE_FILES),  # claude-md-or-agents-md, the default since 2.1.277
    ],
    "codex": [("AGENTS.override.md", ()), ("AGENTS.md", ("AGENTS.override.md",))],
    "cursor": [(".cursor/rules/*.mdc", ()), ("AGENTS.md", ()), (".cursorrules", ())],
    "copilot": [
        (".github/copilot-instructions.md", ()),
        ("AGENTS.md", ()),
        (".github/instructions/*.instructions.md", ()),
    ],
    "gemini": [("GEMINI.md", ())],
    "windsurf": [(".windsurf/rules/*.md", ()), (".windsurfrules", ()), ("AGENTS.md", ())],
    "devin": [("AGENTS.md", ()), (".devin/rules/*.md", ()), (".windsurf/rules/*.md", ())],
    "cline": [
        (".clinerules/*.md", ()),
        (".clinerules", ()),
        (".cursor/rules/*.mdc", (".clinerules", ".clinerules/")),
        (".windsurf/rules/*.md", (".clinerules", ".clinerules/")),
        (".cursorrules", (".clinerules", ".clinerules/")),
        (".windsurfrules", (".clinerules", ".clinerules/")),
        ("AGENTS.md", ()),
    ],
    "kiro": [(".kiro/steering/*.md", ()), ("AGENTS.md", ())],
    "amazonq": [(".amazonq/rules/*.md", ())],
    "junie": [
        (".junie/AGENTS.md", ()),
        ("AGENTS.md", (".junie/AGENTS.md",)),
        (".junie/guidelines.md", (".junie/AGENTS.md", "AGENTS.md")),
    ],
    "qwen": [("QWEN.md", ()), (".qwen/QWEN.md", ()), ("AGENTS.md", ())],
    "aider": [],
    "continue": [(".continue/rules/*.md", ())],
    "opencode": [("AGENTS.md", ()), ("CLAUDE.md", ("AGENTS.md",))],
    "zed": [(p, ZED[:i]) for i, p in enumerate(ZED)],
    "roo": [(".roo/rules/*.md", ()), (".roorules", ()), ("AGENTS.md", ())],
    # 2.0 reads .agents/rules (agent-targets.md: "AGENTS.md and .agents/"); 1.x .agent/rules
    "antigravity": [("AGENTS.md", ()), (".agents/rules/*.md", ()), (".agent/rules/*.md", ())],
    "factory": [("AGENTS.md", ())],
}
# Where each agent finds stato's block after `bridge --platform all` on a fresh project.
BLOCK_FROM = {a: ["AGENTS.md"] for a in DOCUMENTED_READS}
BLOCK_FROM |= {
    "amazonq": [".amazonq/rules/stato.md"],
    "continue": [".continue/rules/stato.md"],
    "aider": [],  # reads nothing by itself: the run says how to point it at AGENTS.md
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, example=True)
    return tmp_path


def _tree(base: Path) -> dict[str, str]:
    return {
        p.relative_to(base).as_posix(): p.read_text("utf-8")
        for p in sorted(base.rglob("*"))
        if p.is_file()
    }


def test_every_row_is_complete_and_cites_its_docs() -> None:
    assert len(BY_ID) == len(AGENTS)
    for agent in AGENTS:
        assert agent.id == agent.id.lower() and " " not in agent.id
        assert agent.docs and all(d.startswith("https://") for d in agent.docs), agent.id
        for own in agent.own:
            assert own.format in FORMATS and not own.path.startswith("/")
        assert agent.reads_agents_md or agent.carrier is not None or agent.silent, agent.id
    assert set(FILES) & set(BY_ID) == set()  # a name is an agent or a file, never both
    assert {h.id for h in HOOKS.values()} <= set(BY_ID)
    assert all(m.docs.startswith("https://") for m in MCPS.values())


def test_the_issue_agents_are_all_covered() -> None:
    assert set(DOCUMENTED_READS) == set(BY_ID)


@pytest.mark.parametrize("agent", AGENTS, ids=lambda a: a.id)
def test_each_row_encodes_its_documented_load_table(agent) -> None:
    assert [(r.pattern, r.unless) for r in agent.reads] == DOCUMENTED_READS[agent.id]


def test_all_writes_the_carrier_and_only_the_files_agents_without_it_need() -> None:
    chosen = select(["all"])
    assert {f.id for f in chosen.files} == {
        "agents",
        "generic",
        "claude-md",
        "gemini-md",
        "amazonq-rules",
        "continue-rules",
    }
    assert chosen.skills and {a.id for a in chosen.agents} == set(BY_ID)
    assert {a.id for a in chosen.unreachable} == {"aider"}
    assert {f.id for f in select(["cursor"]).files} == {"agents"}
    assert {f.id for f in select(["claude"]).files} == {"agents", "claude-md"}
    assert {f.id for f in select(["cursor-legacy,agents"]).files} == {"cursor-legacy", "agents"}
    assert "cursor" in ids() and "cursor-rules" in ids()
    with pytest.raises(KeyError):
        select(["agents", "nope"])


def _resolved(root: Path, agent_id: str) -> list[str]:
    """The files carrying the block an agent loads, through CLAUDE.md/GEMINI.md imports."""
    return sorted(Tree(root).block_sources(BY_ID[agent_id]))


def test_all_loads_the_block_exactly_once_per_agent(project: Path) -> None:
    result = write_bridges(project, ["all"])
    assert {a: _resolved(project, a) for a in BY_ID} == BLOCK_FROM
    # CLAUDE.md and GEMINI.md import AGENTS.md with one line instead of repeating it
    for rel in ("CLAUDE.md", "GEMINI.md"):
        assert markers.block_body((project / rel).read_text("utf-8")) == "@AGENTS.md"
    assert [w for w in result.warnings if "times" in w or "does not load" in w] == []
    assert any("Aider" in w and ".aider.conf.yml" in w for w in result.warnings)
    assert not write_bridges(project, ["all"], check=True).stale


PEOPLES_FILES = {
    "AGENTS.md": "# Team rules\n\nRun make test.\n",
    "CLAUDE.md": "# Claude notes\n",
    "GEMINI.md": "# Gemini notes\n",
    ".cursor/rules/team.mdc": "---\nalwaysApply: true\n---\nUse tabs.\n",
    ".github/copilot-instructions.md": "Prefer small PRs.\n",
    ".windsurf/rules/team.md": "---\ntrigger: always_on\n---\nNo emojis.\n",
    ".clinerules/team.md": "Write tests first.\n",
    ".kiro/steering/team.md": "---\ninclusion: always\n---\nBe brief.\n",
    ".amazonq/rules/team.md": "Use boto3.\n",
    ".continue/rules/team.md": "---\nname: team\n---\nDocument APIs.\n",
    ".roo/rules/team.md": "Log everything.\n",
}


def test_with_peoples_own_files_each_agent_still_loads_the_block_once(project: Path) -> None:
    for rel, text in PEOPLES_FILES.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text, "utf-8")
    before = {a.id: {f.path for f in Tree(project).loads(a)} for a in AGENTS}
    result = write_bridges(project, ["all"])
    # Zed reads only the first of its list, here the person's copilot-instructions.md: writing
    # the block there would make Copilot read it twice, so the run names the choice instead
    assert {a: _resolved(project, a) for a in BY_ID} == BLOCK_FROM | {"zed": []}
    zed = [w for w in result.warnings if w.startswith("Zed")]
    assert len(zed) == 1 and ".github/copilot-instructions.md" in zed[0]
    # every person's file each agent read before, it still reads (nothing is shadowed)
    for agent in AGENTS:
        after = {f.path for f in Tree(project).loads(agent)}
        assert before[agent.id] <= after, agent.id
    for rel, text in PEOPLES_FILES.items():
        assert (project / rel).read_text("utf-8").startswith(text), rel
    assert [w for w in result.warnings if "times" in w or "no longer" in w] == []


def test_a_new_agents_md_that_hides_a_persons_file_is_named(project: Path) -> None:
    # Junie reads only the first of .junie/AGENTS.md, AGENTS.md, .junie/guidelines.md, and
    # OpenCode reads CLAUDE.md only while there is no AGENTS.md
    (project / ".junie").mkdir()
    (project / ".junie/guidelines.md").write_text("Junie rules\n", "utf-8")
    (project / "CLAUDE.md").write_text("Claude rules\n", "utf-8")
    warnings = write_bridges(project, ["all"]).warnings
    assert any("Junie no longer reads .junie/guidelines.md" in w for w in warnings)
    assert any("OpenCode no longer reads CLAUDE.md" in w for w in warnings)


def test_naming_clinerules_warns_that_cline_stops_reading_other_rules(project: Path) -> None:
    (project / ".cursor/rules").mkdir(parents=True)
    (project / ".cursor/rules/team.mdc").write_text("x\n", "utf-8")
    result = write_bridges(project, ["agents", "clinerules"])
    assert any("Cline no longer reads .cursor/rules/team.mdc" in w for w in result.warnings)
    assert any("Cline loads stato's block 2 times" in w for w in result.warnings)


def test_codex_and_zed_name_the_file_that_hides_agents_md(project: Path) -> None:
    (project / "AGENTS.override.md").write_text("# local override\n", "utf-8")
    warnings = write_bridges(project, ["all"]).warnings
    assert any("OpenAI Codex does not load" in w and "AGENTS.override.md" in w for w in warnings)


def test_skills_name_the_agents_that_list_them_twice(project: Path) -> None:
    result = write_bridges(project, ["skills"])
    dup = [w for w in result.warnings if "twice" in w]
    assert len(dup) == 1 and "Cursor" in dup[0] and "OpenCode" in dup[0]
    assert "Claude Code," not in dup[0]
    written = {f.path.split("/")[0] + "/" + f.path.split("/")[1] for f in result.files}
    assert written == set(SKILL_FOLDERS)


@pytest.mark.parametrize("file_id", sorted(FILES))
def test_golden(project: Path, file_id: str) -> None:
    """Each file alone, on the example project, writes exactly its golden file."""
    write_bridges(project, [file_id], link=False)
    # what `stato init` wrote (.stato/, the root .statoignore) is not the bridge's
    written = {
        k: v
        for k, v in _tree(project).items()
        if not k.startswith(".stato/") and k != ".statoignore"
    }
    golden_dir = GOLDEN / file_id
    if UPDATE:
        for rel, text in written.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_text(text, "utf-8")
    assert written == _tree(golden_dir)
    assert set(written) == {FILES[file_id].path}


def test_every_golden_folder_belongs_to_a_file() -> None:
    assert {p.name for p in GOLDEN.iterdir() if p.is_dir()} == set(FILES) | {"skills"}


@pytest.mark.parametrize("file_id", sorted(f for f in FILES if FILES[f].front_matter))
def test_front_matter_is_valid_yaml_with_real_booleans(project: Path, file_id: str) -> None:
    own = FILES[file_id]
    write_bridges(project, [file_id])
    text = (project / own.path).read_text("utf-8")
    data = yaml.safe_load(text.split("---", 2)[1])
    assert list(data) == [k for k, _ in own.front_matter]
    for key, value in own.front_matter:
        assert data[key] == (None if value == "" else value)


_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(st.lists(st.tuples(_text, st.one_of(st.none(), _text), _text, _text), max_size=5))
def test_each_skill_is_exactly_one_table_row(rows: list[tuple[str, str | None, str, str]]) -> None:
    views = tuple(
        SkillView(name or "x", f"skills/{i}.py", version, None, ((key or "k", value),), (), ())
        for i, (name, version, key, value) in enumerate(rows)
    )
    body = render_body(Summary(views, None, None, None, (), ()))
    table = [line for line in body.splitlines() if line.startswith("| ") and "lesson" in line]
    assert len(table) == len(views)
    for line in table:
        assert len(re.findall(r"(?<!\\)\|", line)) == 6  # five cells, no stray separators


def _v01_layout(root: Path) -> None:
    """stato 0.1's `bridge --platform all`: the whole block in every agent's own file."""
    for file_id in (
        "cursor-rules",
        "cursor-legacy",
        "copilot-instructions",
        "windsurf-rules",
        "clinerules",
        "kiro-steering",
        "junie-guidelines",
    ):
        write_bridges(root, [file_id], link=False)


def test_an_upgrade_from_stato_01_names_the_copies_and_prune_removes_them(project: Path) -> None:
    _v01_layout(project)
    cursorrules = project / ".cursorrules"
    cursorrules.write_text("Team rule kept.\n\n" + cursorrules.read_text("utf-8"), "utf-8")
    result = write_bridges(project, ["all"])
    stale = {f.path for f in result.files if f.status == "stale"}
    assert {".cursor/rules/stato.mdc", ".windsurf/rules/stato.md"} <= stale
    assert any("Cursor loads stato's block 3 times" in w for w in result.warnings)
    assert write_bridges(project, ["all"], check=True).stale  # CI sees the duplicates
    pruned = write_bridges(project, ["all"], prune=True)
    assert {f.path for f in pruned.files if f.status == "deleted"} >= {".cursor/rules/stato.mdc"}
    # Zed reads only the first of its files, the person's .cursorrules: its copy of the block
    # stays, and Cursor reads that one and AGENTS.md (named, for the person to decide)
    assert cursorrules.read_text("utf-8").startswith("Team rule kept.\n")
    # (and Cline would read it once .clinerules/ is gone, so that copy stays too)
    assert {a: _resolved(project, a) for a in BY_ID} == BLOCK_FROM | {
        "zed": [".cursorrules"],
        "cursor": [".cursorrules", "AGENTS.md"],
        "cline": [".clinerules/stato.md", "AGENTS.md"],
    }
    assert any(w.startswith("Cursor loads stato's block 2 times") for w in pruned.warnings)
    assert not pruned.warnings or not write_bridges(project, ["all"], check=True).changed
    # what is left, --prune keeps: the warning says so instead of sending the person to it
    first = next(w for w in result.warnings if w.startswith("Cursor loads"))
    assert "`stato bridge --prune` removes" in first
    again = next(w for w in write_bridges(project, ["all"]).warnings if "Cursor loads" in w)
    assert "--prune removes" not in again and "--prune keeps them" in again


def test_prune_takes_every_copy_no_agent_needs(project: Path) -> None:
    _v01_layout(project)
    write_bridges(project, ["all"], prune=True)
    assert {a: _resolved(project, a) for a in BY_ID} == BLOCK_FROM
    for rel in (".cursorrules", ".windsurf/rules/stato.md", ".clinerules/stato.md"):
        assert not (project / rel).exists(), rel
    assert not write_bridges(project, ["all"], check=True).stale


@pytest.mark.parametrize(
    ("mine", "advice"),
    [
        (".cursorrules", "`stato bridge --platform cursor-legacy`"),
        (".rules", "move its text into AGENTS.md and remove .rules"),
    ],
)
def test_an_agent_without_the_block_gets_advice_it_can_follow(
    project: Path, mine: str, advice: str
) -> None:
    """Zed reads only the first of its files: the advice names the file id that writes the
    block there, and no id at all for a file stato never writes (there is no FILE-ID to use)."""
    (project / mine).write_text("Zed rules of the person.\n", "utf-8")
    warnings = write_bridges(project, ["all"]).warnings
    zed = next(w for w in warnings if w.startswith("Zed does not load"))
    assert advice in zed and "FILE-ID" not in zed


def test_two_copies_named_in_one_run_are_said_to_be_the_persons_choice(project: Path) -> None:
    """--prune never takes a file named in the run, so the warning says to leave one out."""
    result = write_bridges(project, ["windsurf-rules", "agents"])
    windsurf = next(w for w in result.warnings if w.startswith("Windsurf (Cascade) loads"))
    assert "leave one out, then --prune" in windsurf and "removes stato's extra" not in windsurf
    pruned = write_bridges(project, ["agents"], prune=True)
    assert {f.path for f in pruned.files if f.status == "deleted"} == {".windsurf/rules/stato.md"}


def test_bridge_help_names_every_platform() -> None:
    from stato.cli.commands.bridge import _HELP

    named = set(re.findall(r"[a-z][a-z0-9-]*", _HELP))
    assert set(ids()) <= named
