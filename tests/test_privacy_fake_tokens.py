"""Vendor tokens with the hand-written bodies tests and tutorials give format-valid fakes
(``ghp_1234567890abcdef...``, ``AKIAABCDEFGHIJKLMNOP``) are found wherever they are written and
sanitized away: their prefix says what they are, and a scanner cannot tell a pasted fake from a
real key of the same shape. Only fillers refuse a vendor token (all-X, ``...``, ``<token>``,
``${VAR}``, your/example/redacted/replace-me words, a body of very few characters); the broader
placeholder check (``123456``, ``abcdef``, ``qwerty``) stays for context rules.

Tokens are assembled from parts at test time, never written out whole.
"""

from __future__ import annotations

import ast
import json
import string

import pytest

from stato.core.privacy import scan_text
from stato.ops.scan import sanitize_text
from tests.test_privacy_formats import gen_module

LOW, UP = string.ascii_lowercase, string.ascii_uppercase
DIGITS, COUNT = string.digits, string.digits[1:] + "0"  # 0123456789 and 1234567890
ALT = "".join(c.upper() if i % 2 else c for i, c in enumerate(LOW))  # aBcDeF...

# name -> (rule id, token)
FAKES: dict[str, tuple[str, str]] = {
    "github alternating case": ("github-token", "gh" + "p_" + ALT + DIGITS),
    "github digits then letters": ("github-token", "gh" + "p_" + COUNT + LOW),
    "github letters then digits": ("github-token", "gh" + "p_" + LOW + DIGITS),
    "stripe sequential": ("stripe-secret-key", "sk" + "_live_" + COUNT + LOW[:14]),
    "stripe 51 style": (
        "stripe-secret-key",
        "sk" + "_live_" + "51H8" + LOW[:6] + UP[6:12] + LOW[12:16] + UP[16:18] + LOW[18:22],
    ),
    "slack bot": ("slack-token", "xo" + "xb-" + COUNT + "12-" + COUNT + "123-" + LOW[:24]),
    "aws alphabet": ("aws-access-key-id", "AK" + "IA" + UP[:16]),
    "openai project": ("openai-project-key", "sk" + "-proj-" + ("abcdef" + COUNT) * 2 + "abcdef12"),
    "gitlab": ("gitlab-token", "gl" + "pat-" + LOW[:10] + COUNT),
    "npm": ("npm-token", "np" + "m_" + LOW + DIGITS),
    "google one short": ("google-api-key", "AI" + "za" + "SyA" + COUNT + LOW[:21]),
    "hugging face": ("huggingface-token", "hf" + "_" + LOW + UP[:8]),
    "anthropic short": ("anthropic-api-key", "sk" + "-ant-api03-" + LOW + DIGITS + "-" + UP[:8]),
}


def _places(token: str) -> list[str]:
    payload = json.dumps(json.dumps({"token": token}))  # JSON inside a Python string
    return [
        gen_module("- x\n", "pass").replace('    name = "gen"\n', f'    token = "{token}"\n'),
        gen_module(f"- auth with {token} on staging\n", "pass"),
        gen_module("- x\n", f"payload = {payload}"),
        gen_module(f"- in .env:\nSERVICE_TOKEN={token}\n", "pass"),
        gen_module("- x\n", f"client = Client(api_key='{token}')"),
    ]


@pytest.mark.parametrize("name", sorted(FAKES))
def test_fake_bodies_are_found_with_their_exact_span(name: str) -> None:
    rule_id, token = FAKES[name]
    for text in [f'token = "{token}"', f"SERVICE_TOKEN={token}\n", *_places(token)]:
        found = [(f.pattern, f.text) for f in scan_text(text, "skills/gen.py")]
        assert (rule_id, token) in found, (text, found)


@pytest.mark.parametrize("name", sorted(FAKES))
def test_fake_bodies_are_sanitized_and_the_module_still_parses(name: str) -> None:
    token = FAKES[name][1]
    for source in _places(token):
        ast.parse(source)
        clean, left = sanitize_text(source, "skills/gen.py", scan_text(source, "skills/gen.py"))
        ast.parse(clean)
        assert left == [] and token not in clean


FILLERS = [
    "sk" + "-...",
    "YOUR_API_KEY",
    "AK" + "IA" + "IOSFODNN7" + "EXAMPLE",
    "AK" + "IA" + "X" * 16,
    "gh" + "p_" + "x" * 36,
    "gh" + "p_" + "X" * 36,
    "gh" + "p_" + "0" * 36,
    "gh" + "p_<token>",
    "gh" + "p_${GITHUB_TOKEN}",
    "${{ secrets.GITHUB_TOKEN }}",
    "sk" + "_live_" + "x" * 24,
    "sk" + "_live_" + "X" * 24,
    "xo" + "xb-" + COUNT + "12-" + COUNT + "123-" + "x" * 24,
    "gl" + "pat-" + "your-gitlab-token-here",
    "gl" + "pat-" + "x" * 20,
    "np" + "m_" + "YOUR" + "x" * 32,
    "hf" + "_" + "REDACTED" + "x" * 26,
    "hf" + "_" + "replaceme" + "a" * 25,
    "hf" + "_" + "SampleToken" + COUNT * 2 + "abc",
    "AI" + "za" + "Sy" + "X" * 33,
    "AI" + "za" + "Sy" + "PLACEHOLDER" + "_" * 22,
    "sk" + "-proj-" + "replace-with-your-own-project-key-0123456789",
    "sk" + "-ant-api03-" + "your-api-key-goes-here-" + COUNT,
    "sk" + "-ant-api03-" + "not-a-real-key-" + COUNT * 2,
    "sk" + "_live_" + "…" * 24,
]


@pytest.mark.parametrize("text", FILLERS)
def test_fillers_and_documented_placeholders_stay_unflagged(text: str) -> None:
    for source in (text, f'token = "{text}"', f"- set TOKEN={text}\n"):
        found = [(f.pattern, f.text) for f in scan_text(source) if f.category == "secret"]
        assert found == [], source


# Context rules keep the broader check: with no vendor prefix, a value of sequential or keyboard
# runs is all the evidence there is, and it is the placeholder a tutorial writes.
@pytest.mark.parametrize(
    "text",
    [
        'password = "123456"',
        'password = "qwerty123"',
        'api_key = "abcdef1234567890abcdef12"',
        'client = Client(api_key="abcdef123456abcdef123456")',
    ],
)
def test_context_rules_still_refuse_sequential_values(text: str) -> None:
    assert [f for f in scan_text(text) if f.category == "secret"] == []
