"""Diagnostics that say what is true: names bound as Python binds them, fixes that really fix."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from stato.core.compiler import compile_source
from stato.core.diff import diff_modules
from stato.core.project_checks import check_project

HEAD = 'class QualityControl:\n    """Doc."""\n    lessons_learned = "-"\n'
RUN = "    def run(self, x: int) -> int:\n        return x\n"


def skill(*lines: str, before: str = "") -> str:
    return before + HEAD + "".join(f"    {line}\n" for line in lines) + RUN


def codes(src: str) -> list[str]:
    return compile_source(src).codes()


# -- names -----------------------------------------------------------------------------------


def test_a_walrus_binds_its_name_in_the_class() -> None:
    r = compile_source(skill('name = (short := "qc")', "description = short"))
    assert r.valid and "E005" not in r.codes()
    assert r.fields["name"] == r.fields["description"] == r.fields["short"] == "qc"


def test_a_walrus_in_an_unevaluated_expression_leaves_its_name_unknown_not_undefined() -> None:
    r = compile_source(
        skill('name = "qc"', "x = os.sep + (y := 'a')", "z = y", before="import os\n")
    )
    assert "E005" not in r.codes() and "I007" in r.codes()


def test_names_after_a_star_import_are_advice_not_errors() -> None:
    r = compile_source(skill("name = NAME", "tags = [TAG]", before="from settings import *\n"))
    assert "E005" not in r.codes()
    assert r.codes().count("I007") == 2


def test_a_star_import_inside_a_try_counts_too() -> None:
    before = "try:\n    from settings import *\nexcept ImportError:\n    pass\n"
    assert "E005" not in codes(skill("name = NAME", before=before))


def test_an_undefined_name_without_a_star_import_is_still_e005() -> None:
    assert "E005" in codes(skill("name = NAME"))


def test_a_builtin_used_as_a_value_is_not_undefined() -> None:
    r = compile_source(skill('name = "qc"', "printer = print"))
    assert "E005" not in r.codes() and "I007" in r.codes()


def test_del_removes_a_field_and_a_later_use_is_e005() -> None:
    r = compile_source(skill('name = "qc"', "tmp = 1", "del tmp", "x = tmp"))
    assert "E005" in r.codes() and "tmp" not in r.fields
    assert "E003" in codes(skill('name = "qc"', "del name"))
    assert "E004" in codes(skill('name = "qc"') + "    del run\n")


def test_del_of_an_unbound_name_is_e005_and_a_later_use_falls_back_to_the_module() -> None:
    assert "E005" in codes(skill('name = "qc"', "del nothing"))
    r = compile_source(skill("name = NAME", "NAME = 'x'", "del NAME", before="NAME = 'qc'\n"))
    assert r.valid and r.fields["name"] == "qc" and "NAME" not in r.fields


def test_a_field_changed_in_place_is_not_reported_with_its_old_value() -> None:
    r = compile_source(skill('name = "qc"', 'default_params = {"a": 1}', 'default_params["b"] = 2'))
    assert "default_params" not in r.fields and "I007" in r.codes()


def test_a_module_value_changed_from_the_class_body_is_not_read_stale() -> None:
    r = compile_source(
        skill(
            'name = "qc"',
            'PARAMS["b"] = 2',
            "default_params = PARAMS",
            before='PARAMS = {"a": 1}\n',
        )
    )
    assert "default_params" not in r.fields and "I007" in r.codes()


def test_fields_outside_the_schema_that_need_a_call_get_i007() -> None:
    r = compile_source(skill('name = "qc"', "y = os.getcwd()", before="import os\n"))
    i007 = [d for d in r.diagnostics if d.code == "I007"]
    assert len(i007) == 1 and "'y'" in i007[0].message and "os.getcwd" in i007[0].message


def test_a_module_level_def_used_as_run_is_a_function() -> None:
    src = 'def helper(x):\n    return x\n\n\nclass QualityControl:\n    """Doc."""\n'
    src += '    name = "qc"\n    lessons_learned = "-"\n    run = helper\n'
    r = compile_source(src)
    assert r.valid and r.codes() == [] and "run" in r.methods
    not_callable = src.replace("def helper(x):\n    return x", 'helper = "text"')
    assert "E006" in codes(not_callable)


# -- fixes -----------------------------------------------------------------------------------


def test_a_fix_that_changes_nothing_is_not_called_fixed() -> None:
    # Steps built by an expression, not written as a list: no step's text to insert into.
    src = (
        'class P:\n    """p"""\n    name = "p"\n    objective = "o"\n    decision_log = "d"\n'
        '    steps = [] + [{"id": 1, "action": "a"}]\n'
    )
    r = compile_source(src)
    w004 = [d for d in r.diagnostics if d.code == "W004"]
    assert w004 and not w004[0].fixed and r.corrected_source == src


def test_a_fix_that_would_break_a_valid_module_is_not_applied() -> None:
    src = skill('name = depends_on = "qc"')  # wrapping the shared value makes name a list
    r = compile_source(src)
    assert r.valid and r.corrected_source == src
    assert [d.fixed for d in r.diagnostics if d.code == "W001"] == [False]


def test_a_fix_that_works_is_fixed_and_idempotent() -> None:
    r = compile_source(skill('name = "qc"', 'version = "1.0"', 'depends_on = "normalize"'))
    assert {d.code for d in r.diagnostics if d.fixed} == {"W001", "W003"}
    again = compile_source(r.corrected_source)
    assert again.corrected_source == r.corrected_source and not again.codes()


def test_validate_says_auto_fixed_only_for_fixes_it_wrote(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text(skill('version = "1.0"', "x = 1 / 0"), encoding="utf-8")  # E005: not written
    out = run("validate", str(broken))
    assert out.exit_code == 1 and "(auto-fixed)" not in out.output
    assert "not written" in out.output
    data = json.loads(run("validate", "--json", str(broken)).output)
    assert not any(d["fixed"] for m in data["modules"] for d in m["diagnostics"])
    assert not (tmp_path / "broken.py.bak").exists()

    good = tmp_path / "good.py"
    good.write_text(skill('name = "qc"', 'version = "1.0"'), encoding="utf-8")
    checked = json.loads(run("validate", "--check", "--json", str(good)).output)
    assert not any(d["fixed"] for m in checked["modules"] for d in m["diagnostics"])
    data = json.loads(run("validate", "--json", str(good)).output)
    assert [d["code"] for m in data["modules"] for d in m["diagnostics"] if d["fixed"]] == ["W003"]
    assert '"1.0.0"' in good.read_text(encoding="utf-8")


# -- diff after a fix --------------------------------------------------------------------------


def test_diff_after_an_auto_fix_shows_the_fields_it_changed() -> None:
    old = skill('name = "qc"', 'version = "1.0"', 'depends_on = "normalize"')
    new = compile_source(old).corrected_source
    changes = {c.field: (c.old, c.new) for c in diff_modules(old, new, "skills/qc.py").changes}
    assert changes == {"version": ("1.0", "1.0.0"), "depends_on": ("normalize", ["normalize"])}


def test_stato_diff_of_a_module_after_validate_fixed_it(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init").exit_code == 0
    module = tmp_path / ".stato" / "skills" / "qc.py"
    module.parent.mkdir(parents=True, exist_ok=True)
    module.write_text(skill('name = "qc"', 'version = "1.0"', 'depends_on = "normalize"'))
    assert run("validate", ".stato").exit_code == 0
    out = run("diff", "skills/qc.py")
    assert "version" in out.output and "depends_on" in out.output
    assert "source text differs" not in out.output


# -- issue 15: I008 only when the export loses or collides ---------------------------------------


def test_a_snake_case_name_is_exported_without_loss_so_no_i008() -> None:
    assert "I008" not in codes(skill('name = "qc_filtering"'))
    assert "I008" in codes(skill('name = "QC Filtering!"'))
    assert "I008" in codes(skill('name = "qc__filtering"'))  # two separators become one


def test_two_skills_whose_exported_names_collide_get_i008() -> None:
    a = compile_source(skill('name = "qc_filtering"'), "skills/a.py")
    b = compile_source(skill('name = "qc-filtering"'), "skills/b.py")
    c = compile_source(skill('name = "normalize"'), "skills/c.py")
    out = check_project([a, b, c])
    assert ["I008" in r.codes() for r in out] == [True, True, False]
