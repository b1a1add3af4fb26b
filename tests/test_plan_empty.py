"""A plan with no steps: every view says "empty" (0/0), none calls it done, none crashes.

`state` is "empty" wherever a plan appears in --json; `complete` stays true for it, as
core/plan.is_complete documents (nothing is left to do), so `state` is what tells it apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import write

EMPTY = '''class AnalysisPlan:
    """The plan."""

    name = "cortex"
    objective = "Analyse the cortex"
    steps = {steps}
'''
SENTENCE = "The plan has no steps yet."


@pytest.fixture(params=["[]", "()"], ids=["list", "tuple"])
def empty(tmp_path: Path, run: Callable[..., Result], request: pytest.FixtureRequest) -> Path:
    assert run("init").exit_code == 0
    return write(tmp_path / ".stato" / "plan.py", EMPTY.format(steps=request.param))


def assert_empty(plan: dict[str, object]) -> None:
    assert plan["state"] == "empty"
    assert (plan["done"], plan["total"]) == (0, 0)
    assert plan["current"] is None and plan["next"] is None
    assert plan["steps"] == [] and plan["blocked"] == []
    assert plan["headline"] == f"0/0 steps complete. {SENTENCE}"
    assert "All steps are complete" not in json.dumps(plan)


def test_validate_accepts_an_empty_plan(empty: Path, run: Callable[..., Result]) -> None:
    result = run("validate", str(empty), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["modules"][0]["valid"] is True


@pytest.mark.parametrize("command", ["status", "plan", "resume"])
def test_every_json_view_says_empty(empty: Path, run: Callable[..., Result], command: str) -> None:
    result = run(command, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert_empty(data if command == "plan" else data["plan"])


@pytest.mark.parametrize("command", ["status", "plan", "resume"])
def test_every_text_view_says_0_of_0_and_no_steps_yet(
    empty: Path, run: Callable[..., Result], command: str
) -> None:
    result = run(command)
    assert result.exit_code == 0, result.output
    assert "0/0 steps complete" in result.stdout and SENTENCE in result.stdout
    assert "All steps are complete" not in result.stdout
    assert "Traceback" not in result.output


def test_resume_brief_names_the_empty_plan(empty: Path, run: Callable[..., Result]) -> None:
    brief = json.loads(run("resume", "--json").stdout)["brief"]
    assert f"0/0 steps complete. {SENTENCE}" in brief


def test_bridge_writes_the_empty_plan_into_agents_md(
    empty: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    result = run("bridge")
    assert result.exit_code == 0, result.output
    text = (tmp_path / "AGENTS.md").read_text("utf-8")
    assert "0/0 steps complete" in text and SENTENCE in text
    assert "Next step" not in text.split("## Current Plan")[1].split("##")[0]
    again = run("bridge", "--json")  # a second run has nothing new to write
    assert again.exit_code == 0
    assert {f["status"] for f in json.loads(again.stdout)["files"]} == {"unchanged"}


@pytest.mark.parametrize("fmt", ["mermaid", "dot"])
def test_the_graph_of_an_empty_plan_is_an_empty_graph(
    empty: Path, run: Callable[..., Result], fmt: str
) -> None:
    result = run("plan", "--graph", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().startswith("flowchart TD" if fmt == "mermaid" else "digraph")


@pytest.mark.parametrize("verb", ["done", "start", "block", "fail"])
def test_a_step_of_an_empty_plan_is_refused_and_nothing_is_written(
    empty: Path, run: Callable[..., Result], verb: str
) -> None:
    before = empty.read_bytes()
    result = run("plan", verb, "1")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "no step 1" in result.stderr
    assert empty.read_bytes() == before
    assert not (empty.parent / ".history").exists() or not any(
        (empty.parent / ".history").rglob("plan*")
    )


def test_the_first_step_added_to_an_empty_plan_is_ready(
    empty: Path, run: Callable[..., Result]
) -> None:
    before = empty.read_bytes()
    result = run("plan", "add", "load data", "--json")
    if "()" in before.decode():  # a tuple is a valid plan, but only a list literal is edited
        assert result.exit_code == 1 and "edit it by hand" in result.stderr
        assert empty.read_bytes() == before
        return
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)["plan"]
    assert (plan["state"], plan["done"], plan["total"]) == ("ready", 0, 1)
    assert plan["next"]["action"] == "load data"
    assert run("validate", str(empty)).exit_code == 0
