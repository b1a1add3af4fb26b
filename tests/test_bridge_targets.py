"""The target table: every row is wired up, has a golden file, and writes what its agent reads."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stato.bridges.render import render_body
from stato.bridges.summary import SkillView, Summary
from stato.bridges.targets import BY_ID, FORMATS, TARGETS, ids, select
from stato.formats import markers
from stato.ops.bridge import write_bridges
from stato.ops.init import init_project

GOLDEN = Path(__file__).parent / "data" / "bridge"
UPDATE = os.environ.get("STATO_UPDATE_GOLDEN") == "1"


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


def test_ids_are_unique_and_rows_complete() -> None:
    assert len(BY_ID) == len(TARGETS)
    for t in TARGETS:
        assert t.id == t.id.lower() and " " not in t.id
        assert t.format in FORMATS
        assert t.kind in ("file", "skills")
        assert t.paths and all(not p.startswith("/") and ".." not in p for p in t.paths)
        assert t.source, f"{t.id} must say where its format is documented"
        if t.kind == "file":
            assert len(t.paths) == 1


def test_the_issue_targets_are_all_present() -> None:
    wanted = {
        "agents": "AGENTS.md",
        "claude": "CLAUDE.md",
        "codex": "AGENTS.md",
        "cursor-rules": ".cursor/rules/stato.mdc",
        "cursor-legacy": ".cursorrules",
        "copilot": ".github/copilot-instructions.md",
        "gemini": "GEMINI.md",
        "generic": "README.stato.md",
    }
    for tid, path in wanted.items():
        assert BY_ID[tid].path == path
    for tid in ("windsurf", "cline", "kiro", "amazonq", "junie", "skills"):
        assert tid in BY_ID


def test_all_means_every_row_but_on_request_alternatives() -> None:
    chosen = {t.id for t in select(["all"])}
    assert chosen == {t.id for t in TARGETS if t.in_all}
    assert "devin" not in chosen
    # the on-request row is an alternative location of an agent that `all` already covers
    assert {t.id for t in TARGETS if not t.in_all} == {"devin"}
    assert {t.id for t in select(["cursor-legacy,agents"])} == {"cursor-legacy", "agents"}


def test_cursor_is_both_of_cursors_files() -> None:
    """The spec's bridge for Cursor is .cursorrules; Cursor's docs today say .cursor/rules."""
    both = {t.path for t in select(["cursor"])}
    assert both == {".cursorrules", ".cursor/rules/stato.mdc"}
    assert {t.path for t in select(["cursor-rules"])} == {".cursor/rules/stato.mdc"}
    assert {t.path for t in select(["all"])} >= both
    assert "cursor" in ids()
    with pytest.raises(KeyError):
        select(["agents", "nope"])


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_front_matter_is_valid_yaml_with_real_booleans(project: Path, target) -> None:
    result = write_bridges(project, [target.id])
    assert result.files, "every row writes at least one file"
    for f in result.files:
        text = (project / f.path).read_text("utf-8")
        if not target.front_matter and target.kind == "file":
            assert text.startswith(markers.BEGIN)
            continue
        assert text.startswith("---\n")
        data = yaml.safe_load(text.split("---", 2)[1])
        if target.kind == "file":
            assert list(data) == [k for k, _ in target.front_matter]
    if target.id == "cursor-rules":
        data = yaml.safe_load((project / target.path).read_text("utf-8").split("---", 2)[1])
        assert data["alwaysApply"] is True and isinstance(data["description"], str)


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.id)
def test_golden(project: Path, target) -> None:
    """Each target alone, on the example project, writes exactly its golden files."""
    write_bridges(project, [target.id])
    written = {k: v for k, v in _tree(project).items() if not k.startswith(".stato/")}
    golden_dir = GOLDEN / target.id
    if UPDATE:
        for rel, text in written.items():
            (golden_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            (golden_dir / rel).write_text(text, "utf-8")
    assert written == _tree(golden_dir)
    for rel in written:
        assert rel == target.path or any(rel.startswith(p + "/") for p in target.paths)


def test_every_golden_folder_belongs_to_a_row() -> None:
    assert {p.name for p in GOLDEN.iterdir() if p.is_dir()} == set(BY_ID)


def test_all_parses_once_and_writes_one_file_per_path(project: Path) -> None:
    result = write_bridges(project, ["all"])
    paths = [f.path for f in result.files]
    assert len(paths) == len(set(paths))
    agents = next(f for f in result.files if f.path == "AGENTS.md")
    assert set(agents.platforms) == {"agents", "codex"}
    # AGENTS.md is written in the same run, so CLAUDE.md imports it instead of repeating it
    claude = (project / "CLAUDE.md").read_text("utf-8")
    assert markers.block_body(claude) == "@AGENTS.md"


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
