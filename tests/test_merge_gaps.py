"""Three-way and archive merges at their edges: timestamps, cycles, modify/delete, annotations,
and the name of a merged archive. Real files, the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.archive import read_archive
from stato.cli import cli
from stato.core.compiler import compile_source
from stato.core.diff import view
from stato.core.merge3 import merge3_module

from .test_merge import MEMORY, QC_L, QC_R, make_archive
from .test_merge_file import run, three
from .test_merge_git import Scenario, git, git_env, merged_cleanly, new_repo

__all__ = ["git_env"]  # the real-git tests' environment (HOME, config, author), as a fixture


STATE = '''class ProjectState:
    """Memory."""

    phase = "analysis"
    tasks = ["a"]
    last_updated = {!r}
'''

# (ours, theirs, the merged last_updated; None: a conflict). The base is "2025-01-01" each time.
LATEST: dict[str, tuple[str, str, str | None]] = {
    "dates-ours-later": ("2025-01-15", "2025-01-10", "2025-01-15"),
    "dates-theirs-later": ("2025-01-10", "2025-01-15", "2025-01-15"),
    "datetime-beats-its-midnight": ("2025-01-15", "2025-01-15T10:00:00", "2025-01-15T10:00:00"),
    # As text "10:00+02:00" sorts after "09:00Z"; as instants it is 08:00Z, an hour earlier.
    "zones-compared-as-instants": (
        "2025-01-15T10:00:00+02:00",
        "2025-01-15T09:00:00Z",
        "2025-01-15T09:00:00Z",
    ),
    "same-instant-two-spellings-keeps-ours": (
        "2025-01-15T09:00:00Z",
        "2025-01-15T09:00:00+00:00",
        "2025-01-15T09:00:00Z",
    ),
    # "2025-1-9" sorts after "2025-01-15" as text: not ISO 8601, so not guessed.
    "not-iso-is-a-conflict": ("2025-1-9", "2025-01-15", None),
    "words-are-a-conflict": ("yesterday", "last week", None),
    "zone-against-no-zone-is-a-conflict": ("2025-01-15T10:00:00", "2025-01-15T10:00:00Z", None),
}


@pytest.mark.parametrize("ours, theirs, expected", LATEST.values(), ids=list(LATEST))
def test_last_updated_changed_on_both_sides_takes_the_later_instant(
    ours: str, theirs: str, expected: str | None
) -> None:
    base = STATE.format("2025-01-01")
    out = merge3_module(base, STATE.format(ours), STATE.format(theirs))
    if expected is None:
        assert [c.where for c in out.conflicts] == ["last_updated"]
        assert "<<<<<<<" in out.text and ours in out.text and theirs in out.text
    else:
        assert out.clean, out.conflicts
        assert view(out.text).fields["last_updated"] == expected
    swapped = merge3_module(base, STATE.format(theirs), STATE.format(ours))
    assert swapped.clean == out.clean
    if expected is not None and ours != "2025-01-15T09:00:00Z":  # a tie keeps ours
        assert view(swapped.text).fields["last_updated"] == expected


def test_merge_file_writes_the_later_last_updated(tmp_path: Path) -> None:
    b, o, t = three(
        tmp_path,
        STATE.format("2025-01-01"),
        STATE.format("2025-01-15T10:00:00+02:00").replace('["a"]', '["a", "b"]'),
        STATE.format("2025-01-15T09:00:00Z"),
    )
    code, _, err = run("merge-file", b, o, t)
    assert code == 0, err
    merged = view(o.read_text()).fields
    assert merged["last_updated"] == "2025-01-15T09:00:00Z" and merged["tasks"] == ["a", "b"]


PLAN = '''class AnalysisPlan:
    """The plan."""

    name = "cortex"
    objective = "Analyse the cortex"
    steps = [
{}
    ]
'''


def plan(*steps: tuple[int, list[int]] | tuple[int, list[int], str]) -> str:
    rows = []
    for step in steps:
        sid, deps, status = (*step, "pending")[:3]
        row = {"id": sid, "action": f"step{sid}", "status": status, "depends_on": deps}
        rows.append(f"        {json.dumps(row)},")
    return PLAN.format("\n".join(rows))


def test_depends_on_merged_into_a_cycle_is_a_conflict_never_a_silent_invalid_plan(
    tmp_path: Path,
) -> None:
    base = plan((1, []), (2, [1]), (3, []))
    ours = plan((1, []), (2, [1]), (3, [2]))  # 3 after 2: a DAG
    theirs = plan((1, []), (2, [1, 3]), (3, []))  # 2 after 3: a DAG
    assert compile_source(ours).valid and compile_source(theirs).valid
    merged = merge3_module(base, ours, theirs)
    assert [c.where for c in merged.conflicts] == ["steps"]
    assert "cycle" in merged.conflicts[0].why
    b, o, t = three(tmp_path, base, ours, theirs)
    code, out, err = run("merge-file", b, o, t, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["clean"] is False and "cycle" in json.dumps(report["conflicts"])
    written = o.read_text()
    assert written.count("<<<<<<< ours") == 1
    code, out, _ = run("validate", o, "--json")
    assert code != 0 and "E012" in out  # the markers, never a plan that reads as valid


def test_a_clean_three_way_plan_merge_stays_a_dag(tmp_path: Path) -> None:
    base = plan((1, []), (2, [1]), (3, [2]))
    ours = plan((1, []), (2, [1]), (3, [2]), (4, [3]))
    theirs = plan((1, [], "complete"), (2, [1]), (3, [1]))
    b, o, t = three(tmp_path, base, ours, theirs)
    code, _, err = run("merge-file", b, o, t)
    assert code == 0, err
    result = compile_source(o.read_text())
    assert result.valid, result.codes()
    steps = {s["id"]: s for s in result.fields["steps"]}
    assert steps[1]["status"] == "complete" and steps[3]["depends_on"] == [1]
    assert steps[4]["depends_on"] == [3]


@pytest.mark.parametrize("deleter", ["ours", "theirs"])
def test_a_step_changed_on_one_side_and_deleted_on_the_other_is_a_conflict(
    tmp_path: Path, deleter: str
) -> None:
    base = plan((1, []), (2, [1]), (3, [2]))
    changed = plan((1, []), (2, [1]), (3, [2], "complete"))
    deleted = plan((1, []), (2, [1]))
    ours, theirs = (deleted, changed) if deleter == "ours" else (changed, deleted)
    merged = merge3_module(base, ours, theirs)
    assert [c.where for c in merged.conflicts] == ["steps"]
    assert "deleted" in merged.conflicts[0].why
    b, o, t = three(tmp_path, base, ours, theirs)
    code, _, err = run("merge-file", b, o, t)
    assert code == 1 and "steps" in err
    assert '"status": "complete"' in o.read_text()  # the change is in the file, for a person


def test_a_step_deleted_on_one_side_and_left_alone_on_the_other_is_deleted() -> None:
    base = plan((1, []), (2, [1]), (3, [2]))
    ours = plan((1, []), (2, [1]))
    theirs = plan((1, [], "complete"), (2, [1]), (3, [2]))
    merged = merge3_module(base, ours, theirs)
    assert merged.clean, merged.conflicts
    steps = view(merged.text).fields["steps"]
    assert [s["id"] for s in steps] == [1, 2] and steps[0]["status"] == "complete"


ANNOTATED = '''class QualityControl:
    """QC."""

    name: str = "qc"
    version: str = "1.0.0"
    threshold: int
    default_params: dict[str, int] = {"min_genes": 200, "max_genes": 5000}
    tags: list[str] = ["qc"]
    lessons_learned: str = """
    - one
    """

    def run(self, adata: int, params: dict | None = None) -> int:
        return adata
'''


def test_annotated_fields_merge_by_value_and_keep_their_annotations(tmp_path: Path) -> None:
    ours = ANNOTATED.replace('"min_genes": 200', '"min_genes": 300').replace(
        '["qc"]', '["qc", "mine"]'
    )
    theirs = (
        ANNOTATED.replace('"max_genes": 5000', '"max_genes": 6000')
        .replace('["qc"]', '["qc", "theirs"]')
        .replace("threshold: int", "threshold: float")
        .replace("    - one\n", "    - one\n    - two\n")
    )
    b, o, t = three(tmp_path, ANNOTATED, ours, theirs)
    code, _, err = run("merge-file", b, o, t)
    assert code == 0, err
    text = o.read_text()
    result = compile_source(text)
    assert result.valid, result.codes()
    assert result.fields["default_params"] == {"min_genes": 300, "max_genes": 6000}
    assert result.fields["tags"] == ["qc", "mine", "theirs"]
    assert "- two" in result.fields["lessons_learned"]
    assert "default_params: dict[str, int] = {" in text and "tags: list[str] = [" in text
    assert "threshold: float\n" in text  # an annotation without a value merges as code


def test_an_annotated_field_both_sides_changed_is_a_conflict_around_its_lines(
    tmp_path: Path,
) -> None:
    b, o, t = three(
        tmp_path,
        ANNOTATED,
        ANNOTATED.replace('"1.0.0"', '"1.1.0"'),
        ANNOTATED.replace('"1.0.0"', '"2.0.0"'),
    )
    code, _, err = run("merge-file", b, o, t)
    assert code == 1 and "version" in err
    text = o.read_text()
    assert '<<<<<<< ours\n    version: str = "1.1.0"\n=======\n    version: str = "2.0.0"\n' in text


@pytest.mark.parametrize(
    "left, right, output, expected",
    [
        ("alpha", "beta", "combined.stato", "combined"),  # a plain stem names it
        ("alpha", "beta", "my merge.stato", "alpha-beta"),  # not a plain name: both joined
        ("alpha", "alpha", "-x.stato", "alpha"),  # the same name once
        ("a" * 99, "b" * 99, "two words.stato", "a" * 99 + "-"),  # cut at 100 characters
    ],
)
def test_a_merged_archive_is_named_by_its_output_or_both_inputs(
    tmp_path: Path, left: str, right: str, output: str, expected: str
) -> None:
    a = make_archive(tmp_path / "a.stato", {"skills/qc.py": QC_L}, left)
    b = make_archive(tmp_path / "b.stato", {"skills/qc.py": QC_R, "memory.py": MEMORY}, right)
    code, out, err = run("merge", a, b, "--output", tmp_path / output, "--json")
    assert code == 0, err
    assert json.loads(out)["name"] == expected
    assert read_archive(tmp_path / output).manifest.name == expected  # and it reads back


def test_git_merge_through_the_driver_stops_on_depends_on_merged_into_a_cycle(
    tmp_path: Path, git_env: None
) -> None:
    repo = new_repo(tmp_path, driver=True)
    plan_py = repo / ".stato" / "plan.py"
    plan_py.write_text(plan((1, []), (2, [1]), (3, [])), encoding="utf-8")
    git(repo, "commit", "-qam", "a plan")

    def writes(text: str) -> Callable[[Path], None]:
        return lambda _repo: plan_py.write_text(text, encoding="utf-8")

    s = Scenario(
        "two DAGs whose union is a cycle",
        (writes(plan((1, []), (2, [1]), (3, [2]))),),
        (writes(plan((1, []), (2, [1, 3]), (3, []))),),
        (),
    )
    assert not merged_cleanly(repo, s, "merge")
    assert "UU .stato/plan.py" in git(repo, "status", "--porcelain").stdout
    text = plan_py.read_text(encoding="utf-8")
    assert text.count("<<<<<<<") == 1
    r = CliRunner().invoke(cli, ["validate", "--check", str(plan_py)])
    assert r.exit_code == 1 and "E012" in r.output


@pytest.mark.parametrize("who", ["ours", "theirs"])
def test_an_annotation_or_comment_changed_on_one_side_keeps_the_others_new_value(
    who: str,
) -> None:
    base = ANNOTATED.replace('["qc"]', '["qc"]  # short')
    around = base.replace("version: str", 'version: "Version"').replace("# short", "# two words")
    value = base.replace('"1.0.0"', '"2.0.0"').replace('["qc"]', '["qc", "b"]')
    ours, theirs = (around, value) if who == "ours" else (value, around)
    out = merge3_module(base, ours, theirs)
    assert out.clean, out.conflicts
    assert 'version: "Version" = "2.0.0"' in out.text
    assert 'tags: list[str] = ["qc", "b"]  # two words' in out.text
    assert compile_source(out.text).valid
