"""Run the rule table over text: exact, non-overlapping findings; sanitize replaces their spans."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType
from typing import Any

from stato.core.privacy.hidden import escape
from stato.core.privacy.rule import CATEGORIES, INJECTION, Lazy, Rule

# The rule tables are the callers': the outbound one (secrets, personal data, places) is
# imported where a text leaves (core/privacy/outbound.py), never by the injection scan
_RANK = {category: rank for rank, category in enumerate((*CATEGORIES, INJECTION))}


@dataclass(frozen=True)
class Finding:
    """One sensitive span. ``text`` is the exact secret: never print it, use ``preview``.

    Lines are 1-based; columns are 0-based character offsets in their line; ``start``/``end``
    are character offsets into the scanned text.
    """

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    category: str
    pattern: str
    label: str
    preview: str
    start: int
    end: int
    text: str = field(repr=False)
    severity: str = "high"

    def to_dict(self) -> dict[str, Any]:
        """The public JSON shape (without the secret)."""
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "category": self.category,
            "pattern": self.pattern,
            "preview": self.preview,
            "severity": self.severity,
        }


def redact(secret: str) -> str:
    """A preview that shows at most a short head of the span and never the whole of it."""
    flat = secret.replace("\n", " ").replace("\r", " ")
    keep = min(4, len(flat) // 4)
    return flat[:keep] + "*" * max(3, min(8, len(flat) - keep))


def is_ignored(span: str, context: str, ignore: Sequence[str], *around: str) -> bool:
    """Whether a glob covers the span, its match, or the text around it (``around``)."""
    texts = (span, context, *around)
    return any(_checks().glob_match(p, t) for p in ignore for t in texts if t)


@cache
def _checks() -> ModuleType:
    """core/privacy/checks.py, imported when an outbound rule or an ignore glob first needs
    it: the injection scan (the withheld check) uses neither, and its regexes cost ~9 M
    instructions to compile."""
    from stato.core.privacy import checks

    return checks


def _refused(rule: Rule, span: str) -> bool:
    """A placeholder: for a vendor token (its prefix matched) only a filler such as all-X or
    ``<token>``; a sequential body (``ghp_1234567890abcdef...``) is the fake that tests and
    tutorials write in a real format, and is reported."""
    checks = _checks()
    return bool(checks.is_filler(span) if rule.vendor else checks.is_placeholder(span))


_TOKEN_END = frozenset(" \t\r\n\"'`()<>[]{},;|")
_TOKEN_START = frozenset(":=@")


def _around(text: str, start: int, end: int) -> tuple[str, str]:
    """The word holding a span (up to quotes, spaces, brackets), and its part after the last
    ``:``, ``=`` or ``@`` before the span: ``/home/svc/runs/x.csv`` in ``ssh:/home/svc/...``,
    so a glob written for a path (``/home/svc/*``) covers what lies inside it."""
    lo, hi = start, end
    while lo > max(0, start - 300) and text[lo - 1] not in _TOKEN_END:
        lo -= 1
    while hi < min(len(text), end + 300) and text[hi] not in _TOKEN_END:
        hi += 1
    word = text[lo:hi]
    cut = max((word.rfind(c, 0, start - lo) for c in _TOKEN_START), default=-1)
    return word, word[cut + 1 :] if cut >= 0 else ""


@cache
def _run_table(chars: str) -> bytes:
    """A bytes.translate table: each byte of ``chars`` to ``x``, every other byte to a space."""
    return bytes(ord("x") if chr(b) in chars else ord(" ") for b in range(256))


def has_run(text: str, run: tuple[str, int]) -> bool:
    """Whether ``text`` holds ``run[1]`` of the ASCII characters ``run[0]`` in a row (a rule's
    ``run``), in two passes in C (a UTF-8 byte of any other character is none of them)."""
    chars, n = run
    return b"x" * n in text.encode("utf-8", "surrogatepass").translate(_run_table(chars))


_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _lower(text: str) -> str:
    """Lowercase without moving offsets (a few Unicode letters lowercase to two characters)."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def _positions(lowered: str, keyword: str) -> list[int]:
    out = []
    at = lowered.find(keyword)
    while at >= 0:
        out.append(at)
        at = lowered.find(keyword, at + 1)
    return out


# Below this size one search per keyword is cheaper than listing the words of the text
_INDEX_FROM = 100_000
_ASCII_WORD = re.compile(r"[a-z]+")


class _WordStarts:
    """The distinct ASCII words of a long text, sorted: whether a keyword can begin a word is one
    bisection, so a keyword that begins none costs no pass over the text."""

    def __init__(self, lowered: str) -> None:
        self.words = sorted(set(_ASCII_WORD.findall(lowered)))

    def may_start(self, keyword: str) -> bool:
        lead = _ASCII_WORD.match(keyword)
        if lead is None or lead.start():
            return True  # begins with no letter: only a search can tell
        prefix = lead.group()
        at = bisect_left(self.words, prefix)
        return at < len(self.words) and self.words[at].startswith(prefix)


def _anchored(
    rule: Rule,
    text: str,
    lowered: str,
    seen: dict[str, list[int]] | None = None,
    words: _WordStarts | None = None,
    present: Sequence[str] | None = None,
) -> list[re.Match[str]]:
    """Matches of a rule that starts at a keyword, tried only where a keyword occurs.

    ``seen`` keeps each keyword's positions for the other rules that look for it; ``present``,
    when known, are the rule's keywords the text holds (all of them in ``seen``); ``words``
    skips, for a rule that only matches at a word start, keywords that begin no word."""
    starts: set[int] = set()
    if rule.anchor is not None:
        starts.update(m.start() for m in rule.anchor.finditer(text))
    keywords = rule.keywords if present is None else present
    for keyword in () if rule.anchor is not None else keywords:
        if words is not None and rule.word_start and not words.may_start(keyword):
            continue
        if seen is None:
            starts.update(_positions(lowered, keyword))
            continue
        if keyword not in seen:
            seen[keyword] = _positions(lowered, keyword)
        starts.update(seen[keyword])
    if rule.after_letter_fails:  # ``turn`` in ``return``
        starts = {at for at in starts if not (at and "a" <= lowered[at - 1] <= "z")}
    if not starts:
        return []  # and a ``Lazy`` pattern stays uncompiled
    out: list[re.Match[str]] = []
    reach = previous = 0
    # tried at each start: the compiled pattern's own method, not a call through ``Lazy``
    match = rule.regex.compiled().match if isinstance(rule.regex, Lazy) else rule.regex.match
    for at in sorted(starts):
        if rule.back:
            # never back past the previous keyword: what lies before it was tried from there,
            # and windows that never overlap keep the walk linear
            floor, keyword_at, previous = max(reach, at - 64, previous), at, at + 1
            while at > floor and text[at - 1] in rule.back:
                at -= 1
            while at < keyword_at and not text[at].isalnum():
                at += 1  # a match starts at a letter or digit, not at a quote or a dot
        if at < reach:
            continue
        m = match(text, at)
        if m:
            out.append(m)
            reach = m.end()
    return out


def _candidates(
    text: str,
    ignore: Sequence[str],
    rules: Sequence[Rule],
    hits: dict[str, list[int]] | None = None,
    only: Mapping[int, Sequence[str]] | None = None,
) -> list[tuple[int, int, int, Rule]]:
    """Every rule's matches in ``text``, before overlaps are settled.

    ``hits`` (core/privacy/keywords.py), when given, holds every keyword of the table that
    occurs in the text with its positions, and ``only`` the rules worth trying (by their place
    in the table, in order) with their keywords among them: found for many texts at once, so no
    keyword is searched here.
    """
    lowered = _lower(text)
    found: list[tuple[int, int, int, Rule]] = []
    matches: dict[int, list[re.Match[str]]] = {}  # rules sharing one regex run it once
    present: dict[str, bool] = {}  # each keyword is looked for once per text
    seen: dict[str, list[int]] = {} if hits is None else hits  # and its positions found once
    words: _WordStarts | None = None

    def has(keyword: str) -> bool:
        if hits is not None:
            return keyword in hits
        if keyword not in present:
            present[keyword] = keyword in lowered
        return present[keyword]

    shaped = ""
    runs: dict[tuple[str, int], bool] = {}
    for order in range(len(rules)) if only is None else only:
        rule = rules[order]
        known = None if only is None else only[order]  # its keywords the text holds
        if rule.run:
            if rule.run not in runs:
                runs[rule.run] = has_run(text, rule.run)
            if not runs[rule.run]:
                continue
        # an anchored rule looks for its keywords anyway: a separate presence test is wasted work
        if rule.keywords and not rule.anchored and not (known or any(map(has, rule.keywords))):
            continue
        if rule.needs is not None and not rule.needs.search(text):
            continue
        if rule.shapes:
            shaped = shaped or lowered.translate(_DIGITS_AS_ZERO)
            if not any(shape in shaped for shape in rule.shapes):
                continue
        key = id(rule.regex)
        if rule.anchored:
            if rule.word_start and words is None and hits is None and len(text) >= _INDEX_FROM:
                words = _WordStarts(lowered)
            matches[key] = _anchored(rule, text, lowered, seen, words, known)
        elif key not in matches:
            matches[key] = list(rule.regex.finditer(text))
        for m in matches[key]:
            if rule.left is not None and m.start() and rule.left.match(text, m.start() - 1):
                continue
            start, end = rule.span(m)
            span = text[start:end]
            if end <= start or (rule.reject_placeholders and _refused(rule, span)):
                continue
            if rule.entropy and _checks().entropy(span) < rule.entropy:
                continue
            if any(a.search(span) for a in rule.allowlist):
                continue
            if rule.validator is not None and not rule.validator(span, m, text):
                continue
            if ignore and is_ignored(span, m.group(0), ignore, *_around(text, start, end)):
                continue
            found.append((start, end, order, rule))
    return found


def _pick(cluster: list[tuple[int, int, int, Rule]]) -> list[tuple[int, int, int, Rule]]:
    """Keep secrets first (in table order: vendor formats before context rules), then longer
    spans; drop what overlaps a kept one."""
    if len(cluster) == 1:
        return cluster
    kept: list[tuple[int, int, int, Rule]] = []

    def key(c: tuple[int, int, int, Rule]) -> tuple[int, int, int, int]:
        rank = _RANK[c[3].category]
        return (rank, c[2] if rank == 0 else 0, c[0] - c[1], c[2])

    base = min(c[0] for c in cluster)
    taken = bytearray(max(c[1] for c in cluster) - base)  # linear even for long chains
    for cand in sorted(cluster, key=key):
        start, end = cand[0] - base, cand[1] - base
        if taken.find(1, start, end) == -1:
            kept.append(cand)
            taken[start:end] = b"\x01" * (end - start)
    return kept


def _resolve(found: list[tuple[int, int, int, Rule]]) -> list[tuple[int, int, int, Rule]]:
    found.sort(key=lambda c: (c[0], -c[1]))
    out: list[tuple[int, int, int, Rule]] = []
    cluster: list[tuple[int, int, int, Rule]] = []
    reach = -1
    for cand in found:
        if cluster and cand[0] >= reach:
            out.extend(_pick(cluster))
            cluster = []
        cluster.append(cand)
        reach = max(reach, cand[1]) if len(cluster) > 1 else cand[1]
    if cluster:
        out.extend(_pick(cluster))
    return sorted(out, key=lambda c: (c[0], c[1]))


def _findings(
    text: str, path: str, found: list[tuple[int, int, int, Rule]], shift: int = 0
) -> list[Finding]:
    """Findings with positions in ``text``; ``found`` offsets are ``shift`` past its start."""
    if not found:
        return []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        index = bisect_right(line_starts, offset) - 1
        return index + 1, offset - line_starts[index]

    out = []
    for start, end, _, rule in found:
        start, end = start - shift, end - shift
        line, column = position(start)
        end_line, end_column = position(end)
        secret = text[start:end]
        preview = escape(secret) if rule.category == INJECTION else redact(secret)
        out.append(
            Finding(path, line, column, end_line, end_column, rule.category, rule.id, rule.label,
                    preview, start, end, secret, rule.severity)
        )  # fmt: skip
    return out


def findings_at(text: str, path: str, spans: Iterable[tuple[int, int, str]]) -> list[Finding]:
    """Findings rebuilt from (start, end, rule id) spans of ``text``, as a scan had made them.

    For a cache that keeps only where the findings were (never the secrets); KeyError for a
    rule id this version does not have.
    """
    from stato.core.privacy.outbound import RULES_BY_ID

    return _findings(text, path, [(start, end, 0, RULES_BY_ID[rule]) for start, end, rule in spans])


def scan_text(text: str, path: str = "", ignore: Sequence[str] = ()) -> list[Finding]:
    """Every sensitive span in ``text``, in order; ``ignore`` holds ``.statoignore`` globs."""
    from stato.core.privacy.outbound import RULES

    return _findings(text, path, _resolve(_candidates(text, ignore, RULES)))


# Between texts scanned together: no rule's character class crosses a NUL, and 16 of them keep
# the validators' look-backs (12 characters for "version", a line for URLs) inside one text.
_SEPARATOR = "\n" + "\0" * 16 + "\n"


def scan_many(texts: Mapping[str, str], ignore: Sequence[str] = ()) -> list[Finding]:
    """``scan_text`` over many texts (path -> text) in one pass of each rule.

    Same findings as scanning each text alone, without the per-call cost of 60-odd regexes on
    every small module.
    """
    from stato.core.privacy.outbound import RULES

    items = list(texts.items())
    bases, cursor = [], 0
    for _, text in items:
        bases.append(cursor)
        cursor += len(text) + len(_SEPARATOR)
    found = _resolve(_candidates(_SEPARATOR.join(text for _, text in items), ignore, RULES))
    per_text: list[list[tuple[int, int, int, Rule]]] = [[] for _ in items]
    for cand in found:
        index = bisect_right(bases, cand[0]) - 1
        if cand[1] <= bases[index] + len(items[index][1]):  # never across a separator
            per_text[index].append(cand)
    out: list[Finding] = []
    for (path, text), base, cands in zip(items, bases, per_text, strict=True):
        out.extend(_findings(text, path, cands, base))
    return out


def placeholder_for(finding: Finding) -> str:
    from stato.core.privacy.outbound import RULES_BY_ID

    rule = RULES_BY_ID.get(finding.pattern)
    return rule.placeholder if rule else "{REDACTED}"


def sanitize(text: str, findings: Iterable[Finding]) -> str:
    """Replace exactly each finding's span by its placeholder; refuse findings of another text."""
    pieces: list[str] = []
    cursor = 0
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if text[f.start : f.end] != f.text:
            raise ValueError(f"finding {f.pattern} at line {f.line} does not belong to this text")
        if f.start < cursor:
            continue  # inside a span already replaced
        pieces.append(text[cursor : f.start])
        pieces.append(placeholder_for(f))
        cursor = f.end
    pieces.append(text[cursor:])
    return "".join(pieces)
