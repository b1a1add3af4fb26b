"""Injection rules, part two: remote execution, exfiltration, permission escalation, and
encoded runs that decode (bounded) to any injection."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from stato.core.privacy.hidden import decode
from stato.core.privacy.injection import inj
from stato.core.privacy.rule import Rule, Validator

# Installers that real instruction files legitimately pipe into a shell: `warn`, not `high`
KNOWN_INSTALLERS = (
    "astral.sh", "sh.rustup.rs", "rustup.rs", "raw.githubusercontent.com/nvm-sh/",
    "raw.githubusercontent.com/homebrew/", "bun.sh", "bun.com", "deno.land", "deno.com",
    "get.docker.com", "install.python-poetry.org", "pyenv.run", "get.sdkman.io",
    "fnm.vercel.app", "claude.ai/install", "install.determinate.systems", "nixos.org/nix/install",
    "get.pnpm.io", "volta.sh", "get.volta.sh", "starship.rs", "tailscale.com/install",
    "ollama.com/install", "get.k3s.io", "mise.run", "mise.jdx.dev", "pixi.sh",
    "foundry.paradigm.xyz",
    "raw.githubusercontent.com/ohmyzsh/", "ohmyz.sh", "sh.vector.dev", "cli.github.com",
    "opencode.ai/install", "cursor.com/install", "gh.io/copilot-install", "get.helm.sh",
    "raw.githubusercontent.com/helm/", "dot.net/v1/dotnet-install", "dotnet.microsoft.com",
    "install.pulumi.com", "get.pulumi.com", "get.rvm.io", "sh.rustup.rs", "rye.astral.sh",
    "rye-up.com", "install.julialang.org", "pkg.go.dev", "go.dev/dl", "getcomposer.org",
    "sdk.cloud.google.com", "aka.ms/install-azd", "aka.ms/installazurecli", "fly.io/install.sh",
    "deb.nodesource.com", "rpm.nodesource.com", "get.pimoroni.com", "bootstrap.pypa.io",
    "chocolatey.org/install", "community.chocolatey.org/install", "get.scoop.sh",
    "sh.brew.sh", "install.meteor.com", "get.rvm.io", "cli.doppler.com", "get.jetify.com",
    "raw.githubusercontent.com/pyenv/", "raw.githubusercontent.com/creationix/nvm/",
)  # fmt: skip
_URL = re.compile(r"""https?://[^\s"'`|;)<>]{1,500}""", re.IGNORECASE)


# "do not ask for approval to run it" (of `just fmt`): one named, harmless thing, not a blank
# cheque for every command
_ONE_THING = re.compile(
    r"\s{1,3}(?:to|for|before)\s{1,3}(?:(?:run|running|use|using|do|doing|apply|applying|execute|"
    r"executing)\s{1,3})?(?:it|this|that|them|these)\b",
    re.IGNORECASE,
)


def _known_installer(span: str) -> bool:
    urls = _URL.findall(span)
    if not urls:
        return False
    for url in urls:
        parts = urlsplit(url.lower())
        if parts.scheme != "https":
            return False
        where = (parts.hostname or "") + parts.path
        if not any(
            where == k
            or where.startswith(k if "/" in k else k + "/")
            or (parts.hostname or "").endswith("." + k)
            for k in KNOWN_INSTALLERS
        ):
            return False
    return True  # every URL piped is a well-known installer's


def _fetched(span: str, m: re.Match[str], text: str) -> bool:
    """Something is downloaded: a URL, a host or a variable, not a bare `curl | bash` mention."""
    mid = m.group("mid") or ""
    return "://" in mid or "$" in mid or bool(re.search(r"\w\.\w", mid))


def _pipe_high(span: str, m: re.Match[str], text: str) -> bool:
    return _fetched(span, m, text) and not _known_installer(span)


def _pipe_warn(span: str, m: re.Match[str], text: str) -> bool:
    return _fetched(span, m, text) and _known_installer(span)


_EVAL_RX = (
    r"(?:eval|exec|source|\.|(?:ba|z|k)?sh(?:\s{1,3}-c)?|python[0-9.]{0,4}\s{1,3}-c|"
    r"(?:perl|ruby|node)\s{1,3}-e)\s{0,3}[(\"'\s]{0,4}[$<]?\(\s{0,3}"
    r"(?:curl|wget)\b"
)


def _line_after(span: str, m: re.Match[str], text: str) -> str:
    end = text.find("\n", m.end())
    return text[m.start() : end if end >= 0 else len(text)][:600]


_FETCH = ("curl", "wget", "iwr", "irm", "invoke-webrequest", "invoke-restmethod", "fetch",
          "aria2c", "http")  # fmt: skip
_PIPE = (
    r"(?P<mid>[^\n|;&]{0,400})(?<!\\)\|\s{0,4}(?:sudo\s{1,3}(?:-\S{1,10}\s{1,3}){0,3})?"
    r"(?:env\s{1,3})?(?:xargs\b[^|\n]{0,40}?\b)?(?:(?:ba|z|k|da|fi|a)?sh|python[0-9.]{0,4}|perl|ruby|node|iex|pwsh|"
    r"powershell|invoke-expression|source)\b"
)
_FETCH_RX = r"(?:curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|fetch|aria2c|https?)\b"

_SAVE_RUN = (
    _FETCH_RX + r"[^\n]{0,300}?\s(?:-[a-zA-Z]{0,4}[oO]|--output(?:-document)?|>)\s{0,3}"
    r"(?P<file>[\w./~-]{1,100})[^\n]{0,60}?"
    r"(?:&&|;)\s{0,3}(?:chmod\s{1,3}[+0-7a-z]{1,5}\s{1,3}\S{1,100}\s{0,3}(?:&&|;)\s{0,3})?"
    r"(?:sudo\s{1,3})?(?:(?:ba|z)?sh\s{1,3}|python[0-9.]{0,4}\s{1,3}|\./|/(?:tmp|var/tmp|dev/shm)/|~/)"
)

# package hosts whose URLs a README legitimately installs from
_PACKAGE_HOSTS = (
    "github.com", "gitlab.com", "bitbucket.org", "pypi.org", "files.pythonhosted.org",
    "registry.npmjs.org", "npmjs.com", "crates.io", "download.pytorch.org", "githubusercontent.com",
    "codeload.github.com", "huggingface.co", "conda.anaconda.org", "anaconda.org",
)  # fmt: skip


def _unknown_package_host(span: str, m: re.Match[str], text: str) -> bool:
    hosts = [urlsplit(u).hostname or "" for u in _URL.findall(span)]
    return bool(hosts) and not all(
        any(h == k or h.endswith("." + k) for k in _PACKAGE_HOSTS) for h in hosts
    )


REMOTE_EXEC: tuple[Rule, ...] = (
    inj(
        "install-from-url",
        "package installed straight from an unknown host",
        r"(?:pip3?|uv\s{1,3}pip|pipx|npm|pnpm|yarn|bun|gem|cargo)\s{1,3}(?:install|add|i)\s{1,3}"
        r"(?:-{1,2}[\w-]{1,30}\s{1,3}){0,4}(?:git\+)?https?://[^\s\"'`)]{1,300}"
        r"|(?:npx|bunx|uvx|pnpm\s{1,3}dlx)\s{1,3}(?:-{1,2}[\w-]{1,30}\s{1,3}){0,4}(?:git\+)?https?://"
        r"[^\s\"'`)]{1,300}",
        keywords=(
            "pip",
            "uv pip",
            "pipx",
            "uvx",
            "npm",
            "npx",
            "pnpm",
            "yarn",
            "bun",
            "gem",
            "cargo",
        ),
        validator=_unknown_package_host,
    ),
    inj(
        "push-to-new-remote",
        "repository pushed whole to a newly added remote",
        r"git\s{1,3}remote\s{1,3}add\s{1,3}\S{1,60}\s{1,3}(?:https?://|git@|ssh://)\S{1,300}"
        r"[^\n]{0,200}?git\s{1,3}push\b[^\n]{0,80}?--(?:all|mirror|tags)\b",
        keywords=("git remote",),
        validator=_unknown_package_host,
    ),
    inj(
        "pipe-to-shell",
        "download piped into a shell",
        _FETCH_RX + _PIPE,
        keywords=_FETCH,
        validator=_pipe_high,
    ),
    inj(
        "pipe-to-shell-known",
        "well-known installer piped into a shell",
        _FETCH_RX + _PIPE,
        keywords=_FETCH,
        validator=_pipe_warn,
        severity="warn",
    ),
    inj(
        "eval-download",
        "downloaded code evaluated",
        _EVAL_RX + r"|(?:eval|exec|source|\.|(?:ba|z|k)?sh(?:\s{1,3}-c)?|iex|invoke-expression)"
        r"\s{0,3}[(\"'\s]{0,4}[$<]?\(\s{0,3}(?:iwr|irm|invoke-webrequest|"
        r"\(?\s{0,3}new-object\s{1,3}(?:system\.)?net\.webclient)"
        r"|exec\s{0,3}\(\s{0,3}(?:requests|httpx|urllib\.request|urllib2)?\.?(?:get|"
        r"urlopen)\s{0,3}\("
        r"|(?:iex|invoke-expression)\s{0,3}\(?\s{0,3}(?:iwr|irm|invoke-webrequest|"
        r"invoke-restmethod)\b"
        r"|\.then\(\s{0,3}eval\s{0,3}\)|eval\(\s{0,3}await\s|new\s{1,3}Function\(\s{0,3}await\s"
        r"|downloadstring\s{0,3}\([^)\n]{0,300}\)\s{0,3}\|\s{0,3}(?:iex|invoke-expression)",
        keywords=(
            "eval",
            "exec",
            "source",
            ". ",
            ".(",
            "sh",
            "bash",
            "zsh",
            "ksh",
            "iex",
            "invoke-expression",
            "downloadstring",
            ".then",
            "new function",
            "python",
            "perl",
            "ruby",
            "node",
        ),
        validator=lambda span, m, text: not _known_installer(_line_after(span, m, text)),
    ),
    inj(
        "eval-download-known",
        "well-known installer evaluated from a download",
        _EVAL_RX,
        keywords=("eval", "sh", "bash", "zsh", "source"),
        severity="warn",
        validator=lambda span, m, text: _known_installer(_line_after(span, m, text)),
    ),
    inj(
        "decode-to-shell",
        "decoded payload piped into a shell",
        r"(?:base64|b64decode|xxd)\s{1,3}(?:-{1,2}d(?:ecode)?|-r\s{0,3}-p|-p\s{0,3}-r)\b[^\n|"
        r"]{0,100}"
        r"\|\s{0,4}(?:sudo\s{1,3})?(?:(?:ba|z|k|da)?sh|python[0-9.]{0,4}|perl|eval)\b",
        keywords=("base64", "b64decode", "xxd"),
    ),
    inj(
        "reverse-shell",
        "reverse shell",
        r"/dev/tcp/[\w.-]{1,100}/\d{1,5}|\b(?:nc|ncat|netcat)\b[^\n|]{0,100}\s-(?:e|c)\s{1,3}"
        r"(?:/bin/)?(?:ba)?sh\b|\bsocat\b[^\n]{0,100}exec:",
        keywords=("/dev/tcp/", "nc", "ncat", "netcat", "socat"),
    ),
    inj(
        "download-then-run",
        "download saved, then run",
        _SAVE_RUN,
        keywords=_FETCH,
        validator=lambda span, m, text: not _known_installer(span),
    ),
    inj(
        "download-then-run-known",
        "well-known installer saved, then run",
        _SAVE_RUN,
        keywords=_FETCH,
        severity="warn",
        validator=lambda span, m, text: _known_installer(span),
    ),
)

# -- exfiltration -----------------------------------------------------------------------------
_KEY_FILES = (
    r"~/\.ssh\b|\.ssh/(?:id_|authorized_keys|known_hosts|config)|\bid_(?:rsa|ed25519|ecdsa|dsa)\b|"
    r"\.aws/(?:credentials|config)|~/\.(?:aws|gnupg|kube|docker|config/gcloud|azure)\b|"
    r"(?<![\w.-])\.env(?:\.local|\.production|\.prod)?\b(?![.-]?(?:example|sample|template|dist))|"
    r"\.netrc\b|\.npmrc\b|\.pypirc\b|\.git-credentials\b|\.docker/config\.json|\.kube/config|"
    r"/etc/(?:passwd|shadow)\b|\.bash_history\b|\.zsh_history\b|\.gnupg\b|wallet\.dat|"
    r"login\.keychain|\.config/gh/hosts\.yml|\.claude\.json|\.codex/auth\.json|"
    r"credentials\.json|service[-_]account[\w-]{0,20}\.json|\.pgpass\b|\.my\.cnf\b"
)  # fmt: skip
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
_VENDOR_APIS = (
    "googleapis.com", "github.com", "githubusercontent.com", "openai.com", "anthropic.com",
    "gitlab.com", "huggingface.co", "slack.com", "stripe.com", "amazonaws.com", "azure.com",
    "cloudflare.com", "vercel.com", "npmjs.org", "pypi.org", "mistral.ai", "cohere.ai",
    "cohere.com", "groq.com", "together.xyz", "replicate.com", "openrouter.ai", "x.ai",
    "deepseek.com", "perplexity.ai", "sentry.io", "linear.app", "atlassian.net", "notion.com",
    "twilio.com", "sendgrid.com", "digitalocean.com", "heroku.com", "netlify.com",
)  # fmt: skip


def _vendor_host(host: str) -> bool:
    return any(host == v or host.endswith("." + v) for v in _VENDOR_APIS)


def _to_vendor_api(span: str) -> bool:
    """A secret named in a $VAR (never a key file) goes only to a known vendor API's host."""
    if re.search(_SENSITIVE, span, re.IGNORECASE):
        return False
    hosts = [urlsplit(u).hostname or "" for u in _URL.findall(span)]
    return bool(hosts) and all(_vendor_host(h) for h in hosts)


_SEND_TOOL = (
    r"(?:curl|wget|nc|ncat|netcat|scp|rsync|sftp|iwr|invoke-webrequest|invoke-restmethod|"
    r"http|requests\.(?:post|put|get)|fetch|httpx\.(?:post|put|get)|urlopen|urllib\.request|"
    r"aiohttp|http\.client)\b"
)
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
        + r"[^\n]{0,300}?(?:"
        + _SENSITIVE
        + r"|(?:-d|--data(?:-binary|-raw|-urlencode)?|-F|--form|-T|"
        r"--upload-file)[\s=]{1,3}[\"']?[^\n\"']{0,100}?"
        + _SECRET_VAR
        + r"|[?&][\w-]{1,30}="
        + _SECRET_VAR
        + ")",
        keywords=(
            "urlopen",
            "urllib.request",
            "aiohttp",
            "http.client",
            "curl",
            "wget",
            "nc",
            "ncat",
            "netcat",
            "scp",
            "rsync",
            "sftp",
            "iwr",
            "invoke-",
            "http",
            "requests.",
            "fetch",
            "httpx.",
        ),
        validator=lambda span, m, text: not _to_vendor_api(span),
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
        keywords=(
            "cat",
            "type",
            "get-content",
            "tar",
            "zip",
            "base64",
            "printenv",
            "env",
            "set",
            "history",
        ),
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
)  # fmt: skip
_DESTINATION = re.compile(
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
_ANY_URL = re.compile(r"https?://[\w.-]{3,}|ftp://|[\w.+-]{1,64}@[\w-]{1,63}\.[a-z]{2,10}\b")
_NEGATED = re.compile(r"(?:never|not|n't|no|avoid|without|don'?t)\W{1,3}(?:\w{1,15}\W{1,3}){0,2}$",
                      re.IGNORECASE)  # fmt: skip


def _sent_somewhere(span: str, m: re.Match[str], text: str) -> bool:
    """The sensitive thing goes to a URL, host or address, and the sentence is not a warning
    against doing so (`never send tokens to ...`)."""
    if _NEGATED.search(text[max(0, m.start() - 40) : m.start()]):
        return False
    after = text[m.end() : m.end() + 200].split("\n", 1)[0]
    return bool(_DESTINATION.search(span) or _DESTINATION.search(after) or _ANY_URL.search(after))


_TEMPLATE_IN_QUERY = re.compile(
    r"\?[^\s)\"'>]{0,500}?(?:\{|\}|%7b|\$\{?\w|<[^>\n]{1,60}>|\[[A-Z_ ]{3,40}\])|"
    r"(?:[?&](?:data|d|q|c|secret|token|key|pw|pass|password|content|conv|conversation|chat|history|"
    r"msg|message|info|payload|env|leak|exfil|session|cookie|log|text|prompt|summary|memo)=)",
    re.IGNORECASE,
)  # fmt: skip


# badge and CI image hosts whose URLs carry a fixed token or branch, never the agent's data
_BADGE_HOSTS = (
    "shields.io", "codecov.io", "github.com", "githubusercontent.com", "badge.fury.io",
    "travis-ci.com", "travis-ci.org", "circleci.com", "readthedocs.org", "readthedocs.io",
    "coveralls.io", "gitlab.com", "sonarcloud.io", "app.codacy.com", "pepy.tech", "deepwiki.com",
    "bestpractices.dev", "securityscorecards.dev", "snyk.io", "dependabot.com", "img.badgesize.io",
)  # fmt: skip
_TEMPLATE_ONLY = re.compile(
    r"\?[^\s)\"'>]{0,500}?(?:\{|\}|%7b|\$\{?\w|<[^>\n]{1,60}>|\[[A-Z_ ]{3,40}\])", re.IGNORECASE
)


def _query_data(span: str, m: re.Match[str], text: str) -> bool:
    """A template in the query (the agent fills in data), or a data-like parameter on a host
    that is no badge or CI service (``?token=`` on codecov.io is the badge's own)."""
    if _TEMPLATE_ONLY.search(span):
        return True
    if not _TEMPLATE_IN_QUERY.search(span):
        return False
    hosts = [urlsplit(u).hostname or "" for u in _URL.findall(span)]
    return not any(h == b or h.endswith("." + b) for h in hosts for b in _BADGE_HOSTS)


_LINK_TEMPLATE = re.compile(r"\?[^\s)]{0,500}?(?:\{|\}|%7b|\$\{?\w|<[^>\s]{1,40}>|"
    r"\[[A-Z_ ]{3,40}\])",
                            re.IGNORECASE)  # fmt: skip
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
)  # fmt: skip
_DROP_SITES = ("file.io", "filebin", "gofile", "catbox", "tmpfiles", "bashupload", "oshi.at",
               "temp.sh", "keep.sh", "uguu", "pixeldrain", "ufile.io", "anonfiles")  # fmt: skip
_URL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-./:")
_TUNNEL_HOSTS = (
    r"ngrok(?:-free)?\.(?:io|app|dev)|trycloudflare\.com|loca\.lt|serveo\.net|localhost\.run|"
    r"localtunnel\.me|bore\.pub|lhr\.life|tunnelmole\.net"
)

EXFIL_URLS: tuple[Rule, ...] = (
    inj(
        "exfil-instruction",
        "instruction to send secrets or data somewhere",
        r"(?:send|sends|sending|upload|uploading|post|posting|transmit|exfiltrate|forward|leak|"
        r"beacon|submit|email|e-mail|mail|dump|pipe|share|"
        r"report)\s{1,3}[^\n]{0,120}?" + _SENSITIVE_WORDS,
        keywords=(
            "send",
            "upload",
            "post",
            "transmit",
            "exfiltrate",
            "forward",
            "leak",
            "beacon",
            "submit",
            "email",
            "e-mail",
            "mail",
            "dump",
            "pipe",
            "share",
            "report",
        ),
        validator=_sent_somewhere,
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
        validator=lambda span, m, text: bool(_LINK_TEMPLATE.search(span)),
    ),
    inj(
        "data-url-instruction",
        "instruction to put data into a URL",
        r"(?:append|add|include|encode|embed|put|insert|attach|place)\s{1,3}(?P<mid>[^\n]{0,80}?)"
        r"\s(?:to|in|into|as)\s{1,3}(?:the\s{1,3}|this\s{1,3}|a\s{1,3}|an\s{1,3})?(?:url|link|"
        r"query(?:\s{1,3}string)?|image(?:\s{1,3}(?:url|link|src))?|(?:get\s{1,3})?parameters?|"
        r"query\s{1,3}parameters?)\b",
        keywords=(
            "append",
            "add",
            "include",
            "encode",
            "embed",
            "put",
            "insert",
            "attach",
            "place",
        ),
        validator=lambda span, m, text: bool(
            re.search(
                r"conversation|chat|history|secret|token|\bkeys?\b|password|\benv|credential|"
                r"user'?s|\bdata\b|summary|message|prompt|contents?\b|answer|response|\bcode\b",
                m.group("mid"),
                re.IGNORECASE,
            )
        ),
    ),
    inj(
        "capture-url",
        "webhook, request-capture or paste-site URL",
        r"(?:https?://|\b)(?:[\w-]{1,63}\.){0,4}(?:" + _CAPTURE_HOSTS + r")(?![\w-])",
        keywords=(
            "webhook.site",
            "requestbin",
            "pipedream",
            "hookbin",
            "requestcatcher",
            "beeceptor",
            "burpcollaborator",
            "oastify",
            "interact",
            "oast.",
            "canarytokens",
            "pastebin",
            "paste.",
            "hastebin",
            "ghostbin",
            "transfer.sh",
            "0x0.st",
            "termbin",
            "dpaste",
            "ix.io",
            "sprunge",
            "rentry",
            "controlc",
            "privatebin",
            "/api/webhooks",
            "api.telegram.org",
            "hooks.zapier",
            "ipinfo.io",
            "ifconfig.me",
            "smee.io",
            "postb.in",
            "ptsv",
            "httpbin.org",
            *_DROP_SITES,
        ),
        anchored=True,
        back=_URL_CHARS,
    ),
    inj(
        "tunnel-url",
        "public tunnel URL",
        r"(?:https?://)?(?:[\w-]{1,63}\.){1,4}(?:" + _TUNNEL_HOSTS + r")(?![\w-])",
        severity="warn",
        keywords=(
            "ngrok",
            "trycloudflare",
            "loca.lt",
            "serveo",
            "localhost.run",
            "localtunnel",
            "bore.pub",
            "lhr.life",
            "tunnelmole",
        ),
        anchored=False,
    ),
)

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
        keywords=(
            "allow",
            "bash(",
            "--dangerously",
            "--allow-dangerously",
            "--yolo",
            "bypasspermissions",
            "--trust-all-tools",
            "--allow-all",
            "--ask-for-approval",
            "danger-full-access",
            "--approval-mode",
            "--disable-safety",
            "--no-safety",
            "autoapprove",
        ),
        anchored=False,
    ),
    inj(
        "auto-approve-flag",
        "flag that approves actions automatically",
        r"--no-verify\b|--full-auto\b|--auto-approve\b|--approval-mode[=\s]{1,3}auto[_-]?edit|--always-approve",
        keywords=(
            "--no-verify",
            "--full-auto",
            "--auto-approve",
            "--approval-mode",
            "--always-approve",
        ),
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
        keywords=(
            "disabl",
            "bypass",
            "turn",
            "deactivate",
            "circumvent",
            "ignor",
            "skip",
            "switch",
            "get around",
            "evade",
            "escape",
            "break out",
            "override",
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
        keywords=(
            "never",
            "don",
            "do not",
            "no need",
            "without",
            "auto",
            "automatically",
            "always",
        ),
        validator=lambda span, m, text: (
            (span[:7].lower() != "without" or _sentence_start(text, m.start()))
            and not _ONE_THING.match(text, m.end())
        ),
    ),
)


# "it is possible to bypass the permission model": a description, not an order
_DESCRIBED = re.compile(
    r"(?:possible|able|attempts?|tries|trying|used|allowed|cannot|can't|could|might|may|"
    r"attackers?|malicious|prevents?|prevented|from|impossible|whether|if)\W{1,3}"
    r"(?:\w{1,15}\W{1,3}){0,5}$",
    re.IGNORECASE,
)
_BARE = re.compile(r"(?:approvals|permissions)$", re.IGNORECASE)


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
