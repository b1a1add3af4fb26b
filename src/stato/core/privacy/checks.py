"""Validators the privacy rules share: placeholders, entropy, Luhn, SSN and address ranges."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import math
import re
from collections import Counter
from functools import lru_cache

from stato.core.privacy.rule import any_of


def words(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (long tables read better so)."""
    return frozenset(text.split())


# Values that name a secret instead of holding one (templates, docs, env-var names, code).
_PLACEHOLDER_WORDS = words(
    "password passwd pass pwd secret secrets token apikey api_key api-key key changeme change_me "
    "admin root none null nil true false undefined test testing default empty string str value "
    "values hunter2 letmein example sample dummy fake mock redacted placeholder private public "
    "username user login mysecret mytoken mypassword yourpassword yourtoken s3cr3t env required "
    "optional unset missing todo tbd postgres mysql guest rabbitmq redis mongo sa foo bar baz qux "
    # the example credentials of RFC 6749 (OAuth 2.0), quoted by every OAuth library's docs
    "2yotnfzfejr1zcsicmwpaa tgzv3jokf0xg5qx2tlkwia h480djs93hd8 mf_9.b5f-4.1jqm splxlobezqqybys "
    "czzcagrsa3f0mzpnwdfmqmf0m2jw s6bhdrkqt3 7fjfp0zbr1kts4 8xlofxp8pthj"
)
_PLACEHOLDER_PARTS = any_of(
    "your|xxxx|****|...|\u2026|<|>|{|}|${|$(|%(|example|placeholder|changeme|change_me|change-me"
    "|redacted|dummy|insert|replace|secret_here|token_here|key_here|here|123456|abcdef|qwerty|lorem|%s"
    "|not-a-|not_a_|fake|sample|getenv|environ|secrets.|vault:|env:|os.|(?:|(?i:|(?p<"
)
_PLACEHOLDER_PART = re.compile("|".join(re.escape(part) for part in _PLACEHOLDER_PARTS))
_WEAK = re.compile(
    r"(?:password|passwd|secret|changeme|admin|test|letmein|qwerty|token|welcome)\d{0,4}[!.]?"
)
_VARREF = re.compile(r"^\$[A-Za-z_]\w*$|\$[A-Z][A-Z0-9_]{2,}")
_ENV_NAME = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[A-Z]{3,}")
_CODE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_WORDS = re.compile(r"[a-z]+(?:[-_. ][a-z]+)*|[A-Z]?[a-z]+(?:[A-Z][a-z]+)*")
_TYPE_NAME = re.compile(r"(?:[A-Z][a-z0-9]*)*[A-Z][a-z]{2,}[A-Z][a-z]{2,}")
_PATH_SHAPE = re.compile(r"[~.]?/[\w./+-]*")
# a legacy HashiCorp Vault token (``s.`` + 24) looks like an attribute but is not one
_VAULT_LEGACY = re.compile(r"s\.(?=[a-z0-9]*[A-Z])(?=[A-Za-z]*[0-9])[A-Za-z0-9]{24}")


def entropy(text: str) -> float:
    """Shannon entropy of ``text`` in bits per character."""
    n = len(text)
    if not n:
        return 0.0
    return math.log2(n) - sum(c * math.log2(c) for c in Counter(text).values()) / n


def is_placeholder(value: str) -> bool:
    """True when a value is a template, a doc example, a repeated filler or a variable's name."""
    low = value.lower().strip()
    if not low or low in _PLACEHOLDER_WORDS or _WEAK.fullmatch(low):
        return True
    if len(low) > 80:  # long random bodies contain short words by chance; look for fillers only
        return any(p in low for p in ("xxxxxxxx", "........", "\u2026", "<", "{", "${")) or (
            len(set(low)) <= 4
        )
    if _PLACEHOLDER_PART.search(low) or _VARREF.search(value):
        return True
    if low.endswith("example") or value.endswith("EXAMPLE") or value.endswith("EXAMPLEKEY"):
        return True
    if len(set(low) - set("_-.")) <= 2:
        return True
    core = re.sub(r"^[a-z0-9]{1,8}[_-]", "", low)  # drop a vendor prefix such as ghp_ or sk-
    return len(core) >= 8 and len(set(core) - set("_-.")) <= 2


# What marks a vendor-prefixed token as written to be replaced. Sequential runs (123456, abcdef)
# and short words are not here: tests and tutorials write format-valid fakes with such bodies,
# and a scanner cannot tell a pasted fake from a real key of the same shape.
_FILLER = re.compile(
    "|".join(
        re.escape(part)
        for part in any_of(
            "xxxx|****|...|\u2026|<|>|{|}|${|$(|%(|your|example|placeholder|redacted|changeme"
            "|change_me|change-me|insert|replace|paste|_here|-here|not-a-|not_a_|dummy|fake|sample"
        )
    )
)
_VENDOR_PREFIX = re.compile(r"(?:[a-z0-9]{1,12}[_-]){1,3}")


def is_filler(value: str) -> bool:
    """True when a vendor-prefixed token (``ghp_...``, ``AKIA...``) is a template or a filler:
    all-X, ellipses, brackets, a variable, your/example/redacted/replace-me words, AWS's
    ``...EXAMPLE`` keys, or a body of at most three distinct characters."""
    low = value.lower()
    if _FILLER.search(low):
        return True
    prefix = _VENDOR_PREFIX.match(low)
    body = low[prefix.end() :] if prefix else low[4:]  # AKIA..., AIza... have no separator
    return len(set(body) - set("_-.")) <= 3


_B64_TEXT = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def _b64_text(value: str, encoding: str) -> str | None:
    """``value`` read as base64 (its padding may be left off) of text, or None."""
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode(encoding)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def is_b64_prose(value: str) -> bool:
    """Base64 of ordinary text (words and spaces), which encodes nothing secret."""
    raw = _b64_text(value, "ascii") if _B64_TEXT.fullmatch(value) else None
    if raw is None:
        return False
    letters = sum(c.isalpha() or c == " " for c in raw)
    return raw.count(" ") >= 2 and letters >= 0.8 * len(raw) and raw.isprintable()


def looks_secret(value: str, quoted: bool, min_len: int = 6, min_entropy: float = 2.0) -> bool:
    """A quoted or bare value under a secret-like key that is plausibly a real credential."""
    if len(value) < min_len or is_placeholder(value) or is_b64_prose(value):
        return False
    if _ENV_NAME.fullmatch(value) or _WORDS.fullmatch(value):
        return False  # an environment variable's name or plain words
    if (
        not quoted
        and _CODE_NAME.fullmatch(value)
        and not _VAULT_LEGACY.fullmatch(value)
        and ("." in value or not any(c.isdigit() for c in value) or _TYPE_NAME.fullmatch(value))
    ):
        return False  # a bare variable, attribute or type name (Ed25519PrivateKey) in code
    if value.startswith(("http://", "https://", "file:", "urn:")) or (
        value.startswith(("/", "./", "~/")) and _PATH_SHAPE.fullmatch(value)
    ):
        return False  # a URL, a URN or a path (a password has punctuation no path holds)
    if value.isdigit() and len(value) < 8:
        return False
    return entropy(value) >= min_entropy


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn(digits: str) -> bool:
    odd = sum(int(c) for c in digits[-1::-2])
    even = sum(_DOUBLED[int(c)] for c in digits[-2::-2])
    return (odd + even) % 10 == 0


def card_ok(text: str) -> bool:
    """Issuer prefix, length and Luhn; consistent separators; not a published test number."""
    seps = {c for c in text if not c.isdigit()}
    if len(seps) > 1:
        return False
    digits = "".join(c for c in text if c.isdigit())
    n = len(digits)
    # Published test numbers (4111 1111 1111 1111, ...) are flagged too: they pass every check a
    # real card does, and a scanner cannot tell a pasted test card from a real one.
    if len(set(digits)) < 2 or not luhn(digits):
        return False
    two, four = int(digits[:2]), int(digits[:4])
    return bool(
        (digits[0] == "4" and n in (13, 16, 19))
        or ((51 <= two <= 55 or 2221 <= four <= 2720) and n == 16)
        or (two in (34, 37) and n == 15)
        or (
            (digits.startswith("6011") or two == 65 or 644 <= int(digits[:3]) <= 649)
            and 16 <= n <= 19
        )
        or (3528 <= four <= 3589 and 16 <= n <= 19)
        or ((two in (36, 38) or 300 <= int(digits[:3]) <= 305) and n == 14)
    )


_FAMOUS_SSNS = frozenset({"078-05-1120", "123-45-6789", "219-09-9999", "111-11-1111"})


def ssn_ok(text: str) -> bool:
    """An issued-shape SSN: area not 000, 666 or 9xx, group and serial not zero, not a sample."""
    digits = text.replace("-", "").replace(" ", "")
    text = f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"  # 123 45 6789 and 123456789 as written
    if len(digits) != 9 or text in _FAMOUS_SSNS or len(set(digits)) == 1:
        return False
    if all(len(set(part)) == 1 for part in text.split("-")):
        return False  # 111-22-3333: a sample, not an issued number
    area, group, serial = int(digits[:3]), int(digits[3:5]), int(digits[5:])
    return 0 < area < 900 and area != 666 and group != 0 and serial != 0


# the made-up addresses manuals use (socket's "convert IP addr string (123.45.67.89)")
_DOC_ADDRESSES = frozenset({"123.45.67.89", "12.34.56.78", "98.76.54.32"})
_RESOLVERS = frozenset({"8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "208.67.222.222"})


def ipv4_kind(text: str) -> str | None:
    """'private', 'public', or None (loopback, docs, netmask, multicast, reserved, networks)."""
    a, b, c, d = (int(p) for p in text.split("."))
    if max(a, b, c, d) < 10 or text in _RESOLVERS or text in _DOC_ADDRESSES:
        return None  # section numbers and four-part versions (3.2.1.4), public DNS resolvers
    if a in (0, 127) or a >= 224 or d in (0, 255) or (a, b) == (169, 254):
        return None
    if (a, b, c) in ((192, 0, 2), (198, 51, 100), (203, 0, 113), (192, 0, 0)) or (
        a == 198 and b in (18, 19)
    ):
        return None  # RFC 5737 documentation, RFC 2544 benchmarking, IETF protocol assignments
    if a == 255 or (a, b) == (255, 255) or (b, c, d) == (255, 255, 255):
        return None  # netmasks
    if (
        a == 10
        or (a == 172 and 16 <= b <= 31)
        or (a == 192 and b == 168)
        or (a == 100 and 64 <= b <= 127)
    ):
        return "private"
    return "public"


_V6 = ipaddress.ip_network
_V6_GLOBAL, _V6_UNIQUE_LOCAL, _V6_LINK_LOCAL = _V6("2000::/3"), _V6("fc00::/7"), _V6("fe80::/10")
# documentation (RFC 3849, RFC 9637), the retired 6bone (3ffe::/16) and IETF protocol
# assignments (2001::/23, as 192.0.0.0/24 for IPv4); public DNS resolvers and cloud metadata
# endpoints, as for IPv4
_V6_SKIP = (_V6("2001:db8::/32"), _V6("3fff::/20"), _V6("2001::/23"), _V6("3ffe::/16"))
_V6_RESOLVERS = frozenset(
    map(
        ipaddress.IPv6Address,
        words(
            "2001:4860:4860::8888 2001:4860:4860::8844 2606:4700:4700::1111 2606:4700:4700::1001 "
            "2620:fe::fe 2620:fe::9 2620:119:35::35 2620:119:53::53 fd00:ec2::254 fd00:ec2::253 "
            "fd00:ec2::123"
        ),
    )
)


@lru_cache(maxsize=1024)  # the private and public rules ask about the same match in turn
def ipv6_kind(text: str) -> str | None:
    """'private' (unique local, link local), 'public' (global unicast) or None."""
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if addr in _V6_RESOLVERS or any(addr in net for net in _V6_SKIP):
        return None
    if addr in _V6_GLOBAL:
        return "public"
    if addr in _V6_LINK_LOCAL and int(addr) & 0xFFFF_FFFF_FFFF_FFFF <= 0xFFFF:
        return None  # fe80::1, fe80::2: a router or loopback alias that names no device
    if addr in _V6_UNIQUE_LOCAL or addr in _V6_LINK_LOCAL:
        return "private"
    return None


def b64_private_key(value: str) -> bool:
    """A base64-encoded PEM private key (a kubeconfig's ``client-key-data``): its first 60
    characters decode to the ``-----BEGIN ... PRIVATE KEY-----`` header."""
    head = _b64_text(value[:60], "ascii") or ""
    return head.startswith("-----BEGIN ") and "PRIVATE KEY" in head


def basic_auth_ok(value: str) -> bool:
    """A Basic credential decodes to ``user:password``."""
    user, sep, password = (_b64_text(value, "utf-8") or "").partition(":")
    return bool(sep and user and password) and not is_placeholder(password)


def glob_match(pattern: str, text: str) -> bool:
    """``*``-only glob, matched against the whole text in O(len(pattern) * len(text)) at worst."""
    p = t = 0
    star, mark = -1, 0
    while t < len(text):
        if p < len(pattern) and pattern[p] != "*" and pattern[p] == text[t]:
            p, t = p + 1, t + 1
        elif p < len(pattern) and pattern[p] == "*":
            star, mark, p = p, t, p + 1
        elif star != -1:
            p, mark = star + 1, mark + 1
            t = mark
        else:
            return False
    while p < len(pattern) and pattern[p] == "*":
        p += 1
    return p == len(pattern)
