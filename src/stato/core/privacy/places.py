"""Network and path rules: IPv4 and IPv6 host addresses and home folders that name a person."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from stato.core.privacy.checks import ipv4_kind, ipv6_kind, words
from stato.core.privacy.rule import Rule, Validator

# The match starts at the first dot (a literal the engine jumps to) and the first octet is
# captured in a lookbehind: far fewer tries than starting at every digit of a text.
_IPV4 = re.compile(
    r"\.(?:(?<=(?:(?<![\w.])|(?<=\\[nrt]))(?P<lead1>\d)\.)"
    r"|(?<=(?:(?<![\w.])|(?<=\\[nrt]))(?P<lead2>\d\d)\.)"
    r"|(?<=(?:(?<![\w.])|(?<=\\[nrt]))(?P<lead3>\d\d\d)\.))"
    r"(?P<s>\d{1,3}\.\d{1,3}\.\d{1,3})(?![\w]|\.\d)"
)
_PREFIX = re.compile(r"/(\d{1,3}(?:\.\d{1,3}){3}|\d{1,3})(?![\w./])")


def _prefix_length(written: str, bits: int) -> int | None:
    """``/24``, or a dotted netmask (/255.255.255.0) or hostmask (/0.0.0.255) as a length."""
    if "." not in written:
        return int(written) if int(written) <= bits else None
    octets = [int(o) for o in written.split(".")]
    if bits != 32 or max(octets) > 255:
        return None
    mask = int.from_bytes(bytes(octets), "big")
    ones = bin(mask).count("1")
    if mask == (0xFFFFFFFF << (32 - ones)) & 0xFFFFFFFF:
        return ones  # a netmask
    return 32 - ones if mask == (1 << ones) - 1 else None  # a hostmask, or neither


def _host_with_prefix(value: int, bits: int, text: str, end: int) -> bool:
    """No prefix length follows (a URL path may), or it does and the address is a host of that
    network (10.0.12.77/24 as ``ip addr`` prints it), not the network (10.0.12.0/24) or its
    broadcast."""
    m = _PREFIX.match(text, end)
    length = None if m is None else _prefix_length(m.group(1), bits)
    if length is None:
        return True
    host_bits = bits - length
    host = value & ((1 << host_bits) - 1)
    return host_bits == 0 or host not in (0, (1 << host_bits) - 1)


@lru_cache(maxsize=1024)  # the private and public rules ask about the same match in turn
def _ip_in_context(span: str, before: str) -> str | None:
    """The address's kind, or None when it is malformed or reads as a version or an OID."""
    if any(len(o) > 1 and o[0] == "0" or int(o) > 255 for o in span.split(".")):
        return None
    if any(word in before for word in ("version", "oid", "identifier")):
        return None  # 4-part versions and ASN.1 object identifiers (2.5.29.17)
    if before.endswith(("v", "==", ">=", "<=", "~=")) or _NUMBERED.search(before):
        return None
    return ipv4_kind(span)


# A word that numbers what follows it: "section 10.5.3.2", "§ 10.2.1.4", "release 10.4.2.1".
_NUMBERED = re.compile(
    r"(?:sections?|sec\.|chapter|ch\.|§|clause|paragraph|para\.|figure|fig\.|table|release|build|"
    r"spec|hyperspec|rfc)[\s\"'`(]*$"
)
# After the address: a build suffix (Guile 3.0.5.130-5a1e7, 2.4.10.1-rc2), not a range
# (10.0.0.1-10.0.0.9, 192.168.1.10-20) or a host name (10.2.3.4-prod); or the reversed address
# of a reverse-DNS name (4.3.2.1.in-addr.arpa)
_NOT_A_HOST_AFTER = re.compile(
    r"-(?:(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{5,12}|(?:rc|alpha|beta|dev|post)\d*)"
    r"(?![\w-]|\.\w)|\.in-addr\.arpa"
)


def _ip_validator(kind: str) -> Validator:
    def check(span: str, m: re.Match[str], text: str) -> bool:
        start = m.start() - span.index(".")  # the match begins at the first dot
        if _ip_in_context(span, text[max(0, start - 12) : start].lower()) != kind:
            return False
        if _NOT_A_HOST_AFTER.match(text, m.end()):
            return False
        value = int.from_bytes(bytes(int(o) for o in span.split(".")), "big")
        return _host_with_prefix(value, 32, text, m.end())

    return check


def _address(rule_id: str, label: str, regex: re.Pattern[str], key: str, kind: Validator) -> Rule:
    return Rule(
        rule_id, "network", label, regex, "{IP}", (key,), validator=kind, reject_placeholders=False
    )


# Only addresses whose first group has four hex digits can be global (2000::/3), unique local
# (fc00::/7) or link local (fe80::/10), so a match starts at such a group: slices (a[1::2]),
# times, MAC addresses and C++ scopes never start one. The first character is a set the engine
# jumps to; the lookbehinds after it refuse a start inside a longer run (a hash, a MAC, a:b:c)
# and a subscript or slice (data[2000::3]).
# A trailing dotted quad is an embedded IPv4 address (2001:470::10.1.2.3).
_IPV6 = re.compile(
    r"[23fF](?<![\w:.-][23fF])(?<![\w)\]]\[[23fF])[0-9A-Fa-f]{3}:[0-9A-Fa-f:]{1,40}[0-9A-Fa-f](?:\.\d{1,3}){0,3}"
)
_HEX = frozenset("0123456789abcdefABCDEF:")


def _ipv6_validator(kind: str) -> Validator:
    def check(span: str, m: re.Match[str], text: str) -> bool:
        end = m.end()
        after = text[end : end + 2]
        if after[:1].isalnum() or after[:1] == "_" or after[:1] == ":" and after[1:2] in _HEX:
            return False  # cut out of a longer run of hex and colons
        if after[:1] == "." and after[1:2].isdigit():
            return False  # a dotted tail that is no IPv4 address
        if ipv6_kind(span) != kind:
            return False
        return _host_with_prefix(int(ipaddress.IPv6Address(span)), 128, text, end)

    return check


_GENERIC_USERS = words(
    "user users username user_name you your yourname your_name your-name yourusername me name "
    "shared guest public default ubuntu ec2-user runner jovyan vscode node app admin root docker "
    "linuxbrew pi centos debian fedora vagrant travis circleci codespace gitpod build builder "
    "runneradmin administrator defaultuser0 all-users all demo dev developer johndoe janedoe foo "
    "bar x xx xxx myuser myname someone somebody test tester projects project data common share "
    "scratch tmp temp work lab group groups home local bin lib about index login page docs"
)
# at least two characters (a one-letter folder names nobody); dots only inside (alice.smith)
_NAME = (
    r"(?P<s>[A-Za-z0-9_](?:[\w-]{1,63}(?:\.[\w-]{1,64}){0,3}|(?:\.[\w-]{1,64}){1,3}))"
    r"(?![\w$<{%-])"
)


_GENERIC_PHRASES = frozenset({"all users", "default user", "public user", "user name", "your name"})
# A Windows user name may hold spaces (C:\Users\Maria Lopez\): up to four words, taken only when
# a separator or the string's closing quote follows, so a path in a sentence never swallows it.
_WORDS = r"[A-Za-z0-9_][\w.-]{0,63}(?:[ ][A-Za-z0-9_][\w.-]{0,63}){1,3}(?=[\\/\"'])"
_WIN_NAME = _NAME.replace("(?P<s>", "(?P<s>" + _WORDS + "|", 1)


def _home_ok(span: str, m: re.Match[str], text: str) -> bool:
    if len(span) < 2 or span.lower() in _GENERIC_USERS or span.upper() == span and "_" in span:
        return False
    if " " in span and (span.lower() in _GENERIC_PHRASES or span.endswith(".")):
        return False
    floor = max(0, m.start() - 300)
    line_start = max(floor - 1, *(text.rfind(c, floor, m.start()) for c in " \n\"'"))
    before = text[line_start + 1 : m.start()]
    return "://" not in before or before.startswith("file:")


def _home(rule_id: str, regex: str) -> Rule:
    return Rule(
        rule_id,
        "path",
        "home folder naming a person",
        re.compile(regex),
        "{user}",
        validator=_home_ok,
        reject_placeholders=False,
    )


PLACE_RULES: tuple[Rule, ...] = (
    _address("ipv4-private", "private IPv4 address", _IPV4, ".", _ip_validator("private")),
    _address("ipv4-public", "public IPv4 address", _IPV4, ".", _ip_validator("public")),
    _address(
        "ipv6-private",
        "unique-local or link-local IPv6 address",
        _IPV6,
        ":",
        _ipv6_validator("private"),
    ),
    _address("ipv6-public", "public IPv6 address", _IPV6, ":", _ipv6_validator("public")),
    _home("home-path-unix", r"/home/" + _NAME),
    # C:/Users/ and /mnt/c/Users/ are Windows folders: the Windows rule takes them
    _home("home-path-macos", r"/(?<![A-Za-z]:/)(?<!/mnt/[a-z]/)Users/" + _NAME),
    _home(
        "home-path-windows",
        # C:\Users\, escaped once (C:\\Users\\) or twice (JSON in a Python string)
        r"(?:\\(?<=[A-Za-z]:\\)Users\\{1,4}|\\\\(?<=[A-Za-z]:\\\\)Users\\{1,4}"
        r"|\\\\(?<=[A-Za-z]:\\\\\\\\)Users\\{1,4}"
        r"|/(?<=[A-Za-z]:/)Users/|/(?<=/mnt/[a-z]/)Users/)" + _WIN_NAME,
    ),
)
