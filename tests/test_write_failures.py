"""A write that fails part-way leaves the project as it was (spec ruling 6): `stato bridge` when
one of its targets cannot be written, and `registry publish` when its folder cannot take the
archive or index. Real files; the failure is a real obstacle on disk (a folder where a file
goes, a file where a folder goes), so it holds for root too."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stato.cli import cli
from tests.conftest import entries
from tests.test_registry_http import make_archive, skill


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "proj"
    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(root)]).exit_code == 0
    monkeypatch.chdir(root)
    # The user's own files beside the bridge's, in their own mode and line endings.
    (root / "CLAUDE.md").write_bytes(b"# Team notes\r\n\r\nKeep the raw counts.\r\n")
    os.chmod(root / "CLAUDE.md", 0o640)
    (root / "AGENTS.md").write_text("# Agents\n\nRead the plan first.\n", encoding="utf-8")
    return root


def _bridge(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["bridge", "--platform", "all", "--path", str(root)])
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    "obstacle",
    [
        # The last files written: renames before them already replaced their targets.
        ".claude/skills/qc-filtering/SKILL.md",
        ".agents/skills/qc-filtering/SKILL.md",
        # One read before anything is written: refused up front.
        "GEMINI.md",
    ],
)
def test_bridge_a_folder_where_a_file_goes_leaves_everything_as_it_was(
    project: Path, obstacle: str
) -> None:
    (project / obstacle).mkdir(parents=True)
    (project / obstacle / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = entries(project)
    code, err = _bridge(project)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "error" in err, err
    assert entries(project) == before  # no file, no folder, no temp file left behind
    os.remove(project / obstacle / "keep.txt")
    os.rmdir(project / obstacle)
    code, err = _bridge(project)  # with the obstacle gone, the same run succeeds
    assert code == 0, err
    assert (project / obstacle).is_file()


@pytest.mark.parametrize("obstacle", [".claude", ".agents", ".claude/skills"])
def test_bridge_a_file_where_a_folder_goes_leaves_everything_as_it_was(
    project: Path, obstacle: str
) -> None:
    (project / obstacle).parent.mkdir(parents=True, exist_ok=True)
    (project / obstacle).write_text("not a folder\n", encoding="utf-8")
    before = entries(project)
    code, err = _bridge(project)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1 and "error" in err, err
    assert entries(project) == before


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return make_archive(tmp_path / "qc.stato", "qc-kit", {"qc": skill("Qc", "qc", ["qc"])})


def _registry(root: Path) -> dict[str, object]:
    """Every entry but the publish lock file (empty; it stays, as the store's .lock does)."""
    return {k: v for k, v in entries(root).items() if not k.endswith(".index.lock")}


def _publish(archive: Path, folder: Path, *extra: str) -> tuple[int, str]:
    argv = ["registry", "publish", str(archive), "--to", str(folder), "--author", "t", *extra]
    result = CliRunner().invoke(cli, argv)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr


def test_publish_to_a_folder_whose_index_is_a_folder_leaves_it_as_it_was(
    tmp_path: Path, archive: Path
) -> None:
    folder = tmp_path / "registry"
    (folder / "index.toml").mkdir(parents=True)
    before = _registry(tmp_path)
    code, err = _publish(archive, folder)
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1, err
    assert _registry(tmp_path) == before  # no archive copied, no temp file left


def test_publish_where_the_archive_goes_is_a_folder_leaves_the_registry_as_it_was(
    tmp_path: Path, archive: Path
) -> None:
    folder = tmp_path / "registry"
    code, err = _publish(archive, folder, "--version", "1.0.0")
    assert code == 0, err
    index = (folder / "index.toml").read_text()
    published = sorted(p.name for p in folder.iterdir())
    # The second version's archive name, taken by a folder.
    code, err = _publish(archive, folder, "--version", "1.1.0", "--json")
    assert code == 0, err
    names = sorted(p.name for p in folder.iterdir())
    new = next(n for n in names if n not in published)
    os.remove(folder / new)
    (folder / "index.toml").write_text(index, encoding="utf-8")
    (folder / new).mkdir()
    before = entries(tmp_path)
    code, err = _publish(archive, folder, "--version", "1.1.0")
    assert code == 1, err
    assert len(err.strip().splitlines()) == 1, err
    assert entries(tmp_path) == before


def test_bridge_keeps_the_mode_of_the_files_it_updates(project: Path) -> None:
    """A private CLAUDE.md (0600) the bridge adds its block to stays private."""
    os.chmod(project / "CLAUDE.md", 0o600)
    os.chmod(project / "AGENTS.md", 0o640)
    code, err = _bridge(project)
    assert code == 0, err
    assert "stato" in (project / "CLAUDE.md").read_text(encoding="utf-8")
    assert stat.S_IMODE((project / "CLAUDE.md").stat().st_mode) == 0o600
    assert stat.S_IMODE((project / "AGENTS.md").stat().st_mode) == 0o640
    assert stat.S_IMODE((project / "GEMINI.md").stat().st_mode) == 0o644  # a new one: 0644


@pytest.mark.skipif(os.name != "posix", reason="needs RLIMIT_FSIZE")
def test_bridge_that_runs_out_of_room_part_way_leaves_everything_as_it_was(project: Path) -> None:
    """A file-size limit (as a full disk would) fails the write of the largest file after the
    smaller ones and their folders were made: none of them stays, and nothing is replaced."""
    import resource
    import signal

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write over the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (3000, 3000))

    lessons = "".join(
        f"- lesson {i}: keep the raw counts layer before step {i}\n" for i in range(80)
    )
    big = skill("Zz", "zz-last", ["qc"], "x").replace("- x\n", lessons)
    (project / ".stato" / "skills" / "zz.py").write_text(big, encoding="utf-8")
    before = entries(project)
    # Every command's cache write fails too, and only costs the cache (status passes).
    status = _limited(["status"], project, limited)
    assert status.returncode == 0, status.stderr
    assert entries(project) == before
    proc = _limited(["bridge", "--platform", "all"], project, limited)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "too large" in proc.stderr, proc.stderr
    assert "zz-last/SKILL.md" in proc.stderr, proc.stderr  # the file the disk refused
    after = entries(project)
    assert after == before, sorted(set(after) ^ set(before))


def _limited(argv: list[str], cwd: Path, limit: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "stato", *argv],
        capture_output=True, text=True, check=False, cwd=cwd, preexec_fn=limit,
        stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
