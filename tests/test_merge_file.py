"""`stato merge-file`: the three-way, field-level merge of one module (the git merge driver)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.cli import cli
from stato.core.compiler import compile_source
from stato.core.diff import same, view
from stato.core.diff3 import merge_lines
from stato.core.edits import split_lines
from stato.core.merge3 import merge3_module
from stato.core.merge_lists import lines3, seq3
from stato.core.render import render_module, set_field

SKILL = '''import math  # a helper import stays

# A comment above the class stays too.
class QualityControl:
    """QC filtering."""

    name = "qc_filtering"
    version = "1.0.0"
    default_params = {"min_genes": 200, "max_genes": 5000}  # tuned on cortex
    lessons_learned = """
    - Mouse uses lowercase mt- prefix
    - FFPE samples need max_pct_mito=40
    """
    tags = ["qc", "scrna"]

    def run(self, adata, params=None):
        return adata

    def helper(self):
        return 1
'''

PLAN = '''class AnalysisPlan:
    """The plan."""

    name = "cortex"
    objective = "Analyse the cortex"
    steps = [
        {"id": 1, "action": "load", "status": "complete", "depends_on": []},
        {"id": 2, "action": "qc", "status": "pending", "depends_on": [1]},
        {"id": 3, "action": "normalize", "status": "pending", "depends_on": [2]},
    ]
'''


def edit(text: str, name: str, value: Any) -> str:
    return set_field(text, name, value)


def fields(text: str) -> dict[str, Any]:
    return view(text).fields


def test_trivial_cases_are_byte_for_byte() -> None:
    ours = SKILL.replace("1.0.0", "1.1.0")
    assert merge3_module(SKILL, ours, ours).text == ours
    assert merge3_module(SKILL, SKILL, ours).text == ours
    assert merge3_module(SKILL, ours, SKILL).text == ours


def test_one_side_each_different_fields_keeps_both_and_every_untouched_byte() -> None:
    ours = SKILL.replace('"1.0.0"', '"1.1.0"')
    theirs = SKILL.replace('"min_genes": 200', '"min_genes": 300')
    out = merge3_module(SKILL, ours, theirs)
    assert out.clean
    assert out.text == SKILL.replace('"1.0.0"', '"1.1.0"').replace(
        '"min_genes": 200', '"min_genes": 300'
    )
    assert "# tuned on cortex" in out.text and "# A comment above" in out.text


def test_dicts_merge_key_by_key_and_the_result_is_rendered_into_ours() -> None:
    ours = SKILL.replace('"min_genes": 200', '"min_genes": 300')
    theirs = SKILL.replace('"max_genes": 5000', '"max_genes": 6000, "mito": 20')
    out = merge3_module(SKILL, ours, theirs)
    assert out.clean
    assert fields(out.text)["default_params"] == {"min_genes": 300, "max_genes": 6000, "mito": 20}


def test_a_key_one_side_deleted_is_deleted_and_modify_delete_is_a_conflict() -> None:
    ours = SKILL.replace('"min_genes": 200, ', "")
    theirs = SKILL.replace('"version = "1.0.0"', 'version = "1.0.1"')
    out = merge3_module(SKILL, ours, theirs)
    assert fields(out.text)["default_params"] == {"max_genes": 5000}
    theirs = SKILL.replace('"min_genes": 200', '"min_genes": 250')
    out = merge3_module(SKILL, ours, theirs)
    assert [c.where for c in out.conflicts] == ["default_params"]


def test_lessons_from_both_sides_are_kept_once_in_order() -> None:
    ours = SKILL.replace("max_pct_mito=40\n", "max_pct_mito=40\n    - ours: batch first\n")
    theirs = SKILL.replace("max_pct_mito=40\n", "max_pct_mito=40\n    - theirs: chunk it\n")
    out = merge3_module(SKILL, ours, theirs)
    assert out.clean
    lessons = fields(out.text)["lessons_learned"]
    assert lessons.index("ours: batch") < lessons.index("theirs: chunk")
    both = SKILL.replace("max_pct_mito=40\n", "max_pct_mito=40\n    - same lesson\n")
    out = merge3_module(SKILL, both, both.replace("2", "2"))
    assert fields(out.text)["lessons_learned"].count("same lesson") == 1
    # The same new lesson on both sides, next to different other changes: still once.
    ours2 = both.replace('"1.0.0"', '"1.0.1"')
    theirs2 = both.replace('"qc", "scrna"', '"qc"')
    out = merge3_module(SKILL, ours2, theirs2)
    assert out.clean and fields(out.text)["lessons_learned"].count("same lesson") == 1


def test_lines_and_lists_merge_as_sequences() -> None:
    assert seq3([1, 2, 3], [0, 1, 2, 3], [1, 2, 3, 4]) == [0, 1, 2, 3, 4]
    assert seq3([1, 2, 3], [1, 3], [1, 2, 3, 4]) == [1, 3, 4]  # a deletion on one side honoured
    assert seq3([1], [1, 5], [1, 5]) == [1, 5]  # the same addition once
    assert seq3(["a"], ["b"], ["c"]) == ["b", "c"]  # both replaced: each side's items, no a
    assert lines3("- a\n- b", "- a\n- b\n- c", "- a\n- b\n- d") == "- a\n- b\n- c\n- d"
    assert lines3("- a\n- b", "- b", "- a\n- b\n- d") == "- b\n- d"


def test_plan_steps_merge_by_id() -> None:
    ours = PLAN.replace('"qc", "status": "pending"', '"qc", "status": "complete"')
    theirs = PLAN.replace('"normalize", "status": "pending"', '"normalize", "status": "running"')
    out = merge3_module(PLAN, ours, theirs)
    assert out.clean
    steps = fields(out.text)["steps"]
    assert [s["status"] for s in steps] == ["complete", "complete", "running"]


def test_both_sides_adding_a_step_with_the_same_id_renumbers_theirs_when_safe() -> None:
    new = '        {"id": 4, "action": "%s", "status": "pending", "depends_on": [3]},\n    ]'
    ours = PLAN.replace("\n    ]", "\n" + new % "cluster")
    theirs = PLAN.replace("\n    ]", "\n" + new % "umap")
    out = merge3_module(PLAN, ours, theirs)
    assert out.clean, out.conflicts
    steps = fields(out.text)["steps"]
    assert [(s["id"], s["action"]) for s in steps][-2:] == [(4, "cluster"), (5, "umap")]
    assert out.notes and "step 4" in out.notes[0]
    # A step on their side depends on the new id: renumbering would break it, so a conflict.
    dep = '        {"id": 5, "action": "x", "status": "pending", "depends_on": [4]},\n    ]'
    theirs = theirs.replace("\n    ]", "\n" + dep)
    out = merge3_module(PLAN, ours, theirs)
    assert [c.where for c in out.conflicts] == ["steps"]
    assert compile_source(out.text).diagnostics[0].code == "E012"


def test_status_changes_on_both_sides_follow_the_lifecycle() -> None:
    ours = PLAN.replace('"qc", "status": "pending"', '"qc", "status": "running"')
    theirs = PLAN.replace('"qc", "status": "pending"', '"qc", "status": "complete"')
    for a, b in ((ours, theirs), (theirs, ours)):
        out = merge3_module(PLAN, a, b)
        assert out.clean and fields(out.text)["steps"][1]["status"] == "complete"


def test_a_step_output_both_sides_wrote_differently_is_a_conflict_around_steps_only() -> None:
    ours = PLAN.replace('"action": "qc",', '"action": "qc", "output": "kept 90%",')
    theirs = PLAN.replace('"action": "qc",', '"action": "qc", "output": "kept 80%",')
    theirs = theirs.replace('name = "cortex"', 'name = "cortex2"')
    out = merge3_module(PLAN, ours, theirs)
    assert [c.where for c in out.conflicts] == ["steps"]
    assert 'name = "cortex2"' in out.text  # the other field merged cleanly, outside the markers
    lines = out.text.splitlines()
    start, end = lines.index("<<<<<<< ours"), lines.index(">>>>>>> theirs")
    assert all(
        "steps" in ln or "{" in ln or ln.strip() in ("]", "=======")
        for ln in lines[start + 1 : end]
    )


def test_code_outside_the_fields_merges_as_text() -> None:
    ours = SKILL.replace("return adata", "return adata  # ours")
    theirs = SKILL.replace("return 1", "return 2").replace('"1.0.0"', '"1.1.0"')
    out = merge3_module(SKILL, ours, theirs)
    assert out.clean
    assert "return adata  # ours" in out.text and "return 2" in out.text and '"1.1.0"' in out.text
    theirs = SKILL.replace("return adata", "return None")
    out = merge3_module(SKILL, ours, theirs)
    assert [c.where for c in out.conflicts] == ["code"]
    assert compile_source(out.text).diagnostics[0].code == "E012"


def test_fields_added_on_both_sides_at_one_place_are_both_kept() -> None:
    ours = SKILL.replace(
        '    tags = ["qc", "scrna"]\n', '    tags = ["qc", "scrna"]\n    owner = "ana"\n'
    )
    theirs = SKILL.replace(
        '    tags = ["qc", "scrna"]\n', '    tags = ["qc", "scrna"]\n    description = "d"\n'
    )
    out = merge3_module(SKILL, ours, theirs)
    assert out.clean
    assert fields(out.text)["owner"] == "ana" and fields(out.text)["description"] == "d"


def test_a_side_that_is_not_a_module_merges_as_text() -> None:
    out = merge3_module("a\nb\nc\nd\n", "a\nB\nc\nd\n", "a\nb\nc\nD\n")
    assert out.clean and out.as_text and out.text == "a\nB\nc\nD\n"
    out = merge3_module("a\n", "b\n", "c\n")
    assert not out.clean and "<<<<<<< ours" in out.text


def test_add_add_without_a_base_merges_what_both_share() -> None:
    ours = SKILL.replace('"1.0.0"', '"1.1.0"')
    out = merge3_module("", ours, SKILL.replace("return 1", "return 2"))
    assert [c.where for c in out.conflicts] == ["version", "code"] or not out.clean


def test_never_runs_module_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = SKILL.replace('"1.0.0"', f"__import__('os').system('touch {marker}')")
    merge3_module(SKILL, evil, SKILL.replace("return 1", "return 3"))
    merge3_module(evil, SKILL, evil.replace("return 1", "return 3"))
    assert not marker.exists()


def test_crlf_stays_crlf() -> None:
    base = SKILL.replace("\n", "\r\n")
    ours = base.replace('"min_genes": 200', '"min_genes": 300')
    theirs = base.replace('"max_genes": 5000', '"max_genes": 6000')
    out = merge3_module(base, ours, theirs)
    assert out.clean and "\n" not in out.text.replace("\r\n", "")


def test_diff3_lines_fences_only_the_conflicting_stretch() -> None:
    merged, n = merge_lines(
        split_lines("a\nb\nc\n"), split_lines("a\nB\nc\n"), split_lines("a\nX\nc\n")
    )
    assert n == 1 and "".join(merged) == "a\n<<<<<<< ours\nB\n=======\nX\n>>>>>>> theirs\nc\n"


# ---------------------------------------------------------------------------- laws

SETTINGS = settings(
    max_examples=int(os.environ.get("STATO_MERGE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
NAMES = ["label", "owner", "limit", "mode", "ratio", "flag"]
scalar = st.one_of(
    st.integers(-3, 3), st.booleans(), st.none(), st.sampled_from(["a", "b", "x y", "1.0.0"])
)


@st.composite
def triple(draw: Any) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    base = {n: draw(scalar) for n in NAMES if draw(st.booleans())}

    def side() -> dict[str, Any]:
        out = dict(base)
        for n in NAMES:
            if draw(st.booleans()):
                out[n] = draw(scalar)
        return out

    return base, side(), side()


def module(values: dict[str, Any]) -> str:
    run = "    def run(self, adata, params=None):\n        return adata\n"
    return render_module("QualityControl", {"name": "qc", **values}, "QC.", run)


@SETTINGS
@given(triple())
def test_laws_of_three_way_merge(t: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
    base, ours, theirs = t
    b, o, x = module(base), module(ours), module(theirs)
    assert merge3_module(b, x, x).text == x
    assert merge3_module(b, b, x).text == x
    assert merge3_module(b, x, b).text == x
    out = merge3_module(b, o, x)
    missing: Any = object()
    expected_conflicts = set()
    for n in NAMES:
        vb, vo, vt = (d.get(n, missing) for d in (base, ours, theirs))
        o_changed, t_changed = not same(vo, vb), not same(vt, vb)
        if o_changed and t_changed and not same(vo, vt):
            expected_conflicts.add(n)
    assert {c.where for c in out.conflicts} == expected_conflicts
    if expected_conflicts:
        return
    got = fields(out.text)
    result = compile_source(out.text)
    assert result.valid
    for n in NAMES:
        vb, vo, vt = (d.get(n, missing) for d in (base, ours, theirs))
        want = vt if same(vo, vb) else vo
        if want is missing:
            assert n not in got
        else:
            assert same(got[n], want), (n, got.get(n), want)


@SETTINGS
@given(triple())
def test_swapping_ours_and_theirs_gives_the_same_conflicts_and_values(
    t: tuple[dict[str, Any], dict[str, Any], dict[str, Any]],
) -> None:
    """merge3(B, O, T) and merge3(B, T, O) name the same conflicts and, clean, the same fields;
    merging the clean result again with either side (same base) changes nothing."""
    b, o, x = (module(v) for v in t)
    ox, xo = merge3_module(b, o, x), merge3_module(b, x, o)
    assert {c.where for c in ox.conflicts} == {c.where for c in xo.conflicts}
    if not ox.clean:
        return
    got, swapped = fields(ox.text), fields(xo.text)
    assert got.keys() == swapped.keys()
    assert all(same(got[k], swapped[k]) for k in got)
    assert merge3_module(b, ox.text, x).text == ox.text
    assert merge3_module(b, ox.text, o).text == ox.text


lists = st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), unique=True, max_size=5)


@SETTINGS
@given(lists, lists, lists)
def test_a_list_keeps_every_addition_and_honours_one_sided_deletions(
    base: list[str], ours: list[str], theirs: list[str]
) -> None:
    out = seq3(base, ours, theirs)
    for item in (set(ours) | set(theirs)) - set(base):
        assert item in out
    for item in set(base):
        if item not in ours and item in theirs or item not in theirs and item in ours:
            assert item not in out
    assert len(out) == len(set(out))


# ---------------------------------------------------------------------------- the command


def run(*args: object, cwd: Path | None = None) -> tuple[int, str, str]:
    r = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def three(tmp_path: Path, base: str, ours: str, theirs: str) -> tuple[Path, Path, Path]:
    paths = tmp_path / "b.py", tmp_path / "o.py", tmp_path / "t.py"
    for p, text in zip(paths, (base, ours, theirs), strict=True):
        p.write_text(text, encoding="utf-8", newline="")
    return paths


def test_cli_writes_a_clean_merge_to_ours_and_exits_0(tmp_path: Path) -> None:
    ours = SKILL.replace('"1.0.0"', '"1.1.0"')
    theirs = SKILL.replace('"min_genes": 200', '"min_genes": 300')
    b, o, t = three(tmp_path, SKILL, ours, theirs)
    code, out, _ = run("merge-file", b, o, t, "--path", ".stato/skills/qc.py")
    assert code == 0 and "merged .stato/skills/qc.py" in out
    assert '"1.1.0"' in o.read_text() and '"min_genes": 300' in o.read_text()
    assert t.read_text() == theirs and b.read_text() == SKILL


def test_cli_conflict_exits_1_with_markers_and_validate_names_it(tmp_path: Path) -> None:
    b, o, t = three(
        tmp_path, SKILL, SKILL.replace("1.0.0", "1.1.0"), SKILL.replace("1.0.0", "2.0.0")
    )
    code, _, err = run("merge-file", b, o, t)
    assert code == 1 and "version" in err
    text = o.read_text()
    assert text.count("<<<<<<< ours") == 1
    code, out, _ = run("validate", o, "--json")
    data = json.loads(out)
    diag = data["modules"][0]["diagnostics"][0]
    assert diag["code"] == "E012" and "1.1.0" in diag["message"] and "2.0.0" in diag["message"]


def test_cli_json_is_one_document(tmp_path: Path) -> None:
    b, o, t = three(tmp_path, SKILL, SKILL, SKILL.replace("1.0.0", "2.0.0"))
    code, out, _ = run("merge-file", b, o, t, "--json")
    assert code == 0 and json.loads(out)["clean"] is True


def test_cli_refuses_what_is_not_text_and_leaves_ours(tmp_path: Path) -> None:
    b, o, t = three(tmp_path, SKILL, SKILL, SKILL)
    t.write_bytes(b"\x00\x01binary")
    r = CliRunner().invoke(cli, ["merge-file", str(b), str(o), str(t)])
    assert r.exit_code == 1 and r.stderr.startswith("error: ") and o.read_text() == SKILL


def test_a_merge_that_does_not_validate_is_a_conflict(tmp_path: Path) -> None:
    # Theirs drops step 3; ours adds a step that depends on it: clean field by field, E008 after.
    ours = PLAN.replace(
        "\n    ]",
        '\n        {"id": 4, "action": "x", "status": "pending", "depends_on": [3]},\n    ]',
    )
    theirs = PLAN.replace(
        '        {"id": 3, "action": "normalize", "status": "pending", "depends_on": [2]},\n', ""
    )
    b, o, t = three(tmp_path, PLAN, ours, theirs)
    code, _, err = run("merge-file", b, o, t)
    assert code == 1 and "E008" in err


def test_real_subprocess_run(tmp_path: Path) -> None:
    b, o, t = three(
        tmp_path, SKILL, SKILL.replace("1.0.0", "1.1.0"), SKILL.replace("return 1", "return 2")
    )
    done = subprocess.run(
        [sys.executable, "-m", "stato", "merge-file", str(b), str(o), str(t), "--path", "qc.py"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "1.1.0" in o.read_text() and "return 2" in o.read_text()


@pytest.mark.parametrize("bom", [True, False])
def test_a_bom_on_ours_stays(tmp_path: Path, bom: bool) -> None:
    b, o, t = three(tmp_path, SKILL, SKILL, SKILL.replace("1.0.0", "2.0.0"))
    if bom:
        o.write_bytes(b"\xef\xbb\xbf" + SKILL.encode())
    run("merge-file", b, o, t)
    assert o.read_bytes().startswith(b"\xef\xbb\xbf") is bom


def test_hostile_sizes_are_bounded_work() -> None:
    # 20,000 identical lines on every side: past EXACT_ITEMS the matcher treats such lines as
    # junk, so the work stays bounded; the price is a coarser (still safe) conflict.
    same_lines = "x = 1\n" * 20_000
    out = merge3_module(same_lines, same_lines + "a\n", "b\n" + same_lines)
    assert out.as_text and "a\n" in out.text and "b\n" in out.text
    big = "class Big:\n    name = 'b'\n    items = [" + "1, " * 20_000 + "]\n"
    out = merge3_module(big, big.replace("name = 'b'", "name = 'c'"), big + "# theirs\n")
    assert out.clean and "name = 'c'" in out.text and out.text.endswith("# theirs\n")


def test_a_file_over_the_limit_is_refused_and_ours_stays(tmp_path: Path) -> None:
    from stato.ops.merge_file import MAX_MERGE_BYTES

    b, o, t = three(tmp_path, SKILL, SKILL, SKILL)
    t.write_text("# " + "x" * MAX_MERGE_BYTES + "\n", encoding="utf-8")
    r = CliRunner().invoke(cli, ["merge-file", str(b), str(o), str(t)])
    assert r.exit_code == 1 and "too big" in r.stderr and o.read_text() == SKILL


def test_changed_on_one_side_deleted_on_the_other_is_a_conflict_with_null_in_json(
    tmp_path: Path,
) -> None:
    ours = SKILL.replace('tags = ["qc", "scrna"]', 'tags = ["qc", "scrna", "mouse"]')
    theirs = SKILL.replace('    tags = ["qc", "scrna"]\n', "")
    b, o, t = three(tmp_path, SKILL, ours, theirs)
    code, out, _ = run("merge-file", b, o, t, "--json")
    data = json.loads(out)
    assert code == 1 and data["clean"] is False
    assert data["conflicts"][0]["field"] == "tags" and data["conflicts"][0]["right"] is None
    text = o.read_text()
    assert text.count("<<<<<<< ours") == 1 and '"mouse"' in text
    # Deleted on one side and left alone on the other: deleted, cleanly.
    out3 = merge3_module(SKILL, SKILL.replace('"1.0.0"', '"1.0.1"'), theirs)
    assert out3.clean and "tags" not in fields(out3.text)


def test_a_text_merge_that_does_not_compile_is_a_conflict(tmp_path: Path) -> None:
    broken = SKILL.replace("def helper(self):", "def helper(self:")
    b, o, t = three(tmp_path, SKILL, broken, SKILL.replace('"1.0.0"', '"1.0.1"'))
    code, _, err = run("merge-file", b, o, t)
    assert code == 1 and "E001" in err
    assert '"1.0.1"' in o.read_text()  # merged as text, and said not to validate


keys = st.sampled_from(["a", "b", "c", "d"])
dicts = st.dictionaries(keys, st.integers(0, 3), max_size=4)


@SETTINGS
@given(dicts, dicts, dicts)
def test_a_dict_merges_key_by_key(
    base: dict[str, int], ours: dict[str, int], theirs: dict[str, int]
) -> None:
    """Per key: one side's change is taken; both changed differently (or changed and deleted)
    is a conflict on that dict, and only then."""
    b, o, t = (module({"params": d}) for d in (base, ours, theirs))
    out = merge3_module(b, o, t)
    missing: Any = object()
    clash = False
    want = {}
    for k in sorted(set(base) | set(ours) | set(theirs)):
        vb, vo, vt = (d.get(k, missing) for d in (base, ours, theirs))
        if vo == vt or vt == vb:
            got = vo
        elif vo == vb:
            got = vt
        else:
            clash = True
            continue
        if got is not missing:
            want[k] = got
    assert bool(out.conflicts) is clash
    if not clash:
        assert fields(out.text)["params"] == want


statuses = st.sampled_from(["pending", "running", "blocked", "failed", "complete"])


@SETTINGS
@given(st.lists(st.tuples(statuses, statuses, statuses), min_size=1, max_size=6))
def test_step_statuses_never_conflict_and_follow_the_lifecycle(
    trios: list[tuple[str, str, str]],
) -> None:
    from stato.core.merge_values import LIFECYCLE

    def plan(i: int) -> str:
        steps = [{"id": n + 1, "action": f"a{n}", "status": t[i]} for n, t in enumerate(trios)]
        return render_module("P", {"name": "p", "objective": "o", "steps": steps}, "Plan.")

    out = merge3_module(plan(0), plan(1), plan(2))
    assert out.clean
    got = [s["status"] for s in fields(out.text)["steps"]]
    for (vb, vo, vt), status in zip(trios, got, strict=True):
        if vo == vt or vt == vb:
            assert status == vo
        elif vo == vb:
            assert status == vt
        else:
            assert status == max(vo, vt, key=LIFECYCLE.index)


bullets = st.lists(st.sampled_from([f"- lesson {i}" for i in range(8)]), unique=True, max_size=6)


@SETTINGS
@given(bullets, bullets, bullets)
def test_bullets_keep_every_new_lesson_once_and_honour_deletions(
    base: list[str], ours: list[str], theirs: list[str]
) -> None:
    out = lines3("\n".join(base), "\n".join(ours), "\n".join(theirs)).split("\n")
    kept = [line for line in out if line]
    assert len(kept) == len(set(kept))
    for line in (set(ours) | set(theirs)) - set(base):
        assert line in kept
    for line in set(base) - (set(ours) & set(theirs)):
        assert line not in kept


def test_a_last_field_without_a_line_end_still_ends_its_line() -> None:
    base = 'class S:\n    """d"""\n\n    def run(self):\n        return 1\n    name = "s"'
    theirs = base + "\n    def helper(self):\n        return 2\n"
    out = merge3_module(base, base.replace('"s"', '"t"'), theirs)
    assert out.clean and compile_source(out.text).valid
    assert 'name = "t"\n    def helper' in out.text


def test_a_merged_plan_keeps_its_layout_and_comments() -> None:
    base = PLAN.replace('        {"id": 3,', '        # the second half\n        {"id": 3,')
    base = base.replace('"id": 2, "action": "qc",', '"id": 2,\n         "action": "qc",')
    ours = base.replace('"qc", "status": "pending"', '"qc", "status": "complete"')
    new = '        {"id": 4, "action": "umap", "status": "pending", "depends_on": [3]},\n    ]'
    theirs = base.replace('"normalize", "status": "pending"', '"normalize", "status": "running"')
    theirs = theirs.replace("\n    ]", "\n" + new)
    out = merge3_module(base, ours, theirs)
    assert out.clean
    want = base.replace('"qc", "status": "pending"', '"qc", "status": "complete"')
    want = want.replace('"normalize", "status": "pending"', '"normalize", "status": "running"')
    assert out.text == want.replace("\n    ]", "\n" + new)


def test_patching_a_literal_falls_back_when_the_shape_is_not_kept() -> None:
    import ast

    from stato.core.literal_patch import patch_literal

    src = 'x = {"a": 1, "b": 2}\n'
    node = ast.parse(src).body[0].value  # type: ignore[attr-defined]
    assert patch_literal(src, node, {"a": 1, "b": 2}, {"a": 1, "b": 3}) == '{"a": 1, "b": 3}'
    assert patch_literal(src, node, {"a": 1, "b": 2}, {"a": 1, "b": 2, "c": [1]}) == (
        '{"a": 1, "b": 2, "c": [1]}'
    )
    assert patch_literal(src, node, {"a": 1, "b": 2}, {"a": 1}) == '{"a": 1}'  # written afresh


leaf = st.one_of(st.integers(-2, 2), st.sampled_from(["a", "b", "c d"]), st.none())
nested = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(["id", "k", "v"]), inner)
    ),
    max_leaves=8,
)


@SETTINGS
@given(nested, nested)
def test_a_patched_literal_always_reads_back_as_the_new_value(old: Any, new: Any) -> None:
    import ast

    from stato.core.literal_patch import patch_literal
    from stato.core.render import py_literal

    src = "class C:\n    x = " + py_literal(old, "    ") + "\n"
    node = ast.parse(src).body[0].body[0].value  # type: ignore[attr-defined]
    patched = patch_literal(src, node, old, new)
    assert patched is not None and same(ast.literal_eval(patched), new)


step_lists = st.lists(
    st.fixed_dictionaries(
        {"id": st.integers(1, 8), "status": st.sampled_from(["pending", "complete"])},
        optional={"output": st.sampled_from(["x", "y"])},
    ),
    max_size=5,
    unique_by=lambda s: s["id"],
)


@SETTINGS
@given(step_lists, step_lists, st.booleans())
def test_patching_steps_one_a_line_reads_back_and_keeps_comments(
    old: list[dict[str, Any]], new: list[dict[str, Any]], comment: bool
) -> None:
    import ast

    from stato.core.literal_patch import patch_literal
    from stato.core.render import py_literal

    items = "".join(
        ("        # note\n" if comment and i == 0 else "") + f"        {py_literal(s)},\n"
        for i, s in enumerate(old)
    )
    src = f"class C:\n    steps = [\n{items}    ]\n"
    node = ast.parse(src).body[0].body[0].value  # type: ignore[attr-defined]
    patched = patch_literal(src, node, old, new)
    assert patched is not None and same(ast.literal_eval(patched), new)
    ids_old, ids_new = [s["id"] for s in old], [s["id"] for s in new]
    in_order = [i for i in ids_new if i in ids_old] == [i for i in ids_old if i in ids_new]
    if comment and in_order and old and new and ids_old[0] == ids_new[0]:
        assert "# note" in patched  # kept unless the items were reordered
