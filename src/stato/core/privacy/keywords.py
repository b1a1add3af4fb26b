"""Where each rule keyword occurs in many small texts, found in one pass over all of them.

Scanning a thousand small modules one by one costs a search per keyword per text (about 600
keywords for the injection table), most of which find nothing. Here the lowercased texts are
joined, a keyword no word of any text can hold is dropped after one look at the texts' distinct
words, and each remaining keyword is searched once in the joined text; its positions are mapped
back to their text. The scanner then runs, on each text, only the rules a keyword of which
occurs there (and the rules without keywords), from these positions: the findings are the ones
a scan of each text alone gives (a property test holds them equal).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from stato.core.privacy.rule import Rule

Hits = dict[str, list[int]]  # keyword -> its positions in one text (absent: it does not occur)

# Between two joined texts: a keyword holds neither NUL nor two line breaks around them
_SEPARATOR = "\n" + "\0" * 16 + "\n"
_LETTERS = re.compile(r"[a-z]+")


def keyword_hits(
    lowered: Sequence[str], keywords: Iterable[str], every: Collection[str]
) -> list[Hits]:
    """For each (lowercased) text, where each keyword occurs in it.

    A keyword in ``every`` gets all its positions (overlapping ones too, as ``str.find`` from
    each next character gives them); any other keyword only its first, enough to tell it is
    there. A keyword no text holds is left out of every text's hits.
    """
    joined = _SEPARATOR.join(lowered)
    bases: list[int] = []
    cursor = 0
    for text in lowered:
        bases.append(cursor)
        cursor += len(text) + len(_SEPARATOR)
    # the letters a keyword starts with lie inside one run of letters of a text, so a keyword
    # whose first letters are in no distinct run is in no text (a cheap search of few words)
    words = "\n".join(set(_LETTERS.findall(joined)))
    out: list[Hits] = [{} for _ in lowered]
    for keyword in keywords:
        lead = _LETTERS.match(keyword)
        if lead is not None and lead.group() not in words:
            continue
        all_of_them = keyword in every
        at = joined.find(keyword)
        while at >= 0:
            index = bisect_right(bases, at) - 1
            base = bases[index]
            end = base + len(lowered[index])
            if at + len(keyword) > end:  # runs into the separator: no later start fits either
                at = joined.find(keyword, end + 1)
                continue
            if all_of_them:
                out[index].setdefault(keyword, []).append(at - base)
                at = joined.find(keyword, at + 1)
            else:
                out[index][keyword] = [at - base]
                at = joined.find(keyword, end + 1)
    return out


@dataclass(frozen=True)
class Plan:
    """A rule table indexed by keyword: which rules can match in a text, given its hits."""

    rules: tuple[Rule, ...]
    always: frozenset[int]  # rules tried on every text (no keyword gates them)
    by_keyword: dict[str, tuple[int, ...]]
    every: frozenset[str]  # keywords whose every position a rule starts from

    def select(self, hits: Hits) -> list[int]:
        """The positions in the table of the rules to try on a text with these hits."""
        chosen = set(self.always)
        for keyword in hits:
            chosen.update(self.by_keyword.get(keyword, ()))
        return sorted(chosen)


def plan(rules: tuple[Rule, ...]) -> Plan:
    """Index a rule table. A rule with keywords and no ``anchor`` regex finds nothing in a text
    holding none of them: the scanner skips it (``_candidates``), or tries it only where one
    starts (``_anchored``)."""
    always: set[int] = set()
    by_keyword: dict[str, list[int]] = {}
    every: set[str] = set()
    for order, rule in enumerate(rules):
        if rule.anchor is not None or not rule.keywords:
            always.add(order)
            continue
        for keyword in rule.keywords:
            by_keyword.setdefault(keyword, []).append(order)
        if rule.anchored:
            every.update(rule.keywords)
    keyed = {k: tuple(v) for k, v in by_keyword.items()}
    return Plan(rules, frozenset(always), keyed, frozenset(every))
