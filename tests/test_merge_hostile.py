"""Hostile archives through merge and diff: one line on stderr, exit 1, nothing written anywhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from stato.adapters.archive import write_archive
from stato.cli import main
from stato.formats.manifest import Manifest, ModuleEntry
from tests.test_hostile_archive import CASES  # the shared table of archive tricks

MEMORY = (Path(__file__).parent / "data" / "merge" / "memory.py").read_text()


def good_archive(path: Path) -> Path:
    entry = ModuleEntry.for_text("memory.py", MEMORY, "memory", "ProjectState")
    manifest = Manifest("good", "2026-01-01T00:00:00Z", "0.1.0", modules=(entry,))
    return write_archive(path, manifest, {"memory.py": MEMORY})


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize(
    "argv",
    [
        ["merge", "{good}", "{evil}", "-o", "{out}"],
        ["merge", "{evil}", "{good}", "-o", "{out}", "--dry-run"],
        ["diff", "{good}", "{evil}"],
        ["diff", "{evil}", "{good}", "--json"],
    ],
    ids=["merge-right", "merge-left-dry", "diff", "diff-json"],
)
def test_hostile_archive_is_refused(
    case: str, argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, needle = CASES[case]
    (tmp_path / "in").mkdir()
    evil = make(tmp_path / "in" / "evil.stato")
    good = good_archive(tmp_path / "in" / "good.stato")
    before = tree(tmp_path)
    args = [a.format(good=good, evil=evil, out=tmp_path / "out" / "m.stato") for a in argv]
    with pytest.raises(SystemExit) as exc:
        main(args)
    captured = capsys.readouterr()
    if evil.is_dir() and argv[0] == "merge":  # click refuses a folder for a file argument: usage
        assert exc.value.code == 2
        assert tree(tmp_path) == before
        return
    assert exc.value.code == 1
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert captured.out == ""
    assert tree(tmp_path) == before  # nothing written, nothing unpacked
    assert not Path("/etc/cron.d/x.py").exists()
