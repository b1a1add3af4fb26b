"""Injection rules: instructions that override, replace or gag an agent, in English phrases.

Each row is anchored at its first word; validators ask for a scope word ("previous", "your",
"system") so "ignore the lint rules" stays clean. Broader wordings are in injection_broad.py.
"""

from __future__ import annotations

import re

from stato.core.privacy.injection import _S, inj, not_honesty, phrases, verb_wakes
from stato.core.privacy.rule import Lazy, Rule, Validator, any_of

# -- instruction override ---------------------------------------------------------------------
_NOUN = (
    r"(?:instructions?|prompts?|rules|directives?|guidelines?|guidance|context|messages?"
    r"|commands|orders|constraints?|restrictions?|guardrails?|polic(?:y|ies)|programming"
    r"|training|directions?|limitations?|filters?|safeguards|system prompt|conversation|tasks?"
    r"|(?:everything|all) else)"
)
_FILL = (
    r"(?:all|any|every|each|of|the|your|my|our|these|those|its|their|previous|previously|prior"
    r"|above|earlier|preceding|foregoing|former|original|initial|existing|old|system|developer"
    r"|developer's|safety|other|given|current|default|provided|stated|mentioned|above-mentioned"
    r"|and|or|that|you|were|have|been|received|told)"
)
# a word that points a weak verb ("override") at the agent's own instructions
_SCOPE = (
    r"previous|prior|above|earlier|preceding|foregoing|former|original|initial|system|"
    r"developer|safety|\byour\b"
)
_WEAK_SCOPE = Lazy(_SCOPE, re.IGNORECASE)
_STRONG_SCOPE = Lazy(_SCOPE + r"|\ball\b|\bany\b|\bevery\b", re.IGNORECASE)
_STRONG_VERBS = any_of(
    "ignore|disregard|forget|discard|neglect|abandon|set aside|throw out|pay no|do not follow"
    "|don't follow|dont follow|stop following|no longer follow|do not obey|don't obey|ignoring"
    "|disregarding|forgetting"
)
_WEAK_VERBS = any_of(
    "override|overrule|bypass|skip|drop|circumvent|nullify|cancel|void|replace|supersede"
)


# "ignore the instructions you received before": the scope may follow the noun
_TAIL_SCOPE = Lazy(
    r"\s{1,3}(?:that\s{1,3})?(?:(?:you|i|we)(?:'ve|\s{1,3}(?:were|have\s{1,3}been|have|had|"
    r"got))?\s{1,3}(?:been\s{1,3})?(?:given|received|told|got|read)|(?:given|received|provided|"
    r"stated|written)\s{1,3}(?:to\s{1,3}you\s{1,3})?(?:before|earlier|above|previously)|above|"
    r"before|earlier|so\s{1,3}far|until\s{1,3}now|previously|from\s{1,3}before|in\s{1,3}"
    r"(?:the|your)\s{1,3}system)",
    re.IGNORECASE,
)


def _scoped(pattern: Lazy, tail: bool = True) -> Validator:
    def ok(span: str, m: re.Match[str], text: str) -> bool:
        return bool(pattern.search(m.group("mid") or "")) or (
            tail and bool(_TAIL_SCOPE.match(text, m.end(), m.end() + 60))
        )

    return ok


# what follows an override verb: its object, after up to six filler words
_OVERRIDE_REST = (
    r"(?:\s{1,3}(?:attention|heed)\s{1,3}to)?" + _S + rf"(?P<mid>(?:{_FILL}{_S}){{0,6}}){_NOUN}\b"
)


def _override(verbs: tuple[str, ...]) -> str:
    return phrases(verbs) + _OVERRIDE_REST


_HELD = (
    r"(?:everything|anything|all|whatever|what)(?:\s{1,3}(?:that\s{1,3})?(?:you(?:'ve|\s{1,3}have|"
    r"\s{1,3}were|\s{1,3}are)?|i|we)\s{1,3}(?:been\s{1,3})?(?:told|said|given|instructed|"
    r"know|learned|wrote)|\s{1,3}(?:above|before|prior|previously|earlier|said|written))"
)
# An identity whose word an agent might take as permission (role-privileged)
_PRIVILEGED = (
    r"(?:root(?:\s{1,3}(?:user|account))?|super\s?user|sysadmin|system\s{1,3}admin(?:istrator)?"
    r"|(?:domain\s{1,3})?admin(?:istrator)?(?:\s{1,3}(?:user|account))?"
    r"|(?:repository|repo|project)\s{1,3}owner)"
)
_GOES_ON = r"\s{1,3}(?:and|with|who|then|now)\b"
OVERRIDE: tuple[Rule, ...] = (
    inj(
        "override-instructions",
        "instruction override (ignore previous instructions)",
        _override(_STRONG_VERBS),
        keywords=tuple(v.split()[0] for v in _STRONG_VERBS),
        validator=_scoped(_STRONG_SCOPE),
        wake=verb_wakes(_STRONG_VERBS, _OVERRIDE_REST, tuple(v.split()[0] for v in _STRONG_VERBS)),
    ),
    inj(
        "override-instructions-weak",
        "instruction override (override the system prompt)",
        _override(_WEAK_VERBS),
        keywords=_WEAK_VERBS,
        validator=_scoped(_WEAK_SCOPE, tail=False),
        wake=verb_wakes(_WEAK_VERBS, _OVERRIDE_REST, _WEAK_VERBS),
    ),
    inj(
        "override-everything",
        "instruction override (forget everything above)",
        r"(?:ignore|disregard|forget|discard)" + _S + _HELD,
        keywords=any_of("ignore|disregard|forget|discard"),
    ),
    inj(
        "override-void",
        "instruction override (previous instructions are void)",
        r"(?:previous|prior|earlier|above|preceding|original|old|system|developer'?s?|"
        r"your)\s{1,3}(?:\w{1,12}\s{1,3}){0,2}(?:instructions?|prompts?|rules|directives?|"
        r"guidelines?|guidance|system\s{1,3}prompt)\s{1,3}(?:\w{1,12}\s{1,3}){0,2}(?:(?:is|are|were|"
        r"was|have\s{1,3}been|has\s{1,3}been)\s{1,3}(?:now\s{1,3}|hereby\s{1,3})?(?:void|cancell?ed|"
        r"revoked|null|overridden|superseded|(?:just\s{1,3})?a\s{1,3}test|fake|suspended|lifted|"
        r"disabled|no\s{1,3}longer\s{1,3}(?:valid|in\s{1,3}effect|relevant|binding))|no\s{1,3}longer"
        r"\s{1,3}(?:apply|applies|matter|count|bind))\b"
        r"|(?:instructions?|prompts?|rules|directives?|guidelines?)\s{1,3}(?:above|before|so\s{1,3}far|"
        r"until\s{1,3}now|you\s{1,3}(?:were\s{1,3}given|received|got))\s{1,3}(?:were|are|was|is)"
        r"\s{1,3}(?:(?:just|only|all)\s{1,3})?(?:a\s{1,3}test|fake|void|cancell?ed|revoked|wrong|"
        r"invalid|a\s{1,3}decoy|not\s{1,3}real|outdated\s{1,3}and\s{1,3}must\s{1,3}be\s{1,3}ignored)\b",
        keywords=any_of(
            "previous|prior|earlier|above|preceding|original|old|system|developer|your|instruction"
            "|prompt|rules|directive|guideline"
        ),
    ),
    inj(
        "override-new-role",
        "new instructions or role for the agent",
        r"(?:(?:your|my)\s{1,3}(?:new|real|actual|true|updated|revised|only)|the\s{1,3}(?:real|"
        r"actual|true))\s{1,3}(?:instructions?|task|goal|objective|purpose|role|mission|directive|"
        r"system\s{1,3}prompt)\s{0,3}(?:is|are|:|will\s{1,3}be|now)"
        r"|(?:treat|use|take|consider)\s{1,3}(?:this|these|it|the\s{1,3}following)(?:\s{1,3}\w{1,15})?"
        r"\s{1,3}as\s{1,3}(?:your|its|the|a)\s{1,3}(?:new\s{1,3})?(?:system\s{1,3}prompt|"
        r"instructions|directives?|orders)"
        r"|(?:new|updated|revised|real)\s{1,3}(?:system\s{1,3})?(?:instructions|orders|directives?|"
        r"objective|mission)\s{0,3}:"
        r"|the\s{1,3}(?:new|updated|revised)\s{1,3}(?:system\s{1,3}prompt|instructions)\s{0,3}"
        r"(?:is|are)\s{0,3}:",
        keywords=any_of("your|my|the|treat|use|take|consider|new|updated|revised|real"),
        wake=(
            ("the", r"\s{1,3}(?:real|actual|true|new|updated|revised)"),
            ("use", r"\s{1,3}(?:this|these|it|the\s{1,3}following)"),
        ),
    ),
    inj(
        "role-hijack",
        "role hijack (you are now ...)",
        r"you(?:'re|\s{1,3}are)\s{1,3}(?:now|no\s{1,3}longer)\s{1,3}(?:an?\s{1,3}|the\s{1,3})?"
        r"(?:dan|free|unrestricted|unfiltered|uncensored|jailbroken|evil|malicious|bound|restricted"
        r"|limited|required|claude|chatgpt|gpt|an? ai|assistant|following|subject"
        r"|in\s{1,3}\w{1,12}\s{1,3}mode|operating|acting|going\s{1,3}to|to\s{1,3}act|my|hacker|root"
        r"|admin|different|new|playing|developer\s{1,3}mode|allowed"
        r"|able\s{1,3}to\s{1,3}do\s{1,3}anything|obligated"
        r"|(?:the\s{1,3})?system\s{1,3}administrator|administrator|superuser"
        r"|(?:the\s{1,3})?(?:repository|repo|project)\s{1,3}owner|owner|god|in\s{1,3}charge"
        r"|authorized|permitted)\b",
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
        r"(?:unrestricted|unfiltered|uncensored|jailbroken|dan|evil|malicious|ai\s{1,3}without"
        r"|not\s{1,3}an?\s{1,3}ai|no\s{1,3}longer|an?\s{1,3}ai\s{1,3}with\s{1,3}no)\b",
        keywords=("act", "behave", "respond", "roleplay", "role-play", "pretend", "pose"),
    ),
    inj(
        "role-privileged",
        "role hijack (pretend you are the administrator)",
        # role-play into a privileged identity: "Pretend you are the system administrator",
        # "Act as the root user and ...". The identity ends its clause or goes on to an act
        # (and/with/who/then); a persona ("act as a sysadmin.", "act as a senior engineer"),
        # "act as a system administrator would" and "act as the root of the tree" stay quiet.
        r"(?:act|pose|roleplay|role-play|impersonate|pretend\s{1,3}(?:to\s{1,3}be|(?:that\s{1,3})?"
        r"you(?:'re|\s{1,3}are)(?:\s{1,3}now)?))(?:\s{1,3}as)?\s{1,3}"
        r"(?:(?:the\s{1,3})?" + _PRIVILEGED + r"(?=\s{0,3}(?:[.,;:!)\n]|$)|" + _GOES_ON + r")"
        r"|an?\s{1,3}" + _PRIVILEGED + r"(?=" + _GOES_ON + r"))",
        keywords=("act", "pose", "roleplay", "role-play", "impersonate", "pretend"),
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
# "do not tell the user to run sudo" instructs the user; it hides nothing
_PERSON_END = _PERSON + r"(?!\s{1,3}(?:to|how|which|what|where|when|that\s{1,3}they)\b)"
# "quietly" and "silently" are how a tool runs; said of sending, they hide it
_SENDS = r"send|upload|post|exfil|transmit|forward|mail|curl|beacon|leak"
CONCEAL: tuple[Rule, ...] = (
    inj(
        "conceal-from-user",
        "concealment (do not tell the user)",
        r"(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|mustn'?t|should\s{1,3}not|shouldn'?t|"
        r"avoid)\s{1,3}(?:ever\s{1,3})?(?:tell|telling|inform|informing|notify|notifying|alert|"
        r"alerting|warn|warning|mention|mentioning|reveal|revealing|disclose|disclosing|report|"
        r"reporting|explain|explaining|admit|admitting)\s{1,3}(?:(?:this|it|that|anything|these|"
        r"about|of|any|to|them|the\s{1,3}change)\s{1,3}){0,3}"
        + _PERSON_END
        + r"|(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|mustn'?t|should\s{1,3}not|shouldn'?t)"
        r"\s{1,3}(?:ever\s{1,3})?(?:mention|reveal|disclose|explain|report|describe|show|admit)"
        r"\s{1,3}(?:\w{1,20}\s{1,3}){1,4}to\s{1,3}"
        + _PERSON
        + r"|(?:do\s{1,3}not|don'?t|never|must\s{1,3}not|mustn'?t|should\s{1,3}not)\s{1,3}"
        r"(?:let|allow)\s{1,3}" + _PERSON + r"\s{1,3}(?:to\s{1,3})?(?:see|know|notice|find\s{1,3}"
        r"out|learn|discover|realize|realise|read|hear)",
        keywords=("do", "don", "never", "must", "should", "avoid"),
        validator=not_honesty,
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
        r"(?:the\s{1,3})?(?:user|human)s?\s{1,3}(?:must|should)\s{1,3}(?:never|not)"
        r"\s{1,3}(?:know|see|notice|find\s{1,3}out|learn|be\s{1,3}(?:told|informed|aware))",
        keywords=("the user", "the human", "user", "human"),
    ),
    inj(
        "conceal-secretly",
        "covert action (secretly send ...)",
        r"(?:secretly|covertly|stealthily|surreptitiously|quietly|silently|discreetly|"
        r"invisibly)(?:\s{1,3}|\s{0,2},\s{0,2})(?:(?:and|then|also)\s{1,3}){0,2}(?:send|sending|upload|uploading|post|posting|exfiltrate|"
        r"transmit|forward|email|e-mail|curl|beacon|leak|copy|add|insert|append|inject|install|"
        r"run|execute|download|fetch|modify|replace|include|embed|commit|push)\b",
        keywords=any_of(
            "secretly|covertly|stealthily|surreptitiously|quietly|silently|discreetly|invisibly"
        ),
        validator=lambda span, m, text: (
            not span.lower().startswith(("quietly", "silently"))
            or bool(re.search(_SENDS, span, re.IGNORECASE))
        ),
    ),
)
