"""`stato context`: what each agent loads, checked on real files in a project."""

from __future__ import annotations

import fnmatch
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.bridges.agent_table import BY_ID
from stato.cli import cli
from stato.core.tokens import estimate
from stato.ops.bridge import write_bridges
from stato.ops.context import explain
from stato.ops.init import init_project


@pytest.fixture(autouse=True)
def empty_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The person's own files and skills in the home folder count: each test starts with none."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    return home


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, example=True)
    return tmp_path


def _by_id(root: Path) -> dict[str, object]:
    return {a.id: a for a in explain(root).agents}


def test_after_all_every_agent_but_aider_loads_the_block_once(project: Path) -> None:
    write_bridges(project, ["all"])
    agents = explain(project).agents
    assert {a.id for a in agents} == set(BY_ID)
    for a in agents:
        assert a.block_loads == (0 if a.id == "aider" else 1), a.id
        assert not [d for d in a.duplicates if "block" in d], a.id
        assert not a.over_budget
    claude = next(a for a in agents if a.id == "claude")
    assert [(f.path, f.via) for f in claude.files] == [
        ("CLAUDE.md", None),
        ("AGENTS.md", "CLAUDE.md"),
    ]
    assert claude.stato_start_tokens > 0 and claude.start_tokens >= claude.stato_start_tokens
    assert claude.shadowed == ()  # AGENTS.md is loaded through the import, not skipped


def test_a_persons_files_count_and_stato_is_told_apart(project: Path) -> None:
    (project / "AGENTS.md").write_text("# Team\n\nRun the tests before pushing.\n" * 20, "utf-8")
    write_bridges(project, ["codex"])
    codex = _by_id(project)["codex"]
    (agents_md,) = codex.files  # type: ignore[attr-defined]
    text = (project / "AGENTS.md").read_text("utf-8")
    assert agents_md.tokens == estimate(text)
    assert 0 < agents_md.stato_tokens < agents_md.tokens


def test_duplicates_twice_loaded_block_and_skills_listed_twice(project: Path) -> None:
    write_bridges(project, ["agents", "cursor-rules", "skills"])
    cursor = _by_id(project)["cursor"]
    dup = cursor.duplicates  # type: ignore[attr-defined]
    assert any("block loads 2 times" in d for d in dup)
    assert any(d.startswith("skill qc-filtering listed from") for d in dup)
    assert not [d for d in _by_id(project)["codex"].duplicates]  # type: ignore[attr-defined]


def test_shadowed_files_are_named(project: Path) -> None:
    (project / ".clinerules").mkdir()
    (project / ".clinerules/team.md").write_text("x\n", "utf-8")
    (project / ".cursor/rules").mkdir(parents=True)
    (project / ".cursor/rules/team.mdc").write_text("y\n", "utf-8")
    cline = _by_id(project)["cline"]
    assert cline.shadowed == (".cursor/rules/team.mdc (skipped: .clinerules comes first)",)  # type: ignore[attr-defined]


def test_over_the_budget_and_over_an_agents_limit(project: Path) -> None:
    write_bridges(project, ["agents"])
    (project / ".stato/config.toml").write_text("[bridge]\nbudget_tokens = 200\n", "utf-8")
    codex = _by_id(project)["codex"]
    assert codex.over_budget and "200 budget" in codex.over_budget[0]  # type: ignore[attr-defined]
    rules = project / ".windsurf/rules"
    rules.mkdir(parents=True)
    (rules / "big.md").write_text("z" * 12_500, "utf-8")
    windsurf = _by_id(project)["windsurf"]
    big = next(f for f in windsurf.files if f.path.endswith("big.md"))  # type: ignore[attr-defined]
    assert big.problems and "12,000" in big.problems[0]


def test_skills_whose_description_does_not_say_when(project: Path) -> None:
    for name, description in (
        ("vague", "Does clustering."),
        ("clear", "Use when clustering cells."),
    ):
        folder = project / ".agents/skills" / name
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: {name}\ndescription: {description}\n---\n\n# {name}\n", "utf-8"
        )
    report = explain(project)
    assert "vague" in report.vague_skills and "clear" not in report.vague_skills
    codex = next(a for a in report.agents if a.id == "codex")
    assert {s.name for s in codex.skills} == {"vague", "clear"}
    assert all(s.index_tokens < s.body_tokens for s in codex.skills)


def test_cli_text_and_json(project: Path) -> None:
    write_bridges(project, ["all"])
    runner = CliRunner()
    out = runner.invoke(cli, ["context", "--path", str(project)], catch_exceptions=False)
    assert out.exit_code == 0
    assert "Claude Code [claude]:" in out.stdout and "block loaded once" in out.stdout
    data = json.loads(
        runner.invoke(
            cli, ["context", "--path", str(project), "--json", "--agent", "gemini"]
        ).stdout
    )
    (gemini,) = data["agents"]
    assert gemini["block_loads"] == 1 and gemini["files"][1]["via"] == "GEMINI.md"
    bad = runner.invoke(cli, ["context", "--path", str(project), "--agent", "nope"])
    assert bad.exit_code == 2 and "unknown agent" in bad.stderr


def test_the_persons_home_skills_are_listed_for_the_agents_that_read_them(
    project: Path, empty_home: Path
) -> None:
    skill = "---\nname: {0}\ndescription: Review a PR. Use when asked for a review.\n---\nBody.\n"
    for folder, name in ((".claude/skills", "review"), (".agents/skills", "release")):
        (empty_home / folder / name).mkdir(parents=True)
        (empty_home / folder / name / "SKILL.md").write_text(skill.format(name), "utf-8")
    agents = _by_id(project)
    listed = {
        agent_id: {(s.folder, s.name) for s in agents[agent_id].skills if s.folder.startswith("~")}  # type: ignore[attr-defined]
        for agent_id in ("claude", "codex", "gemini", "opencode", "cursor")
    }
    assert listed["claude"] == {("~/.claude/skills", "review")}
    assert listed["codex"] == listed["gemini"] == {("~/.agents/skills", "release")}
    assert listed["opencode"] == {("~/.claude/skills", "review"), ("~/.agents/skills", "release")}
    assert listed["cursor"] == set()  # its docs name no folder in the home folder
    claude = agents["claude"]
    assert claude.start_tokens > sum(s.index_tokens for s in claude.skills if s.folder[0] != "~")  # type: ignore[attr-defined]


def test_the_persons_home_files_count_too(project: Path, empty_home: Path) -> None:
    home = empty_home
    (home / ".claude").mkdir()
    (home / ".claude/CLAUDE.md").write_text("Always answer in French.\n" * 10, "utf-8")
    claude = _by_id(project)["claude"]
    mine = [f for f in claude.files if f.path == "~/.claude/CLAUDE.md"]  # type: ignore[attr-defined]
    assert len(mine) == 1 and mine[0].tokens > 0 and mine[0].stato_tokens == 0


def _when(agent: str, rel: str, text: str) -> str:
    """When ``agent`` loads ``rel`` holding ``text`` (its front matter read as the agent does)."""
    from stato.bridges import load

    def listing(pattern: str) -> list[str]:
        return [rel] if fnmatch.fnmatchcase(rel, pattern) else []

    loaded = load.loads(BY_ID[agent], lambda r: r == rel, listing, lambda r: text)
    (when,) = [f.when for f in loaded if f.path == rel]
    return when


@pytest.mark.parametrize(
    ("agent", "rel", "front", "when"),
    [
        ("cursor", ".cursor/rules/x.mdc", "alwaysApply: true", "always"),
        ("cursor", ".cursor/rules/x.mdc", "alwaysApply: false", "on-demand"),
        ("cursor", ".cursor/rules/x.mdc", 'alwaysApply: "true"', "on-demand"),  # not a boolean
        ("cursor", ".cursor/rules/x.mdc", "globs: src/**", "on-demand"),
        ("cursor", ".cursor/rules/x.mdc", "", "on-demand"),
        ("claude", ".claude/rules/x.md", "paths:\n  - src/**", "on-demand"),
        ("claude", ".claude/rules/x.md", "", "always"),
        ("windsurf", ".windsurf/rules/x.md", "trigger: always_on", "always"),
        ("windsurf", ".windsurf/rules/x.md", "trigger: model_decision", "on-demand"),
        ("devin", ".devin/rules/x.md", "trigger: glob", "on-demand"),
        ("kiro", ".kiro/steering/x.md", "", "always"),
        ("kiro", ".kiro/steering/x.md", "inclusion: fileMatch", "on-demand"),
        ("continue", ".continue/rules/x.md", "name: x", "always"),
        ("continue", ".continue/rules/x.md", "name: x\nglobs: '*.py'", "on-demand"),
        ("continue", ".continue/rules/x.md", "name: x\nalwaysApply: false", "on-demand"),
        ("cline", ".clinerules/x.md", "paths:\n  - src/**", "on-demand"),
    ],
)
def test_a_rule_files_front_matter_decides_when_its_agent_loads_it(
    agent: str, rel: str, front: str, when: str
) -> None:
    text = (f"---\n{front}\n---\n" if front else "") + "- a rule\n"
    assert _when(agent, rel, text) == when


def test_stato_s_block_in_a_rule_loaded_on_demand_is_not_loaded_at_start(project: Path) -> None:
    """A person's `alwaysApply: false` on .cursor/rules/stato.mdc is kept: Cursor then attaches
    the block only when asked, so it is not counted as loaded, and the bridge run says why."""
    mdc = project / ".cursor/rules/stato.mdc"
    mdc.parent.mkdir(parents=True)
    mdc.write_text("---\ndescription: mine\nalwaysApply: false\n---\n", "utf-8")
    result = write_bridges(project, ["cursor-rules"])
    cursor = _by_id(project)["cursor"]
    assert cursor.block_loads == 0  # type: ignore[attr-defined]
    assert [f.when for f in cursor.files] == ["on-demand"]  # type: ignore[attr-defined]
    assert any("Cursor does not load" in w and "on demand" in w for w in result.warnings)


def test_antigravity_reads_its_2_0_rules_folder_and_the_1_x_one(project: Path) -> None:
    for folder in (".agents/rules", ".agent/rules"):
        (project / folder).mkdir(parents=True)
        (project / folder / "team.md").write_text("- Run the tests\n", "utf-8")
    paths = [f.path for f in _by_id(project)["antigravity"].files]  # type: ignore[attr-defined]
    assert ".agents/rules/team.md" in paths and ".agent/rules/team.md" in paths
