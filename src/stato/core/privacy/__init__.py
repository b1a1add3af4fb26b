"""The scanner: one table of rules for secrets, personal data, addresses and home paths leaving
(privacy), and one for instructions aimed at an agent coming in (injection)."""

from __future__ import annotations

from stato.core.privacy.inbound import has_high, scan_injection, scan_injection_many
from stato.core.privacy.injection_rules import INJECTION_RULES
from stato.core.privacy.rule import CATEGORIES, INJECTION, SEVERITIES, Rule
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
