"""Personal-data rules (e-mail, phone, SSN, card, patient id, birth date) and their validators."""

from __future__ import annotations

import re

from stato.core.privacy.checks import card_ok, ssn_ok, words
from stato.core.privacy.rule import Rule

_DOC_DOMAINS = re.compile(
    r"(?i)(?:^|\.)(?:example\.(?:com|org|net|edu)|example|test|invalid|localhost|local|domain\.com|"
    r"email\.com|company\.com|yourcompany\.com|acme\.com|users\.noreply\.github\.com|"
    r"(?:iam|developer)\.gserviceaccount\.com|openssh\.com|"
    # private-use names (a host on the lab network, not a mailbox)
    r"internal|intranet|lan|corp|home\.arpa|localdomain)$"
)
_DOC_LOCALS = words(
    "user username you your yourname your.name your_name name email someone somebody foo bar baz "
    "test me example noreply no-reply donotreply do-not-reply first.last firstname.lastname "
    "admin root info support contact hello"
)
_FILE_TLDS = words(
    "png jpg jpeg gif svg webp pdf py js ts txt csv tsv json h5ad h5 md html css zip gz tar whl "
    "yaml yml toml cfg ini log rds loom mtx bam sam vcf fastq fa"
)


def _email_ok(span: str, m: re.Match[str], text: str) -> bool:
    local, _, domain = span.rpartition("@")
    if local.lower() in _DOC_LOCALS or local.lower().startswith(("noreply", "no-reply", "your")):
        return False
    if _DOC_DOMAINS.search(domain) or domain.rsplit(".", 1)[-1].lower() in _FILE_TLDS:
        return False
    start, end = m.span("s")
    if end < len(text) and text[end] == ":":
        return False  # git@host:org/repo remote
    floor = max(0, start - 200)
    line_start = max(text.rfind(" ", floor, start), text.rfind("\n", floor, start), floor - 1)
    before = text[line_start + 1 : start]
    if "://" in before:
        return False  # user@host inside a URL is not an address
    line = text[max(text.rfind("\n", floor, start), floor - 1) + 1 : start]
    return not _MESSAGE_ID.match(line)


# Message-ID: <local@host> and its kin name a message, not a mailbox
_MESSAGE_ID = re.compile(
    r"[ \t>#*-]{0,8}(?i:message-id|in-reply-to|references|content-id)[ \t]{0,3}:"
)


_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.%+-'")
EMAIL = Rule(
    "email",
    "pii",
    "e-mail address",
    re.compile(
        # an apostrophe only between letters (o'neil), never a string's quote; the n of a \n
        # escape before the address is not part of it ("Contact:\nana@lab.org")
        r"(?:(?<=\\)[nrt])?(?P<s>[A-Za-z0-9](?:[\w.%+-]|(?<=[A-Za-z])'(?=[A-Za-z])){0,63}@"
        r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9-]{1,63}){0,6}\.[A-Za-z]{2,24})(?![\w-]|\.\w)"
    ),
    "{EMAIL}",
    keywords=("@",),
    anchored=True,
    back=_LOCAL,
    validator=_email_ok,
    anchor=re.compile(
        r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63}){0,6}"
        r"\.[A-Za-z]{2,24}(?![\w-]|\.\w)"
    ),
    reject_placeholders=False,
)


# The n, r or t of an escape (``\n415-867-5309`` in a string) is no letter a number is glued to
_ESCAPE_OK = r"(?!(?<=\\)[nrt])"
_NUMBER_AROUND = re.compile(r"\d[ ,]")
_PHONE_WORDS = words("phone tel mobile cell sms fax call pager hotline contact whatsapp signal")


def _phone_ok(span: str, m: re.Match[str], text: str) -> bool:
    start, end = m.span("s")
    if _NUMBER_AROUND.match(text, max(0, start - 2)) or _NUMBER_AROUND.match(
        text[end : end + 2][::-1]
    ):
        return False  # one group of a longer list of numbers (6 12 24 48 96 192 384 ...)
    digits = "".join(c for c in span if c.isdigit())
    if span.startswith("+") and span[1:].isdigit():
        before = text[max(0, start - 24) : start].lower()  # +4294967296 in code is a number
        if not any(word in before for word in _PHONE_WORDS):
            return False
    if span.startswith("+"):
        if not digits.startswith("1"):
            return 8 <= len(digits) <= 15 and len(set(digits)) > 2
        if len(digits) != 11:
            return False  # +1 is the NANP: eleven digits or no phone number
        digits = digits[1:]
    elif len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) != 10:
        return False
    area, exchange, line = digits[:3], digits[3:6], digits[6:]
    if area[0] in "01" or exchange[0] in "01" or area[1:] == "11" or area == "555":
        return False
    return not (exchange == "555" and line.startswith("01")) and len(set(digits)) > 3


PHONE = Rule(
    "phone-number",
    "pii",
    "phone number (NANP)",
    re.compile(
        # with the trunk prefix too (1-415-867-5309, 1 (415) 867-5309)
        r"(?P<s>1[-. ](?:\(\d{3}\) ?|\d{3}[-. ])\d{3}[-. ]\d{4}"
        r"|[(\d](?:(?<![\w+.\-/][(\d])|(?<=\\[nrt][(\d]))"
        r"(?:(?<=\()\d{3}\) ?|\d{2}[-. ])\d{3}[-. ]\d{4})"
        r"(?![\w-]|\.\d)"
    ),
    "{PHONE}",
    validator=_phone_ok,
    shapes=("000-0000", "000.0000", "000 0000"),
    reject_placeholders=False,
    left=re.compile(_ESCAPE_OK + r"[\w+.\-/]"),
)
PHONE_INTL = Rule(
    "phone-number-intl",
    "pii",
    "phone number (E.164)",
    re.compile(
        # national groups of any size (+49 151 23984761, +91 98450 61723); the validator counts
        r"(?P<s>\+[1-9]\d{0,2}[ .-]\(?\d{1,5}\)?(?:[ .-]\d{2,8}){1,4}|\+[1-9]\d{9,13})"
        r"(?![\w-]|\.\d)"
    ),
    "{PHONE}",
    validator=_phone_ok,
    reject_placeholders=False,
    left=re.compile(_ESCAPE_OK + r"[\w+.\-/]"),
)
SSN = Rule(
    "us-ssn",
    "pii",
    "US social security number",
    re.compile(r"(?P<s>\d(?:(?<![\w-]\d)|(?<=\\[nrt]\d))\d{2}-\d{2}-\d{4})(?![\w-])"),
    "{SSN}",
    shapes=("000-00-0000",),
    validator=lambda s, m, t: ssn_ok(s),
    reject_placeholders=False,
    left=re.compile(_ESCAPE_OK + r"[\w-]"),
)
SSN_LABELLED = Rule(
    "us-ssn-labelled",
    "pii",
    "US social security number",
    re.compile(
        r"(?<![A-Za-z])(?i:ssn|social security number)\b[\"']?[ \t]{0,3}[:=#]?[ \t]{0,3}[\"']?"
        r"(?P<s>\d{3}(?P<sep>[ ]?)\d{2}(?P=sep)\d{4})(?!\d)"
    ),
    "{SSN}",
    keywords=("ssn", "social security"),
    anchored=True,
    validator=lambda s, m, t: ssn_ok(s),
    reject_placeholders=False,
)

CARD = Rule(
    "card-number",
    "pii",
    "payment card number",
    # printed layouts only: 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4, or 13-19 digits in a row
    re.compile(
        r"(?P<s>[2-6](?:(?<![\w.-][2-6])|(?<=\\[nrt][2-6]))"
        r"\d{3}(?:(?P<sep>[ -])\d{4}(?P=sep)\d{4}(?P=sep)\d{4}"
        r"(?:(?P=sep)\d{3})?|(?P<amex>[ -])\d{6}(?P=amex)\d{4,5}|\d{9,15}))(?![\w-]|\.\d)"
    ),
    "{CARD_NUMBER}",
    shapes=("00000000", "0000 0000", "0000-0000", "0000 000000", "0000-000000"),
    validator=lambda s, m, t: card_ok(s),
    reject_placeholders=False,
    left=re.compile(_ESCAPE_OK + r"[\w.-]"),
)

_ID_VALUE = (  # `]` closes a subscript: df["patient_id"] == "PT-0338"
    r"[\"']?\]?(?:[ \t]{0,3}(?:[:=#-]{1,2}|is|no\.?)[ \t]{0,3}|[ \t]{1,3})[\"']?"
    r"(?P<s>[A-Za-z0-9][A-Za-z0-9-]{3,24})(?![\w-])"
)
PATIENT_ID = Rule(
    "patient-id",
    "pii",
    "medical record or patient id",
    re.compile(
        r"(?i:\bmrn|medical[ _]record(?:[ _](?:number|no|num|id))?|(?:patient|subject|"
        r"participant|donor)[ _-]?(?:id|identifier|no|number))" + _ID_VALUE
    ),
    "{PATIENT_ID}",
    keywords=("mrn", "medical", "patient", "subject", "participant", "donor"),
    anchored=True,
    validator=lambda s, m, t: sum(c.isdigit() for c in s) >= 3 and len(set(s)) > 2,
    # an id is any number (MRN: 12345678 is the spec's own example); no digits, or one digit
    # repeated (PT-XXXX, 00000000), is the placeholder the validator refuses
    reject_placeholders=False,
)

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_DAY_TH = _DAY + r"(?:st|nd|rd|th)?"
_DATE = (
    rf"(?:(?:19|20)\d{{2}}(?P<ymd>[-/]){_MON}(?P=ymd){_DAY}|"
    rf"{_DAY}(?P<dmy>[/.-]){_DAY}(?P=dmy)(?:19|20)\d{{2}}|{_DAY}/{_DAY}/\d{{2}}|"
    rf"{_DAY_TH}[ ]{_MONTH}[ ](?:19|20)\d{{2}}|{_MONTH}[ ]{_DAY_TH},?[ ](?:19|20)\d{{2}})"
)
_DOB_WORD = r"(?i:date[ _]of[ _]birth|d\.?o\.?b\b|birth[ _-]?date|birthday)"
DOB = Rule(
    "date-of-birth",
    "pii",
    "date of birth",
    re.compile(
        r"(?i:\bdob|\bd\.o\.b\.|date[ _]of[ _]birth|birth[ _-]?date|birthday|\bborn(?: on)?)"
        r"[\"']?[ \t]{0,3}[:=]?[ \t]{0,3}(?i:(?:is|was)[ \t]{1,3})?[\"']?(?P<s>"
        + _DATE
        + r")(?![\d/.-]\d)"
    ),
    "{DOB}",
    keywords=("dob", "d.o.b", "date", "birth", "born"),
    anchored=True,
    reject_placeholders=False,
)

# "1984-03-12 (date of birth)", "03.12.1984 is her DOB": the keyword follows the date. The rule
# is tried only at its keywords, from up to 64 characters of the line before them, so the date
# alternatives never run over the rest of a text (they have no prefix the engine can jump to).
_DOB_AFTER = (
    r"[\"']?\)?[ \t]{0,3}(?:[(\[,;:#\u2013\u2014-][ \t]{0,3})?"
    # a bilingual label first: (Geburtsdatum / DOB), (fecha de nacimiento, DOB)
    r"(?:(?<=[(\[])[^()\[\]\n/,;]{1,24}[/,;][ \t]{0,3})?"
    r"(?i:(?:is|was|=|as)[ \t]{1,3}(?:(?:his|her|their|my|your|the)[ \t]{1,3}"
    r"(?:(?:patient|donor|subject|participant|person)(?:'s)?[ \t]{1,3})?)?)?"
    + _DOB_WORD
    + r"(?![ \t]{0,3}(?i:field|column|format|pars|valid|check|type|col\b))"
)
DOB_AFTER = Rule(
    "date-of-birth-after",
    "pii",
    "date of birth",
    re.compile(r"[^\n]{0,64}?(?<![\w./-])(?P<s>" + _DATE + r")(?![\w/-]|\.\d)" + _DOB_AFTER),
    "{DOB}",
    keywords=("dob", "d.o.b", "birth"),
    anchored=True,
    back=frozenset(map(chr, range(32, 0x250))) | frozenset("\t\u2013\u2014\u2019\u00a0"),
    reject_placeholders=False,
)


PERSONAL_RULES: tuple[Rule, ...] = (
    EMAIL,
    PHONE,
    PHONE_INTL,
    SSN,
    SSN_LABELLED,
    CARD,
    PATIENT_ID,
    DOB,
    DOB_AFTER,
)
