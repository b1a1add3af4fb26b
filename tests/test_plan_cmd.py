"""`stato plan`, `stato lesson add`, `stato memory`: state updates through the store's gate."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stato.core import plan_edit
from tests.conftest import invoke


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert invoke("init", "--path", str(tmp_path), "--example")[0] == 0
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _plan(root: Path) -> str:
    return (root / ".stato/plan.py").read_bytes().decode()


def _history(root: Path) -> list[Path]:
    folder = root / ".stato/.history"
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


def test_show_plain_and_json(project: Path) -> None:
    code, out, _ = invoke("plan")
    assert code == 0
    assert "3/7 steps complete" in out and "Current: step 4 -- find_hvg (running)" in out
    code, out, _ = invoke("plan", "--json")
    data = json.loads(out)
    assert (data["done"], data["total"], data["complete"]) == (3, 7, False)
    assert data["state"] == "running" and data["headline"].startswith("3/7 steps complete.")
    assert data["current"]["id"] == 4 and data["next"] is None
    assert [s["id"] for s in data["steps"]] == list(range(1, 8))
    assert data["steps"][4]["blocked_by"] == [4]


def test_start_is_refused_while_a_dependency_is_open(project: Path) -> None:
    before = _plan(project)
    code, _, err = invoke("plan", "start", "5")
    assert code == 1
    assert "step 5 (dim_reduction) depends on step(s) 4 (running)" in err
    assert _plan(project) == before and _history(project) == []


def test_done_changes_only_that_step_and_keeps_a_backup(project: Path) -> None:
    before = _plan(project)
    start, end = plan_edit.step_span(before, 4)
    code, out, _ = invoke("plan", "done", "4", "--output", "2000 HVGs (seurat_v3)")
    assert code == 0 and "running -> complete" in out
    after = _plan(project)
    _, new_end = plan_edit.step_span(after, 4)
    assert after[:start] == before[:start] and after[new_end:] == before[end:]
    assert '"status": "complete"' in after[start:new_end]
    assert '"output": "2000 HVGs (seurat_v3)"' in after[start:new_end]
    (backup,) = _history(project)
    assert backup.read_bytes().decode() == before
    # now step 5 may start
    code, out, _ = invoke("plan", "start", "5", "--json")
    assert code == 0 and json.loads(out)["plan"]["current"]["id"] == 5


def test_same_status_again_is_a_failure_that_changes_nothing(project: Path) -> None:
    code, _, err = invoke("plan", "start", "4")
    assert code == 1 and "already running" in err
    assert _history(project) == []


@pytest.mark.parametrize(("command", "status"), [("fail", "failed"), ("block", "blocked")])
def test_fail_and_block(project: Path, command: str, status: str) -> None:
    code, out, _ = invoke("plan", command, "4", "--json")
    assert code == 0
    assert json.loads(out)["after"] == status
    steps = json.loads(invoke("plan", "--json")[1])["steps"]
    assert steps[3]["status"] == status


def test_unknown_step(project: Path) -> None:
    code, _, err = invoke("plan", "done", "42")
    assert code == 1 and "no step 42" in err


def test_add_with_dependencies(project: Path) -> None:
    code, out, _ = invoke("plan", "add", "write report", "--after", "6", "--after", "7", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["step"] == 8
    assert data["plan"]["steps"][-1] == {
        "id": 8, "action": "write report", "status": "pending", "depends_on": [6, 7],
        "blocked_by": [6, 7],
    }  # fmt: skip
    code, _, err = invoke("plan", "add", "x", "--after", "99")
    assert code == 1 and "no step 99" in err


def test_an_invalid_plan_is_refused_with_its_diagnostics(project: Path) -> None:
    path = project / ".stato/plan.py"
    broken = _plan(project).replace(
        '"status": "pending", "depends_on": [4]', '"status": "paused", "depends_on": [4]'
    )
    path.write_text(broken)
    code, _, err = invoke("plan", "done", "4")
    assert code == 1 and "E010" in err
    assert path.read_text() == broken


def test_graph_mermaid_and_dot(project: Path) -> None:
    code, out, _ = invoke("plan", "--graph")
    assert code == 0 and out.startswith("flowchart TD\n")
    assert '    s4["4. find_hvg<br/>▶ running"]' in out
    assert "    s3 --> s4" in out and "class s1,s2,s3 complete" in out
    code, out, _ = invoke("plan", "--graph", "--format", "dot")
    assert out.startswith("digraph plan {") and "    s6 -> s7;" in out
    assert 's7 [label="7. marker_genes\\nblocked"' in out


def test_graph_escapes_quotes(project: Path) -> None:
    invoke("plan", "add", 'say "hi"')
    assert "#quot;hi#quot;" in invoke("plan", "--graph")[1]
    assert '\\"hi\\"' in invoke("plan", "--graph", "--format", "dot")[1]


def test_lesson_add_appends_a_bullet_in_place(project: Path) -> None:
    path = project / ".stato/skills/qc.py"
    before = path.read_text()
    code, out, _ = invoke("lesson", "add", "qc_filtering", "Run scrublet before QC on 10x v3")
    assert code == 0 and "(5 lessons)" in out
    after = path.read_text()
    anchor = "- If retention < 60%, the thresholds are probably too aggressive\n"
    assert after == before.replace(anchor, anchor + "- Run scrublet before QC on 10x v3\n")
    code, _, err = invoke("lesson", "add", "qc", "Run scrublet before QC on 10x v3")
    assert code == 1 and "already has this lesson" in err


@pytest.mark.parametrize("ref", ["qc.py", "skills/qc.py", ".stato/skills/qc.py"])
def test_lesson_add_takes_the_skill_file_its_help_names(project: Path, ref: str) -> None:
    code, out, err = invoke("lesson", "add", ref, "Run scrublet before QC on 10x v3")
    assert code == 0, err
    assert "Run scrublet before QC" in (project / ".stato/skills/qc.py").read_text()


@pytest.mark.parametrize("ref", ["nosuch.py", "../skills/qc.py", "plan.py", "skills/sub/qc.py"])
def test_lesson_add_refuses_a_file_that_is_no_skill(project: Path, ref: str) -> None:
    before = {p: p.read_bytes() for p in (project / ".stato").rglob("*.py")}
    code, _, err = invoke("lesson", "add", ref, "x")
    assert code == 1 and "no skill" in err
    assert {p: p.read_bytes() for p in (project / ".stato").rglob("*.py")} == before


def test_lesson_for_unknown_skill_lists_the_skills(project: Path) -> None:
    code, _, err = invoke("lesson", "add", "nosuch", "x")
    assert code == 1 and "clustering" in err and "qc" in err


def test_lesson_added_to_a_skill_without_lessons(project: Path) -> None:
    path = project / ".stato/skills/extra.py"
    path.write_text(
        'class Extra:\n    """x"""\n    name = "extra"\n\n    def run(self):\n        pass\n'
    )
    code, _, _ = invoke("lesson", "add", "extra", "first lesson")
    assert code == 0
    assert 'lessons_learned = """\n- first lesson\n"""' in path.read_text()


def test_memory_set_and_add_issue(project: Path) -> None:
    path = project / ".stato/memory.py"
    before = path.read_text()
    code, out, _ = invoke("memory", "set", "phase", "clustering")
    assert code == 0 and 'memory.phase = "clustering"' in out
    text = path.read_text()
    assert 'phase = "clustering"' in text
    assert (
        text.replace('phase = "clustering"', 'phase = "analysis"').split("last_updated")[0]
        == (before.split("last_updated")[0])
    )
    code, _, _ = invoke("memory", "add-issue", "doublets", "Scrublet flags 6% of cells")
    assert code == 0
    text = path.read_text()
    assert '"batch_effect": "Plates 1 and 2 cluster separately' in text
    assert '        "doublets": "Scrublet flags 6% of cells",\n    }' in text
    code, out, _ = invoke("memory", "set", "tasks", '["cluster", "annotate"]', "--json")
    assert json.loads(out)["after"] == ["cluster", "annotate"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("memory", "set", "tasks", "not json"), "give it as JSON"),
        (("memory", "set", "nosuch", "x"), "no field 'nosuch'"),
        (("memory", "set", "known_issues", "[1]"), "is a dict, not a list"),
    ],
)
def test_memory_usage_errors(project: Path, args: tuple[str, ...], message: str) -> None:
    before = (project / ".stato/memory.py").read_text()
    code, _, err = invoke(*args)
    assert code == 2 and message in err
    assert (project / ".stato/memory.py").read_text() == before


def test_plan_done_as_a_real_process(project: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "stato", "plan", "done", "4", "--path", str(project)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "running -> complete" in done.stdout
    assert done.stderr == ""


INDENTED_SKILL = """class Hvg:
    '''Highly variable genes.'''

    name = "hvg"
    lessons_learned = '''
        - flavor='seurat_v3' needs raw counts
        '''  # keep this comment

    def run(self, adata_path: str) -> str:
        return adata_path
"""


def test_lesson_keeps_indent_quotes_and_the_comment(project: Path) -> None:
    path = project / ".stato/skills/hvg.py"
    path.write_text(INDENTED_SKILL)
    code, _, _ = invoke("lesson", "add", "hvg", "2000 genes is enough for cortex")
    assert code == 0
    assert path.read_text() == INDENTED_SKILL.replace(
        "raw counts\n", "raw counts\n        - 2000 genes is enough for cortex\n"
    )


@given(st.text(max_size=40), st.text(min_size=1, max_size=20).filter(lambda t: t.strip()))
def test_appended_adds_one_last_line(value: str, text: str) -> None:
    from stato.ops.lesson import appended

    bullet = "- " + " ".join(text.split())
    out = appended(value, bullet)
    assert out.startswith(value.rstrip())
    assert out.rstrip().endswith(bullet)
    assert out.rstrip()[len(value.rstrip()) :].count("\n") == 1
