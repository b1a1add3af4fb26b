"""What the injection rules check beyond a regex: invisible characters, look-alike letters,
previews that never show a hidden payload, and bounded decoding of encoded runs."""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from urllib.parse import unquote

# Decoding is bounded: a payload longer than this is not decoded (and a run that long is data)
MAX_DECODE = 64 * 1024

_EMOJI_OR_SCRIPT = re.compile(
    "[\u0900-\u0dff\u0600-\u06ff\u0590-\u05ff\u1100-\u11ff\u0e00-\u0eff\u1000-\u109f"
    "\u2600-\u27bf\U0001f000-\U0001faff\ufe0f\u200d\u0300-\u036f]"
)


def escape(text: str, limit: int = 80) -> str:
    """``text`` with every invisible, format or non-ASCII letter shown as ``<U+XXXX>``.

    At most ``limit`` characters of the original are shown, then ``...``; a hidden payload
    (tag characters, zero-width runs) therefore never reaches the terminal as itself.
    """
    out: list[str] = []
    for ch in text[:limit]:
        if ch in "\n\r\t":
            out.append(" ")
        elif " " <= ch <= "~":
            out.append(ch)
        elif unicodedata.category(ch)[0] in "LNPS" and not _is_confusable(ch):
            out.append(ch)  # ordinary letters of other scripts (Chinese, Japanese, accents)
        else:
            out.append(f"<U+{ord(ch):04X}>")
    return "".join(out) + ("..." if len(text) > limit else "")


def _is_confusable(ch: str) -> bool:
    """Cyrillic and Greek letters, which pass for Latin ones inside an English word."""
    return "\u0370" <= ch <= "\u04ff"


def _ordinary_format(span: str, m: re.Match[str], text: str) -> bool:
    """A byte-order mark at the very start, and joiners inside emoji or scripts that need them
    (Devanagari, Arabic, Persian), are ordinary text."""
    start, end = m.span()
    if span == "\ufeff" and start == 0:
        return True
    if set(span) <= {"\u200c", "\u200d"}:
        around = text[max(0, start - 1) : start] + text[end : end + 1]
        return bool(_EMOJI_OR_SCRIPT.search(around))
    return False


def _hides(span: str, m: re.Match[str], text: str) -> bool:
    """Whether format characters hide something: a run of them (room for a payload), one
    splitting a word (``ig\u200bnore``; a soft hyphen there is a hyphenation hint), or a
    sentence that, without them, holds a high injection."""
    if len(span) >= 2:
        return True
    start, end = m.span()
    if span != "\u00ad" and text[start - 1 : start].isalnum() and text[end : end + 1].isalnum():
        return True
    from stato.core.privacy.inbound import decoded_high

    lo = max(text.rfind("\n", 0, start) + 1, start - 400)
    hi = text.find("\n", end)
    hi = min(hi if hi >= 0 else len(text), end + 400)
    plain = re.sub("[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u034f\u061c]", "", text[lo:hi])
    return decoded_high(plain)


def format_run_ok(span: str, m: re.Match[str], text: str) -> bool:
    """Format characters that hide something (``high``)."""
    return not _ordinary_format(span, m, text) and _hides(span, m, text)


def format_char_warn(span: str, m: re.Match[str], text: str) -> bool:
    """Any other format character inside text (``warn``): worth a look, hides nothing."""
    return not _ordinary_format(span, m, text) and not _hides(span, m, text)


def tag_ok(span: str, m: re.Match[str], text: str) -> bool:
    """Tag characters, except the subdivision flags that emoji spell with them (a black flag
    U+1F3F4, lowercase tag letters, a cancel tag: England, Scotland, Wales)."""
    start = m.start()
    return not (
        start and text[start - 1] == "\U0001f3f4" and span.endswith("\U000e007f") and len(span) <= 8
    )


def lookalike_ok(span: str, m: re.Match[str], text: str) -> bool:
    """Cyrillic letters next to an ASCII letter, or Greek ones with ASCII letters on both sides
    (``TNFα`` and ``μg`` are ordinary science; ``pаssword`` with a Cyrillic ``а`` is not)."""
    start, end = m.span()
    before, after = text[start - 1 : start], text[end : end + 1]
    before_ok = before.isascii() and before.isalpha()
    after_ok = after.isascii() and after.isalpha()
    if any("\u0400" <= c <= "\u04ff" for c in span):
        return before_ok or after_ok
    return before_ok and after_ok


def decode(kind: str, span: str) -> str | None:
    """The text an encoded run stands for, or None when it is not printable text."""
    if len(span) > MAX_DECODE:
        return None
    raw: bytes | str
    try:
        if kind == "base64":
            body = span.replace("-", "+").replace("_", "/")
            raw = base64.b64decode(body + "=" * (-len(body) % 4))
        elif kind == "hex":
            raw = bytes.fromhex(span.replace("\\x", "").replace("0x", "").replace(" ", ""))
        elif kind == "percent":
            raw = unquote(span, errors="strict")
        elif kind == "unicode":
            raw = re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), span)
        else:
            return None
        out = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    printable = sum(c.isprintable() or c in "\n\r\t" for c in out)
    return out if out and printable >= 0.9 * len(out) else None
