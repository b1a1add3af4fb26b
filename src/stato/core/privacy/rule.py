"""The rule record and the builders every row of the privacy table goes through."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Protocol

CATEGORIES: tuple[str, ...] = ("secret", "pii", "network", "path")
# The inbound direction: text that tries to steer an agent (never sanitized, only reported)
INJECTION = "injection"
SEVERITIES: tuple[str, ...] = ("high", "warn")

TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

# (span, match, whole text) -> keep the finding?
Validator = Callable[[str, "re.Match[str]", str], bool]


class Regex(Protocol):
    """What the scanner asks of a rule's regex: a compiled ``re.Pattern`` or a ``Lazy`` one."""

    @property
    def pattern(self) -> str: ...
    @property
    def groupindex(self) -> Mapping[str, int]: ...
    def match(self, string: str, pos: int = 0) -> re.Match[str] | None: ...
    def finditer(self, string: str) -> Iterator[re.Match[str]]: ...


class Lazy:
    """A regex compiled when a text first needs it. A text runs only the rules whose keywords
    it holds, so a scan of a few texts compiles a few of the injection table's patterns; the
    agents' session-start hook scans a changed module with the whole table imported, where
    compiling every pattern at import cost more than the scan (about 50 ms of the table's 90)."""

    __slots__ = ("_compiled", "flags", "pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    @property
    def groupindex(self) -> Mapping[str, int]:
        return self.compiled().groupindex

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        return self.compiled().match(string, pos, endpos)

    def finditer(self, string: str) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string)

    def search(self, string: str) -> re.Match[str] | None:
        return self.compiled().search(string)

    def findall(self, string: str) -> list[str]:
        return self.compiled().findall(string)


@dataclass(frozen=True)
class Rule:
    """One detector: a bounded regex whose group ``s`` (or whole match) is the sensitive span.

    A second alternative of the regex may carry its span in group ``s2``; a group ``lead1``,
    ``lead2`` or ``lead3`` captured in a lookbehind moves the span's start before the match.
    ``keywords`` are lowercase substrings; when given, the rule runs only on text holding one.
    ``anchored`` rules are tried only where a keyword occurs (their match starts there), so a
    case-insensitive key never makes the engine try every position of a long text; ``back`` lets
    an anchored match start up to 64 of these characters before its keyword (an e-mail's local
    part before ``@``). ``left`` is a one-character regex that must not precede the match: checked
    after matching so the regex keeps a literal or character-set prefix the engine can skip to.
    ``shapes`` are substrings of the text with every digit written as ``0`` (``000-00-0000``);
    when given, the rule runs only on text holding one, so number rules skip prose cheaply.
    ``run`` = (characters, n) says every match holds n of these ASCII characters in a row (a
    token's 16 of ``[A-Za-z0-9_-]``): a text with no such run (most prose and code) skips the
    rule after one pass in C.
    ``anchor``, for an anchored rule, finds the keyword occurrences worth trying (in C) instead
    of a plain search for the keywords.
    ``entropy`` is a floor in bits per character of the span; ``allowlist`` regexes, searched in
    the span, drop a match; ``placeholder`` replaces the span when sanitizing.
    ``needs`` is a regex a part of every match matches (a sub-pattern of the rule's own, under
    its flags): a text it finds nothing in skips the rule after one search in C, where the
    rule's keyword is common (the ``]:`` of a return annotation) but its match rare.
    ``word_start`` says the regex never matches right after an ASCII letter, so on a long text a
    keyword that begins no word is skipped without a search.
    ``wake`` pairs some keywords of a word-start anchored rule with the rest of the rule's own
    pattern that follows that keyword (``the``, then a space and ``real`` or ``new``): every
    match that starts where the keyword occurs matches it there, ignoring case. In a batch of
    ASCII texts (core/privacy/keywords.py) such a keyword wakes the rule only where its wake
    matches, found by one search in C over all of them: ``the``, ``drop`` or ``pip`` are in
    most modules, the phrases these rules need are not.
    ``vendor`` marks a ``token()`` row: its literal prefix says what the span is, so only a
    filler (``checks.is_filler``: all-X, ``...``, ``<token>``, your/example/redacted) refuses it,
    not the broader placeholder check that context rules need (``password = "123456"``).
    ``severity`` is ``high`` (stop: a secret leaving, an instruction hijacking an agent) or
    ``warn`` (show it, let it pass: a well-known installer piped to a shell).
    """

    id: str
    category: str
    label: str
    regex: Regex
    placeholder: str = "{REDACTED}"
    keywords: tuple[str, ...] = ()
    entropy: float = 0.0
    validator: Validator | None = None
    allowlist: tuple[re.Pattern[str], ...] = ()
    reject_placeholders: bool = True
    anchored: bool = False
    back: frozenset[str] = frozenset()
    left: re.Pattern[str] | None = None
    anchor: re.Pattern[str] | None = None
    shapes: tuple[str, ...] = ()
    run: tuple[str, int] | None = None
    needs: Lazy | re.Pattern[str] | None = None
    word_start: bool = False
    wake: tuple[tuple[str, str], ...] = ()
    severity: str = "high"
    vendor: bool = False

    @cached_property
    def _groups(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        names = self.regex.groupindex
        return (
            tuple(n for n in ("s", "s2") if n in names),
            tuple(n for n in ("lead1", "lead2", "lead3") if n in names),
        )

    @cached_property
    def after_letter_fails(self) -> bool:
        """Whether the rule, tried at a keyword after a letter, cannot match there: it starts
        at the keyword (no ``back``), behind a ``(?<![A-Za-z])`` that ignores case. Keyword
        positions are in the lowercased text, whose ``a``-``z`` are ASCII letters or the Kelvin
        sign, which that class matches when ignoring case."""
        flags = getattr(self.regex, "flags", 0)
        return (
            self.anchored
            and not self.back
            and bool(flags & re.IGNORECASE)
            and self.regex.pattern.startswith("(?<![A-Za-z])")
        )

    def span(self, match: re.Match[str]) -> tuple[int, int]:
        spans, leads = self._groups
        start, end = match.span()
        for name in spans:
            if match.start(name) >= 0:
                start, end = match.span(name)
                break
        for name in leads:  # captured inside a lookbehind, before the match
            if match.start(name) >= 0:
                return match.start(name), end
        return start, end


def token(
    rule_id: str,
    label: str,
    prefix: str,
    rest: str,
    placeholder: str = "{API_KEY}",
    *,
    left: str = r"[\w-]",
    right: str = r"[\w-]",
    entropy: float = 3.0,
    long_run: bool = True,
    **extra: object,
) -> Rule:
    """A vendor token that starts with a literal prefix.

    The left boundary is a lookbehind placed *after* the literal, so the regex engine can still
    jump between occurrences of the prefix and never rescans the inside of a long run.
    """
    lit = re.escape(prefix)
    # a letter before the token refuses it, except the n, r or t of an escape (a token that
    # starts a line of a string: "GH=1\\nghp_...")
    guard = f"(?:(?<!{left}{lit})|(?<=\\\\[nrt]{lit}))" if left else ""
    pattern = f"{lit}{guard}{rest}(?!{right})"
    return Rule(
        id=rule_id,
        category="secret",
        label=label,
        regex=Lazy(pattern),  # compiled when a text needs it
        placeholder=placeholder,
        entropy=entropy,
        run=(TOKEN_CHARS, 16) if long_run else None,
        vendor=True,
        **extra,  # type: ignore[arg-type]
    )


def any_of(alternatives: str) -> tuple[str, ...]:
    """``"a|b c|d"`` as ``("a", "b c", "d")``: a long list of keywords reads as one string."""
    return tuple(alternatives.split("|"))


def allow(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)
