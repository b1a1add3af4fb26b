"""Choices where recall wins: things that look like samples but are real-shaped personal data."""

from __future__ import annotations

import pytest

from stato.core.privacy import scan_text


@pytest.mark.parametrize(
    "text, secret, pattern",
    [
        ("card 4111 1111 1111 1111", "4111 1111 1111 1111", "card-number"),  # passes Luhn
        ('"cc": "4242424242424242"', "4242424242424242", "card-number"),
        ("contact jane.doe@gmail.com for access", "jane.doe@gmail.com", "email"),
        ("owner: john.doe@acme-labs.io", "john.doe@acme-labs.io", "email"),
    ],
)
def test_sample_looking_values_at_real_places_are_flagged(
    text: str, secret: str, pattern: str
) -> None:
    (finding,) = scan_text(text)
    assert finding.pattern == pattern and text[finding.start : finding.end] == secret


@pytest.mark.parametrize(
    "text", ["card 4111 1111 1111 1112", "jane.doe@example.com", "1111 1111 1111 1111"]
)
def test_failing_luhn_and_documentation_domains_are_not(text: str) -> None:
    assert scan_text(text) == []
