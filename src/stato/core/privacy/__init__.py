"""The scanner: one table of rules for secrets, personal data, addresses and home paths leaving
(privacy), and one for instructions aimed at an agent coming in (injection)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.core.privacy.inbound import has_high, scan_injection, scan_injection_many
from stato.core.privacy.injection_rules import INJECTION_RULES
from stato.core.privacy.rule import CATEGORIES, INJECTION, SEVERITIES, Rule
from stato.core.privacy.scanner import (
    Finding,
    findings_at,
    placeholder_for,
    redact,
    sanitize,
    scan_many,
    scan_text,
)

if TYPE_CHECKING:
    from stato.core.privacy.outbound import RULES, RULES_BY_ID


def __getattr__(name: str) -> object:
    """``RULES`` and ``RULES_BY_ID``, the outbound table, imported when first named: the
    withheld check (injection only) never builds it."""
    if name in ("RULES", "RULES_BY_ID"):
        from stato.core.privacy import outbound

        return getattr(outbound, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CATEGORIES",
    "INJECTION",
    "INJECTION_RULES",
    "SEVERITIES",
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "findings_at",
    "has_high",
    "Rule",
    "placeholder_for",
    "redact",
    "sanitize",
    "scan_injection",
    "scan_injection_many",
    "scan_many",
    "scan_text",
]
