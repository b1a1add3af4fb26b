"""A snapshot keeps only the fields it reads of each result: the same archive, the same refusal."""

from __future__ import annotations

from pathlib import Path

import pytest

from stato.adapters.archive import archive_bytes, read_archive
from stato.ops.snapshot import archive_project, select, snapshot

from .test_validate_stream import make_project


def _both(root: Path, out: Path) -> tuple[dict[str, object], dict[str, object]]:
    def choose(results: dict) -> tuple[list[str], str, tuple[str, ...]]:  # type: ignore[type-arg]
        return select(results), "ex", ()

    slim = snapshot(root, "ex", output=out / "slim.stato").to_dict()
    full = archive_project(root, choose, output=out / "full.stato", partial=False).to_dict()
    for doc in (slim, full):
        doc.pop("output")
    return slim, full


def test_the_archive_is_the_same_with_every_field_kept(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    slim, full = _both(example, tmp_path)
    assert slim["written"] and slim == full
    data = (tmp_path / "slim.stato").read_bytes()
    assert data == (tmp_path / "full.stato").read_bytes()
    # Written straight into the file: the same bytes as the archive built in memory.
    arc = read_archive(tmp_path / "slim.stato")
    assert archive_bytes(arc.manifest, arc.modules) == data


def test_a_refusal_names_the_same_modules_and_diagnostics(tmp_path: Path) -> None:
    root = make_project(tmp_path / "p")  # E-codes, E011 across modules, fixable modules
    for unreadable in ("E001_binary.py", "E001_not_utf8.py"):  # snapshot refuses to read these
        (root / ".stato" / "skills" / unreadable).unlink()
    slim, full = _both(root, tmp_path)
    assert not slim["written"] and slim["invalid"] and slim == full
