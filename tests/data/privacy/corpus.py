"""Load the labelled privacy corpus as whole modules with expected spans, and score a scanner."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
CATEGORIES = ("secret", "pii", "network", "path")
_MARK = re.compile(r"«(\w+)\|(.*?)»", re.S)
_HEAD = 'class CorpusSkill:\n    """Corpus case."""\n\n    name = "corpus"\n    version = "1.0.0"\n'


@dataclass(frozen=True)
class Case:
    id: str
    place: str
    source: str
    expected: frozenset[tuple[int, int, str]]  # (start, end, category)


def _module(place: str, snippet: str) -> str:
    field = {
        "prose": f'    lessons_learned = """\n{snippet}\n"""\n',
        "dict": "    default_params = {\n" + textwrap.indent(snippet, " " * 8) + "\n    }\n",
        "comment": textwrap.indent(snippet, " " * 4) + "\n",
        "multiline": f"    notes = r'''\n{snippet}\n'''\n",
        "code": "",
    }[place]
    body = textwrap.indent(snippet, " " * 8) + "\n" if place == "code" else ""
    run = f"\n    @staticmethod\n    def run(data_path, **kwargs):\n{body}        return kwargs\n"
    return f'"""Corpus case ({place})."""\n\n\n{_HEAD}{field}{run}'


def _unmark(marked: str) -> tuple[str, frozenset[tuple[int, int, str]]]:
    out: list[str] = []
    spans = set()
    cursor = length = 0
    for m in _MARK.finditer(marked):
        out.append(marked[cursor : m.start()])
        length += m.start() - cursor
        spans.add((length, length + len(m.group(2)), m.group(1)))
        out.append(m.group(2))
        length += len(m.group(2))
        cursor = m.end()
    out.append(marked[cursor:])
    return "".join(out), frozenset(spans)


def load(name: str) -> list[Case]:
    """The cases of ``positives.txt`` or ``negatives.txt``, each as a whole module."""
    text = (HERE / name).read_text(encoding="utf-8")
    cases = []
    for n, block in enumerate(text.split("### ")[1:], 1):
        place, _, snippet = block.partition("\n")
        source, expected = _unmark(_module(place.strip(), snippet.rstrip("\n")))
        cases.append(
            Case(f"{name.split('.')[0]}-{n}-{place.strip()}", place.strip(), source, expected)
        )
    return cases


Scan = Callable[[str], Iterable[tuple[int, int, str]]]


def score(cases: Iterable[Case], scan: Scan) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Precision and recall per category (and ``all``), exact spans; plus the misses, described."""
    tp = {c: 0 for c in (*CATEGORIES, "all")}
    fp = dict(tp)
    fn = dict(tp)
    misses: list[str] = []
    for case in cases:
        found = set(scan(case.source))
        for start, end, cat in found - case.expected:
            fp[cat] += 1
            fp["all"] += 1
            misses.append(f"FP {case.id} {cat} {case.source[start:end]!r}")
        for start, end, cat in case.expected - found:
            fn[cat] += 1
            fn["all"] += 1
            misses.append(f"FN {case.id} {cat} {case.source[start:end]!r}")
        for _, _, cat in case.expected & found:
            tp[cat] += 1
            tp["all"] += 1
    table = {
        c: {
            "precision": tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 1.0,
            "recall": tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else 1.0,
            "tp": tp[c],
            "fp": fp[c],
            "fn": fn[c],
        }
        for c in tp
    }
    return table, misses
