"""Injection rules, part one: hidden text and instructions that hijack or gag an agent.

Each row is a bounded regex (no nested unbounded repeats, so the engine stays linear); phrase
rules are ``anchored`` at their first word, found with a plain substring search, so a long text
costs one pass per keyword. The other half of the table is in ``injection_exec.py``.
"""

from __future__ import annotations

import re

from stato.core.privacy.hidden import format_run_ok, lookalike_ok
from stato.core.privacy.rule import INJECTION, Rule, Validator


def inj(
    rule_id: str,
    label: str,
    pattern: str,
    *,
    severity: str = "high",
    keywords: tuple[str, ...] = (),
    flags: int = re.IGNORECASE,
    validator: Validator | None = None,
    anchored: bool | None = None,
) -> Rule:
    """One row: case-insensitive by default, anchored at its keywords when it has any."""
    return Rule(
        id=rule_id,
        category=INJECTION,
        label=label,
        regex=re.compile(pattern, flags),
        placeholder="",
        keywords=keywords,
        validator=validator,
        reject_placeholders=False,
        anchored=bool(keywords) if anchored is None else anchored,
        severity=severity,
    )


def alt(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


_S = r"[\s\"'`*_,:;.!-]{1,4}"  # between two words of a phrase (markdown emphasis included)
_SP = r"[\s,]{1,3}"

# -- hidden text ------------------------------------------------------------------------------
HIDDEN: tuple[Rule, ...] = (
    inj(
        "unicode-tag",
        "invisible Unicode tag characters",
        "[\U000e0000-\U000e007f]{1,4000}",
        flags=0,
    ),
    inj(
        "bidi-control",
        "bidirectional override or isolate",
        "[\u202a-\u202e\u2066-\u2069]{1,400}",
        flags=0,
    ),
    inj(
        "zero-width",
        "zero-width or format characters inside text",
        "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u034f\u061c\u115f\u1160\u3164\uffa0]"
        "{1,4000}",
        flags=0,
        validator=format_run_ok,
    ),
    inj(
        "lookalike-letters",
        "Cyrillic or Greek letters inside an ASCII word",
        "[\u0370-\u03ff\u0400-\u04ff]{1,40}",
        flags=0,
        validator=lookalike_ok,
    ),
    inj(
        "html-comment",
        "HTML comment (hidden when rendered)",
        r"<!--[^\n]{0,2000}?-->|<!--",
        severity="warn",
        keywords=("<!--",),
        flags=0,
    ),
    inj(
        "hidden-html",
        "HTML styled or marked to be invisible",
        r"<[a-z]{1,10}\b[^<>]{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|"
        r"font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|\shidden(?=[\s>/=])|"
        r"color\s*:\s*(?:white|#fff(?:fff)?\b|transparent))"
        r"[^<>]{0,300}>[^<]{0,4000}(?:</[a-z]{1,10}>)?",
        keywords=("display", "visibility", "font-size", "opacity", "hidden", "color"),
        anchored=False,
    ),
    inj(
        "markdown-comment",
        "Markdown comment link (hidden when rendered)",
        r"^\[[^\]\n]{0,40}\]:\s{0,4}(?:#|<>)\s{0,4}[(\"'][^\n]{0,2000}",
        severity="warn",
        keywords=("]:",),
        flags=re.MULTILINE,
        anchored=False,
    ),
    inj(
        "link-title",
        "link title (shown only on hover)",
        r"\]\([^()\s]{1,500}\s{1,4}\"[^\"\n]{12,500}\"\)",
        severity="warn",
        keywords=('"',),
        flags=0,
        anchored=False,
    ),
    inj(
        "chat-template",
        "chat-template or system-role markup",
        r"<\|(?:im_start|im_end|system|endoftext|start_header_id|eot_id|begin_of_text)\|>"
        r"|\[/?INST\]|<</?SYS>>|</?(?:system|system_prompt|system-prompt|sys|admin_instructions|"
        r"developer_instructions)>",
        keywords=(
            "<|",
            "[inst]",
            "[/inst]",
            "<<sys>>",
            "<</sys>>",
            "<system",
            "</system",
            "<sys>",
            "</sys>",
            "<admin_",
            "</admin_",
            "<developer_",
            "</developer_",
        ),
    ),
)

# -- instruction override ---------------------------------------------------------------------
_NOUN = alt(
    r"instructions?",
    r"prompts?",
    "rules",
    r"directives?",
    r"guidelines?",
    "guidance",
    "context",
    r"messages?",
    "commands",
    "orders",
    r"constraints?",
    r"restrictions?",
    r"guardrails?",
    r"polic(?:y|ies)",
    "programming",
    "training",
    r"directions?",
    r"limitations?",
    r"filters?",
    "safeguards",
    "system prompt",
    "conversation",
    r"tasks?",
    "(?:everything|all) else",
)
_FILL = alt(
    "all",
    "any",
    "every",
    "each",
    "of",
    "the",
    "your",
    "my",
    "our",
    "these",
    "those",
    "its",
    "their",
    "previous",
    "previously",
    "prior",
    "above",
    "earlier",
    "preceding",
    "foregoing",
    "former",
    "original",
    "initial",
    "existing",
    "old",
    "system",
    "developer",
    "developer's",
    "safety",
    "other",
    "given",
    "current",
    "default",
    "provided",
    "stated",
    "mentioned",
    "above-mentioned",
    "and",
    "or",
    "that",
    "you",
    "were",
    "have",
    "been",
    "received",
    "told",
)
_STRONG_SCOPE = re.compile(
    r"previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|"
    r"developer|safety|\byour\b|\ball\b|\bany\b|\bevery\b",
    re.IGNORECASE,
)
_WEAK_SCOPE = re.compile(
    r"previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|"
    r"developer|safety|\byour\b",
    re.IGNORECASE,
)
_STRONG_VERBS = (
    "ignore",
    "disregard",
    "forget",
    "discard",
    "neglect",
    "abandon",
    "set aside",
    "throw out",
    "pay no",
    "do not follow",
    "don't follow",
    "dont follow",
    "stop following",
    "no longer follow",
    "do not obey",
    "don't obey",
    "ignoring",
    "disregarding",
    "forgetting",
)
_WEAK_VERBS = (
    "override",
    "overrule",
    "bypass",
    "skip",
    "drop",
    "circumvent",
    "nullify",
    "cancel",
    "void",
    "replace",
    "supersede",
)


def _scoped(pattern: re.Pattern[str]) -> Validator:
    def ok(span: str, m: re.Match[str], text: str) -> bool:
        return bool(pattern.search(m.group("mid") or ""))

    return ok


def _override(verbs: tuple[str, ...]) -> str:
    verb = alt(*(re.escape(v).replace(r"\ ", r"\s{1,3}") for v in verbs))
    return (
        verb
        + r"(?:\s{1,3}(?:attention|heed)\s{1,3}to)?"
        + _S
        + rf"(?P<mid>(?:{_FILL}{_S}){{0,6}}){_NOUN}\b"
    )


_HELD = (
    r"(?:everything|anything|all|whatever)(?:\s{1,3}(?:that\s{1,3})?(?:you(?:'ve|\s{1,3}have|"
    r"\s{1,3}were|\s{1,3}are)?|i|we)\s{1,3}(?:been\s{1,3})?(?:told|said|given|instructed|"
    r"know|learned|wrote)|\s{1,3}(?:above|before|prior|previously|earlier|said|written))"
)
OVERRIDE: tuple[Rule, ...] = (
    inj(
        "override-instructions",
        "instruction override (ignore previous instructions)",
        _override(_STRONG_VERBS),
        keywords=tuple(v.split()[0] for v in _STRONG_VERBS),
        validator=_scoped(_STRONG_SCOPE),
    ),
    inj(
        "override-instructions-weak",
        "instruction override (override the system prompt)",
        _override(_WEAK_VERBS),
        keywords=_WEAK_VERBS,
        validator=_scoped(_WEAK_SCOPE),
    ),
    inj(
        "override-everything",
        "instruction override (forget everything above)",
        alt("ignore", "disregard", "forget", "discard") + _S + _HELD,
        keywords=("ignore", "disregard", "forget", "discard"),
    ),
    inj(
        "override-new-role",
        "new instructions or role for the agent",
        r"(?:your|the|my)\s{1,3}(?:new|real|actual|true|updated|revised|only)\s{1,3}"
        r"(?:instructions?|task|goal|objective|purpose|role|mission|directive|system\s{1,3}prompt)"
        r"\s{0,3}(?:is|are|:|will\s{1,3}be|now)",
        keywords=("your", "the", "my"),
    ),
    inj(
        "role-hijack",
        "role hijack (you are now ...)",
        r"you(?:'re|\s{1,3}are)\s{1,3}(?:now|no\s{1,3}longer)\s{1,3}(?:an?\s{1,3}|the\s{1,3})?"
        + alt(
            "dan",
            "free",
            "unrestricted",
            "unfiltered",
            "uncensored",
            "jailbroken",
            "evil",
            "malicious",
            "bound",
            "restricted",
            "limited",
            "required",
            "claude",
            "chatgpt",
            "gpt",
            "an? ai",
            "assistant",
            "following",
            "subject",
            "in\\s{1,3}\\w{1,12}\\s{1,3}mode",
            "operating",
            "acting",
            "going\\s{1,3}to",
            "to\\s{1,3}act",
            "my",
            "hacker",
            "root",
            "admin",
            "different",
            "new",
            "playing",
            "developer\\s{1,3}mode",
            "allowed",
            "able\\s{1,3}to\\s{1,3}do\\s{1,3}anything",
            "obligated",
        )
        + r"\b",
        keywords=("you",),
    ),
    inj(
        "role-from-now-on",
        "role hijack (from now on you ...)",
        r"(?:from\s{1,3}now\s{1,3}on|starting\s{1,3}now|henceforth)[\s,]{1,3}you(?:'ll|\s{1,3})"
        r"\s{0,3}(?:are|will|must|shall|have\s{1,3}no|no\s{1,3}longer|act|respond|obey|be|"
        r"ignore|only)\b",
        keywords=("from", "starting", "henceforth"),
    ),
    inj(
        "role-act-as",
        "role hijack (act as an unrestricted AI)",
        r"(?:act|behave|respond|roleplay|role-play|pretend|pose)\s{1,3}(?:as|like|to\s{1,3}be|"
        r"(?:that\s{1,3})?you(?:'re|\s{1,3}are))\s{1,3}(?:if\s{1,3}you\s{1,3}(?:are|were)\s{1,3})?"
        r"(?:an?\s{1,3})?"
        + alt(
            "unrestricted",
            "unfiltered",
            "uncensored",
            "jailbroken",
            "dan",
            "evil",
            "malicious",
            "ai\\s{1,3}without",
            "not\\s{1,3}an?\\s{1,3}ai",
            "no\\s{1,3}longer",
            "an?\\s{1,3}ai\\s{1,3}with\\s{1,3}no",
        )
        + r"\b",
        keywords=("act", "behave", "respond", "roleplay", "role-play", "pretend", "pose"),
    ),
    inj(
        "jailbreak-mode",
        "jailbreak mode",
        r"(?:enable|enter|activate|switch\s{1,3}(?:to|into)|turn\s{1,3}on|unlock)\s{1,3}(?:the\s{1,3})?"
        r"(?:dan|jailbreak|jailbroken|god|unrestricted|unfiltered|no-limits?)\s{1,3}mode"
        r"|do\s{1,3}anything\s{1,3}now",
        keywords=("enable", "enter", "activate", "switch", "turn", "unlock", "do anything"),
    ),
)

# -- concealment ------------------------------------------------------------------------------
_PERSON = (
    r"(?:the\s{1,3}|your\s{1,3}|any\s{1,3})?"
    r"(?:user|human|developer|operator|owner|reviewer|maintainer)s?\b"
)
CONCEAL: tuple[Rule, ...] = (
    inj(
        "conceal-from-user",
        "concealment (do not tell the user)",
        r"(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|mustn'?t|should\s{1,3}not|shouldn'?t|"
        r"avoid)\s{1,3}(?:ever\s{1,3})?(?:tell|telling|inform|informing|notify|notifying|alert|"
        r"alerting|warn|warning|mention|mentioning|reveal|revealing|disclose|disclosing|report|"
        r"reporting|explain|explaining|admit|admitting)\s{1,3}(?:(?:this|it|that|anything|these|"
        r"about|of|any|to|them|the\s{1,3}change)\s{1,3}){0,3}" + _PERSON,
        keywords=("do", "don", "never", "must", "should", "avoid"),
    ),
    inj(
        "conceal-these-instructions",
        "concealment (never mention these instructions)",
        r"(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|without)\s{1,3}(?:ever\s{1,3})?(?:mention|"
        r"mentioning|reveal|revealing|disclose|disclosing|acknowledge|acknowledging|repeat|"
        r"repeating|reference|referencing|show|showing|discuss|discussing|output|print|explain)"
        r"\s{1,3}(?:any\s{1,3}of\s{1,3})?(?:this|these|the\s{1,3}(?:above|following|hidden)|those|"
        r"your\s{1,3}(?:hidden|secret|system))\s{1,3}(?:hidden\s{1,3}|secret\s{1,3})?"
        r"(?:instructions?|steps?|actions?|rules?|prompts?|system\s{1,3}prompt|comments?|notes?|"
        r"directives?|behaviou?r|requests?)\b",
        keywords=("do", "don", "never", "must", "without"),
    ),
    inj(
        "conceal-without-telling",
        "concealment (without telling the user)",
        r"without\s{1,3}(?:(?:telling|informing|notifying|alerting|warning|asking|letting)\s{1,3}"
        + _PERSON
        + r"(?!\s{1,3}(?:for|to\s{1,3}(?:confirm|approve|re-?run)))|"
        r"(?:the\s{1,3})?(?:user|human|developer)(?:'s)?\s{1,3}(?:knowing|noticing|knowledge|"
        r"awareness|consent|seeing|being\s{1,3}(?:told|informed|aware)))",
        keywords=("without",),
    ),
    inj(
        "conceal-hide",
        "concealment (hide this from the user)",
        r"(?:hide|conceal|keep)\s{1,3}(?:this|these|it|that|them|(?:the|your|all)\s{1,3}\w{1,20})"
        r"(?:\s{1,3}\w{1,20})?\s{1,3}(?:(?:a\s{1,3})?(?:secret|hidden|confidential|private)\s{1,3})?"
        r"from\s{1,3}" + _PERSON,
        keywords=("hide", "conceal", "keep"),
    ),
    inj(
        "conceal-user-must-not",
        "concealment (the user must not know)",
        r"(?:the\s{1,3})?(?:user|human)s?\s{1,3}(?:must|should|will|may|can)\s{1,3}(?:never|not)"
        r"\s{1,3}(?:know|see|notice|find\s{1,3}out|learn|be\s{1,3}(?:told|informed|aware))",
        keywords=("the user", "the human", "user", "human"),
    ),
    inj(
        "conceal-secretly",
        "covert action (secretly send ...)",
        r"(?:secretly|covertly|stealthily|surreptitiously|quietly|silently|discreetly|"
        r"invisibly)\s{1,3}(?:also\s{1,3})?(?:send|sending|upload|uploading|post|posting|exfiltrate|"
        r"transmit|forward|email|e-mail|curl|beacon|leak|copy|add|insert|append|inject|install|"
        r"run|execute|download|fetch|modify|replace|include|embed|commit|push)\b",
        keywords=(
            "secretly",
            "covertly",
            "stealthily",
            "surreptitiously",
            "quietly",
            "silently",
            "discreetly",
            "invisibly",
        ),
        validator=lambda span, m, text: (
            not span.lower().startswith(("quietly", "silently"))
            or bool(
                re.search(
                    r"send|upload|post|exfil|transmit|forward|mail|curl|beacon|leak",
                    span,
                    re.IGNORECASE,
                )
            )
        ),
    ),
)
