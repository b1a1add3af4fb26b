"""Importing into a folder with no .stato/ makes it a project; a dry run creates nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
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


# -- convert, import-bundle and registry install make the project the way import does -------

DATA = Path(__file__).parent / "data"
BUNDLE = DATA / "convert" / "bundle" / "stato_bundle.py"
CLAUDE_MD = "# Project\n\n## Code style\n\n- Use ruff for linting\n- Type every function\n"


def tree(root: Path) -> dict[str, bytes]:
    """Every file and folder under ``root``, files with their bytes: proof nothing changed."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


def _commands(source: Path) -> dict[str, tuple[str, ...]]:
    return {
        "convert": ("convert", str(source / "CLAUDE.md")),
        "import-bundle": ("import-bundle", str(BUNDLE), "--no-bridge"),
        "registry install": ("registry", "install", "scrna-qc", "--registry", "builtin"),
    }


@pytest.mark.parametrize("command", ["convert", "import-bundle", "registry install"])
@pytest.mark.parametrize("where", ["folder without .stato", "folder not yet made"])
def test_commands_that_bring_modules_in_create_the_project(
    run: Run, tmp_path: Path, command: str, where: str
) -> None:
    source = tmp_path / "inputs"
    source.mkdir()
    (source / "CLAUDE.md").write_text(CLAUDE_MD, encoding="utf-8")
    target = tmp_path / "work"
    if where == "folder without .stato":
        target.mkdir()
        (target / "notes.txt").write_text("kept\n", encoding="utf-8")
    args = _commands(source)[command]
    before = tree(tmp_path)
    dry = run(*args, "--path", str(target), "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "no .stato" not in dry.output
    assert tree(tmp_path) == before  # byte for byte: not even an empty .stato/
    done = run(*args, "--path", str(target))
    assert done.exit_code == 0, done.output
    stato = target / ".stato"
    for made in ("skills", ".history", "prompts", ".gitignore"):
        assert (stato / made).exists(), made  # the same project `stato init` makes
    assert (target / ".statoignore").is_file()  # in the project root, as cli-guide says
    assert [p for p in stato.rglob("*.py") if ".history" not in p.parts]
    assert run("validate", str(stato), "--check").exit_code == 0


def test_a_dry_run_inside_a_project_subfolder_uses_that_project(run: Run, example: Path) -> None:
    sub = example / "src" / "deep"
    sub.mkdir(parents=True)
    (sub / "CLAUDE.md").write_text(CLAUDE_MD, encoding="utf-8")
    result = run("convert", str(sub / "CLAUDE.md"), "--path", str(sub), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert not (sub / ".stato").exists()
