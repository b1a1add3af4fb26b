"""State stato reads back from a project (journal, staging, caches) is checked before use.

A cloned repository can hold any file in .stato/: a planted import journal or staging folder
must never make a command write, move or delete anything outside .stato/. Each case here moved
or deleted files outside the project before the checks (issue 10).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from stato.cli import cli
from stato.ops.init import GITIGNORE
from tests.conftest import entries

FORMAT = "stato-transaction/1"
STAGE = "ab" * 16


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """(project, outside): an example project and a folder beside it holding a 'key'."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    outside.mkdir()
    (outside / "id_rsa").write_text("PRIVATE KEY\n")
    (outside / "notes").mkdir()
    (outside / "notes" / "a.txt").write_text("mine\n")
    result = CliRunner().invoke(cli, ["init", "--example", "--path", str(project)])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(project)
    return project, outside


def invoke(*argv: str) -> Result:
    return CliRunner().invoke(cli, list(argv), catch_exceptions=False)


def hook(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stato", "hooks", "run", "--agent", "claude"],
        input=json.dumps({"cwd": str(project), "source": "compact"}),
        capture_output=True, text=True, check=False, cwd=project, timeout=60,
    )  # fmt: skip


def plant(project: Path, plan: object, stage: str = STAGE) -> Path:
    stato = project / ".stato"
    (stato / ".staging" / stage).mkdir(parents=True, exist_ok=True)
    journal = stato / ".transaction.json"
    journal.write_text(json.dumps(plan))
    return journal


ESCAPES = {
    "stage-dotdot": {"format": FORMAT, "stage": "../../../outside", "moves": [["id_rsa", "skills/k.py"]]},
    "part-dotdot": {"format": FORMAT, "stage": STAGE, "moves": [["../../../../outside/id_rsa", "skills/k.py"]]},
    "dest-dotdot": {"format": FORMAT, "stage": STAGE, "moves": [["0.part", "../../outside/id_rsa"]]},
    "dest-absolute": {"format": FORMAT, "stage": STAGE, "moves": [["0.part", "{outside}/escape.py"]]},
    "no-format": {"stage": STAGE, "moves": [["0.part", "skills/k.py"]]},
    "not-a-plan": [1, 2, 3],
    "torn": "{",
}  # fmt: skip


@pytest.mark.parametrize("case", ESCAPES, ids=list(ESCAPES))
@pytest.mark.parametrize("command", ["status", "validate --check", "resume", "snapshot", "hook"])
def test_a_planted_journal_changes_nothing_outside_and_says_how_to_clear_it(
    case: str, command: str, world: tuple[Path, Path]
) -> None:
    project, outside = world
    plan = json.loads(json.dumps(ESCAPES[case]).replace("{outside}", str(outside)))
    journal = plant(project, plan)
    (project / ".stato" / ".staging" / STAGE / "0.part").write_text("x = 1\n")
    before = entries(outside)
    if command == "hook":
        proc = hook(project)
        assert proc.returncode == 0 and json.loads(proc.stdout)["hookSpecificOutput"]
        stderr = proc.stderr
    else:
        extra = ["--name", "x", "-o", str(project / "x.stato")] if command == "snapshot" else []
        result = invoke(*command.split(), *extra)
        assert result.exit_code in (0, 1), result.output
        assert "internal error" not in result.output
        stderr = result.stderr
    assert entries(outside) == before
    warnings = [line for line in stderr.splitlines() if line.startswith("warning:")]
    expected = [
        "warning: ignored .stato/.transaction.json (not written by stato here): "
        "delete it if you did not start an import that was interrupted"
    ]
    # validate --check reads modules only; every reader that finishes imports says it once
    assert warnings == expected or (command == "validate --check" and not warnings)
    assert journal.exists()  # left for the user to look at, never followed


def test_a_journal_that_is_a_link_is_not_followed(world: tuple[Path, Path]) -> None:
    project, outside = world
    real = outside / "plan.json"
    real.write_text(json.dumps({"format": FORMAT, "stage": STAGE, "moves": []}))
    os.symlink(real, project / ".stato" / ".transaction.json")
    before = entries(outside)
    result = invoke("status")
    assert result.exit_code == 0
    assert "warning: ignored .stato/.transaction.json" in result.stderr
    assert entries(outside) == before


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs chown (root)")
def test_a_journal_of_another_user_is_not_followed(world: tuple[Path, Path]) -> None:
    project, _ = world
    stage = project / ".stato" / ".staging" / STAGE
    journal = plant(
        project, {"format": FORMAT, "stage": STAGE, "moves": [["0.part", "skills/k.py"]]}
    )
    (stage / "0.part").write_text("class K:\n    name = 'k'\n")
    os.chown(journal, 4242, 4242)
    result = invoke("status")
    assert "warning: ignored .stato/.transaction.json" in result.stderr
    assert not (project / ".stato" / "skills" / "k.py").exists()


def test_a_staging_folder_that_links_out_is_never_emptied(world: tuple[Path, Path]) -> None:
    project, outside = world
    os.symlink(outside, project / ".stato" / ".staging")
    before = entries(outside)
    for argv in (["status"], ["lesson", "add", "qc_filtering", "a lesson"], ["status"]):
        result = invoke(*argv)
        assert "internal error" not in result.output
    assert entries(outside) == before
    assert "warning: ignored .stato/.staging/ (" in result.stderr


def test_a_good_journal_still_finishes_a_killed_import(world: tuple[Path, Path]) -> None:
    project, _ = world
    stage = project / ".stato" / ".staging" / STAGE
    plant(project, {"format": FORMAT, "stage": STAGE, "moves": [["0.part", "skills/k.py"]]})
    text = 'class K:\n    """k."""\n    name = "k"\n\n    @staticmethod\n    def run(**kw):\n        pass\n'
    (stage / "0.part").write_text(text)
    result = invoke("status")
    assert result.exit_code == 0 and "warning" not in result.stderr
    assert (project / ".stato" / "skills" / "k.py").read_text() == text
    assert not (project / ".stato" / ".transaction.json").exists() and not stage.exists()


def test_an_import_never_writes_through_a_planted_journal_tmp_link(
    world: tuple[Path, Path], tmp_path: Path
) -> None:
    project, outside = world
    archive = tmp_path / "a.stato"
    assert invoke("snapshot", "--name", "a", "-o", str(archive)).exit_code == 0
    memory = project / ".stato" / "memory.py"
    memory.write_text(memory.read_text().replace("phase = ", "phase = 'x' + "))
    os.symlink(outside / "id_rsa", project / ".stato" / ".transaction.json.tmp")
    before = entries(outside)
    result = invoke("import", str(archive), "--on-conflict", "replace")
    assert result.exit_code == 0, result.output
    assert "phase = 'x'" not in memory.read_text()  # the import did write
    assert entries(outside) == before


@pytest.mark.parametrize("kind", ["cache-link", "summary-link", "summary-fifo", "history-link"])
def test_caches_and_backups_never_lead_out_of_the_project(
    kind: str, world: tuple[Path, Path]
) -> None:
    project, outside = world
    stato = project / ".stato"
    cache = stato / ".cache"
    if kind == "cache-link":
        if cache.exists():
            import shutil

            shutil.rmtree(cache)
        os.symlink(outside / "notes", cache)
    elif kind == "summary-link":
        cache.mkdir(exist_ok=True)
        os.symlink(outside / "id_rsa", cache / "summary.json")
    elif kind == "summary-fifo":
        cache.mkdir(exist_ok=True)
        os.mkfifo(cache / "summary.json")
    else:
        import shutil

        shutil.rmtree(stato / ".history")
        os.symlink(outside / "notes", stato / ".history")
    before = entries(outside)
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "resume", "--brief"],
        capture_output=True, text=True, check=False, cwd=project, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert hook(project).returncode == 0
    result = invoke("lesson", "add", "qc_filtering", "a lesson")
    assert "internal error" not in result.output
    if kind == "history-link":
        assert result.exit_code == 1 and "leads out of" in result.stderr
    assert entries(outside) == before


def test_init_ignores_the_journal_in_git() -> None:
    lines = GITIGNORE.splitlines()
    for name in (".transaction.json", ".transaction.json.tmp", ".staging/", ".cache/", ".lock"):
        assert name in lines


@pytest.mark.parametrize(
    ("link", "argv"),
    [
        (".claude", ["bridge", "--platform", "all"]),
        (".claude", ["hooks", "install", "--agent", "claude"]),
        (".cursor", ["hooks", "install", "--agent", "cursor"]),
        (".stato/prompts", ["crystallize"]),
        (".cursor", ["mcp", "install", "--agent", "cursor"]),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
def test_project_files_are_never_written_through_a_link_out_of_the_project(
    link: str, argv: list[str], world: tuple[Path, Path]
) -> None:
    project, outside = world
    planted = project / link
    if planted.is_dir():
        import shutil

        shutil.rmtree(planted)
    os.symlink(outside / "notes", planted)
    before = entries(outside)
    result = invoke(*argv)
    assert "internal error" not in result.output
    assert entries(outside) == before
    if result.exit_code:
        assert "leads out of" in result.stderr, result.output


@pytest.mark.parametrize("kind", ["link", "fifo", "folder"])
def test_a_planted_lock_is_one_line_that_says_what_to_do(
    kind: str, world: tuple[Path, Path]
) -> None:
    project, outside = world
    lock = project / ".stato" / ".lock"
    lock.unlink(missing_ok=True)
    if kind == "link":
        os.symlink(outside / "id_rsa", lock)
    elif kind == "fifo":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    before = entries(outside)
    result = CliRunner().invoke(cli, ["lesson", "add", "qc_filtering", "a lesson"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: {lock} is ") and line.endswith("delete it and retry")
    assert entries(outside) == before
