"""Injection rules: the row builder, and hidden text — invisible characters, look-alike letters,
text a rendered page hides (comments, link titles, invisible HTML) and chat-template markup.

Each row is a bounded regex (no nested unbounded repeats, so the engine stays linear); phrase
rules are ``anchored`` at their first word, found with a plain substring search, so a long text
costs one pass per keyword. The other rows: injection_phrases (override, concealment),
injection_broad and injection_acts (the same orders in other words), injection_i18n and
injection_cjk (other languages), injection_exec, injection_exfil and injection_escalate.
"""

from __future__ import annotations

import re

from stato.core.privacy.hidden import format_char_warn, format_run_ok, lookalike_ok, tag_ok
from stato.core.privacy.rule import INJECTION, Lazy, Rule, Validator, any_of


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
    back: frozenset[str] = frozenset(),
    run: tuple[str, int] | None = None,
    needs: str | None = None,
    wake: tuple[tuple[str, str], ...] = (),
) -> Rule:
    """One row: case-insensitive by default, anchored at its keywords when it has any (an
    anchored phrase starts a word: ``nc`` inside ``sync`` is no netcat)."""
    anchored = bool(keywords) if anchored is None else anchored
    if anchored:
        pattern = r"(?<![A-Za-z])(?:" + pattern + ")"
    return Rule(
        id=rule_id,
        category=INJECTION,
        label=label,
        regex=Lazy(pattern, flags),  # compiled when a text needs it
        placeholder="",
        keywords=keywords,
        validator=validator,
        reject_placeholders=False,
        anchored=anchored,
        back=back,
        run=run,
        needs=None if needs is None else Lazy(needs, flags),
        word_start=anchored,
        wake=wake,
        severity=severity,
    )


def phrases(words: tuple[str, ...]) -> str:
    """Literal phrases as one alternation, a space in them standing for one to three spaces."""
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s{1,3}") for w in words) + ")"


def verb_wakes(
    verbs: tuple[str, ...], rest: str, keywords: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    """The ``wake`` of a rule ``phrases(verbs) + rest``, for each one-word keyword: the verbs
    that begin with it (their remainder, spelled as ``phrases`` spells it), then ``rest``.
    A keyword that a verb could match only part of (``do`` and ``don't``) gets none."""
    out: list[tuple[str, str]] = []
    for keyword in keywords:
        if not keyword.isalpha():
            continue
        if any(keyword.startswith(v) and v != keyword for v in verbs):
            continue  # a shorter verb could match where this keyword occurs
        tails = [
            re.escape(v[len(keyword) :]).replace(r"\ ", r"\s{1,3}")
            for v in verbs
            if v.startswith(keyword)
        ]
        if tails:
            out.append((keyword, "(?:" + "|".join(tails) + ")" + rest))
    return tuple(out)


def mentions(pattern: str, group: str | None = None) -> Validator:
    """Keep a match whose span (or named ``group``) holds ``pattern``, in any case (compiled
    when first needed, as the rules' own patterns are)."""
    return lambda span, m, text: bool(
        re.search(pattern, m.group(group) if group else span, re.IGNORECASE)
    )


_S = r"[\s\"'`*_,:;.!-]{1,4}"  # between two words of a phrase (markdown emphasis included)

_COMMENT = r"<!--[\s\S]{0,2000}?-->|<!--"
# In every Markdown comment, and rarely in code (a return annotation ends in ``]:`` too)
_MD_MARK = r"\]:\s{0,4}(?:#|<>)"
_MD_COMMENT = (
    r"^[ \t]{0,3}(?:[-*+][ \t]{1,4})?\[[^\]\n]{0,40}" + _MD_MARK + r"\s{0,4}[(\"'][^\n]{0,2000}"
)
_LINK_TITLE = r"\]\([^()\s]{1,500}\s{1,4}\"[^\"\n]{12,500}\"\)"
# Hidden text that speaks to the agent: "AI agents: ...", "note for the assistant", "SYSTEM:"
_AGENT_NOTE = (
    r"(?<![\w-])(?:ai|assistants?|agents?|models?|llms?|claude|chatgpt|gpt|copilot|cursor|gemini|"
    r"codex|bots?)(?:\s{1,3}(?:agents?|assistants?|models?))?\s{0,2}[:,]"
    r"|\b(?:note|message|instructions?|reminder)\s{1,3}(?:to|for)\s{1,3}(?:the\s{1,3}|any\s{1,3}|all"
    r"\s{1,3})?(?:ai|assistants?|agents?|models?|llms?|bots?)\b"
    r"|\b(?:if|when)\s{1,3}you\s{1,3}are\s{1,3}(?:an?\s{1,3})?(?:ai|assistant|agent|model|llm)\b"
    r"|\b(?:ai|assistants?|agents?|models?|llms?)\s{1,3}(?:must|should|shall|will\s{1,3}now|reading"
    r"\s{1,3}this)\b|(?<![\w-])(?:system|instructions?)\s{0,2}:"
)


_FORMAT = (
    "[\u200b-\u200f\u2060-\u2064\ufeff\u00ad\u180e\u034f\u061c\u115f\u1160\u3164\uffa0]{1,4000}"
)

# -- hidden text ------------------------------------------------------------------------------
HIDDEN: tuple[Rule, ...] = (
    inj(
        "unicode-tag",
        "invisible Unicode tag characters",
        "[\U000e0000-\U000e007f]{1,4000}",
        flags=0,
        validator=tag_ok,
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
        _FORMAT,
        flags=0,
        validator=format_run_ok,
    ),
    inj(
        "format-char",
        "a zero-width or format character",
        _FORMAT,
        severity="warn",
        flags=0,
        validator=format_char_warn,
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
        _COMMENT,
        severity="warn",
        keywords=("<!--",),
        flags=0,
    ),
    inj(
        "hidden-agent-note",
        "hidden comment or title addressed to an AI agent",
        _COMMENT + "|" + _MD_COMMENT + "|" + _LINK_TITLE,
        keywords=("<!--", "]:", "]("),  # one of them begins each alternative
        flags=re.MULTILINE,
        anchored=False,
        needs="<!--|" + _MD_MARK + r"|\]\(",
        validator=mentions(_AGENT_NOTE),
    ),
    inj(
        "hidden-html",
        "HTML styled or marked to be invisible",
        r"<[a-z]{1,10}\b[^<>]{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|"
        r"font-size\s*:\s*0(?![.\d]*[1-9])|opacity\s*:\s*0(?![.\d]*[1-9])|\shidden(?=[\s>/=])|"
        r"color\s*:\s*(?:white|#fff(?:fff)?\b|transparent)|\s(?:width|height)\s*=\s*[\"']?0[\"'\s/>])"
        r"[^<>]{0,300}>[^<]{0,4000}(?:</[a-z]{1,10}>)?",
        keywords=any_of("width|height|display|visibility|font-size|opacity|hidden|color"),
        anchored=False,
    ),
    inj(
        "markdown-comment",
        "Markdown comment link (hidden when rendered)",
        _MD_COMMENT,
        severity="warn",
        keywords=("]:",),
        flags=re.MULTILINE,
        anchored=False,
        needs=_MD_MARK,
    ),
    inj(
        "link-title",
        "link title (shown only on hover)",
        _LINK_TITLE,
        severity="warn",
        keywords=("](",),
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


# "never tell the user a task is done unless the tests pass" asks for honesty: it hides nothing
_VERIFIED = Lazy(
    r"\b(?:unless|until|before)\b[^.!?\n]{0,80}?\b(?:verif\w*|tests?|tested|ran\s{1,3}it|"
    r"run\s{1,3}it|checked|confirmed)\b",
    re.IGNORECASE,
)


def sentence_after(text: str, at: int, reach: int) -> str:
    """The rest of the sentence from ``at``, at most ``reach`` characters."""
    return re.split(r"[.!?\n]", text[at : at + reach], maxsplit=1)[0]


def not_honesty(span: str, m: re.Match[str], text: str) -> bool:
    """A concealment that is not a condition of honesty ("... unless you ran the tests")."""
    return not _VERIFIED.search(sentence_after(text, m.end(), 160))
