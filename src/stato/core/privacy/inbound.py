"""Scan inbound text for injection: the privacy engine run over the injection table, plus the
string values of a Python module (where a writer's escapes hide invisible characters)."""

from __future__ import annotations

import ast
import operator
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from stato.core.privacy.hidden import escape
from stato.core.privacy.injection_rules import (
    ASCII_PLAIN_RULES,
    ASCII_RULES,
    INJECTION_RULES,
    PLAIN_RULES,
)
from stato.core.privacy.keywords import keyword_hits, plan
from stato.core.privacy.rule import Rule
from stato.core.privacy.scanner import (
    _INDEX_FROM,
    Finding,
    _candidates,
    _findings,
    _lower,
)

Candidate = tuple[int, int, int, Rule]
_BY_ID = {rule.id: rule for rule in INJECTION_RULES}


def _resolve(found: list[Candidate]) -> list[Candidate]:
    """Injection findings may overlap (a phrase inside a hidden comment: both are news); one
    span reported by two rules is reported once, by the more severe."""
    found.sort(key=lambda c: (c[0], -c[1], c[3].severity != "high", c[2]))
    out: list[Candidate] = []
    for cand in found:
        if out and (out[-1][0], out[-1][1]) == (cand[0], cand[1]):
            continue
        out.append(cand)
    return out


def _injection(text: str, ignore: Sequence[str]) -> list[Candidate]:
    rules = ASCII_RULES if text.isascii() else INJECTION_RULES
    return _resolve(_candidates(text, ignore, rules))


def decoded_high(text: str) -> bool:
    """Whether decoded text holds a ``high`` injection (decoders are not run again)."""
    rules = ASCII_PLAIN_RULES if text.isascii() else PLAIN_RULES
    return any(c[3].severity == "high" for c in _candidates(text, (), rules))


# Escapes and line continuations, and the line breaks other than "\n" (str.splitlines sees more
# of them than the parser): each looked for with ``in`` (a pass in C), not a character class
_RESPELLED = ("\\", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_RESPELLED_WIDE = ("\x85", "\u2028", "\u2029")
_LINE_END = re.compile(r"\r\n?|\n")
# A comment, or a literal without escapes; group 1 holds a literal's closing quote ("" for a
# comment), so a substitution by it (through a C callable, no template) collapses each literal
# to its quote and drops comments
_LEXEME = re.compile(
    r"(?:#[^\n]*"
    r'|"""[^"]*(?:"(?!"")[^"]*)*""'  # up to the first closing triple quote
    r"|'''[^']*(?:'(?!'')[^']*)*''"
    r'|"[^"\n]*'
    r"|'[^'\n]*"
    r")([\"']?)"
)
_CLOSING_QUOTE = operator.methodcaller("group", 1)
# In the collapsed text, where each quote is a literal: two literals with only spaces between
# them (the second one's prefix aside), or an f-string; one character class first, which the
# engine skips to in C (an alternation of two is tried at every position)
_RESPELLING = re.compile(
    r"[\"'fF](?:(?<=[\"'])[ \t\n]*[rRbBuUfF]{0,2}[\"']|(?<=[fF])[A-Za-z]?[\"'])"
)


def spelled_as_is(text: str) -> bool:
    """Whether every string value of ``text``, if it parses, is spelled as it is inside its own
    literal, so the literal pass below has nothing to add and needs no parse.

    True only without escapes, odd line breaks, f-strings and two literals with only spaces and
    comments between them (implicit concatenation). Without backslashes Python's literals and
    comments are regular: read from left to right, a quote or a ``#`` outside them starts one,
    as in the tokenizer (a quote that starts neither is not valid Python, which has no literal
    to scan). Comments are dropped and each literal becomes its closing quote, in C.
    """
    if any(c in text for c in _RESPELLED):
        return False
    if not text.isascii() and any(c in text for c in _RESPELLED_WIDE):
        return False
    return _RESPELLING.search(_LEXEME.sub(_CLOSING_QUOTE, text)) is None


def _literals(text: str, path: str, ignore: Sequence[str]) -> list[Finding]:
    """Findings inside string values whose source spells them differently (escapes such as
    ``\\U000e0041`` or ``\\u200b``, implicit concatenation): the span is the whole literal, the
    preview what was found in its value."""
    if "\\" not in text and not path.endswith(".py"):
        return []
    if spelled_as_is(text):
        return []
    return literal_findings(text, path, ignore)


def literal_findings(text: str, path: str, ignore: Sequence[str]) -> list[Finding]:
    """``_literals`` without its shortcut: parse, and scan each value its source respells."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    # the parser's lines: "\r" alone ends one too, a form feed or "\u2028" does not
    starts = [0] + [m.end() for m in _LINE_END.finditer(text)]

    def offset(line: int, col: int) -> int:  # ast columns count UTF-8 bytes
        begin = starts[line - 1]
        return begin + len(text[begin : begin + col].encode()[:col].decode(errors="ignore"))

    out: list[Finding] = []
    for node, value in _strings(tree):
        if node.end_lineno is None or node.end_col_offset is None:
            continue
        start = offset(node.lineno, node.col_offset)
        end = offset(node.end_lineno, node.end_col_offset)
        if value in text[start:end]:
            continue  # the raw scan saw this value as it is
        for f in _findings(value, path, _injection(value, ignore)):
            whole = _findings(text, path, [(start, end, 0, _BY_ID[f.pattern])])[0]
            out.append(replace(whole, preview=escape(f.text)))
    return out


def _strings(tree: ast.AST) -> list[tuple[ast.Constant, str]]:
    """The string constants of a tree and their values, in ``ast.walk``'s order (breadth first)
    at a third of its cost: a constant has no children to visit."""
    out: list[tuple[ast.Constant, str]] = []
    todo = deque([tree])
    while todo:
        node = todo.popleft()
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                out.append((node, node.value))
            continue
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                todo.append(value)
            elif isinstance(value, list):
                todo.extend(item for item in value if isinstance(item, ast.AST))
    return out


def scan_injection(
    text: str, path: str = "", ignore: Sequence[str] = (), python: bool | None = None
) -> list[Finding]:
    """Every span of ``text`` that tries to steer an agent (category ``injection``), in order.

    Works on any text: a module's source, a lesson, a SKILL.md or CLAUDE.md body. Each finding
    has ``severity`` ``high`` (refuse) or ``warn`` (show); its ``preview`` escapes invisible
    characters as ``<U+E0041>``. ``ignore`` holds ``.statoignore`` globs. A Python module
    (``python``, by default a ``path`` ending in ``.py``) has its string values scanned too.
    """
    return _with_literals(text, path, ignore, python, _injection(text, ignore))


# All-ASCII texts (most) are scanned with the rules that can match them, and a common keyword
# there wakes a rule only where the rule's next words follow it (``Rule.wake``)
_ASCII_PLAN = plan(ASCII_RULES, wake=True)
_PLAN = plan(INJECTION_RULES)


def scan_injection_many(
    texts: Mapping[str, str], ignore: Sequence[str] = (), python: bool | None = None
) -> dict[str, list[Finding]]:
    """``scan_injection`` of each text (path -> text), its findings by path, in one keyword
    search over all of them (core/privacy/keywords.py): the same findings, without some 600
    keyword searches per small text."""
    small = [(path, text) for path, text in texts.items() if len(text) < _INDEX_FROM]
    out: dict[str, list[Finding]] = {}
    for ascii_only in (True, False):
        table = _ASCII_PLAN if ascii_only else _PLAN
        some = [(path, text) for path, text in small if text.isascii() is ascii_only]
        for batch in _batches(some):
            lowered = [_lower(t) for _, t in batch]
            hits = keyword_hits(
                lowered, table.by_keyword, table.every, table.word_start, table.wakes
            )
            for (path, text), found in zip(batch, hits, strict=True):
                only = table.select(found)
                cands = _resolve(_candidates(text, ignore, table.rules, found, only))
                out[path] = _with_literals(text, path, ignore, python, cands)
    for path, text in texts.items():
        if path not in out:  # a long text indexes its own words (scanner._WordStarts)
            out[path] = scan_injection(text, path, ignore, python)
    return {path: out[path] for path in texts}


# One keyword search covers texts of at most this many characters: its hit lists take many
# times their size, and an archive's modules may unpack to hundreds of MB (a slow zip bomb).
_BATCH_CHARS = 2_000_000


def _batches(items: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    size = 0
    for item in items:
        if batch and size + len(item[1]) > _BATCH_CHARS:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += len(item[1])
    if batch:
        yield batch


def _with_literals(
    text: str, path: str, ignore: Sequence[str], python: bool | None, cands: list[Candidate]
) -> list[Finding]:
    found = _findings(text, path, cands)
    if python if python is not None else path.endswith(".py"):
        seen = {(f.start, f.end, f.pattern) for f in found}
        for f in _literals(text, path, ignore):  # each span and rule once, the raw scan's first
            if (f.start, f.end, f.pattern) not in seen:
                seen.add((f.start, f.end, f.pattern))
                found.append(f)
        found.sort(key=lambda f: (f.start, f.end))
    return found


def has_high(findings: Iterable[Finding]) -> bool:
    """Whether any finding must stop an inbound module (severity ``high``)."""
    return any(f.severity == "high" for f in findings)
