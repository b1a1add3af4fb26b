"""The privacy scanner: a table of rules for secrets, personal data, addresses and home paths."""

from __future__ import annotations

from stato.core.privacy.rule import CATEGORIES, Rule
from stato.core.privacy.scanner import (
    RULES,
    RULES_BY_ID,
    Finding,
    findings_at,
    placeholder_for,
    redact,
    sanitize,
    scan_many,
    scan_text,
)

__all__ = [
    "CATEGORIES",
    "RULES",
    "RULES_BY_ID",
    "Finding",
    "findings_at",
    "Rule",
    "placeholder_for",
    "redact",
    "sanitize",
    "scan_many",
    "scan_text",
]
