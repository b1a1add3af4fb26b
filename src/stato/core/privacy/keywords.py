"""Where each rule keyword occurs in many small texts, found in one pass over all of them.

Scanning a thousand small modules one by one costs a search per keyword per text (about 600
keywords for the injection table), most of which find nothing. Here the lowercased texts are
joined, a keyword no text can hold is dropped after one look at the texts' distinct words and
characters, and each remaining keyword is searched once in the joined text; its positions are
mapped back to their text. The scanner then runs, on each text, only the rules a keyword of
which occurs there (and the rules without keywords), from these positions: the findings are the
ones a scan of each text alone gives (a property test holds them equal).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from stato.core.privacy.rule import Lazy, Rule

Hits = dict[str, list[int]]  # keyword -> its positions in one text (absent: it does not occur)

# Between two joined texts: a keyword holds neither NUL nor two line breaks around them
_SEPARATOR = "\n" + "\0" * 16 + "\n"
_LETTERS = re.compile(r"[a-z]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Cut a text into words at every ASCII character but a-z (faster than a regex of the runs; a
# word may keep other letters, so each run of a-z still lies inside one)
_SPACE_FOR_NON_LETTERS = {c: " " for c in range(128) if not "a" <= chr(c) <= "z"}


def keyword_hits(
    lowered: Sequence[str],
    keywords: Iterable[str],
    every: Collection[str],
    word_start: Collection[str] = (),
    wakes: Mapping[str, tuple[str, Lazy]] = {},
) -> list[Hits]:
    """For each (lowercased) text, where each keyword occurs in it.

    A keyword in ``every`` gets all its positions (overlapping ones too, as ``str.find`` from
    each next character gives them); any other keyword only its first, enough to tell it is
    there. A keyword in ``word_start`` (all of them in ``every``) gets only the positions no
    ASCII letter precedes: ``turn`` in ``return`` wakes no rule. A keyword no text holds is
    left out of every text's hits. ``wakes`` (``Plan.wakes``: keys standing for a keyword
    followed by a rule's next words, for ASCII texts only) get every position their regex
    matches at.
    """
    joined = _SEPARATOR.join(lowered)
    bases: list[int] = []
    cursor = 0
    for text in lowered:
        bases.append(cursor)
        cursor += len(text) + len(_SEPARATOR)
    # each run of letters of a keyword found in a text lies inside a run of letters of that
    # text, and each other character of it is in the text: a keyword failing either test is in
    # no text, told by a search of the few distinct words instead of the whole of them
    words = "\n" + "\n".join(set(joined.translate(_SPACE_FOR_NON_LETTERS).split()))
    ascii_only = joined.isascii()
    others = frozenset() if ascii_only else frozenset(_NON_ASCII.findall(joined))
    out: list[Hits] = [{} for _ in lowered]
    for keyword in keywords:
        runs = _LETTERS.findall(keyword)
        if any(run not in words for run in runs):
            continue
        # in ASCII text a word-start keyword no letter precedes begins one of the words
        starts = ascii_only and keyword in word_start and "a" <= keyword[0] <= "z"
        if starts and "\n" + runs[0] not in words:
            continue
        if not keyword.isascii() and not others.issuperset(_NON_ASCII.findall(keyword)):
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
            if at > base and keyword in word_start and "a" <= joined[at - 1] <= "z":
                at = joined.find(keyword, at + 1)
                continue
            if all_of_them:
                out[index].setdefault(keyword, []).append(at - base)
                at = joined.find(keyword, at + 1)
            else:
                out[index][keyword] = [at - base]
                at = joined.find(keyword, end + 1)
    for key, (keyword, wake) in wakes.items():
        if "\n" + keyword not in words:  # its keyword begins no word (ASCII texts: plan())
            continue
        search = wake.compiled().search
        found = search(joined)
        while found is not None:  # each start once, overlapping ones too
            at = found.start()
            index = bisect_right(bases, at) - 1
            out[index].setdefault(key, []).append(at - bases[index])
            found = search(joined, at + 1)
    return out


@dataclass(frozen=True)
class Plan:
    """A rule table indexed by keyword: which rules can match in a text, given its hits."""

    rules: tuple[Rule, ...]
    always: frozenset[int]  # rules tried on every text (no keyword gates them)
    by_keyword: dict[str, tuple[int, ...]]
    every: frozenset[str]  # keywords whose every position a rule starts from
    word_start: frozenset[str]  # of these, those no rule can match from after a letter
    # keys standing for a keyword and a rule's words after it (Rule.wake): the keyword, the regex
    wakes: dict[str, tuple[str, Lazy]]

    def select(self, hits: Hits) -> dict[int, list[str]]:
        """The rules to try on a text with these hits (by their place in the table, in order),
        each with its keywords among the hits."""
        chosen: dict[int, list[str]] = {order: [] for order in self.always}
        for keyword in hits:
            for order in self.by_keyword.get(keyword, ()):
                chosen.setdefault(order, []).append(keyword)
        return {order: chosen[order] for order in sorted(chosen)}


def wake_key(keyword: str, rest: str) -> str:
    """The regex, over lowercased text, of a keyword that starts a word followed by ``rest``
    (ignoring case): the keyword's letters come first, so the engine skips to them in C."""
    escaped = re.escape(keyword)
    return f"{escaped}(?<![a-z]{escaped})(?i:{rest})"


def plan(rules: tuple[Rule, ...], wake: bool = False) -> Plan:
    """Index a rule table. A rule with keywords and no ``anchor`` regex finds nothing in a text
    holding none of them: the scanner skips it (``_candidates``), or tries it only where one
    starts (``_anchored``). With ``wake`` (a table for ASCII texts only: in them, ignoring case
    is the same as reading the lowercased text) a keyword in a rule's ``wake`` is indexed as
    its ``wake_key``, which ``keyword_hits`` finds where that regex matches."""
    always: set[int] = set()
    by_keyword: dict[str, list[int]] = {}
    every: set[str] = set()
    inside_words: set[str] = set()  # keywords some rule may match from inside a word
    wakes: dict[str, tuple[str, Lazy]] = {}
    for order, rule in enumerate(rules):
        if rule.anchor is not None or not rule.keywords:
            always.add(order)
            continue
        rest = dict(rule.wake) if wake else {}
        if rest and not (rule.after_letter_fails and all(k.isalpha() for k in rest)):
            raise ValueError(f"{rule.id}: a wake needs a word-start rule and one-word keywords")
        plain = [k for k in rule.keywords if k not in rest]
        for keyword in rule.keywords:
            key = wake_key(keyword, rest[keyword]) if keyword in rest else keyword
            if keyword in rest:
                wakes.setdefault(key, (keyword, Lazy(key)))
            by_keyword.setdefault(key, []).append(order)
        if rule.anchored:
            every.update(plain)
        if not rule.after_letter_fails:
            inside_words.update(plain)
    keyed = {k: tuple(v) for k, v in by_keyword.items()}
    word_start = frozenset(every - inside_words)
    return Plan(rules, frozenset(always), keyed, frozenset(every), word_start, wakes)
