"""Each agent's instruction file, parsed the way the agent reads it: path, front matter, limits.

Sources are the agents' documentation as listed in /work/shared/agent-targets.md and in the
comments of stato/bridges/agent_table.py.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from stato.bridges.agent_table import CODEX_MAX_BYTES, FILES, WINDSURF_MAX_CHARS
from stato.bridges.agents import OwnFile
from stato.bridges.summary import SkillView, Summary
from stato.cli import cli
from stato.errors import StatoError
from stato.formats import markers
from stato.ops.bridge import write_bridges
from stato.ops.bridge_plan import over_limit

ALLOWED_SKILL_KEYS = {
    "name",
    "description",
    "license",
    "allowed-tools",
    "metadata",
    "compatibility",
}
SKILL_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    result = CliRunner().invoke(cli, ["init", "--example", "--path", str(root)])
    assert result.exit_code == 0, result.output
    return root


def _bridge(root: Path, *platforms: str) -> str:
    args = ["bridge", "--path", str(root)]
    for p in platforms:
        args += ["--platform", p]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stderr


def _front(text: str) -> dict[str, object]:
    assert text.startswith("---\n"), text[:40]
    data = yaml.safe_load(text.split("---", 2)[1])
    assert isinstance(data, dict)
    return data


def test_all_writes_the_carrier_and_the_files_of_agents_without_it(project: Path) -> None:
    _bridge(project, "all")
    for rel in (
        "AGENTS.md",  # Codex, Cursor, Copilot, Windsurf, Cline, Kiro, Junie, Devin, Zed, ...
        "CLAUDE.md",  # @AGENTS.md
        "GEMINI.md",  # @AGENTS.md
        ".amazonq/rules/stato.md",
        ".continue/rules/stato.md",
    ):
        assert (project / rel).is_file(), rel
    # agents that read AGENTS.md get no second copy of the block
    for rel in (
        ".cursorrules",
        ".cursor/rules/stato.mdc",
        ".github/copilot-instructions.md",
        ".windsurf/rules/stato.md",
        ".clinerules",
        ".kiro/steering/stato.md",
        ".junie/guidelines.md",
        ".devin/rules/stato.md",
    ):
        assert not (project / rel).exists(), rel


def test_cursor_mdc_front_matter_types(project: Path) -> None:
    _bridge(project, "cursor-rules")
    text = (project / ".cursor/rules/stato.mdc").read_text("utf-8")
    data = _front(text)
    assert list(data) == ["description", "globs", "alwaysApply"]
    assert isinstance(data["description"], str) and data["description"]
    assert data["alwaysApply"] is True  # a real boolean, not the string "true"
    assert "alwaysApply: true\n" in text
    assert data["globs"] is None and "\nglobs:\n" in text  # empty and unquoted


@pytest.mark.parametrize(
    ("platform", "rel", "key", "value"),
    [
        ("windsurf-rules", ".windsurf/rules/stato.md", "trigger", "always_on"),
        ("devin-rules", ".devin/rules/stato.md", "trigger", "always_on"),
        ("kiro-steering", ".kiro/steering/stato.md", "inclusion", "always"),
    ],
)
def test_rule_front_matter(project: Path, platform: str, rel: str, key: str, value: str) -> None:
    _bridge(project, platform)
    text = (project / rel).read_text("utf-8")
    assert _front(text) == {key: value}
    assert markers.find_block(text) is not None


@pytest.mark.parametrize(
    "platform",
    [
        "agents",
        "copilot-instructions",
        "gemini-md",
        "clinerules",
        "amazonq-rules",
        "junie-guidelines",
        "cursor-legacy",
    ],
)
def test_plain_markdown_targets_have_no_front_matter(project: Path, platform: str) -> None:
    _bridge(project, platform)
    text = (project / FILES[platform].path).read_text("utf-8")
    assert text.startswith(markers.BEGIN)
    assert "## Available Skills" in text and "qc_filtering" in text


def test_claude_md_imports_agents_md_on_its_own_line(project: Path) -> None:
    _bridge(project, "claude-md", "agents")
    lines = (project / "CLAUDE.md").read_text("utf-8").splitlines()
    assert "@AGENTS.md" in lines  # Claude Code's import: "@path" as a line of its own
    assert "## Available Skills" in (project / "AGENTS.md").read_text("utf-8")
    # alone, with no AGENTS.md of stato's, CLAUDE.md carries the content itself
    other = project.parent / "other"
    CliRunner().invoke(cli, ["init", "--example", "--path", str(other)])
    _bridge(other, "claude-md")
    assert "## Available Skills" in (other / "CLAUDE.md").read_text("utf-8")
    assert (
        not (other / "AGENTS.md").exists() or "@AGENTS.md" not in (other / "CLAUDE.md").read_text()
    )


def test_skill_md_follows_the_agent_skills_rules(project: Path) -> None:
    _bridge(project, "skills")
    for base in (".claude/skills", ".agents/skills"):
        folders = sorted(p for p in (project / base).iterdir() if p.is_dir())
        assert folders, base
        for folder in folders:
            data = _front((folder / "SKILL.md").read_text("utf-8"))
            assert set(data) <= ALLOWED_SKILL_KEYS
            name, description = data["name"], data["description"]
            assert isinstance(name, str) and name == folder.name
            assert 1 <= len(name) <= 64 and SKILL_NAME.fullmatch(name)
            assert isinstance(description, str) and 1 <= len(description) <= 1024
            metadata = data["metadata"]
            assert isinstance(metadata, dict)
            assert all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items())


def test_a_second_run_changes_nothing(project: Path) -> None:
    _bridge(project, "all")
    _bridge(project, "skills", "devin-rules", "cursor-legacy")
    before = {
        p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".stato" not in p.parts
    }
    result = write_bridges(project, ["all", "skills", "devin-rules", "cursor-legacy"])
    assert not result.changed
    after = {
        p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".stato" not in p.parts
    }
    assert after == before


def test_over_limit_names_each_agents_limit() -> None:
    windsurf, codex = FILES["windsurf-rules"], FILES["agents"]
    copilot = FILES["copilot-instructions"]
    assert over_limit(windsurf, "x" * WINDSURF_MAX_CHARS) == ""
    assert "12,000" in over_limit(windsurf, "x" * (WINDSURF_MAX_CHARS + 1))
    # AGENTS.md: Windsurf reads 12,000 characters of it, Codex 32 KiB
    assert "12,000" in over_limit(codex, "x" * (WINDSURF_MAX_CHARS + 1))
    # a file only Codex limits counts bytes: 33,000 bytes in 22,000 characters
    override = OwnFile("override", "AGENTS.override.md")
    assert "32,768" in over_limit(override, "é" * 11_000 + "x" * 11_000)
    assert over_limit(copilot, "x" * 100_000) == ""  # no documented limit


def _big_summary(n: int) -> Summary:
    views = tuple(
        SkillView(
            f"skill_{i:03d}_{'n' * 40}",
            f"skills/skill_{i:03d}_{'n' * 40}.py",
            "1.0.0",
            None,
            tuple((f"parameter_{k}", "x" * 60) for k in range(3)),
            ("a lesson",),
            (),
        )
        for i in range(n)
    )
    return Summary(views, None, None, None, (), ())


def _set_budget(project: Path, tokens: int) -> None:
    (project / ".stato" / "config.toml").write_text(f"[bridge]\nbudget_tokens = {tokens}\n")


def test_hard_limits_bound_the_block_whatever_the_budget(project: Path) -> None:
    _set_budget(project, 100_000)
    result = write_bridges(
        project, ["windsurf-rules", "copilot-instructions"], summary=_big_summary(60)
    )
    by_path = {f.path: f for f in result.files}
    windsurf = by_path[".windsurf/rules/stato.md"]
    assert windsurf.chars <= WINDSURF_MAX_CHARS and windsurf.warning == ""
    assert result.moved  # the table did not fit in 12,000 characters: the run says so
    # Codex reads 32 KiB of AGENTS.md, the person's text included
    (project / "AGENTS.md").write_text("x" * 30_000 + "\n", "utf-8")
    write_bridges(project, ["codex"], summary=_big_summary(60))
    assert len((project / "AGENTS.md").read_bytes()) <= CODEX_MAX_BYTES


def test_a_persons_text_over_the_limit_is_kept_with_a_warning(project: Path) -> None:
    rel = project / ".windsurf/rules/stato.md"
    rel.parent.mkdir(parents=True)
    rel.write_text("y" * 12_500 + "\n", "utf-8")
    result = write_bridges(project, ["windsurf-rules"])
    assert "12,000" in result.files[0].warning
    # kept whole, below the front matter Windsurf needs to load the file always
    assert rel.read_text("utf-8").startswith("---\ntrigger: always_on\n---\n" + "y" * 12_500)


def test_over_budget_moves_detail_out_and_says_so(project: Path) -> None:
    source = (project / ".stato/skills/clustering.py").read_text("utf-8")
    for i in range(60):
        name = f"clustering_variant_{i:02d}_{'q' * 60}"
        text = source.replace('"clustering"', f'"{name}"').replace(
            "class Clustering", f"class C{i}"
        )
        text = text.replace("Clustering.default_params", f"C{i}.default_params")
        (project / ".stato/skills" / f"variant_{i:02d}.py").write_text(text, "utf-8")
    stderr = _bridge(project, "agents")
    assert "invalid" not in stderr
    assert "moved: skills table -> one line per skill" in stderr
    result = CliRunner().invoke(
        cli, ["bridge", "--path", str(project), "--platform", "agents", "--json"]
    )
    data = json.loads(result.stdout)
    assert data["moved"] and data["body_tokens"] <= data["budget_tokens"] == 2000
    _set_budget(project, 300)
    stderr = _bridge(project, "agents")
    assert re.search(r"moved: \d+ of 63 skills listed only on demand", stderr)
    _set_budget(project, 10)
    bad = CliRunner().invoke(cli, ["bridge", "--path", str(project), "--platform", "agents"])
    assert bad.exit_code == 1 and "budget_tokens" in bad.stderr


def test_a_legacy_clinerules_file_stays_and_cline_reads_agents_md(project: Path) -> None:
    # Cline's legacy form is one .clinerules file; it is in the way of .clinerules/stato.md.
    (project / ".clinerules").write_text("legacy single-file rules\n", "utf-8")
    result = write_bridges(project, ["all"])
    assert ".clinerules/stato.md" not in {f.path for f in result.files}
    assert (project / ".clinerules").read_text("utf-8") == "legacy single-file rules\n"
    assert not [w for w in result.warnings if w.startswith("Cline")]  # AGENTS.md carries it
    assert not write_bridges(project, ["all"], check=True).stale
    with pytest.raises(StatoError, match=r"\.clinerules is a file"):
        write_bridges(project, ["clinerules"])


def test_junie_warns_when_a_file_it_reads_first_hides_the_block(project: Path) -> None:
    # Junie reads only the first of .junie/AGENTS.md, AGENTS.md, .junie/guidelines.md
    assert not write_bridges(project, ["junie"]).warnings
    (project / ".junie").mkdir(exist_ok=True)
    (project / ".junie/AGENTS.md").write_text("# Junie only\n", "utf-8")
    warnings = write_bridges(project, ["all"]).warnings
    assert any("Junie does not load" in w and ".junie/AGENTS.md" in w for w in warnings)


def test_codex_warns_when_agents_override_md_hides_agents_md(project: Path) -> None:
    # Codex reads AGENTS.override.md instead of AGENTS.md in the same folder
    (project / "AGENTS.override.md").write_text("# local override\n", "utf-8")
    warnings = write_bridges(project, ["codex"]).warnings
    assert any("OpenAI Codex does not load" in w and "AGENTS.override.md" in w for w in warnings)
    (project / "AGENTS.override.md").unlink()
    assert not write_bridges(project, ["codex"]).warnings


@pytest.mark.parametrize("file", [f for f in FILES.values() if f.front_matter], ids=lambda f: f.id)
def test_a_persons_file_without_front_matter_gets_the_one_the_agent_needs(
    project: Path, file: OwnFile
) -> None:
    """A person's file at stato's path with no front matter: without stato's, the agent would
    not load the block every session (a Cursor .mdc with none attaches only when asked,
    Continue requires `name`). Their text is kept below it; a person's front matter is kept."""
    mine = project / file.path
    mine.parent.mkdir(parents=True, exist_ok=True)
    mine.write_text("- my own rule\n", "utf-8")
    _bridge(project, file.id)
    text = mine.read_text("utf-8")
    assert _front(text) == dict(file.front_matter) | (
        {"globs": None} if file.id == "cursor-rules" else {}
    )
    assert "\n- my own rule\n" in text and markers.find_block(text) is not None
    _bridge(project, file.id)
    assert mine.read_text("utf-8") == text
    mine.write_text("---\nname: mine\nalwaysApply: false\n---\n- my own rule\n", "utf-8")
    _bridge(project, file.id)
    assert _front(mine.read_text("utf-8")) == {"name": "mine", "alwaysApply": False}
