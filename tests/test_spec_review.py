"""Regressions found by checking the core against ../shared/spec (error codes, store commands)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.store import Store
from stato.errors import ModuleInvalid
from stato.ops.write import save_checked

Run = Callable[..., Result]
SKILL = (
    'class Other:\n    """o"""\n    name = "{name}"\n    lessons_learned = "l"\n\n'
    "    def run(self) -> None:\n        pass\n"
)


def test_write_refuses_a_skill_whose_name_another_skill_uses(run: Run, example: Path) -> None:
    # E-codes block writes: E011 (two skills of one name) included. `stato write` wrote the
    # module, and the next `stato validate` failed the whole project.
    skills = example / ".stato" / "skills"
    before = {p.name: p.read_bytes() for p in skills.iterdir()}
    refused = run("write", "skills/dup.py", "--json", input=SKILL.format(name="qc_filtering"))
    assert refused.exit_code == 1
    doc = json.loads(refused.stdout)
    assert doc["written"] is False
    assert [d["code"] for d in doc["diagnostics"]] == ["E011"]
    assert "skills/qc.py" in doc["diagnostics"][0]["message"]
    assert {p.name: p.read_bytes() for p in skills.iterdir()} == before
    assert run("validate").exit_code == 0
    # The skill itself may be rewritten under its own name, and a new name is fine.
    own = (skills / "qc.py").read_text().replace('"1.2.0"', '"1.3.0"')
    assert run("write", "skills/qc.py", input=own).exit_code == 0
    assert run("write", "skills/dup.py", input=SKILL.format(name="fresh")).exit_code == 0
    assert run("validate").exit_code == 0


def test_the_mcp_write_path_refuses_the_clash_too(example: Path) -> None:
    store = Store(example)
    with pytest.raises(ModuleInvalid, match="E011"):
        save_checked(store, "skills/dup.py", SKILL.format(name="normalize"))
    assert not (example / ".stato" / "skills" / "dup.py").exists()


def _skill(*lines: str, before: str = "") -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return before + 'class Qc:\n    """q"""\n' + body + "    def run(self) -> None:\n        pass\n"


@pytest.mark.parametrize(
    "field",
    [
        "name = undefined_fn('qc')",  # the callee is looked up first: NameError
        "name = undefined_mod.attr",  # so is an attribute's owner
        "name = Qc.other",  # the class is bound only after its body ran
        "name = a.b.c(1)",
    ],
)
def test_an_undefined_name_behind_a_call_or_attribute_is_e005(field: str) -> None:
    # spec/README.md ruling 1: E005 when evaluating a field would raise (an undefined name);
    # these were I007 ("could not be checked") though Python raises NameError on each.
    from stato.core.compiler import compile_source

    r = compile_source(_skill(field))
    assert "E005" in r.codes() and "I007" not in r.codes()


@pytest.mark.parametrize(
    "before",
    [
        "import os as a\n",
        "from x import *\n",
        "for a in []: pass\n",
        "with open('f') as a: pass\n",
        "try:\n    import a\nexcept ImportError:\n    a = None\n",
        "def a(): pass\n",
        "a: int\n",
    ],
)
def test_a_name_bound_at_module_level_stays_advice(before: str) -> None:
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', "description = a.sep", "tags = a()", before=before))
    assert "E005" not in r.codes(), r.diagnostics


PAREN_PLAN = '''class Plan:
    """p"""
    name = "p"
    objective = "o"
    decision_log = "d"
    version = "1.0"
    steps = [
        {"id": 1, "action": "load", "status": "complete"},
        {"id": 2, "action": "b", "depends_on": (1)},
        {"id": 3, "action": (
            "a long action "  # a comment with ) in it
            "on two lines"
        )  # ) here too
        },
    ]
'''


def test_w004_inserts_the_status_after_a_parenthesized_last_value() -> None:
    # ast spans leave a value's parentheses out: the status went inside them,
    # ``(1, "status": "pending")``, the fixed text did not parse, and every fix of the module
    # (W002, W003 too) was dropped, so the warnings came back on each validate.
    from stato.core.compiler import compile_source

    r = compile_source(PAREN_PLAN, "plan.py")
    fixes = [(d.code, d.fixed) for d in r.diagnostics if d.code.startswith("W")]
    assert fixes and all(fixed for _, fixed in fixes), fixes
    again = compile_source(r.corrected_source, "plan.py")
    assert not [d for d in again.diagnostics if d.code.startswith("W")]
    assert [s["status"] for s in again.fields["steps"]] == ["complete", "pending", "pending"]


def test_plan_done_with_output_after_a_parenthesized_value(run: Run, tmp_path: Path) -> None:
    assert run("init").exit_code == 0
    plan = tmp_path / ".stato" / "plan.py"
    plan.write_text(
        PAREN_PLAN.replace('"depends_on": (1)', '"status": "running", "depends_on": (1)')
    )
    done = run("plan", "done", "2", "--output", "did it")
    assert done.exit_code == 0, done.output
    from stato.core.compiler import compile_source

    r = compile_source(plan.read_text(), "plan.py")
    assert r.valid and r.fields["steps"][1]["output"] == "did it"


@pytest.mark.parametrize("literal", ['"1" ".0"', '"1.\\x30"', "'1' '.0'"])
def test_w003_fixes_a_version_literal_written_in_pieces_or_escapes(literal: str) -> None:
    # The fix replaced the value's text inside the literal; where the literal does not hold
    # it verbatim the fix changed nothing, and W003 stayed unfixed on every validate.
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', f"version = {literal}"))
    assert [(d.code, d.fixed) for d in r.diagnostics if d.code == "W003"] == [("W003", True)]
    again = compile_source(r.corrected_source)
    assert again.fields["version"] == "1.0.0" and "W003" not in again.codes()


def test_w003_on_a_computed_version_does_not_claim_to_fix_it() -> None:
    # A version a field computes has no literal to fix: the warning says so on every
    # validate, instead of "auto-fixing" a text it leaves as it was.
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', 'MAJOR = "1"', 'version = MAJOR + ".0"'))
    (w,) = [d for d in r.diagnostics if d.code == "W003"]
    assert not w.fixed and "auto-fixing" not in w.message and "not auto-fixed" in w.message
    assert 'version = MAJOR + ".0"' in r.corrected_source


@st.composite
def laid_out_plans(draw: st.DrawFn) -> str:
    """Plans whose step values are laid out as people write them: parenthesized, split over
    lines, with comments and trailing commas, and steps that lack a status or wrap no list."""
    n = draw(st.integers(1, 5))
    steps = []
    for i in range(1, n + 1):
        items = [("id", str(i)), ("action", f'"a{i}"')]
        if i > 1 and draw(st.booleans()):
            items.append(("depends_on", str(i - 1) if draw(st.booleans()) else f"[{i - 1}]"))
        if draw(st.booleans()):
            items.append(("status", '"pending"'))
        parts = []
        for key, value in items:
            style = draw(st.sampled_from(["plain", "paren", "paren-lines", "comment"]))
            if style == "paren":
                value = f"({value})"
            elif style == "paren-lines":
                value = f"(\n            {value}  # ) note\n        )"
            elif style == "comment":
                value = f"{value}  # why\n       "
            parts.append(f'"{key}": {value}')
        comma = "," if draw(st.booleans()) else ""
        steps.append("        {" + ", ".join(parts) + comma + "}")
    return (
        'class Plan:\n    """p"""\n    name = "p"\n    objective = "o"\n    decision_log = "d"\n'
        "    steps = [\n" + ",\n".join(steps) + ",\n    ]\n"
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(laid_out_plans())
def test_every_plan_fix_applies_whatever_the_layout(src: str) -> None:
    from stato.core.compiler import compile_source

    r = compile_source(src, "plan.py")
    assert r.valid, r.diagnostics
    assert all(d.fixed for d in r.diagnostics if d.code.startswith("W")), r.diagnostics
    again = compile_source(r.corrected_source, "plan.py")
    assert not [d for d in again.diagnostics if d.code.startswith("W")]
    assert again.corrected_source == r.corrected_source
    assert all(isinstance(s.get("depends_on", []), list) for s in again.fields["steps"])
    assert all(s["status"] == "pending" for s in again.fields["steps"])


def test_list_augmented_with_any_iterable_extends_it_as_python_does() -> None:
    # ``tags += "bc"`` runs fine in Python (list.__iadd__ extends); it was E005 (TypeError),
    # which blocked writing a valid module. ``x = x + "bc"`` and ``"a" += [..]`` still raise.
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', 'tags = ["a"]', 'tags += "bc"', 'tags += ("d",)'))
    assert r.valid and "E005" not in r.codes() and r.fields["tags"] == ["a", "b", "c", "d"]
    assert (
        "E005" in compile_source(_skill('name = "qc"', 'tags = ["a"]', 'tags = tags + "b"')).codes()
    )
    assert "E005" in compile_source(_skill('name = "qc"', 'tags = "a"', 'tags += ["b"]')).codes()


@pytest.mark.parametrize(
    "lines",
    [
        ("x = 1 / 0", "x = 1"),  # rebound afterwards
        ("x = undefined", "del x"),  # deleted afterwards
        ("x = [][1]", "y = (x := 2)"),  # rebound by a walrus
        ("run = 1 / 0",),  # then defined as the method below
    ],
)
def test_a_statement_that_raises_is_e005_even_if_its_name_is_bound_again(
    lines: tuple[str, ...],
) -> None:
    # The class body stops at the first statement that raises (cli-guide: E005 "class
    # definition crashes at exec time"); only the last binding of each name was checked.
    from stato.core.compiler import compile_source

    assert "E005" in compile_source(_skill('name = "qc"', *lines)).codes()


def test_a_nested_class_is_not_said_to_be_defined_conditionally() -> None:
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', "class Inner:", "    pass"))
    (i007,) = [d for d in r.diagnostics if d.code == "I007"]
    assert "nested class" in i007.message and "conditionally" not in i007.message


def test_w004_is_fixed_after_a_last_unpacked_dict_too() -> None:
    # Ruling 3: validating the corrected file reports no W001-W004. A step ending in
    # ``**extra`` kept W004 on every validate: its status was never inserted.
    from stato.core.compiler import compile_source

    src = PAREN_PLAN.replace('"depends_on": (1)}', '"depends_on": [1], **{"notes": "n"}}')
    r = compile_source(src, "plan.py")
    assert all(d.fixed for d in r.diagnostics if d.code == "W004")
    again = compile_source(r.corrected_source, "plan.py")
    assert "W004" not in again.codes() and again.fields["steps"][1]["notes"] == "n"


def test_plan_add_after_the_same_step_twice_depends_on_it_once(run: Run, example: Path) -> None:
    added = run("plan", "add", "x", "--after", "1", "--after", "1", "--json")
    assert added.exit_code == 0, added.output
    from stato.core.compiler import compile_source

    plan = compile_source((example / ".stato" / "plan.py").read_text(), "plan.py")
    assert plan.fields["steps"][-1]["depends_on"] == [1]


def test_write_checks_plan_py_as_a_plan(run: Run, example: Path) -> None:
    # A skill written to plan.py passed the gate; then `stato plan done` refused the plan as
    # invalid ("fix it first (stato validate)") while `stato validate` said it was valid.
    plan = example / ".stato" / "plan.py"
    before = plan.read_bytes()
    refused = run("write", "plan.py", "--json", input=SKILL.format(name="fresh"))
    assert refused.exit_code == 1 and "E003" in refused.stdout
    assert plan.read_bytes() == before
    assert run("write", "plan.py", input=before.decode()).exit_code == 0
