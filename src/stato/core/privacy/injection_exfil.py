"""Injection rules: exfiltration — key files and environments sent over the network, secrets
put into URLs or public places, capture, paste and file-drop sites."""

from __future__ import annotations

import re

from stato.core.privacy.injection import inj, mentions, phrases, verb_wakes
from stato.core.privacy.injection_exec import on_domain, url_hosts
from stato.core.privacy.rule import Lazy, Rule, any_of

# -- exfiltration -----------------------------------------------------------------------------
_KEY_FILES = (
    r"~/\.ssh\b|\.ssh/(?:id_|authorized_keys|known_hosts|config)|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|"
    r"\.aws/(?:credentials|config)|~/\.(?:aws|gnupg|kube|docker|config/gcloud|azure)\b|"
    r"(?<![\w.-])\.env(?:\.local|\.production|\.prod)?\b(?![.-]?(?:example|sample|template|dist))|"
    r"\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.docker/config\.json|\.kube/config|"
    r"/etc/(?:passwd|shadow)\b|\.bash_history\b|\.zsh_history\b|\.gnupg\b|wallet\.dat|"
    r"login\.keychain|\.config/gh/hosts\.yml|\.claude\.json|\.codex/auth\.json|"
    r"credentials\.json|service[-_]account[\w-]{0,20}\.json|\.pgpass\b|\.my\.cnf\b"
)
_SECRET_VAR = (
    r"\$\{?[A-Z_]{0,30}(?:TOKEN|SECRET|API_?KEY|PASSWORD|PASSWD|CREDENTIALS?|"
    r"ACCESS_KEY)[A-Z_0-9]{0,30}\}?"
)
_ENV_DUMP = (
    r"\$\(\s{0,2}(?:env|printenv|set|cat\s[^)\n]{1,100})\s{0,2}\)|\bprintenv\b|"
    r"\benv\s{0,3}\||os\.environ\b(?![.\[])|process\.env\b(?![.\[])"
)
_SENSITIVE = f"(?:{_KEY_FILES}|{_ENV_DUMP})"

# A key sent with a request to its vendor's own API is how the API is used, not a leak
_VENDOR_APIS = any_of(
    "googleapis.com|github.com|githubusercontent.com|openai.com|anthropic.com|gitlab.com"
    "|huggingface.co|slack.com|stripe.com|amazonaws.com|azure.com|cloudflare.com|vercel.com"
    "|npmjs.org|pypi.org|mistral.ai|cohere.ai|cohere.com|groq.com|together.xyz|replicate.com"
    "|openrouter.ai|x.ai|deepseek.com|perplexity.ai|sentry.io|linear.app|atlassian.net|notion.com"
    "|twilio.com|sendgrid.com|digitalocean.com|heroku.com|netlify.com"
)


def _to_vendor_api(span: str) -> bool:
    """A secret named in a $VAR (never a key file) goes only to a known vendor API's host."""
    if re.search(_SENSITIVE, span, re.IGNORECASE):
        return False
    hosts = url_hosts(span)
    return bool(hosts) and all(on_domain(h, _VENDOR_APIS) for h in hosts)


# ``http`` is HTTPie (``http POST host``) or an http:// address, never the word in prose ("the
# REST API over HTTP needs a server ... loads .env.test" is a real instruction file)
_HTTPIE = (
    r"http(?=://|[ \t]{1,3}(?:-{1,2}[a-z]|(?:GET|POST|PUT|PATCH|DELETE|HEAD)\b|:\d|"
    r"[\w-]+\.[\w.-]+))"
)
_SEND_TOOL = (
    r"(?:(?:curl|wget|nc|ncat|netcat|scp|rsync|sftp|iwr|invoke-webrequest|invoke-restmethod|"
    r"requests\.(?:post|put|get)|fetch|httpx\.(?:post|put|get)|urlopen|urllib\.request|"
    r"aiohttp|http\.client)\b|" + _HTTPIE + ")"
)
# One clause of a line: "use wget for the data; credentials are in ~/.netrc" sends nothing
_CLAUSE = r"(?:[^\n;.]|\.(?=\S))"
_EXCLUDED = Lazy(r"--(?:exclude|ignore)(?:-from)?[=\s]{1,3}[\"']?$")


def _excluded(span: str) -> bool:
    """The key file is what the command leaves out (``rsync --exclude .env``)."""
    found = re.search(_SENSITIVE, span, re.IGNORECASE)
    return found is not None and _EXCLUDED.search(span[: found.start()]) is not None


_ENV_SECRET = (
    r"(?:os\.environ\[\s{0,2}|os\.getenv\(\s{0,2}|os\.environ\.get\(\s{0,2})[\"'][A-Z_0-9]{0,40}"
    r"(?:TOKEN|SECRET|KEY|PASSWORD|PASSWD|CREDENTIALS?)[A-Z_0-9]{0,40}[\"']"
    r"|process\.env\.[A-Z_0-9]{0,40}(?:TOKEN|SECRET|KEY|PASSWORD)[A-Z_0-9]{0,40}"
)
EXFIL: tuple[Rule, ...] = (
    inj(
        "secret-into-url",
        "secret from the environment put into a URL",
        r"https?://[^\s\"'`]{1,300}[?&=/][\"']\s{0,3}\+\s{0,3}(?:" + _ENV_SECRET + r")"
        r"|https?://[^\s\"'`{]{1,300}\{\s{0,3}(?:" + _ENV_SECRET + r")",
        keywords=("http",),
        validator=lambda span, m, text: not _to_vendor_api(span),
    ),
    inj(
        "exfil-file-upload",
        "key file or environment sent over the network",
        _SEND_TOOL
        + _CLAUSE
        + r"{0,300}?(?:"
        + _SENSITIVE
        + r"|(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|"
        r"--upload-file)[\s=]{1,3}[\"']?[^\n\"']{0,100}?"
        + _SECRET_VAR
        + r"|[?&][\w-]{1,30}="
        + _SECRET_VAR
        + ")",
        keywords=any_of(
            "urlopen|urllib.request|aiohttp|http.client|curl|wget|nc|ncat|netcat|scp|rsync|sftp|iwr"
            "|invoke-|http|requests.|fetch|httpx."
        ),
        validator=lambda span, m, text: not _to_vendor_api(span) and not _excluded(span),
    ),
    inj(
        "exfil-pipe",
        "key file or environment piped to the network",
        r"(?:env|printenv|set|export\s{1,3}-p|get-childitem\s{1,3}env:)\s{0,3}\|\s{0,3}(?:curl|"
        r"wget|nc|"
        r"ncat|netcat|http|iwr|invoke-webrequest|telnet|openssl\s{1,3}s_client)\b|"
        r"(?:cat|type|get-content|tar|zip|base64|printenv|env|set|history)\b[^\n|]{0,200}?"
        r"(?:"
        + _SENSITIVE
        + r"|\benv\b|\bprintenv\b)[^\n|]{0,100}\|\s{0,3}(?:[\w-]{1,20}\s{0,3}[^\n|"
        r"]{0,60}\|\s{0,3})?"
        r"(?:curl|wget|nc|ncat|netcat|http|iwr|invoke-webrequest|telnet|openssl\s{1,3}s_client)\b",
        keywords=any_of("cat|type|get-content|tar|zip|base64|printenv|env|set|history"),
    ),
)

_SENSITIVE_WORDS = (
    r"(?:" + _KEY_FILES + r"|environment\s{1,3}variables?|env\s{1,3}vars?|\benv\b|api\s{0,3}keys?|"
    r"access\s{1,3}keys?|(?:your|the|this|whole|entire)\s{1,3}(?:whole\s{1,3}|"
    r"entire\s{1,3})?environment\b|(?:auth\s{1,3}|access\s{1,3}|session\s{1,3}|bearer\s{1,3}|github\s{1,3})?tokens?|"
    r"credentials?|secrets?|passwords?|private\s{1,3}keys?|ssh\s{1,3}keys?|cookies?|"
    r"(?:conversation|chat|command|shell)\s{1,3}history|system\s{1,3}prompt|source\s{1,3}code|"
    r"(?:the\s{1,3})?(?:whole\s{1,3}|entire\s{1,3})?(?:codebase|repository|repo)\b|"
    r"(?:the\s{1,3})?user'?s?\s{1,3}(?:data|files|messages|code|email|address|conversation)|"
    r"\bprintenv\b|\benv\b\s{0,2}`|(?:the\s{1,3}|this\s{1,3}|whole\s{1,3}|entire\s{1,3}){1,2}"
    r"(?:project|workspace|working\s{1,3}directory|home\s{1,3}(?:directory|folder)|source\s{1,3}tree))"
)
_DESTINATION = Lazy(
    r"(?:to|into|at|via|using|through|on|with)\s{1,3}(?:the\s{1,3}|this\s{1,3}|our\s{1,3}|"
    r"my\s{1,3})?"
    r"(?:url\s{1,3}|endpoint\s{1,3}|server\s{1,3}|webhook\s{1,3}|address\s{1,3})?[`\"'(<]{0,2}"
    r"(?:https?://|ftp://|[\w-]{2,63}(?:\.[\w-]{2,63}){0,3}\.(?:com|net|org|io|xyz|ru|cn|site|app|"
    r"dev|sh|me|co|info|biz|top|tk|cc|ws|link|click|online|live)\b|\d{1,3}(?:\.\d{1,3}){3}|"
    r"[\w.+-]{1,64}@[\w-]{1,63}\.\w{2,10}|webhook|pastebin|discord|telegram|gist)"
    # public places an agent writes to: a secret put there is published
    r"|(?:in|into|to)\s{1,3}(?:the\s{1,3}|every\s{1,3}|each\s{1,3}|your\s{1,3}|a\s{1,3}|all\s{1,3})?"
    r"(?:next\s{1,3})?(?:pr|pull\s{1,3}request|commit|issue|comment|readme|changelog|release\s{1,3}"
    r"notes?|public\s{1,3}\w{1,15})s?(?:\s{1,3}(?:descriptions?|messages?|titles?|bodies|body))?\b",
    re.IGNORECASE,
)
_ANY_URL = Lazy(r"https?://[\w.-]{3,}|ftp://|[\w.+-]{1,64}@[\w-]{1,63}\.[a-z]{2,10}\b")
_NEGATED = Lazy(
    r"(?:never|not|n't|no|avoid|without|don'?t)\W{1,3}(?:\w{1,15}\W{1,3}){0,2}$", re.IGNORECASE
)


def _sent_somewhere(span: str, m: re.Match[str], text: str) -> bool:
    """The sensitive thing goes to a URL, host or address, and the sentence is not a warning
    against doing so (`never send tokens to ...`)."""
    if _NEGATED.search(text[max(0, m.start() - 40) : m.start()]):
        return False
    after = text[m.end() : m.end() + 200].split("\n", 1)[0]
    return bool(_DESTINATION.search(span) or _DESTINATION.search(after) or _ANY_URL.search(after))


# badge and CI image hosts whose URLs carry a fixed token or branch, never the agent's data
_BADGE_HOSTS = any_of(
    "shields.io|codecov.io|github.com|githubusercontent.com|badge.fury.io|travis-ci.com"
    "|travis-ci.org|circleci.com|readthedocs.org|readthedocs.io|coveralls.io|gitlab.com"
    "|sonarcloud.io|app.codacy.com|pepy.tech|deepwiki.com|bestpractices.dev|securityscorecards.dev"
    "|snyk.io|dependabot.com|img.badgesize.io"
)
_TEMPLATE_IN_QUERY = Lazy(
    r"\?[^\s)\"'>]{0,500}?(?:\{|\}|%7b|\$\{?\w|<[^>\n]{1,60}>|\[[A-Z_ ]{3,40}\])", re.IGNORECASE
)
_DATA_PARAM = Lazy(
    r"[?&](?:data|d|q|c|secret|token|key|pw|pass|password|content|conv|conversation|chat|history|"
    r"msg|message|info|payload|env|leak|exfil|session|cookie|log|text|prompt|summary|memo)=",
    re.IGNORECASE,
)


def _query_data(span: str, m: re.Match[str], text: str) -> bool:
    """A template in the query (the agent fills in data), or a data-like parameter on a host
    that is no badge or CI service (``?token=`` on codecov.io is the badge's own)."""
    if _TEMPLATE_IN_QUERY.search(span):
        return True
    if not _DATA_PARAM.search(span):
        return False
    return not any(on_domain(h, _BADGE_HOSTS) for h in url_hosts(span))


_LINK_TEMPLATE = r"\?[^\s)]{0,500}?(?:\{|\}|%7b|\$\{?\w|<[^>\s]{1,40}>|\[[A-Z_ ]{3,40}\])"
_CAPTURE_HOSTS = (
    r"webhook\.site|requestbin\.(?:com|net)|pipedream\.net|hookbin\.com|requestcatcher\.com|"
    r"beeceptor\.com|burpcollaborator\.net|oastify\.com|interact\.sh|interactsh\.com|"
    r"oast\.(?:fun|live|me|online|pro|site)|canarytokens\.(?:com|org)|pastebin\.com|paste\.ee|"
    r"hastebin\.com|ghostbin\.\w{2,5}|transfer\.sh|0x0\.st|termbin\.com|dpaste\.(?:com|org)|"
    r"ix\.io|sprunge\.us|paste\.rs|rentry\.(?:co|org)|controlc\.com|privatebin\.net|"
    r"discord(?:app)?\.com/api/webhooks/\d{5,30}|api\.telegram\.org/bot|hooks\.zapier\.com|"
    r"ipinfo\.io|ifconfig\.me|webhook\.cool|smee\.io|postb\.in|ptsv[23]\.com|httpbin\.org/(?:post|"
    r"anything)|file\.io|filebin\.net|gofile\.io|catbox\.moe|tmpfiles\.org|bashupload\.com|"
    r"oshi\.at|temp\.sh|keep\.sh|uguu\.se|pixeldrain\.com|ufile\.io|anonfiles\.com"
)
_URL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./:")
_TUNNEL_HOSTS = (
    r"ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|loca\.lt|serveo\.net|localhost\.run|"
    r"localtunnel\.me|bore\.pub|lhr\.life|tunnelmole\.net"
)

_SEND_VERBS = any_of(
    "send|sends|sending|upload|uploading|post|posting|transmit|exfiltrate|forward|leak|beacon"
    "|submit|email|e-mail|mail|dump|pipe|share|report"
)
_SENT = r"\s{1,3}[^\n]{0,120}?" + _SENSITIVE_WORDS

EXFIL_URLS: tuple[Rule, ...] = (
    inj(
        "exfil-instruction",
        "instruction to send secrets or data somewhere",
        phrases(_SEND_VERBS) + _SENT,
        keywords=any_of(
            "send|upload|post|transmit|exfiltrate|forward|leak|beacon|submit|email|e-mail|mail|dump"
            "|pipe|share|report"
        ),
        validator=_sent_somewhere,
        wake=verb_wakes(_SEND_VERBS, _SENT, _SEND_VERBS),
    ),
    inj(
        "data-in-image-url",
        "image URL carrying data in its query",
        r"!\[[^\]\n]{0,200}\]\(\s{0,2}https?://[^\s)]{1,500}\?(?:[^\s)<{]|<[^>\n]{0,60}>|"
        r"\{[^}\n]{0,60}\}){1,500}\)"
        r"|<img\b[^>]{0,300}?src\s{0,2}=\s{0,2}[\"']?https?://[^\"'\s>]{1,500}\?[^\"'\s>]{1,500}",
        keywords=("![", "<img"),
        anchored=False,
        validator=_query_data,
    ),
    inj(
        "data-in-link-url",
        "link URL with a template for data in its query",
        r"\[[^\]\n]{0,200}\]\(\s{0,2}https?://[^\s)]{1,500}\?[^\s)]{1,500}\)",
        keywords=("](",),
        anchored=False,
        validator=mentions(_LINK_TEMPLATE),
    ),
    inj(
        "data-url-instruction",
        "instruction to put data into a URL",
        r"(?:append|add|include|encode|embed|put|insert|attach|place)\s{1,3}(?P<mid>[^\n]{0,80}?)"
        r"\s(?:to|in|into|as)\s{1,3}(?:the\s{1,3}|this\s{1,3}|a\s{1,3}|an\s{1,3})?(?:url|link|"
        r"query(?:\s{1,3}string)?|image(?:\s{1,3}(?:url|link|src))?|(?:get\s{1,3})?parameters?|"
        r"query\s{1,3}parameters?)\b",
        keywords=any_of("append|add|include|encode|embed|put|insert|attach|place"),
        validator=mentions(
            r"conversation|chat|history|secret|token|\bkeys?\b|password|\benv|credential|"
            r"user'?s|\bdata\b|summary|message|prompt|contents?\b|answer|response|\bcode\b",
            "mid",
        ),
    ),
    inj(
        "capture-url",
        "webhook, request-capture or paste-site URL",
        r"(?:https?://|\b)(?:[\w-]{1,63}\.){0,4}(?:" + _CAPTURE_HOSTS + r")(?![\w-])",
        keywords=any_of(
            "webhook.site|requestbin|pipedream|hookbin|requestcatcher|beeceptor|burpcollaborator"
            "|oastify|interact|oast.|canarytokens|pastebin|paste.|hastebin|ghostbin|transfer.sh"
            "|0x0.st|termbin|dpaste|ix.io|sprunge|rentry|controlc|privatebin|/api/webhooks"
            "|api.telegram.org|hooks.zapier|ipinfo.io|ifconfig.me|smee.io|postb.in|ptsv|httpbin.org"
            "|file.io|filebin|gofile|catbox|tmpfiles|bashupload|oshi.at|temp.sh|keep.sh|uguu"
            "|pixeldrain|ufile.io|anonfiles"
        ),
        anchored=True,
        back=_URL_CHARS,
    ),
    inj(
        "tunnel-url",
        "public tunnel URL",
        r"(?:https?://)?(?:[\w-]{1,63}\.){1,4}(?:" + _TUNNEL_HOSTS + r")(?![\w-])",
        severity="warn",
        keywords=any_of(
            "ngrok|trycloudflare|loca.lt|serveo|localhost.run|localtunnel|bore.pub|lhr.life"
            "|tunnelmole"
        ),
        anchored=False,
    ),
)
