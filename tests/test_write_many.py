"""adapters.fs.write_many: every file old or new, temp files named as write_atomic's."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from stato.adapters.fs import TEMP_NAME, sweep_temp_files, write_many


def test_files_are_written_with_the_mode_write_atomic_gives(tmp_path: Path) -> None:
    items = [(tmp_path / "a" / f"s{i}" / "SKILL.md", f"text {i}\n") for i in range(5)]
    items.append((tmp_path / "a" / "s0" / "other.md", "same folder\n"))
    replaced: list[Path] = []
    write_many(items, replaced.append)
    assert replaced == [p for p, _ in items]
    for path, text in items:
        assert path.read_text("utf-8") == text
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not [p for p in tmp_path.rglob("*.tmp")]


def test_a_failure_before_the_renames_replaces_nothing_and_leaves_no_temp_file(
    tmp_path: Path,
) -> None:
    old = tmp_path / "keep" / "SKILL.md"
    old.parent.mkdir()
    old.write_text("old\n", "utf-8")
    (tmp_path / "blocked").write_text("a file where a folder goes\n", "utf-8")
    with pytest.raises(OSError):
        write_many([(old, "new\n"), (tmp_path / "blocked" / "x" / "SKILL.md", "y")])
    assert old.read_text("utf-8") == "old\n"
    assert os.listdir(old.parent) == ["SKILL.md"]


def test_temp_files_are_named_so_a_sweep_finds_leftovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(src: str, dst: object) -> None:
        seen.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    write_many([(tmp_path / "SKILL.md", "x"), (tmp_path / "b" / "SKILL.md", "y")])
    assert len(seen) == 2 and all(TEMP_NAME.match(name) for name in seen)
    leftover = tmp_path / seen[0]
    leftover.write_text("half", "utf-8")
    assert sweep_temp_files(tmp_path) == 1


def test_a_taken_temp_name_falls_back_to_a_fresh_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import random

    monkeypatch.setattr(random.SystemRandom, "choices", lambda self, pop, k: ["q"] * k)
    taken = tmp_path / ".SKILL.md.qqqqqqqq.tmp"
    taken.write_text("someone else's", "utf-8")
    write_many([(tmp_path / "SKILL.md", "mine\n")])
    assert (tmp_path / "SKILL.md").read_text("utf-8") == "mine\n"
    assert taken.read_text("utf-8") == "someone else's"


def test_relative_paths_are_written_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_many([(Path("AGENTS.md"), "a\n"), (Path("sub") / "SKILL.md", "b\n")])
    assert (tmp_path / "AGENTS.md").read_text("utf-8") == "a\n"
    assert (tmp_path / "sub" / "SKILL.md").read_text("utf-8") == "b\n"
