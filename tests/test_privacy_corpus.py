"""The labelled corpus: coverage, precision and recall per category, sanitize on every case."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import pytest

from stato.core.privacy import sanitize, scan_text

_spec = importlib.util.spec_from_file_location(
    "privacy_corpus", Path(__file__).parent / "data/privacy/corpus.py"
)
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
sys.modules["privacy_corpus"] = corpus
_spec.loader.exec_module(corpus)

FILES = (
    "positives.txt",
    "hard.txt",
    "holdout.txt",
    "negatives.txt",
    "hard-negatives.txt",
    "holdout-negatives.txt",
    "holdout2.txt",  # positives and hard negatives in one file (a case without a mark)
    "holdout3.txt",
)
CASES = [case for name in FILES for case in corpus.load(name)]
POSITIVE = [c for c in CASES if c.expected]
NEGATIVE = [c for c in CASES if not c.expected]


def _spans(source: str) -> list[tuple[int, int, str]]:
    return [(f.start, f.end, f.category) for f in scan_text(source)]


def test_corpus_size_and_coverage() -> None:
    assert len(POSITIVE) >= 300 and len(NEGATIVE) >= 300
    for cases in (POSITIVE, NEGATIVE):
        assert {c.place for c in cases} == set(
            corpus.PLACES
            if hasattr(corpus, "PLACES")
            else ("prose", "dict", "code", "comment", "multiline")
        )
    labelled = {cat for c in POSITIVE for _, _, cat in c.expected}
    assert labelled == set(corpus.CATEGORIES)
    # hard negatives exist for every category: the generator's files say which one in their order
    assert sum(1 for c in NEGATIVE if "@" in c.source) >= 20
    assert sum(1 for c in NEGATIVE if "/home/" in c.source or "Users" in c.source) >= 20


def test_every_case_is_a_module_that_parses() -> None:
    for case in CASES:
        ast.parse(case.source)


def test_precision_and_recall_per_category() -> None:
    table, misses = corpus.score(CASES, _spans)
    for category, row in table.items():
        assert row["precision"] >= 0.95, (category, row, misses[:20])
        assert row["recall"] >= 0.95, (category, row, misses[:20])
        assert row["tp"] >= 40, (category, row)


def test_scorer_can_fail() -> None:
    table, misses = corpus.score(POSITIVE[:20], lambda source: [])
    assert table["all"]["recall"] == 0.0 and misses
    table, _ = corpus.score(NEGATIVE[:5], lambda source: [(0, 3, "pii")])
    assert table["pii"]["precision"] == 0.0


@pytest.mark.parametrize("case", POSITIVE, ids=lambda c: c.id)
def test_sanitize_leaves_nothing_and_parses(case: object) -> None:
    source = case.source  # type: ignore[attr-defined]
    findings = scan_text(source)
    clean = sanitize(source, findings)
    assert scan_text(clean) == []
    ast.parse(clean)
    removed = {(f.start, f.end) for f in findings}
    for start, end, _ in case.expected:  # type: ignore[attr-defined]
        if (start, end) in removed:
            assert source[start:end] not in clean


def test_scan_many_equals_scanning_each_text() -> None:
    from stato.core.privacy import scan_many

    texts = {case.id: case.source for case in CASES}
    # texts whose ends would join into a finding if nothing separated them
    texts |= {
        "tail-1": "x = 1\npassword=",
        "head-1": "Tr0ub4dor&3x\n",
        "tail-2": "-----BEGIN PRIVATE KEY-----\n",
        "head-2": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAo\n-----END PRIVATE KEY-----",
        "tail-3": "ssh version",
        "head-3": "10.20.4.17 is the node",
        "tail-4": "mail maria.",
        "head-4": "gonzalez@charite.de",
    }
    expected = [f for path, text in texts.items() for f in scan_text(text, path)]
    assert scan_many(texts) == expected
    assert [f.path for f in scan_many(texts) if f.path.startswith(("tail", "head"))] == [
        "head-3",
        "head-4",
    ]
