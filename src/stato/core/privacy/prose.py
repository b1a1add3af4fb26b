"""Secret rules for what the assignment rule cannot see: passwords in prose (``pw=Tq8#mZ2!``,
``the password Kx4_9vTr2Qw``), quoted secrets after a name in a sentence (``secret key 'h7Gk…'``),
quoted values holding the other quote, and cloud keys assigned to ``..._KEY`` names in code."""

from __future__ import annotations

import re

from stato.core.privacy.checks import looks_secret
from stato.core.privacy.rule import Rule

_PASSWORD = r"(?i:passwords?|passphrase|passcode|passwd|pwd|pw|pass)"


def _mixed(value: str) -> bool:
    """A password rather than a word: letters with digits or symbols, and mixed case or a
    symbol (``Kx4_9vTr2Qw``, ``tq8#mz2!``), never ``sha256`` or ``argon2id``."""
    upper = any(c.isupper() for c in value)
    lower = any(c.islower() for c in value)
    digit = any(c.isdigit() for c in value)
    symbol = any(not c.isalnum() for c in value)
    return (upper and lower and (digit or symbol)) or (symbol and (digit or upper or lower))


# a dotted name whose every part reads as a name (self, _get_password, Optional, NULL,
# HTTPPasswordMgr, b16encode), not a password with a dot in it (Kx4.vTr2Qw, Summer.Breeze42)
_NAME_PART = r"_*(?:[a-z][a-z0-9_]*|[A-Z]+[a-z]*(?:[A-Z]+[a-z]*)*|[A-Z][A-Z0-9_]*)"
_DOTTED_CODE = re.compile(_NAME_PART + r"(?:\." + _NAME_PART + r")+")


def _code(span: str, m: re.Match[str], text: str) -> bool:
    """Python rather than a password: ``password = self._get_password(url)``, ``passphrase =
    _ffi.NULL``, ``password: typing.Optional[bytes]``, ``password: _PasswordType``, and an rST
    role (``:type passphrase: :py:data:``)."""
    end = m.end("s")
    return (
        text.startswith(("(", "["), end)
        or bool(_DOTTED_CODE.fullmatch(span))
        or (span.startswith("_") and span[1:2].isalpha())
        or span.startswith(":")
    )


def _bare(span: str, m: re.Match[str], text: str) -> bool:
    if _code(span, m, text):
        return False
    return _mixed(span) and looks_secret(span, True, min_len=6, min_entropy=2.3)


def _prose(span: str, m: re.Match[str], text: str) -> bool:
    return len(span) >= 8 and _mixed(span) and looks_secret(span, True, min_len=8, min_entropy=2.5)


def _quoted(span: str, m: re.Match[str], text: str) -> bool:
    return looks_secret(span, True, min_len=8, min_entropy=2.8)


def _other_quote(span: str, m: re.Match[str], text: str) -> bool:
    """Only values the assignment rule stops at: those holding the other kind of quote."""
    if not any(q in span for q in "\"'`") or any(c.isspace() for c in span):
        return False  # 'say "hi"' is a sentence
    return _mixed(span) and looks_secret(span, True, min_len=6, min_entropy=2.0)


_KEY_CHARS = re.compile(r"[A-Za-z0-9+/=_.~-]{20,300}")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


def _cloud_key(span: str, m: re.Match[str], text: str) -> bool:
    """A key has digits (``SCOPE_KEY = "starlette._body_limit"`` names a dict key) and is no
    snake_case name (``PRIMARY_KEY = "run_2024_v1_id"``, bare ``CACHE_KEY = make_key_v2``)."""
    if not _KEY_CHARS.fullmatch(span) or not any(c.isdigit() for c in span):
        return False
    if _SNAKE.fullmatch(span) or span.startswith(("pk_live_", "pk_test_")):
        return False  # a name, or a Stripe publishable key (public by design)
    quoted = bool(m.group("q"))
    return looks_secret(span, quoted, min_len=20, min_entropy=3.5)


# a bare value runs to the next space; it never ends with sentence punctuation
_BARE_VALUE = r"(?P<s>[^\s\"'`<>()\[\]{}]{3,99}[^\s\"'`<>()\[\]{}.,;:!?])"

PROSE_SECRETS: tuple[Rule, ...] = (
    Rule(
        "password-bare",
        "secret",
        "password written after pw= or password: in prose",
        re.compile(r"(?<![\w-])" + _PASSWORD + r"[ \t]{0,2}[=:][ \t]{0,2}" + _BARE_VALUE),
        "{PASSWORD}",
        keywords=("pass", "pw"),
        anchored=True,
        validator=_bare,
        reject_placeholders=False,  # looks_secret() refuses them
    ),
    Rule(
        "password-prose",
        "secret",
        "password named in a sentence",
        re.compile(
            r"(?<![\w-])(?i:passwords?|passphrase|passcode|pw)[ \t]{1,3}"
            r"(?:(?i:is|was|for[ \t]{1,3}[\w.@-]{1,40}|of[ \t]{1,3}[\w.@-]{1,40})[ \t]{1,3})?"
            + _BARE_VALUE
        ),
        "{PASSWORD}",
        keywords=("pass", "pw"),
        anchored=True,
        validator=_prose,
        reject_placeholders=False,
    ),
    Rule(
        "secret-quoted-prose",
        "secret",
        "quoted secret named in a sentence",
        re.compile(
            r"(?<![\w-])(?i:passwords?|passphrase|secret(?:[ \t]key)?|api[ \t]?key|access[ \t]key|"
            r"token|private[ \t]key|signing[ \t]key|credential)[ \t]{1,3}"
            r"(?:(?i:is|was|of|to|set[ \t]to|changed[ \t]to)[ \t]{1,3})?"
            r"(?P<q>[\"'`])(?P<s>[^\"'`\r\n]{6,200})(?P=q)"
        ),
        "{REDACTED}",
        keywords=("pass", "secret", "api", "access", "token", "private", "signing", "credential"),
        anchored=True,
        validator=_quoted,
        reject_placeholders=False,
    ),
    Rule(
        "secret-assignment-quotes",
        "secret",
        "secret assigned a value that holds a quote",
        re.compile(
            r"(?<![A-Za-z0-9])(?i:[a-z0-9_]{0,30}(?:passw(?:or)?d|passphrase|pwd|pw|pass|secret|"
            r"token|api_?key))[\"']?\]?[ \t]{0,3}[:=][ \t]{0,3}"
            r"(?:(?P<q1>\")(?P<s>[^\"\r\n\\]{1,300})\"|(?P<q2>')(?P<s2>[^'\r\n\\]{1,300})')"
        ),
        "{REDACTED}",
        keywords=("pass", "pwd", "pw", "secret", "token", "api"),
        anchored=True,
        validator=_other_quote,
        reject_placeholders=False,
    ),
    Rule(
        "cloud-key-assignment",
        "secret",
        "key assigned to a ..._KEY name",
        re.compile(
            r"(?P<key>[A-Z][A-Z0-9]{1,20}(?:_[A-Z0-9]{1,20}){0,5}_KEY|(?i:account|storage|master|"
            r"shared|sas|subscription|service|encryption|cloud)_key)"
            r"[\"']?\]?[ \t]{0,3}(?:=|:)[ \t]{0,3}(?:(?P<q>[\"'])(?P<s>[^\"'\r\n]{20,300})(?P=q)"
            # bare, as in a .env file: the whole rest of a line's word
            r"|(?P<s2>[A-Za-z0-9+/=_.~-]{20,300})(?![^\s,;#\"'`]))"
        ),
        "{API_KEY}",
        keywords=("_key",),
        anchored=True,
        back=frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"),
        validator=_cloud_key,
        reject_placeholders=False,
    ),
)
