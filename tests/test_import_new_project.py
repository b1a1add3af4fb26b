"""Importing into a folder with no .stato/ makes it a project; a dry run creates nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

Run = Callable[..., Result]


def test_import_into_a_new_folder_creates_the_project(
    run: Run, example: Path, tmp_path: Path
) -> None:
    assert run("snapshot", "--name", "demo", "--output", "demo.stato").exit_code == 0
    fresh = tmp_path / "elsewhere" / "new-project"
    fresh.parent.mkdir()
    dry = run("import", "demo.stato", "--path", str(fresh), "--dry-run")
    assert dry.exit_code == 0 and not fresh.exists()
    done = run("import", "demo.stato", "--path", str(fresh))
    assert done.exit_code == 0, done.output
    for rel in ("skills/qc.py", "plan.py", "memory.py", "context.py"):
        assert (fresh / ".stato" / rel).read_bytes() == (example / ".stato" / rel).read_bytes()
    assert (fresh / ".stato" / ".history").is_dir()
