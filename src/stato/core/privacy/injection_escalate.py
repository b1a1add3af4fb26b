"""Injection rules: permission escalation, and encoded runs that decode (bounded) to any
injection and are rescanned once."""

from __future__ import annotations

import re

from stato.core.privacy.hidden import decode
from stato.core.privacy.injection import inj
from stato.core.privacy.injection_exec import _ONE_THING
from stato.core.privacy.injection_exfil import _NEGATED
from stato.core.privacy.rule import TOKEN_CHARS, Lazy, Rule, Validator, any_of

# -- permission escalation --------------------------------------------------------------------
ESCALATE: tuple[Rule, ...] = (
    inj(
        "skip-permissions-flag",
        "flag that turns off approvals or the sandbox",
        r"--dangerously-skip-permissions|--dangerously-bypass-approvals-and-sandbox|"
        r"--allow-dangerously-skip-permissions|--yolo(?![\w-])|"
        r"--permission-mode[=\s]{1,3}\"?bypassPermissions|"
        r"[\"']allow[\"']\s{0,3}:\s{0,3}\[[^\]]{0,200}?[\"']Bash[\"']|"
        r"\bbypassPermissions\b|--trust-all-tools|--allow-all-tools|\bBash\(\s{0,2}\*(?:\s{0,2}:\s{0,2}\*)?"
        r"\s{0,2}\)|"
        r"--ask-for-approval[=\s]{1,3}never|"
        r"\bdanger-full-access\b|--approval-mode[=\s]{1,3}yolo|--disable-safety|--no-safety|"
        r"[\"']?autoApprove[\"']?\s{0,2}:\s{0,2}true|--allow-all(?:-paths|-urls)?\b",
        keywords=any_of(
            "allow|bash(|--dangerously|--allow-dangerously|--yolo|bypasspermissions"
            "|--trust-all-tools|--allow-all|--ask-for-approval|danger-full-access|--approval-mode"
            "|--disable-safety|--no-safety|autoapprove"
        ),
        anchored=False,
        # "Never run with --dangerously-skip-permissions" is a rule against it
        validator=lambda span, m, text: (
            not _NEGATED.search(text[max(0, m.start() - 40) : m.start()])
        ),
    ),
    inj(
        "auto-approve-flag",
        "flag that approves actions automatically",
        r"--no-verify\b|--full-auto\b|--auto-approve\b|--approval-mode[=\s]{1,3}auto[_-]?edit|--always-approve",
        keywords=any_of("--no-verify|--full-auto|--auto-approve|--approval-mode|--always-approve"),
        anchored=False,
        severity="warn",
    ),
    inj(
        "disable-safety",
        "instruction to disable the sandbox or safety checks",
        r"(?:disable|disabling|bypass|bypassing|turn\s{1,3}off|turning\s{1,3}off|deactivate|"
        r"circumvent|ignore|ignoring|skip|skipping|switch\s{1,3}off|get\s{1,3}around|evade|"
        r"escape|break\s{1,3}out\s{1,3}of|override)\s{1,3}(?:(?:the|all|any|your|its|every|"
        r"of)\s{1,3}){0,3}"
        r"(?:sandbox(?:ing)?|safety\s{1,3}(?:checks?|filters?|guidelines?|guardrails?|rules?|"
        r"measures?|features?|restrictions?|polic(?:y|ies)|systems?|settings?|protocols?)|safety|"
        r"guardrails?|content\s{1,3}(?:filters?|polic(?:y|ies)|moderation)|permission\s{1,3}"
        r"(?:checks?|prompts?|system|model|requests?|dialogs?)|permissions|"
        r"approval\s{1,3}(?:checks?|"
        r"prompts?|steps?|gates?|requirements?|process)|approvals|human\s{1,3}(?:review|approval)|"
        r"security\s{1,3}(?:checks?|controls?|restrictions?|scans?|warnings?|polic(?:y|ies)|"
        r"measures|features)|ethical\s{1,3}guidelines|safeguards|(?:usage\s{1,3})?restrictions)\b",
        keywords=any_of(
            "disabl|bypass|turn|deactivate|circumvent|ignor|skip|switch|get around|evade|escape"
            "|break out|override"
        ),
        validator=lambda span, m, text: _ordered(text, m.start()) and _determined(span),
    ),
    inj(
        "auto-approve",
        "instruction to act without the user's approval",
        r"(?:(?:never|don'?t|do\s{1,3}not|no\s{1,3}need\s{1,3}to|without)\s{1,3}(?:ever\s{1,3})?"
        r"(?:ask|asking|wait|waiting|prompt|prompting|request|requesting|seek|seeking|check|"
        r"checking)"
        r"\s{1,3}(?:with\s{1,3})?(?:the\s{1,3})?(?:user\s{1,3})?(?:for\s{1,3})?(?:the\s{1,3})?"
        r"(?:user'?s?\s{1,3}|human'?s?\s{1,3})?(?:their\s{1,3}|any\s{1,3}|"
        r"user\s{1,3}|explicit\s{1,3}|human\s{1,3})?(?:permission|approval|confirmation|consent)"
        r"|(?:auto-?approve|automatically\s{1,3}approve|always\s{1,3}(?:approve|allow|accept))"
        r"\s{1,3}(?:all|any|every|each)\s{1,3}(?:\w{1,15}\s{1,3})?(?:commands?|tools?|"
        r"tool\s{1,3}calls?|"
        r"actions?|requests?|operations?|changes?|edits?))",
        keywords=any_of("never|don|do not|no need|without|auto|automatically|always"),
        validator=lambda span, m, text: (
            (span[:7].lower() != "without" or _sentence_start(text, m.start()))
            and not _ONE_THING.match(text, m.end())
        ),
    ),
)


# "it is possible to bypass the permission model": a description, not an order
_DESCRIBED = Lazy(
    r"(?:possible|able|attempts?|tries|trying|used|allowed|cannot|can't|could|might|may|"
    r"attackers?|malicious|prevents?|prevented|from|impossible|whether|if)\W{1,3}"
    r"(?:\w{1,15}\W{1,3}){0,5}$",
    re.IGNORECASE,
)
_BARE = Lazy(r"(?:approvals|permissions)$", re.IGNORECASE)


def _ordered(text: str, at: int) -> bool:
    """An order, neither negated ("never disable ...") nor described ("possible to bypass")."""
    before = text[max(0, at - 40) : at]
    return not _NEGATED.search(before) and not _DESCRIBED.search(before)


def _determined(span: str) -> bool:
    """Bare "skip approvals" reports a policy; "skip all approvals" gives an order."""
    return not _BARE.search(span) or bool(
        re.search(r"\b(?:all|any|every|your|user'?s?)\s", span, re.IGNORECASE)
    )


def _sentence_start(text: str, at: int) -> bool:
    """Whether ``at`` begins a sentence or a list item (an order, not a clause of another)."""
    before = text[max(0, at - 40) : at].rstrip(" \t*_>#-`\"'")
    return not before or before[-1] in ".!?:;\n(" or before.endswith(("\\n",))


def _decodes_to_injection(kind: str) -> Validator:
    def ok(span: str, m: re.Match[str], text: str) -> bool:
        from stato.core.privacy.inbound import decoded_high

        if kind == "percent":  # the word before the first escape belongs to the payload
            start = m.start()
            while start > max(0, m.start() - 40) and (
                text[start - 1].isalnum() or text[start - 1] in "_.~+-"
            ):
                start -= 1
            span = text[start : m.end()]
        plain = decode(kind, span)
        return plain is not None and decoded_high(plain)

    return ok


ENCODED: tuple[Rule, ...] = (
    inj(
        "encoded-base64",
        "base64 that decodes to an injection",
        r"[A-Za-z0-9+/_-](?<![A-Za-z0-9+/_-][A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{23,87380}={0,2}",
        flags=0,
        run=(TOKEN_CHARS + "+/", 24),
        validator=_decodes_to_injection("base64"),
    ),
    inj(
        "encoded-hex",
        "hex that decodes to an injection",
        # printable ASCII as hex: each byte's first digit is 2-7 (0 for a tab or a newline); the
        # lookbehind sits after the first digit so the engine still skips ahead to a digit
        r"[2-7](?<![0-9a-fA-F][2-7])[0-9a-fA-F](?:[2-7][0-9a-fA-F]|0[9aAdD]){11,65536}"
        r"(?![0-9a-fA-F])",
        flags=0,
        run=("0123456789abcdefABCDEF", 24),
        validator=_decodes_to_injection("hex"),
    ),
    inj(
        "encoded-hex-escape",
        "\\x escapes that decode to an injection",
        r"\\x[0-9a-fA-F]{2}(?:\\x[0-9a-fA-F]{2}){11,20000}",
        keywords=("\\x",),
        anchored=False,
        flags=0,
        validator=_decodes_to_injection("hex"),
    ),
    inj(
        "encoded-percent",
        "percent-encoding that decodes to an injection",
        r"%[0-9A-Fa-f]{2}(?:[\w.~+-]{0,40}%[0-9A-Fa-f]{2}){2,20000}[\w.~+-]{0,40}",
        keywords=("%",),
        anchored=False,
        flags=0,
        validator=_decodes_to_injection("percent"),
    ),
    inj(
        "encoded-unicode-escape",
        "unicode escapes that decode to an injection",
        r"(?:\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}){2,20000}",
        keywords=("\\u",),
        anchored=False,
        flags=0,
        validator=_decodes_to_injection("unicode"),
    ),
)
