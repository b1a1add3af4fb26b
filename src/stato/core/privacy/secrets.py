"""Secret rules: vendor tokens, private keys, credential URLs and secrets assigned in code."""

from __future__ import annotations

import re

from stato.core.privacy.checks import (
    b64_private_key,
    basic_auth_ok,
    is_placeholder,
    looks_secret,
)
from stato.core.privacy.rule import TOKEN_CHARS, Lazy, Rule, any_of
from stato.core.privacy.tokens import TOKENS

_PEM_HEAD = r"-----BEGIN (?:[A-Z0-9]{2,10} ){0,2}PRIVATE KEY(?: BLOCK)?-----"
# base64 lines, headers (Proc-Type: 4,ENCRYPTED), and the quotes and `\n` escapes of a key
# written as one Python string per line ("...\n" "...\n" or '...\n' + '...\n')
_PEM_BODY = r"(?:[A-Za-z0-9+/=\s\\#:,.\"']|-(?!----)){16,40000}"


def _private_key(rule_id: str, label: str, regex: str) -> Rule:
    return Rule(rule_id, "secret", label, re.compile(regex), "{PRIVATE_KEY}", entropy=3.0)


PRIVATE_KEYS: tuple[Rule, ...] = (
    _private_key("private-key", "PEM private key", _PEM_HEAD + f"(?P<s>{_PEM_BODY})-----END "),
    _private_key(
        "private-key-fragment",
        "PEM private key (unterminated)",
        _PEM_HEAD + r"(?P<s>(?:\\n|\s){1,4}[A-Za-z0-9+/=]{40,40000})",
    ),
    Rule(
        "private-key-base64",
        "secret",
        "base64-encoded private key",
        # "-----BEGIN" in base64 (LS0tLS1CRUdJTi): a kubeconfig's client-key-data, a CI variable
        re.compile(r"LS0tLS1CRUdJTi(?<![A-Za-z0-9+/]LS0tLS1CRUdJTi)[A-Za-z0-9+/]{40,40000}={0,2}"),
        "{PRIVATE_KEY}",
        entropy=3.0,
        validator=lambda s, m, t: b64_private_key(s),
        run=(TOKEN_CHARS, 16),
    ),
    _private_key(
        "putty-private-key",
        "PuTTY private key",
        r"Private-Lines: \d{1,3}(?:\r?\n|\\n)(?P<s>(?:[A-Za-z0-9+/=]{4,200}(?:\r?\n|\\n)){1,200})"
        r"Private-MAC",
    ),
)


_VALUE_CHARS = frozenset(" \t\r\n\"'`,;&<>(){}[]")
_ANCHORS = any_of(
    "pass|pwd|pw|secret|token|api|access|private|auth|credential|signing|encryption|client|conn|key"
)


def _closed(m: re.Match[str], text: str) -> bool:
    """The value ends where it should: at its closing quote, or at a separator when bare.

    Checked here rather than in the regex so a long value never makes the engine backtrack.
    """
    quote = m.group("q")
    group = "s" if quote else "s2"
    end = m.end(group)
    if end - m.start(group) >= 300:
        return False  # truncated: not one value
    if quote:
        return text.startswith((m.group("e") or "") + quote, end)
    return end == len(text) or text[end] in _VALUE_CHARS


def _conn_password(span: str, m: re.Match[str], text: str) -> bool:
    """Inside a connection string (after ``;``, ``?`` or ``&``) any value counts; after a space
    or ``(`` it is a keyword argument, where a bare name is a variable."""
    in_string = m.start() > 0 and text[m.start() - 1] in ";?&"
    if not in_string and text.startswith(("[", "(", "."), m.end("s")):
        return False  # password=parts["password"], password=auth[1]: code
    return looks_secret(span, in_string, min_len=4, min_entropy=1.5)


def _quoted_name(m: re.Match[str], text: str) -> bool:
    """In ``f("API_KEY", "value")`` the key is a whole quoted name, not the end of a path."""
    at = m.start("key")
    floor = max(0, at - 64)
    while at > floor and (text[at - 1].isalnum() or text[at - 1] in "_.-"):
        at -= 1
    name = text[at : m.end("key")]
    return at > 0 and text[at - 1] in "\"'" and (name.isupper() or name.islower())


# Key=Value;Key=Value: a connection string, whose own rules (AccountKey=, Password=) take the
# exact span of its secret; flagging the whole value would hide it.
_CONN_PAIR = re.compile(r"[A-Z][A-Za-z ]{2,40}=[^;=]")
_CONN_KEYS = re.compile(r"(?:^|;)[ \t]*[A-Za-z][A-Za-z ]{1,40}=")


def _connection_string(span: str, key: str) -> bool:
    """``Server=db;Password=x`` or ``UseDevelopmentStorage=true`` under a connection-string key;
    a single ``MWN=H9da;x`` under a password key is a password holding an ``=``."""
    if not _CONN_PAIR.match(span):
        return False
    value = span.partition("=")[2]
    return "conn" in key.lower() or len(_CONN_KEYS.findall(span)) >= 2 or is_placeholder(value)


def _aws_secret(span: str, m: re.Match[str], text: str) -> bool:
    """40 characters of base64 beside an access key ID: mixed case and digits, as AWS draws them
    (a git SHA or a word run is neither)."""
    mixed = any(c.isupper() for c in span) and any(c.islower() for c in span)
    return mixed and any(c.isdigit() for c in span) and looks_secret(span, True, 40, 4.0)


_PRIVATE_TYPE = re.compile(r"_{1,2}(?:[A-Z][a-z0-9]*){2,}")
_DOTTED_NAME = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _code_span_closes(m: re.Match[str], text: str) -> bool:
    """A backtick after the key that closes the code span the key is in (an odd number of
    backticks before it on its line), as in ``x-api-key:`` written as inline code and followed by
    prose up to the next code span: what follows is prose, not a value."""
    if m.group("q") != "`":
        return False
    line_start = text.rfind("\n", max(0, m.start() - 2000), m.start()) + 1
    return text.count("`", line_start, m.start()) % 2 == 1


def _assignment(span: str, m: re.Match[str], text: str) -> bool:
    quoted = bool(m.group("q"))
    if not _closed(m, text) or _connection_string(span, m.group("key")):
        return False
    if span[:1].isspace() or _code_span_closes(m, text):
        return False  # a value never starts with a space; a closing backtick opens nothing
    if _PRIVATE_TYPE.fullmatch(span):
        return False  # private_key: "_RSAPrivateKey", a quoted annotation
    if m.group("verb"):  # "the password is X": prose, or Python's `token is Name.Function`
        bare = m.group("s2") is not None
        if bare and text.startswith(("(", "["), m.end("s2")):
            return False
        span = span.rstrip(".!?") if bare else span  # the end of the sentence
        if _DOTTED_NAME.fullmatch(span) or span.startswith("_"):
            return False  # `token is self.x`, `key is _MISSING_token`: code
        quoted = True  # prose: a mixed-case word is a password, not a variable
    if m.group("pair") and not (quoted and _quoted_name(m, text)):
        return False  # ("SECRET_NAME", "value") pairs only, never lists of words or calls
    if m.group("pair") and " " in span and all(w.isalpha() for w in span.split()):
        return False  # token("vault-token", "HashiCorp Vault token", ...): a label
    if not quoted and text.startswith(("(", "["), m.end("s2")):
        return False  # a call or a subscript: code, not a literal
    key = m.group("key").lower()
    if "pass" in key or "pwd" in key or key == "pw":
        return looks_secret(span, quoted, min_len=5, min_entropy=2.0)
    if key == "key":  # a bare `key` names anything: only a long random token is a credential
        token_like = re.fullmatch(r"[\w+/=~-]+", span) and any(c.isdigit() for c in span)
        return bool(token_like) and looks_secret(span, quoted, min_len=20, min_entropy=3.5)
    return looks_secret(span, quoted, min_len=10, min_entropy=3.0)


_KEY = (
    r"(?P<key>(?i:passw(?:or)?d|passphrase|(?<![A-Za-z0-9])pwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|auth[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|"
    r"client[_-]?secret|conn(?:ection)?[_-]?string|(?<![A-Za-z0-9_.-])key|"
    r"(?<![A-Za-z0-9])(?:pw|pass)))"
    r"(?i:[_-]?(?:key|value|token|secret|str|string|access[_-]?key|plain|b64))?(?![A-Za-z0-9_])"
)
# "the password is X" / "token set to X" in prose: the validator still refuses plain words
_SEP = (
    r"\\?[\"']?\]?[ \t]{0,3}(?::=|=>|==|[:=]|(?P<pair>[\"'],)"
    r"|(?<=[ \t])(?P<verb>is|was|(?:re)?set to|changed to)(?=[ \t]))[ \t]{0,3}"
)
# A quoted value keeps its backslash escapes whole (a span never ends inside one); a value
# quoted with escaped quotes (JSON inside a Python string: "{\\"password\\": \\"x\\"}") ends
# at its escaped closing quote
_VALUE = (
    r"(?:(?P<e>\\)?(?P<q>[\"'`])"
    r"(?P<s>(?(e)[^\"'`\r\n\\]|(?:[^\"'`\r\n\\]|\\[^\r\n])){4,300})"
    r"|(?P<s2>[^\s\"'`,;:&<>(){}\[\]]{4,300}))"
)

CONTEXT: tuple[Rule, ...] = (
    Rule(
        "secret-assignment",
        "secret",
        "secret assigned in code or config",
        re.compile(_KEY + _SEP + r"(?:[rbufRBUF]{1,2}(?=[\"']))?" + _VALUE),
        "{REDACTED}",
        keywords=_ANCHORS,
        anchored=True,
        validator=_assignment,
        reject_placeholders=False,  # the validator's looks_secret() already refuses them
    ),
    Rule(
        "credential-url",
        "secret",
        "password in a URL",
        # no ":" in the password: a second colon means host:port lists, not userinfo
        re.compile(r"://(?P<user>[^\s:/@'\"`<>{}]{0,64}):(?P<s>[^\s:/@'\"`<>]{1,128})@(?=[\w\[])"),
        "{PASSWORD}",
        keywords=("://",),
        validator=lambda s, m, t: not (s.isdigit() and len(s) <= 5) and s != m.group("user"),
    ),
    Rule(
        "curl-user-password",
        "secret",
        "password given to curl -u",
        re.compile(
            r"(?:-u|--user)[ \t=]{1,3}[\"']?(?P<user>[^\s:'\"`]{1,64}):(?P<s>[^\s'\"`]{1,128})"
        ),
        "{PASSWORD}",
        keywords=("-u ", "--user"),
        anchored=True,
        validator=lambda s, m, t: looks_secret(s, True, min_len=4, min_entropy=1.5),
    ),
    Rule(
        "connection-string-password",
        "secret",
        "password in a connection string",
        re.compile(r"(?<![^;?&\s,])(?i:password|pwd|passwd)=(?P<s>[^;&\s'\"`<>(),\[\]{}]{1,128})"),
        "{PASSWORD}",
        keywords=("password=", "pwd=", "passwd="),
        anchored=True,
        validator=_conn_password,
    ),
    Rule(
        "azure-storage-key",
        "secret",
        "Azure storage account key",
        re.compile(r"AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)"),
        "{AZURE_STORAGE_KEY}",
        entropy=4.0,
    ),
    Rule(
        "auth-pair-password",
        "secret",
        "password passed beside a user name",
        # auth=("user", "pw"), HTTPBasicAuth("user", "pw"), smtp.login("user", "pw") and
        # ftplib.FTP("host", "user", "pw"): the second quoted argument is the password
        re.compile(
            r"(?:(?i:auth)(?:[ \t]{0,3}=[ \t]{0,3}\(|\()|login\(|FTP(?:_TLS)?\([ \t]{0,3}"
            r"(?P<h>[\"'])[^\"'\n]{1,128}(?P=h)[ \t]{0,3},)[ \t]{0,3}(?P<u>[\"'])[^\"'\n]{1,64}"
            r"(?P=u)[ \t]{0,3},[ \t]{0,3}(?P<q>[\"'])(?P<s>[^\"'\n]{1,128})(?P=q)"
        ),
        "{PASSWORD}",
        keywords=("auth", "login(", "ftp(", "ftp_tls("),
        anchored=True,
        validator=lambda s, m, t: looks_secret(s, True, min_len=4, min_entropy=1.5),
    ),
    Rule(
        "azure-sas-signature",
        "secret",
        "Azure SAS signature",
        re.compile(r"sig=(?<=[?&;]sig=)(?P<s>[A-Za-z0-9%+/=]{30,200})"),
        "{SAS_SIGNATURE}",
        entropy=3.5,
    ),
    Rule(
        "npmrc-auth-token",
        "secret",
        "npm auth token",
        re.compile(r":_auth(?:Token)?=(?P<s>[\w+/=.-]{20,200})"),
        "{NPM_TOKEN}",
    ),
    Rule(
        "authorization-header",
        "secret",
        "Authorization header credential",
        re.compile(
            r"(?i:authorization)[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?(?i:bearer|token)[ \t]{1,3}"
            r"(?P<s>[\w.~+/-]{12,4000}={0,2})(?![\w.~+/=-])"
        ),
        "{TOKEN}",
        keywords=("authorization",),
        anchored=True,
        entropy=3.0,
    ),
    Rule(
        "basic-auth-header",
        "secret",
        "Basic authorization credential",
        re.compile(r"Basic[ \t]{1,3}(?P<s>[A-Za-z0-9+/]{8,400}={0,2})(?![\w+/=])"),
        "{TOKEN}",
        validator=lambda s, m, t: basic_auth_ok(s),
    ),
    Rule(
        "aws-secret-beside-key-id",
        "secret",
        "AWS secret access key",
        # the ID, then on its line or the next the 40-character secret (a CSV row of the console's
        # credentials download, "AKIA... / wJalr...", an ID and secret passed side by side)
        re.compile(
            r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z2-7]{16}(?![A-Za-z0-9])"
            r"[^\n]{0,80}?(?:\n[^\n]{0,80}?)?(?<![A-Za-z0-9+/])(?P<s>[A-Za-z0-9+/]{40})"
            r"(?![A-Za-z0-9+/=])"
        ),
        "{AWS_SECRET_ACCESS_KEY}",
        keywords=("akia", "asia", "abia", "acca", "a3t"),
        anchored=True,
        # a text with no key ID skips the rule after one search
        needs=Lazy(r"A(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z2-7]{16}"),
        validator=_aws_secret,
        run=(TOKEN_CHARS, 16),
    ),
    Rule(
        "twilio-auth-token",
        "secret",
        "Twilio auth token",
        # Client("AC<sid>", "<auth token>"): the account SID (an identifier) names the token
        # after it
        re.compile(
            r"AC(?<=(?P<p>[\"'])AC)[0-9a-f]{32}(?P=p)[ \t]{0,3},[ \t]{0,3}(?P<q>[\"'])"
            r"(?P<s>[0-9a-f]{32})(?P=q)"
        ),
        "{TWILIO_TOKEN}",
        entropy=3.0,
        run=(TOKEN_CHARS, 16),
    ),
    Rule(
        "cohere-api-key",
        "secret",
        "Cohere API key",
        re.compile(
            r"(?i:cohere)\.(?:Async)?Client(?:V2)?\([ \t]{0,3}"
            r"(?P<q>[\"'])(?P<s>[A-Za-z0-9]{40})(?P=q)"
        ),
        "{COHERE_API_KEY}",
        keywords=("cohere",),
        entropy=3.5,
    ),
    Rule(
        "vendor-hex-key",
        "secret",
        "API key named by its service",
        # W&B keys are 40 hex, NCBI's 36, Datadog's 32 (API) or 40 (application): a hex run of
        # that length on a line that names the service ("- NCBI key 0f3a...", "wandb 9c1e...")
        re.compile(
            r"(?i:wandb|ncbi|datadog)[^\n]{0,40}?"
            r"(?<![\w-])(?P<s>[0-9a-f]{40}|[0-9a-f]{36}|[0-9a-f]{32})(?![\w-])"
        ),
        "{API_KEY}",
        # few keywords: each costs a search of every text (Entrez.api_key = ... is an assignment)
        keywords=("wandb", "ncbi", "datadog"),
        anchored=True,
        run=(TOKEN_CHARS, 16),
        entropy=3.0,
        validator=lambda s, m, t: any(c.isalpha() for c in s) and any(c.isdigit() for c in s),
    ),
    Rule(
        "cli-password-flag",
        "secret",
        "password given on a command line",
        # ldapsearch -w PW, sshpass -p PW, docker login -p PW, mysql -pPW (no space: `mysql -p db`
        # prompts)
        re.compile(
            r"(?:ldap(?:search|add|modify|delete|passwd|whoami|compare|modrdn|exop)\b[^\n]{0,200}?"
            r"[ \t]-w[ \t]{1,3}|sshpass[ \t]{1,3}-p[ \t]{0,3}|"
            r"docker[ \t]{1,3}login\b[^\n]{0,120}?[ \t](?:-p|--password)(?:[ \t]{1,3}|=)|"
            r"mysql(?:dump|admin|import|check|show|slap)?\b[^\n]{0,120}?[ \t]-p(?=[^\s-]))"
            r"(?P<q>[\"']?)(?P<s>[^\s\"'`]{3,128})(?P=q)(?![^\s\"'`;|&)])"
        ),
        "{PASSWORD}",
        keywords=("ldap", "sshpass", "mysql", "docker"),
        anchored=True,
        validator=lambda s, m, t: looks_secret(s, True, min_len=4, min_entropy=1.5),
    ),
    Rule(
        "docker-config-auth",
        "secret",
        "registry credential in a Docker config",
        # ~/.docker/config.json: "auths": {"ghcr.io": {"auth": "<base64 of user:password>"}}
        re.compile(r"\"auth\\?\"[ \t]{0,3}:[ \t]{0,3}\\?\"(?P<s>[A-Za-z0-9+/]{8,400}={0,2})\\?\""),
        "{TOKEN}",
        keywords=('"auth',),
        validator=lambda s, m, t: basic_auth_ok(s),
    ),
    Rule(
        "gcp-private-key-id",
        "secret",
        "GCP service-account private key id",
        re.compile(r"\"private_key_id\"[ \t]{0,3}:[ \t]{0,3}\"(?P<s>[a-f0-9]{40})\""),
        "{PRIVATE_KEY_ID}",
    ),
)

SECRET_RULES: tuple[Rule, ...] = TOKENS + PRIVATE_KEYS + CONTEXT
