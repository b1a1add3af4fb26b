"""`stato resume`: a recap that works on full, partial and broken projects, in every output form."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stato.ops.init import init_project
from stato.ops.resume import resume

NAMELESS_SKILL = '''\
class Orphan:
    """A skill someone forgot to name."""

    version = "1.0.0"

    @staticmethod
    def run() -> None:
        return None
'''


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, example=True)
    return tmp_path


def test_raw_recaps_every_part(project: Path, run: Callable[..., Result]) -> None:
    out = run("resume", "--raw")
    assert out.exit_code == 0
    text = out.output
    for expected in (
        "PROJECT CONTEXT: cortex_scrna",
        "PLAN: cortex_analysis -- 3/7 steps complete",
        "Current step: Step 4 -- find_hvg (running)",
        "SKILLS (3)",
        "qc_filtering v1.2.0",
        "Params: min_genes=200, max_genes=5000, max_pct_mito=20, min_cells=3",
        "- Cortex tissue: max_pct_mito=20 retains ~85% of cells",
        "MEMORY: phase analysis",
        "batch_effect:",
        "Reflection:",
    ):
        assert expected in text, expected
    assert "\x1b[" not in text and "[bold" not in text and "NOTES" not in text


def test_brief_is_one_paragraph(project: Path, run: Callable[..., Result]) -> None:
    out = run("resume", "--brief")
    assert out.exit_code == 0
    para = out.output.rstrip("\n")
    assert "\n" not in para
    assert "3/7 steps complete" in para and "current step 4 find_hvg" in para
    assert "qc_filtering v1.2.0 (4 lessons)" in para and "phase analysis" in para


def test_json_is_the_same_content_as_data(project: Path, run: Callable[..., Result]) -> None:
    data = json.loads(run("resume", "--json").output)
    assert data["plan"]["done"] == 3 and data["plan"]["total"] == 7
    assert data["plan"]["current"]["action"] == "find_hvg"
    qc = next(s for s in data["skills"] if s["name"] == "qc_filtering")
    assert qc["params"]["max_pct_mito"] == 20 and qc["lesson_count"] == len(qc["lessons"]) == 4
    assert data["memory"]["phase"] == "analysis"
    assert "batch_effect" in data["memory"]["known_issues"]
    assert data["context"]["environment"]["python"] == "3.11"
    assert data["invalid"] == [] and data["notes"] == []
    assert data["brief"] == run("resume", "--brief").output.rstrip("\n")


def test_no_plan_no_memory_and_invalid_modules_are_said_plainly(
    project: Path, run: Callable[..., Result]
) -> None:
    (project / ".stato" / "plan.py").unlink()
    (project / ".stato" / "memory.py").unlink()
    (project / ".stato" / "skills" / "orphan.py").write_text(NAMELESS_SKILL, "utf-8")
    (project / ".stato" / "skills" / "broken.py").write_text("class Broken(:\n", "utf-8")
    out = run("resume", "--raw")
    assert out.exit_code == 0
    text = out.output
    assert "(no plan module: progress is not tracked)" in text
    assert "(no memory module)" in text
    assert "skills/orphan.py (E003)" in text and "skills/broken.py (E001)" in text
    assert "SKILLS (3)" in text  # the valid ones are still recapped
    brief = run("resume", "--brief").output
    assert "No plan module." in brief and "No memory module." in brief
    assert "Invalid modules (2)" in brief
    data = json.loads(run("resume", "--json").output)
    assert data["plan"] is None and data["memory"] is None
    assert {i["path"] for i in data["invalid"]} == {"skills/orphan.py", "skills/broken.py"}


def test_an_empty_project_recaps_without_crashing(tmp_path: Path) -> None:
    init_project(tmp_path)
    result = resume(tmp_path)
    assert result.summary.skills == () and result.summary.plan is None
    assert any("No valid skills" in n for n in result.notes)


def test_a_finished_plan_says_so(project: Path) -> None:
    plan = project / ".stato" / "plan.py"
    text = plan.read_text("utf-8")
    for status in ('"running"', '"pending"', '"blocked"'):
        text = text.replace(status, '"complete"')
    plan.write_text(text, "utf-8")
    from stato.ops.resume import paragraph

    assert "7/7 steps complete. All steps are complete." in paragraph(resume(project).summary)


def test_subprocess_brief_and_piped_default(project: Path) -> None:
    brief = subprocess.run(
        [sys.executable, "-m", "stato", "resume", "--brief"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert brief.returncode == 0 and brief.stdout.count("\n") == 1
    piped = subprocess.run(
        [sys.executable, "-m", "stato", "resume"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert piped.returncode == 0 and piped.stdout.startswith("PROJECT CONTEXT")


def test_the_canonical_plan_wins_over_another_valid_one(project: Path) -> None:
    plan = (project / ".stato" / "plan.py").read_text("utf-8")
    (project / ".stato" / "a_draft_plan.py").write_text(
        plan.replace('name = "cortex_analysis"', 'name = "draft"'), "utf-8"
    )
    assert resume(project).summary.plan.name == "cortex_analysis"
