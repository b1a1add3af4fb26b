"""One case file per diagnostic code under tests/cases/, found by one parametrized test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stato.core.diagnostics import BY_CODE, TABLE
from stato.ops.validate import validate_paths

CASES = Path(__file__).parent / "cases"
ALL_CASES = sorted(p for p in CASES.iterdir() if p.suffix == ".py" or p.is_dir())


def expected_codes(case: Path) -> set[str]:
    files = sorted(case.rglob("*.py")) if case.is_dir() else [case]
    for f in files:
        head = f.read_bytes().split(b"\n", 3)[:3]
        for line in head:
            m = re.match(rb"#\s*expect:\s*(.*)", line)
            if m:
                return set(m.group(1).decode().split())
    prefix = case.name.split("_")[0]
    return {prefix} if prefix in BY_CODE else set()


def declared_type(case: Path) -> str | None:
    if case.is_dir():
        return None
    m = re.search(rb"#\s*type:\s*(\w+)", case.read_bytes()[:300])
    return m.group(1).decode() if m else None


@pytest.mark.parametrize("case", ALL_CASES, ids=[p.name for p in ALL_CASES])
def test_case(case: Path) -> None:
    report = validate_paths([case], expected_type=declared_type(case), check=True)
    found = {d.code for m in report.modules for d in m.diagnostics}
    expected = expected_codes(case)
    assert expected <= found, f"{case.name}: expected {sorted(expected)}, found {sorted(found)}"
    unexpected_errors = {c for c in found if c.startswith("E")} - expected
    assert not unexpected_errors, f"{case.name}: unexpected {sorted(unexpected_errors)}"
    if not expected:
        assert not {c for c in found if c[0] in "EW"}


def test_every_code_has_a_case() -> None:
    covered = set().union(*(expected_codes(c) for c in ALL_CASES))
    assert {row.code for row in TABLE} <= covered


def test_docs_match_the_table() -> None:
    from stato.core.diagnostics import reference_markdown

    docs = Path(__file__).parent.parent / "docs" / "error-codes.md"
    assert docs.read_text(encoding="utf-8") == reference_markdown()


def test_codes_are_declared_once_and_numbered_as_the_spec() -> None:
    codes = [row.code for row in TABLE]
    assert len(codes) == len(set(codes))
    assert "I005" not in codes
    spec = {f"E{n:03d}" for n in range(1, 11)} | {f"W{n:03d}" for n in range(1, 7)}
    spec |= {"I001", "I002", "I003", "I004", "I006"}
    assert spec <= set(codes)
