"""`and`/`or` and `x if c else y` in module fields: Python's values, Python's short-circuit.

An operand Python never evaluates is never evaluated here either: it cannot raise (E005), cost
budget (I007) or bind a walrus name. An operand Python does evaluate raises or costs exactly as
it would on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from stato.core.compiler import compile_source

from .conftest import write


def module(*body: str) -> str:
    lines = ["class QualityControl:", '    """Branches."""', '    name = "qc"']
    lines += ['    lessons_learned = "-"', *[f"    {line}" for line in body]]
    lines += ["    def run(self, x: int) -> int:", "        return x"]
    return "\n".join(lines) + "\n"


VALUES: dict[str, tuple[str, Any]] = {
    "and-first-falsy": ("x = 0 and 1", 0),
    "and-all-truthy-gives-last": ("x = 1 and 2 and 3", 3),
    "or-first-truthy": ("x = '' or 'b' or 'c'", "b"),
    "or-all-falsy-gives-last": ("x = 0 or '' or []", []),
    "and-or-idiom": ("x = len('abc') > 2 and 'long' or 'short'", "long"),
    "if-true": ("x = 'a' if [0] else 'b'", "a"),
    "if-false": ("x = 'a' if {} else 'b'", "b"),
    "if-value-is-a-container": ("x = [1, 2] if 'yes' else {}", [1, 2]),
    "nested-if": ("x = 1 if 0 else 2 if 0 else 3", 3),
    "function-is-truthy": ("x = (lambda: 0) and 'called never'", "called never"),
}


@pytest.mark.parametrize("line, expected", VALUES.values(), ids=list(VALUES))
def test_branches_give_pythons_value(line: str, expected: Any) -> None:
    result = compile_source(module(line))
    assert result.valid and result.codes() == [], result.codes()
    assert result.fields["x"] == expected
    namespace: dict[str, Any] = {}
    exec(line, {}, namespace)  # the test's own literal, never module code under test
    assert namespace["x"] == expected


SKIPPED: dict[str, tuple[str, Any]] = {
    "and-skips-undefined": ("x = 0 and undefined", 0),
    "or-skips-undefined": ("x = 1 or undefined", 1),
    "or-skips-division-by-zero": ("x = 'ok' or 1 / 0", "ok"),
    "if-skips-false-branch": ("x = 'a' if 1 else undefined", "a"),
    "if-skips-true-branch": ("x = 1 / 0 if 0 else 'b'", "b"),
    "and-skips-over-budget": ("x = 0 and 'a' * 10**9", 0),
    "if-skips-over-budget": ("x = 'a' * 10**9 if None else 'small'", "small"),
    "or-skips-power-tower": ("x = 1 or 2**2**40", 1),
    "and-skips-a-call-never-run": ("x = [] and open('/etc/passwd')", []),
}


@pytest.mark.parametrize("line, expected", SKIPPED.values(), ids=list(SKIPPED))
def test_an_operand_python_skips_is_never_evaluated(line: str, expected: Any) -> None:
    result = compile_source(module(line))
    assert result.codes() == [], result.codes()
    assert result.fields["x"] == expected


EVALUATED: dict[str, tuple[str, str]] = {
    "and-reaches-undefined": ("x = 1 and undefined", "E005"),
    "or-reaches-undefined": ("x = [] or undefined", "E005"),
    "or-reaches-division-by-zero": ("x = 0 or 1 / 0", "E005"),
    "if-test-undefined": ("x = 1 if undefined else 2", "E005"),
    "if-takes-the-raising-branch": ("x = 1 / 0 if 'y' else 2", "E005"),
    "and-reaches-over-budget": ("x = 1 and 'a' * 10**9", "I007"),
    "or-reaches-power-tower": ("x = 0 or 2**2**40", "I007"),
    "if-takes-the-huge-branch": ("x = [0] * 10**9 if 1 else []", "I007"),
    "if-test-is-a-call": ("x = 1 if open('f') else 2", "I007"),
}


@pytest.mark.parametrize("line, code", EVALUATED.values(), ids=list(EVALUATED))
def test_an_operand_python_evaluates_raises_or_costs_as_alone(line: str, code: str) -> None:
    result = compile_source(module(line))
    assert code in result.codes(), result.codes()
    assert "x" not in result.fields


def test_a_walrus_in_a_skipped_operand_binds_nothing() -> None:
    taken = compile_source(module("x = (y := 5) and y + 1", "z = y"))
    assert taken.codes() == [] and taken.fields["x"] == 6 and taken.fields["z"] == 5
    skipped = compile_source(module("x = 0 and (y := 5)", "z = y"))
    assert "E005" in skipped.codes()  # NameError: y, as when the class body runs
    assert skipped.fields["x"] == 0


def test_a_branch_chosen_depends_on_can_be_wrapped_and_the_fix_is_idempotent() -> None:
    result = compile_source(module("depends_on = ['a'] if 0 else 'b'"))
    assert result.codes() == ["W001"] and result.fields["depends_on"] == ["b"]
    assert result.corrected_source is not None
    again = compile_source(result.corrected_source)
    assert again.codes() == [] and again.fields["depends_on"] == ["b"]


def test_validate_reports_branches_from_the_cli(tmp_path: Path, run: Callable[..., Result]) -> None:
    assert run("init").exit_code == 0
    good = write(tmp_path / ".stato/skills/good.py", module("x = 0 and undefined"))
    bad = write(tmp_path / ".stato/skills/bad.py", module("x = 1 and undefined"))
    ok = run("validate", str(good), "--json")
    assert ok.exit_code == 0, ok.output
    failed = run("validate", str(bad), "--json")
    assert failed.exit_code != 0 and "E005" in failed.output
