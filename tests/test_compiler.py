"""The compiler's behaviour: positioned fixes, idempotence, static evaluation, hostile input."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from stato.core.compiler import compile_source


def codes(src: str | bytes, **kw: object) -> list[str]:
    return compile_source(src, **kw).codes()  # type: ignore[arg-type]


SKILL = '''class QualityControl:
    """QC."""
    name = "scanpy"
    depends_on = "scanpy"
    version = "1.0"
    lessons_learned = "-"

    def run(self) -> None:
        pass
'''


def test_fix_touches_only_the_field_it_fixes() -> None:
    r = compile_source(SKILL)
    assert 'name = "scanpy"' in r.corrected_source
    assert 'depends_on = ["scanpy"]' in r.corrected_source
    assert 'version = "1.0.0"' in r.corrected_source
    assert r.corrected_source.replace('["scanpy"]', '"scanpy"', 1).replace("1.0.0", "1.0") == SKILL
    assert [d.code for d in r.diagnostics if d.fixed] == ["W001", "W003"]


def test_fixes_are_idempotent() -> None:
    once = compile_source(SKILL).corrected_source
    again = compile_source(once)
    assert again.corrected_source == once
    assert not {"W001", "W002", "W003", "W004"} & set(again.codes())


def test_annotated_fields_are_checked_and_fixed() -> None:
    src = SKILL.replace('depends_on = "scanpy"', 'depends_on: str = "scanpy"').replace(
        'version = "1.0"', "version: str = '2.1'"
    )
    r = compile_source(src)
    assert 'depends_on: str = ["scanpy"]' in r.corrected_source
    assert "version: str = '2.1.0'" in r.corrected_source


def test_plan_fixes_and_cycle_path() -> None:
    src = '''class P:
    """p"""
    name = "p"
    objective = "o"
    decision_log = "-"
    steps = [
        {"id": 1, "action": "a", "status": "complete"},
        {"id": 2, "action": "b", "depends_on": 1},
        {"id": 3, "action": "c", "status": "pending", "depends_on": [2, 4]},
        {"id": 4, "action": "d", "status": "pending", "depends_on": [3]},
    ]
'''
    r = compile_source(src)
    assert '{"id": 2, "action": "b", "depends_on": [1], "status": "pending"}' in r.corrected_source
    e009 = [d for d in r.diagnostics if d.code == "E009"]
    assert len(e009) == 1 and "3 -> 4 -> 3" in e009[0].message
    assert r.fields["steps"][1]["status"] == "pending"  # the corrected source feeds later passes


def test_self_dependency_is_a_cycle() -> None:
    src = 'class P:\n    name="p"\n    objective="o"\n    steps=[{"id": 1, "action": "a", "status": "pending", "depends_on": [1]}]\n'
    assert "E009" in codes(src)


@pytest.mark.parametrize(
    "field, expect",
    [
        ('steps = [{"id": True, "action": "a", "status": "pending"}]', "E007"),
        ('steps = [{"id": 1, "action": "", "status": "pending"}]', "E007"),
        ('steps = [{"id": 1, "action": "a", "status": "pending", "depends_on": ["x"]}]', "E007"),
        ('steps = [{"id": 1, "action": "a", "status": "pending", "params": []}]', "E007"),
        ('steps = [{"id": 1, "action": "a", "status": "pending", "output": 3}]', "E007"),
        ('steps = [{"id": 1, "action": "a", "status": "pending", "metrics": "x"}]', "E007"),
        ('steps = ["load"]', "E007"),
        ('steps = {"id": 1}', "E007"),
        ('steps = [{"id": 1, "status": "pending"}]', "E003"),
    ],
)
def test_step_fields_are_type_checked(field: str, expect: str) -> None:
    src = f'class P:\n    """p"""\n    name = "p"\n    objective = "o"\n    {field}\n'
    assert expect in codes(src, expected_type="plan")


def test_type_inference_rules_in_order() -> None:
    assert compile_source('class XContext:\n    phase = "a"\n').module_type == "context"
    assert compile_source('class XState:\n    project = "a"\n').module_type == "memory"
    assert compile_source("class XProtocol:\n    steps = []\n").module_type == "protocol"
    assert (
        compile_source(
            'class X:\n    steps = []\n    objective = "o"\n    handoff_schema = {}\n'
        ).module_type
        == "plan"
    )
    assert (
        compile_source('class X:\n    handoff_schema = {}\n    phase = "p"\n').module_type
        == "protocol"
    )
    assert (
        compile_source(
            'class X:\n    phase = "p"\n    project = "a"\n    description = "d"\n'
        ).module_type
        == "memory"
    )
    assert (
        compile_source('class X:\n    project = "a"\n    description = "d"\n').module_type
        == "context"
    )
    assert (
        compile_source('class X:\n    phase = "p"\n    def run(self): pass\n').module_type
        == "skill"
    )
    r = compile_source('class X:\n    name = "x"\n')
    assert r.module_type == "skill" and "W006" in r.codes()


def test_type_override() -> None:
    r = compile_source('class Thing:\n    """t"""\n    phase = "x"\n', expected_type="memory")
    assert r.module_type == "memory" and "W006" not in r.codes()
    assert "E003" in codes(
        'class ThingState:\n    """t"""\n    phase = "x"\n', expected_type="context"
    )


def test_static_evaluation_understands_constants_and_class_names() -> None:
    src = '''MIN = 200
class QC:
    """q"""
    name = "qc_" + "filter"
    base = {"min_genes": MIN}
    default_params = {**base, "max": MIN * 25, "label": f"min={MIN}"}
    tags = ["a", *["b", "c"]]
    lessons_learned = "\\n".join(["- one", "- two"])
    run = staticmethod(lambda **kw: kw)
'''
    r = compile_source(src)
    assert r.valid, r.diagnostics
    assert r.fields["name"] == "qc_filter"
    assert r.fields["default_params"] == {"min_genes": 200, "max": 5000, "label": "min=200"}
    assert r.fields["tags"] == ["a", "b", "c"]
    assert r.fields["lessons_learned"] == "- one\n- two"
    assert "run" in r.methods


@pytest.mark.parametrize(
    "expr", ["1 / 0", "[1, 2][5]", "{'a': 1}['b']", "undefined_name", "'a' + 1", "int('x')"]
)
def test_e005_when_evaluation_would_raise(expr: str) -> None:
    src = f'class QC:\n    """q"""\n    name = "qc"\n    default_params = {{"x": {expr}}}\n    def run(self) -> None: pass\n'
    assert "E005" in codes(src)


def test_a_name_defined_after_the_class_is_undefined_when_it_runs() -> None:
    src = 'class QC:\n    name = LATER\n    def run(self): pass\nLATER = "x"\n'
    assert "E005" in codes(src)


@pytest.mark.parametrize(
    "expr", ["os.getcwd()", "open('x').read()", "__import__('os').system('x')", "[x for x in 'ab']"]
)
def test_unevaluable_fields_are_advice_never_run(expr: str) -> None:
    src = f'import os\nclass QC:\n    """q"""\n    name = "qc"\n    default_params = {{"x": {expr}}}\n    def run(self) -> None: pass\n'
    r = compile_source(src)
    assert r.valid and "I007" in r.codes()


@pytest.mark.parametrize(
    "expr", ["'a' * 10**9", "2 ** 10**8", "'{:>999999999}'.format(1)", "['x'] * 10**8"]
)
def test_resource_bombs_are_refused_not_evaluated(expr: str) -> None:
    src = f'class QC:\n    """q"""\n    name = "qc"\n    lessons_learned = {expr}\n    def run(self) -> None: pass\n'
    assert "I007" in codes(src)


def test_validation_never_runs_module_code(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    src = f'''import os
os.system("touch {marker}")
open("{marker}", "w").write("x")
class QC:
    """q"""
    name = os.system("touch {marker}")
    default_params = {{"x": __import__("os").system("touch {marker}")}}
    os.system("touch {marker}")
    def run(self) -> None:
        os.system("touch {marker}")
'''
    compile_source(src)
    assert not marker.exists()


def test_hostile_bytes_get_diagnostics() -> None:
    assert codes(b"\x00\x01\x02class A: pass") == ["E001"]
    assert codes(b"class A:\n    name = '\xff'\n") == ["E001"]
    assert codes(b"") == ["E002"]
    assert (
        codes(
            b"\xef\xbb\xbfclass QC:\n    '''q'''\n    name = 'x'\n    lessons_learned='-'\n    def run(self) -> None: pass\n"
        )
        == []
    )
    nested = "class A:\n    x = " + "(" * 2000 + "1" + ")" * 2000 + "\n"
    assert "E001" in codes(nested)
    chain = (
        'class QC:\n    """q"""\n    name = "q"\n    lessons_learned = '
        + " + ".join(['"a"'] * 2000)
        + "\n    def run(self) -> None: pass\n"
    )
    compile_source(chain)  # a diagnostic or a value, never an exception


def test_five_megabyte_module() -> None:
    lessons = "".join(
        f"- lesson {i}: keep max_pct_mito=20 for cortex tissue\n" for i in range(110_000)
    )
    fields = "".join(f"    f{i} = {{'k': [{i}, 'v' * 3]}}\n" for i in range(2_000))
    src = (
        'class BigState:\n    """b"""\n    phase = "x"\n'
        + fields
        + '    reflection = """'
        + lessons
        + '"""\n'
    )

    assert len(src) > 5_000_000
    r = compile_source(src)
    assert r.valid and r.fields["reflection"].count("\n") == 110_000


def test_compiler_does_not_import_heavy_modules() -> None:
    import subprocess

    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, stato.core.compiler; print(sorted(m for m in sys.modules if m.split('.')[0] in ('rich','yaml','tomli_w','markdown_it','filelock')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "[]"
