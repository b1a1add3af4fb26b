"""Git's allowed-signers file (``gpg.ssh.allowedSignersFile``, ssh-keygen's ALLOWED SIGNERS).

One signer per line: ``principals [options] keytype base64-key [comment]``; ``#`` starts a comment
line. Principals are a comma-separated list (quotes allowed). Options are comma-separated:
``namespaces="a,b"`` limits the key to those signature namespaces, ``valid-after`` and
``valid-before`` (``YYYYMMDD[HHMM[SS]][Z]``) bound when it is trusted, and ``cert-authority`` marks
a certificate authority, which stato does not use (such lines are skipped).
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
from dataclasses import dataclass
from datetime import datetime, timezone

MAX_LINES = 10_000


@dataclass(frozen=True)
class AllowedSigner:
    """One trusted key and the principals it speaks for."""

    principals: tuple[str, ...]
    key: bytes  # the public key blob
    namespaces: tuple[str, ...] | None = None
    valid_after: datetime | None = None
    valid_before: datetime | None = None
    line: int = 0

    def allows(self, namespace: str, now: datetime) -> bool:
        if self.valid_after and now < self.valid_after:
            return False
        if self.valid_before and now >= self.valid_before:
            return False
        if self.namespaces is None:
            return True
        return _match_list(namespace, self.namespaces)


def _match_list(value: str, patterns: tuple[str, ...]) -> bool:
    """ssh's pattern lists: any positive match, and no negated (``!``) one."""
    matched = False
    for pattern in patterns:
        if pattern.startswith("!"):
            if fnmatch.fnmatchcase(value, pattern[1:]):
                return False
        elif fnmatch.fnmatchcase(value, pattern):
            matched = True
    return matched


def _split(text: str, separators: str) -> list[str]:
    """``text`` split at ``separators`` outside double quotes (quotes stay in the parts)."""
    out, current, quoted = [], "", False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch in separators and not quoted:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out


def _tokens(line: str) -> list[str]:
    """The blank-separated tokens of a line (a quoted token may hold blanks)."""
    return [token for token in _split(line, " \t") if token]


def _time(value: str) -> datetime | None:
    utc = value.endswith("Z")
    digits = value.removesuffix("Z")
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if not digits.isdigit() or len(digits) not in formats:
        return None
    try:
        moment = datetime.strptime(digits, formats[len(digits)])
    except ValueError:
        return None
    return moment.replace(tzinfo=timezone.utc) if utc else moment.astimezone()


def _is_key_type(token: str) -> bool:
    return token.startswith(("ssh-", "ecdsa-", "sk-", "rsa-"))


def parse(text: str) -> tuple[list[AllowedSigner], list[str]]:
    """The signers in ``text`` and one warning per line that could not be used."""
    signers: list[AllowedSigner] = []
    warnings: list[str] = []
    for n, raw in enumerate(text.splitlines()[:MAX_LINES], 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        tokens = _tokens(line)
        if len(tokens) < 3:
            warnings.append(f"line {n}: want principals, key type and key")
            continue
        principals = tuple(p.strip('"') for p in _split(tokens[0].strip('"'), ",") if p)
        options: dict[str, str] = {}
        rest = tokens[1:]
        if not _is_key_type(rest[0]):
            for option in _split(rest[0], ","):
                name, _, value = option.partition("=")
                options[name.strip().lower()] = value.strip().strip('"')
            rest = rest[1:]
        if len(rest) < 2 or not _is_key_type(rest[0]):
            warnings.append(f"line {n}: no key type (ssh-ed25519, ...) where one belongs")
            continue
        if "cert-authority" in options:
            continue  # certificates are not used by stato signatures
        try:
            blob = base64.b64decode(rest[1], validate=True)
        except (binascii.Error, ValueError):
            warnings.append(f"line {n}: the key is not base64")
            continue
        times: dict[str, datetime | None] = {}
        for name in ("valid-after", "valid-before"):
            times[name] = _time(options[name]) if name in options else None
            if name in options and times[name] is None:
                warnings.append(f"line {n}: {name} is not YYYYMMDD[HHMM[SS]][Z]; line skipped")
        if any(name in options and times[name] is None for name in times):
            continue
        spaces = options.get("namespaces")
        signers.append(
            AllowedSigner(
                principals=principals,
                key=blob,
                namespaces=tuple(s.strip() for s in spaces.split(",")) if spaces else None,
                valid_after=times["valid-after"],
                valid_before=times["valid-before"],
                line=n,
            )
        )
    return signers, warnings


def principals_for(
    signers: list[AllowedSigner], key: bytes, namespace: str, now: datetime
) -> tuple[str, ...]:
    """Every principal that ``key`` may sign as in ``namespace`` now (empty: not trusted)."""
    found: list[str] = []
    for signer in signers:
        if signer.key == key and signer.allows(namespace, now):
            found.extend(p for p in signer.principals if p not in found)
    return tuple(found)
