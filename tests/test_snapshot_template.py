"""Template resets: plan steps pending without outputs, memory back to init; the rest stays."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stato.core.compiler import compile_source
from stato.core.render import render_module
from stato.core.template import template_source

DATA = Path(__file__).parent / "data" / "archive"


def reset(src: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    before = compile_source(src)
    out = template_source(src, before.module_type, before.fields)
    after = compile_source(out)
    assert after.valid, after.diagnostics
    assert after.module_type == before.module_type
    return out, after.fields


def test_plan_reset_keeps_text() -> None:
    src = (DATA / "plan.py").read_text()
    out, fields = reset(src)
    assert [s["status"] for s in fields["steps"]] == ["pending"] * 5
    assert all("output" not in s for s in fields["steps"])
    assert [s["depends_on"] for s in fields["steps"]] == [[], [1], [2], [3], [4]]
    assert "# the steps, in order" in out
    assert out.split("decision_log")[1] == src.split("decision_log")[1]
    assert out.splitlines()[:8] == src.splitlines()[:8]


def test_memory_reset() -> None:
    src = (DATA / "memory.py").read_text()
    out, fields = reset(src)
    before = compile_source(src).fields
    assert fields["phase"] == "init"
    assert fields["error_history"] == []
    assert "reflection" not in fields
    assert fields["prior_reflection"] == before["reflection"]
    for kept in ("tasks", "known_issues", "last_updated"):
        assert fields[kept] == before[kept]
    assert out.count("\n") <= src.count("\n")


def test_skill_and_context_untouched() -> None:
    skill = 'class Qc:\n    name = "qc"\n    lessons_learned = "x"\n\n'
    skill += "    def run(self):\n        pass\n"
    ctx = 'class ProjectContext:\n    project = "p"\n    description = "d"\n'
    for src in (skill, ctx):
        r = compile_source(src)
        assert template_source(src, r.module_type, r.fields) == src


def test_plan_only_output_pair_and_computed_steps() -> None:
    src = "class P:\n    name = 'p'\n    objective = 'o'\n    steps = [{'output': 'x',}, ]\n"
    r = compile_source(src)
    # a step with no status goes through the materialized fallback
    out = template_source(src, "plan", r.fields)
    assert compile_source(out).valid or "status" in out
    computed = (
        "BASE = [{'id': 1, 'action': 'a', 'status': 'complete', 'output': 'o'}]\n"
        "class P:\n    name = 'p'\n    objective = 'o'\n    steps = BASE + []\n"
    )
    out, fields = reset(computed)
    assert fields["steps"] == [{"id": 1, "action": "a", "status": "pending"}]
    assert out.startswith("BASE = ")


def test_memory_reflection_referenced_or_prior_present() -> None:
    src = (
        'class WorkState:\n    phase = "x"\n    reflection = "r"\n    summary = reflection + "!"\n'
    )
    out, fields = reset(src)
    assert fields["prior_reflection"] == "r"
    assert fields["reflection"] == ""
    assert fields["summary"] == "!"  # derived fields follow the cleared reflection
    src2 = (
        'class WorkState:\n    phase = "x"\n    prior_reflection = "old"\n    reflection = "new"\n'
    )
    _, fields2 = reset(src2)
    assert fields2["prior_reflection"] == "new"


def test_memory_without_optional_fields() -> None:
    src = 'class WorkState:\n    """m"""\n    phase = "init"\n'
    out, fields = reset(src)
    assert out == src
    assert "error_history" not in fields


_status = st.sampled_from(["pending", "running", "complete", "failed", "blocked"])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(_status, st.one_of(st.none(), st.text(max_size=30))), min_size=1, max_size=8
    ),
    st.text(max_size=40),
)
def test_plan_reset_property(rows, log) -> None:  # type: ignore[no-untyped-def]
    steps = []
    for i, (status, output) in enumerate(rows, start=1):
        step = {
            "id": i,
            "action": f"a{i}",
            "status": status,
            "depends_on": [i - 1] if i > 1 else [],
        }
        if output is not None:
            step["output"] = output
        steps.append(step)
    src = render_module(
        "AnalysisPlan", {"name": "p", "objective": "o", "steps": steps, "decision_log": log}
    )
    out, fields = reset(src)
    assert [s["status"] for s in fields["steps"]] == ["pending"] * len(rows)
    assert [{k: v for k, v in s.items() if k not in ("status", "output")} for s in steps] == [
        {k: v for k, v in s.items() if k != "status"} for s in fields["steps"]
    ]
    assert fields["decision_log"] == log
    assert template_source(out, "plan", fields) == out  # idempotent


def test_computed_steps_refuse_the_template() -> None:
    import pytest

    from stato.core.template import TemplateError

    src = (
        "import json\nSTEPS = json.loads('[]')\n"
        'class P:\n    """p"""\n    name = "p"\n    objective = "o"\n    steps = STEPS\n'
    )
    r = compile_source(src)
    assert r.valid and "steps" not in r.fields
    with pytest.raises(TemplateError):
        template_source(src, "plan", r.fields)


def test_computed_steps_refuse_template_snapshot(example: Path, run) -> None:  # type: ignore[no-untyped-def]
    plan = example / ".stato" / "plan.py"
    plan.write_text(
        "import json\nSTEPS = json.loads('[]')\n"
        'class AnalysisPlan:\n    """p"""\n    name = "p"\n    objective = "o"\n'
        "    steps = STEPS\n"
    )
    res = run("snapshot", "--name", "t", "--template", "--force")
    assert res.exit_code == 1 and "plan.py" in res.output and "--exclude" in res.output
    assert not (example / "t.stato").exists()
    assert run("snapshot", "--name", "t", "--force").exit_code == 0  # fine without --template
