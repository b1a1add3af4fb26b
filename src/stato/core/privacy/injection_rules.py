"""The injection table: hidden text, overrides, concealment, exfiltration, escalation, payloads."""

from __future__ import annotations

from stato.core.privacy.injection import CONCEAL, HIDDEN, OVERRIDE
from stato.core.privacy.rule import Rule

INJECTION_RULES: tuple[Rule, ...] = HIDDEN + OVERRIDE + CONCEAL
