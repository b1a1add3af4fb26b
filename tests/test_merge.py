"""stato merge: field-level rules, strategies, archives in and out, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.archive import read_archive, write_archive
from stato.cli import cli
from stato.core.compiler import compile_source
from stato.core.merge import merge_sets
from stato.core.merge_lists import union, union_lines
from stato.core.merge_module import STRATEGIES, merge_module
from stato.core.model import ValidationResult
from stato.errors import ArchiveError, ModuleInvalid
from stato.formats.manifest import Manifest, ModuleEntry

DATA = Path(__file__).parent / "data" / "merge"
QC_L = (DATA / "qc_left.py").read_text()
QC_R = (DATA / "qc_right.py").read_text()
PLAN_L = (DATA / "plan_left.py").read_text()
PLAN_R = (DATA / "plan_right.py").read_text()
UNION = STRATEGIES["union"]

MEMORY = (DATA / "memory.py").read_text()
CONTEXT = (DATA / "context.py").read_text()


def make_archive(
    path: Path, modules: dict[str, str], name: str = "a", created: str = "2026-01-01T00:00:00Z"
) -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        assert r.module_type and r.class_name
        entries.append(ModuleEntry.for_text(rel, text, r.module_type, r.class_name))
    write_archive(path, Manifest(name, created, "0.1.0", modules=tuple(entries)), modules)
    return path


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


# --- values -------------------------------------------------------------------------------


def test_union_keeps_left_order_then_new_right_items() -> None:
    assert union([3, 1, 3], [1, 2, 3, 4, 2]) == [3, 1, 3, 2, 4]
    assert union([1], [True, 1.0]) == [1, True, 1.0]  # 1, True and 1.0 are different values
    assert union([{"a": 1, "b": 2}], [{"b": 2, "a": 1}]) == [{"a": 1, "b": 2}]


def test_union_lines_adds_missing_bullets_before_the_closing_whitespace() -> None:
    left = "\n    - a\n    - b\n    "
    right = "\n        - b\n        - c\n          more about c\n        "
    assert union_lines(left, right) == "\n    - a\n    - b\n    - c\n      more about c\n    "
    assert union_lines(left, left) == left
    assert union_lines("", "- x") == "- x"
    assert union_lines("- x", "  - x  \n") == "- x"


# --- one module ---------------------------------------------------------------------------


def test_skill_merge_unions_lists_dicts_and_lessons_and_reports_scalars() -> None:
    out = merge_module("skills/qc.py", QC_L, QC_R, UNION)
    r = compile_source(out.text, "skills/qc.py")
    assert r.valid
    f = r.fields
    assert f["version"] == "1.0.0"  # conflict: union keeps left
    assert f["depends_on"] == ["normalize", "load"]
    assert f["default_params"] == {"min_genes": 200, "max_genes": 5000, "max_pct_mito": 20}
    assert [x.strip() for x in f["lessons_learned"].split("\n") if x.strip()] == [
        "- a",
        "- b",
        "- c",
    ]
    assert f["tags"] == ["qc"] and f["extra"] == 5
    assert set(r.methods) == {"run", "helper"}
    got = {(c.where, c.left, c.right, c.kept) for c in out.conflicts}
    assert got == {
        ("version", "1.0.0", "1.1.0", "left"),
        ("default_params.min_genes", 200, 300, "left"),
    }


@pytest.mark.parametrize(
    ("name", "kept", "version", "min_genes"),
    [
        ("prefer-left", "left", "1.0.0", 200),
        ("prefer-right", "right", "1.1.0", 300),
    ],
)
def test_prefer_strategies_take_their_side(
    name: str, kept: str, version: str, min_genes: int
) -> None:
    out = merge_module("skills/qc.py", QC_L, QC_R, STRATEGIES[name])
    f = compile_source(out.text).fields
    assert f["version"] == version and f["default_params"]["min_genes"] == min_genes
    assert {c.kept for c in out.conflicts} == {kept}
    assert len(out.conflicts) == 2
    # Non-conflicting content is unioned whatever the strategy.
    assert f["depends_on"][0] == ("normalize")
    assert set(f["default_params"]) == {"min_genes", "max_genes", "max_pct_mito"}


def test_every_strategy_row_is_wired() -> None:
    """Walk the whole table: each row merges, and its winner is the side conflicts keep."""
    from stato.cli.commands.merge import _STRATEGIES

    assert set(_STRATEGIES) == set(STRATEGIES)
    for strat in STRATEGIES.values():
        out = merge_module("skills/qc.py", QC_L, QC_R, strat)
        assert compile_source(out.text).valid
        assert all(c.kept == strat.winner for c in out.conflicts)


def test_plan_steps_merge_by_id_and_never_make_a_cycle() -> None:
    out = merge_module("plan.py", PLAN_L, PLAN_R, UNION)
    r = compile_source(out.text, "plan.py")
    assert r.valid, r.codes()
    steps = r.fields["steps"]
    assert [s["id"] for s in steps] == [1, 2, 3, 4]
    assert steps[2]["output"] == "done" and steps[2]["status"] == "pending"
    # Unioned depends_on would make 1 <-> 2 a cycle: the left's dependencies are kept.
    assert steps[0]["depends_on"] == [] and steps[1]["depends_on"] == [1]
    wheres = {c.where for c in out.conflicts}
    assert wheres == {"steps[id=1].depends_on", "steps[id=2].depends_on", "steps[id=3].status"}


def test_differing_module_types_are_one_conflict_and_the_winner_is_taken() -> None:
    out = merge_module("x.py", MEMORY, CONTEXT, STRATEGIES["prefer-right"])
    assert out.text == CONTEXT and out.origin == "right"
    assert [(c.where, c.left, c.right) for c in out.conflicts] == [("type", "memory", "context")]


def test_invalid_side_is_refused() -> None:
    with pytest.raises(ModuleInvalid, match="right"):
        merge_module("plan.py", PLAN_L, "class AnalysisPlan:\n    name = 1/0\n", UNION)


def test_code_fields_are_never_run_and_reported() -> None:
    evil = QC_R.replace("extra = 5", "extra = __import__('os').system('touch /tmp/pwned')")
    out = merge_module("skills/qc.py", QC_L, evil, UNION)
    assert "__import__" not in out.text
    assert [c.where for c in out.conflicts if c.where == "extra"] == ["extra"]


def test_sets_take_one_sided_and_identical_modules_as_they_are() -> None:
    left = {"skills/qc.py": QC_L, "memory.py": MEMORY, "plan.py": PLAN_L}
    right = {"skills/qc.py": QC_R, "context.py": CONTEXT, "plan.py": PLAN_L}
    res = merge_sets(left, right, UNION)
    assert sorted(res.modules) == ["context.py", "memory.py", "plan.py", "skills/qc.py"]
    origins = {o.path: o.origin for o in res.outcomes}
    assert origins == {
        "context.py": "right",
        "memory.py": "left",
        "plan.py": "both",
        "skills/qc.py": "merged",
    }
    assert res.modules["memory.py"] == MEMORY and res.modules["plan.py"] == PLAN_L
    assert len(res.conflicts) == 2


# --- archives and the command -------------------------------------------------------------


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    a = make_archive(
        tmp_path / "a.stato",
        {"skills/qc.py": QC_L, "plan.py": PLAN_L},
        "alpha",
        "2026-01-01T00:00:00Z",
    )
    b = make_archive(
        tmp_path / "b.stato",
        {"skills/qc.py": QC_R, "memory.py": MEMORY},
        "beta",
        "2026-02-01T00:00:00Z",
    )
    return a, b


def test_merge_writes_a_deterministic_archive(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    code, out = run("merge", a, b, "--output", tmp_path / "combined.stato")
    assert code == 0, out
    assert "version" in out and "1.0.0" in out and "1.1.0" in out  # the conflict, both values
    merged = read_archive(tmp_path / "combined.stato")
    m = merged.manifest
    assert (m.name, m.created, m.partial, m.template) == (
        "combined",
        "2026-02-01T00:00:00Z",
        False,
        False,
    )
    assert sorted(merged.modules) == ["memory.py", "plan.py", "skills/qc.py"]
    assert all(compile_source(t, p).valid for p, t in merged.modules.items())
    entry = m.entry("skills/qc.py")
    assert entry is not None and entry.type == "skill" and entry.version == "1.0.0"
    code, _ = run("merge", a, b, "--output", tmp_path / "again" / "combined.stato")
    assert code == 0
    first = (tmp_path / "combined.stato").read_bytes()
    assert (tmp_path / "again" / "combined.stato").read_bytes() == first


def test_merge_dry_run_writes_nothing(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    code, out = run("merge", a, b, "--output", tmp_path / "c.stato", "--dry-run")
    assert code == 0 and "nothing written" in out
    assert not (tmp_path / "c.stato").exists()


def test_merge_json(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    code, out = run(
        "merge", a, b, "-o", tmp_path / "c.stato", "--strategy", "prefer-right", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["strategy"] == "prefer-right" and data["written"] is True
    assert {(c["field"], c["left"], c["right"], c["kept"]) for c in data["conflicts"]} == {
        ("version", "1.0.0", "1.1.0", "right"),
        ("default_params.min_genes", 200, 300, "right"),
    }
    assert read_archive(tmp_path / "c.stato").manifest.entry("skills/qc.py").version == "1.1.0"  # type: ignore[union-attr]


def test_merge_with_a_hostile_archive_writes_nothing(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, _ = pair
    evil = tmp_path / "evil.stato"
    with zipfile.ZipFile(evil, "w") as zf, zipfile.ZipFile(a) as good:
        for info in good.infolist():
            zf.writestr(info, good.read(info))
        zf.writestr("../../escape.py", "x = 1\n")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stato",
            "merge",
            str(a),
            str(evil),
            "-o",
            str(tmp_path / "c.stato"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "c.stato").exists()
    with pytest.raises(ArchiveError):
        read_archive(evil)


def test_merge_with_an_invalid_module_refuses(tmp_path: Path) -> None:
    a = make_archive(tmp_path / "a.stato", {"plan.py": PLAN_L})
    bad = PLAN_L.replace('"status": "pending"', '"status": "someday"')
    entries = (ModuleEntry.for_text("plan.py", bad, "plan", "AnalysisPlan"),)
    b = tmp_path / "b.stato"
    write_archive(
        b, Manifest("b", "2026-01-01T00:00:00Z", "0.1.0", modules=entries), {"plan.py": bad}
    )
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "merge", str(a), str(b), "-o", str(tmp_path / "c.stato")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "E010" in proc.stderr
    assert not (tmp_path / "c.stato").exists()


def test_merge_usage_errors(pair: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = pair
    assert run("merge", a, b, "-o", tmp_path / "c.stato", "--strategy", "mine")[0] == 2
    assert run("merge", "--help")[0] == 0


def test_a_dry_run_needs_no_output_and_the_default_is_merged_stato(
    pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cli-guide: "Use --dry-run to preview what would be merged without writing" (no --output).
    a, b = pair
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    code, out = run("merge", a, b, "--dry-run")
    assert code == 0, out
    assert "Dry run: would write merged.stato" in out and list(work.iterdir()) == []
    code, out = run("merge", a, b)
    assert code == 0, out
    assert [p.name for p in work.iterdir()] == ["merged.stato"]
    assert read_archive(work / "merged.stato").manifest.name == "merged"


def test_values_of_every_literal_kind_merge() -> None:
    right = MEMORY + '    blob = b"raw"\n    tasks2 = ["x"]\n    shape = (1j, ...)\n'
    out = merge_module("memory.py", MEMORY, right, UNION)
    f = compile_source(out.text).fields
    assert f["blob"] == b"raw" and f["tasks2"] == ["x"] and f["shape"] == (1j, ...)
    assert out.conflicts == () or not list(out.conflicts)


def test_a_skill_moved_to_another_path_is_merged_by_name() -> None:
    res = merge_sets({"skills/qc.py": QC_L}, {"skills/quality.py": QC_R}, UNION)
    assert list(res.modules) == ["skills/qc.py"]
    (out,) = res.outcomes
    assert out.origin == "merged" and out.conflicts[0].where == "path"
    assert (out.conflicts[0].left, out.conflicts[0].right) == ("skills/qc.py", "skills/quality.py")
    res = merge_sets(
        {"skills/qc.py": QC_L}, {"skills/quality.py": QC_R}, STRATEGIES["prefer-right"]
    )
    assert list(res.modules) == ["skills/quality.py"]
    assert compile_source(res.modules["skills/quality.py"]).fields["version"] == "1.1.0"


def test_each_text_is_compiled_once_and_a_merge_equal_to_its_winner_not_again() -> None:
    calls: list[tuple[str, str | None]] = []

    def counted(text: str, path: str, expected: str | None) -> ValidationResult:
        calls.append((path, expected))
        return compile_source(text, path, expected)

    bumped = QC_L.replace('version = "1.0.0"', 'version = "1.0.1"')
    assert bumped != QC_L
    out = merge_module("skills/qc.py", QC_L, bumped, UNION, counted)
    assert out.text == QC_L and [c.where for c in out.conflicts] == ["version"]
    assert calls == [("skills/qc.py", None)] * 2  # both sides; the winner as it came is not
    # recompiled with its type: the same result as if it were (no W006, no fix on that text)
    assert compile_source(QC_L, "skills/qc.py", "skill") == compile_source(QC_L, "skills/qc.py")


def test_a_compile_with_the_inferred_type_is_the_one_without_unless_w006_or_a_fix() -> None:
    from stato.core.merge_module import _INFERRED

    corpus = [*Path(__file__).parent.joinpath("cases").glob("*.py"), *DATA.glob("*.py")]
    checked = 0
    for file in sorted(corpus):
        text = file.read_bytes().decode("utf-8", "replace")
        alone = compile_source(text, file.name)
        if alone.module_type and not _INFERRED & {d.code for d in alone.diagnostics}:
            assert compile_source(text, file.name, alone.module_type) == alone, file.name
            checked += 1
    assert checked > 10


def test_two_skills_sharing_a_name_are_refused() -> None:
    other = QC_R.replace('name = "qc"', 'name = "other"')
    left = {"skills/qc.py": QC_L}
    right = {"skills/qc.py": other, "skills/x.py": QC_R}  # x.py is named "qc" too
    with pytest.raises(ModuleInvalid, match="two skills named 'qc'"):
        merge_sets(left, right, UNION)


def test_tab_indented_module_gets_its_extra_method_with_tabs() -> None:
    left = QC_R.split("\n    def helper")[0].replace("    ", "\t")
    out = merge_module("skills/qc.py", left, QC_R, UNION)
    r = compile_source(out.text)
    assert r.valid and "helper" in r.methods and "\tdef helper(self):\n\t    return 1" in out.text
    # A field added to a tab-indented class is indented with tabs too.
    out = merge_module("skills/qc.py", QC_L.replace("    ", "\t"), QC_R, UNION)
    merged = compile_source(out.text)
    assert merged.valid and "extra" in merged.fields
    assert "extra" not in {c.where for c in out.conflicts}


def test_lambda_on_one_side_and_def_on_the_other_is_a_conflict() -> None:
    left = QC_L.replace(
        "    def run(self, adata, params=None):\n        return adata\n",
        "    run = lambda self, adata, params=None: adata\n",
    )
    out = merge_module("skills/qc.py", left, QC_L, UNION)
    assert "def run" not in out.text
    assert "run()" in {c.where for c in out.conflicts}


def test_crlf_module_stays_crlf() -> None:
    out = merge_module("skills/qc.py", QC_L.replace("\n", "\r\n"), QC_R, UNION)
    assert "\n" not in out.text.replace("\r\n", "")
    assert compile_source(out.text).valid and "- c" in out.text


def test_merged_archive_imports_into_a_fresh_project(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    a, b = pair
    assert run("merge", a, b, "-o", tmp_path / "m.stato")[0] == 0
    assert run("init", "--path", tmp_path / "fresh")[0] == 0
    code, out = run("import", tmp_path / "m.stato", "--path", tmp_path / "fresh")
    assert code == 0, out
    merged = read_archive(tmp_path / "m.stato").modules
    for rel, text in merged.items():
        assert (tmp_path / "fresh" / ".stato" / rel).read_text() == text


@pytest.mark.parametrize("other", ["2026-03-01T00:00:00Z", "2026-03-01T00:00:00"])
def test_a_created_without_an_offset_is_utc(tmp_path: Path, other: str) -> None:
    # The reader accepts any ISO-8601 time; one without an offset met one with a Z in max()
    # and the merge crashed (TypeError), or was shifted by the machine's time zone.
    a = make_archive(tmp_path / "a.stato", {"skills/qc.py": QC_L}, "a", "2026-02-01T12:30:00")
    b = make_archive(tmp_path / "b.stato", {"memory.py": MEMORY}, "b", other)
    code, out = run("merge", a, b, "--output", tmp_path / "c.stato")
    assert code == 0, out
    assert read_archive(tmp_path / "c.stato").manifest.created == "2026-03-01T00:00:00Z"
    code, out = run("merge", a, a, "--output", tmp_path / "d.stato")
    assert code == 0, out
    assert read_archive(tmp_path / "d.stato").manifest.created == "2026-02-01T12:30:00Z"


def test_the_winners_bom_is_kept() -> None:
    # The merged text was the compiler's, which reads past a BOM: a BOM winner lost it.
    bom, right = "\ufeff" + QC_L, QC_L.replace('"1.0.0"', '"1.0.1"')
    assert right != QC_L
    for strat, left_bom in (("union", True), ("prefer-left", True), ("prefer-right", False)):
        one, two = (bom, right) if left_bom else (right, bom)
        out = merge_sets({"skills/qc.py": one}, {"skills/qc.py": two}, STRATEGIES[strat])
        text = out.modules["skills/qc.py"]
        assert text.startswith("\ufeff") and not text.startswith("\ufeff\ufeff"), strat
        assert compile_source(text).valid
    out = merge_sets({"skills/qc.py": right}, {"skills/qc.py": bom}, UNION)
    assert not out.modules["skills/qc.py"].startswith("\ufeff")


def test_lines_added_to_a_lesson_block_take_its_margin_not_its_first_lines_indent() -> None:
    """A block whose first bullet is nested: an added line goes at the block's margin, so a
    second merge of the same side changes nothing (prefer-right absorbs its right side)."""
    nested = "\n      - nested note\n    - FFPE needs 40\n    "
    merged = union_lines(nested, "\n    - mouse uses mt-\n    ")
    assert merged == "\n      - nested note\n    - FFPE needs 40\n    - mouse uses mt-\n    "
    assert union_lines(merged, "\n    - mouse uses mt-\n    ") == merged


def test_a_view_from_its_compiles_class_is_the_view_of_its_text() -> None:
    """The archive merge views a side from the class its compile parsed (compile_node), not
    parsed again: the same fields, methods and class, fixes applied or not."""
    import ast

    from stato.core.compiler import compile_node
    from stato.core.diff import view

    cases = Path(__file__).parent / "cases"
    seen = 0
    for path in sorted(cases.glob("*.py")):
        text = path.read_bytes().decode("utf-8", "replace")
        result, node = compile_node(text, path.name)
        if node is None:
            assert result.class_name is None
            continue
        seen += 1
        again = view(text, path.name, result=result)
        given = view(text, path.name, result=result, node=node)
        assert (given.fields, given.methods) == (again.fields, again.methods)
        assert again.node is not None
        assert ast.dump(node, include_attributes=True) == ast.dump(
            again.node, include_attributes=True
        )
        assert compile_source(text, path.name) == result
    assert seen > 20
