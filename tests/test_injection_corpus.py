"""The injection scanner measured on labelled texts: recall of `high` findings on malicious
items, and the share of clean files with a `high` finding (ours, and real instruction files read
in place from ../shared/corpora/instructions/, never copied into the project)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from stato.core.privacy import has_high, scan_injection
from tests.shared_dir import shared_dir

DATA = Path(__file__).resolve().parent / "data" / "injection"
MALICIOUS = (
    "malicious.txt",
    "holdout-malicious.txt",
    "probe-malicious.txt",
    "probe3-malicious.txt",
    "probe4-malicious.txt",
    "probe5-malicious.txt",
)
CLEAN = ("clean.txt", "holdout-clean.txt", "probe3-clean.txt")


def _corpus():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("injection_corpus", DATA / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["injection_corpus"] = module
    spec.loader.exec_module(module)
    return module


corpus = _corpus()


def real_world() -> list[Path]:
    """The shared real-world instruction files, found from the repository root's parent."""
    root = shared_dir("corpora", "instructions")
    if root is None:
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.name not in ("README.md", "SOURCES.tsv")
    )


def _flagged(item) -> bool:  # type: ignore[no-untyped-def]
    path, text = item.rendered()
    return has_high(scan_injection(text, path))


def test_corpus_size_and_spread() -> None:
    items = [i for name in MALICIOUS for i in corpus.load(name)]
    assert len(items) >= 300 and all(i.malicious for i in items)
    assert {i.place for i in items} == set(corpus.PLACES)
    techniques = {i.technique for i in items}
    assert {"hidden", "override", "conceal", "role", "exec", "exfil", "escalate", "encoded"} <= (
        techniques
    )
    assert {f"i18n-{lang}" for lang in ("es", "de", "fr", "zh", "ja")} <= techniques
    assert all(not i.malicious for name in CLEAN for i in corpus.load(name))


@pytest.mark.parametrize("name", MALICIOUS)
def test_recall_of_high_findings(name: str) -> None:
    items = corpus.load(name)
    missed = [(i.number, i.technique, i.place) for i in items if not _flagged(i)]
    assert 1 - len(missed) / len(items) >= 0.95, missed


def test_clean_files_rarely_have_a_high_finding() -> None:
    ours = [i for name in CLEAN for i in corpus.load(name)]
    flagged = [(i.file, i.number) for i in ours if _flagged(i)]
    real = real_world()
    for path in real:
        text = path.read_text(encoding="utf-8", errors="replace")
        if has_high(scan_injection(text, path.name)):
            flagged.append((path.parent.name, path.name))
    assert len(flagged) <= 0.01 * (len(ours) + len(real)), flagged


def test_real_world_files_read_in_place() -> None:
    files = real_world()
    if not files:
        pytest.skip("../shared/corpora/instructions/ is not here")
    assert len(files) >= 80
    flagged = [
        p.name
        for p in files
        if has_high(scan_injection(p.read_text(encoding="utf-8", errors="replace"), p.name))
    ]
    assert len(flagged) <= 2, flagged  # one known: an unlisted vendor's installer piped to bash


def test_findings_inside_module_literals_point_at_the_literal() -> None:
    (item,) = [i for i in corpus.load("malicious.txt") if "{TAG:x}" in i.payload]
    path, text = item.rendered()
    assert "\\U000e0078" in text  # py_literal escaped the tag character, as a writer would
    (f,) = [f for f in scan_injection(text, path) if f.pattern == "unicode-tag"]
    assert text[f.start] == '"' and text[f.end - 1] == '"' and f.preview == "<U+E0078>"
