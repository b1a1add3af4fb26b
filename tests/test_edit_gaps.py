"""`lesson add`, `memory set` and `memory add-issue` on fields of an unexpected shape, and on
values already there: refused clearly with the file byte for byte and no backup, or written."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import write

SKILL = '''class QualityControl:
    """QC."""

    name = "qc"
    lessons_learned = {}

    def run(self, x: int) -> int:
        return x
'''

MEMORY = '''from shared import ISSUES


class ProjectState:
    """Memory."""

    phase = "analysis"
    tasks = ["a"]
    known_issues = {issues}
    metadata = {{"flag": 1, "n": 2.0}}
    last_updated = "2025-01-15"
'''


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    assert run("init").exit_code == 0
    return tmp_path / ".stato"


def backups(stato: Path) -> list[Path]:
    history = stato / ".history"
    return sorted(history.rglob("*.py")) if history.exists() else []


def refused(result: Result, file: Path, before: bytes, stato: Path, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and words in result.stderr, result.stderr
    assert file.read_bytes() == before
    assert backups(stato) == []


@pytest.mark.parametrize("value", ['["first"]', '("first",)', "[]", "42", "None"])
def test_lesson_add_refuses_lessons_learned_that_is_not_a_string(
    project: Path, run: Callable[..., Result], value: str
) -> None:
    skill = write(project / "skills" / "qc.py", SKILL.format(value))
    before = skill.read_bytes()
    result = run("lesson", "add", "qc", "first")
    refused(result, skill, before, project, "E007")


def test_lesson_add_refuses_lessons_learned_it_cannot_read(
    project: Path, run: Callable[..., Result]
) -> None:
    text = "from shared import LESSONS\n\n\n" + SKILL.format("LESSONS")
    skill = write(project / "skills" / "qc.py", text)
    refused(run("lesson", "add", "qc", "first"), skill, skill.read_bytes(), project, "by hand")


def test_lesson_add_to_a_computed_string_and_the_same_lesson_twice(
    project: Path, run: Callable[..., Result]
) -> None:
    skill = write(project / "skills" / "qc.py", SKILL.format('"- a\\n" + "- b\\n"'))
    result = run("lesson", "add", "qc", "  third   lesson ", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lessons"] == 3
    assert run("validate", str(skill)).exit_code == 0
    before, saved = skill.read_bytes(), backups(project)
    again = run("lesson", "add", "qc", "third lesson")
    assert again.exit_code == 1 and "already has this lesson" in again.stderr
    assert skill.read_bytes() == before and backups(project) == saved


def test_memory_set_to_the_value_it_has_writes_nothing(
    project: Path, run: Callable[..., Result]
) -> None:
    memory = write(project / "memory.py", MEMORY.format(issues="{}"))
    before = memory.read_bytes()
    for field, value in (("phase", "analysis"), ("tasks", '["a"]'), ("known_issues", "{}")):
        result = run("memory", "set", field, value)
        refused(result, memory, before, project, "already has that value")
        assert "2025-01-15" in memory.read_text()  # not stamped either


def test_memory_set_a_value_equal_only_by_python_equality_is_written(
    project: Path, run: Callable[..., Result]
) -> None:
    # 1 == True and 2.0 == 2 in Python; in the file they are different values.
    memory = write(project / "memory.py", MEMORY.format(issues="{}"))
    result = run("memory", "set", "metadata", '{"flag": true, "n": 2}', "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["after"] == {"flag": True, "n": 2}
    assert 'metadata = {"flag": True, "n": 2}' in memory.read_text()
    assert len(backups(project)) == 1


@pytest.mark.parametrize("issues", ['["batch effect"]', '"batch effect"', "None"])
def test_add_issue_refuses_known_issues_of_the_wrong_type(
    project: Path, run: Callable[..., Result], issues: str
) -> None:
    memory = write(project / "memory.py", MEMORY.format(issues=issues))
    before = memory.read_bytes()
    refused(run("memory", "add-issue", "k", "v"), memory, before, project, "E007")


@pytest.mark.parametrize("issues", ["ISSUES", "{**ISSUES, 'k0': 'v0'}"])
def test_add_issue_refuses_known_issues_it_cannot_read_instead_of_dropping_them(
    project: Path, run: Callable[..., Result], issues: str
) -> None:
    memory = write(project / "memory.py", MEMORY.format(issues=issues))
    before = memory.read_bytes()
    refused(run("memory", "add-issue", "k", "v"), memory, before, project, "not a plain dict")


def test_add_issue_creates_known_issues_and_keeps_computed_entries(
    project: Path, run: Callable[..., Result]
) -> None:
    absent = MEMORY.format(issues="{}").replace("    known_issues = {}\n", "")
    memory = write(project / "memory.py", absent)
    assert run("memory", "add-issue", "k", "v").exit_code == 0
    assert 'known_issues = {"k": "v"}' in memory.read_text()
    write(project / "memory.py", MEMORY.format(issues='dict(batch="plates apart")'))
    result = run("memory", "add-issue", "k", "v", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["after"] == {"batch": "plates apart", "k": "v"}
