"""The injection table: hidden text, overrides, concealment, exfiltration, escalation, payloads."""

from __future__ import annotations

from stato.core.privacy.injection import HIDDEN
from stato.core.privacy.injection_acts import ESCALATE_BROAD, EXFIL_BROAD
from stato.core.privacy.injection_broad import BROAD
from stato.core.privacy.injection_cjk import CJK
from stato.core.privacy.injection_escalate import ENCODED, ESCALATE
from stato.core.privacy.injection_exec import REMOTE_EXEC
from stato.core.privacy.injection_exfil import EXFIL, EXFIL_URLS
from stato.core.privacy.injection_i18n import I18N
from stato.core.privacy.injection_phrases import CONCEAL, OVERRIDE
from stato.core.privacy.rule import Rule

# What a decoded payload is scanned with: every rule but the decoders (one level, bounded)
PLAIN_RULES: tuple[Rule, ...] = (
    HIDDEN
    + OVERRIDE
    + CONCEAL
    + BROAD
    + I18N
    + CJK
    + REMOTE_EXEC
    + EXFIL
    + EXFIL_URLS
    + EXFIL_BROAD
    + ESCALATE
    + ESCALATE_BROAD
)
INJECTION_RULES: tuple[Rule, ...] = PLAIN_RULES + ENCODED


def _needs_non_ascii(rule: Rule) -> bool:
    """Rules for invisible characters, look-alike letters or CJK phrases: none can match a
    text that is all ASCII, which most are."""
    if rule.keywords:
        return all(not k.isascii() for k in rule.keywords)
    pattern = rule.regex.pattern
    return pattern.startswith("[") and not pattern[1].isascii()


# The tables used on an all-ASCII text (checked with one str.isascii call)
ASCII_RULES: tuple[Rule, ...] = tuple(r for r in INJECTION_RULES if not _needs_non_ascii(r))
ASCII_PLAIN_RULES: tuple[Rule, ...] = tuple(r for r in PLAIN_RULES if not _needs_non_ascii(r))
