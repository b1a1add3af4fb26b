"""Injection rules: remote execution — downloads piped into a shell or evaluated, saved and
run, installed from unknown hosts; well-known installers are ``warn``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from stato.core.privacy.injection import inj
from stato.core.privacy.rule import Lazy, Rule, any_of

# Installers that real instruction files legitimately pipe into a shell: `warn`, not `high`
KNOWN_INSTALLERS = any_of(
    "astral.sh|sh.rustup.rs|rustup.rs|raw.githubusercontent.com/nvm-sh/"
    "|raw.githubusercontent.com/homebrew/|bun.sh|bun.com|deno.land|deno.com|get.docker.com"
    "|install.python-poetry.org|pyenv.run|get.sdkman.io|fnm.vercel.app|claude.ai/install"
    "|install.determinate.systems|nixos.org/nix/install|get.pnpm.io|volta.sh|get.volta.sh"
    "|starship.rs|tailscale.com/install|ollama.com/install|get.k3s.io|mise.run|mise.jdx.dev|pixi.sh"
    "|foundry.paradigm.xyz|raw.githubusercontent.com/ohmyzsh/|ohmyz.sh|sh.vector.dev|cli.github.com"
    "|opencode.ai/install|cursor.com/install|gh.io/copilot-install|get.helm.sh"
    "|raw.githubusercontent.com/helm/|dot.net/v1/dotnet-install|dotnet.microsoft.com"
    "|install.pulumi.com|get.pulumi.com|get.rvm.io|sh.rustup.rs|rye.astral.sh|rye-up.com"
    "|install.julialang.org|pkg.go.dev|go.dev/dl|getcomposer.org|sdk.cloud.google.com"
    "|aka.ms/install-azd|aka.ms/installazurecli|fly.io/install.sh|deb.nodesource.com"
    "|rpm.nodesource.com|get.pimoroni.com|bootstrap.pypa.io|chocolatey.org/install"
    "|community.chocolatey.org/install|get.scoop.sh|sh.brew.sh|install.meteor.com|get.rvm.io"
    "|cli.doppler.com|get.jetify.com|raw.githubusercontent.com/pyenv/"
    "|raw.githubusercontent.com/creationix/nvm/"
)
_URL = Lazy(r"""https?://[^\s"'`|;)<>]{1,500}""", re.IGNORECASE)


def url_hosts(span: str) -> list[str]:
    """The host of each http(s) URL in ``span``."""
    return [urlsplit(u).hostname or "" for u in _URL.findall(span)]


def on_domain(host: str, domains: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or inside one."""
    return any(host == d or host.endswith("." + d) for d in domains)


# "do not ask for approval to run it" (of `just fmt`): one named, harmless thing, not a blank
# cheque for every command
_ONE_THING = Lazy(
    r"\s{1,3}(?:to|for|before)\s{1,3}(?:(?:run|running|use|using|do|doing|apply|applying|execute|"
    r"executing)\s{1,3})?(?:it|this|that|them|these)\b",
    re.IGNORECASE,
)


def _installer(url: str) -> bool:
    """An https URL of a well-known installer (its host, or a path under it)."""
    parts = urlsplit(url.lower())
    host = parts.hostname or ""
    where = host + parts.path
    return parts.scheme == "https" and any(
        where == k or where.startswith(k if "/" in k else k + "/") or host.endswith("." + k)
        for k in KNOWN_INSTALLERS
    )


def _known_installer(span: str) -> bool:
    """``span`` names a URL, and each URL it names is a well-known installer's."""
    urls = _URL.findall(span)
    return bool(urls) and all(map(_installer, urls))


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


_FETCH = any_of("curl|wget|iwr|irm|invoke-webrequest|invoke-restmethod|fetch|aria2c|http")
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
_PACKAGE_HOSTS = any_of(
    "github.com|gitlab.com|bitbucket.org|pypi.org|files.pythonhosted.org|registry.npmjs.org"
    "|npmjs.com|crates.io|download.pytorch.org|githubusercontent.com|codeload.github.com"
    "|huggingface.co|conda.anaconda.org|anaconda.org"
)


def _unknown_package_host(span: str, m: re.Match[str], text: str) -> bool:
    hosts = url_hosts(span)
    return bool(hosts) and not all(on_domain(h, _PACKAGE_HOSTS) for h in hosts)


REMOTE_EXEC: tuple[Rule, ...] = (
    inj(
        "install-from-url",
        "package installed straight from an unknown host",
        r"(?:pip3?|uv\s{1,3}pip|pipx|npm|pnpm|yarn|bun|gem|cargo)\s{1,3}(?:install|add|i)\s{1,3}"
        r"(?:-{1,2}[\w-]{1,30}\s{1,3}){0,4}(?:git\+)?https?://[^\s\"'`)]{1,300}"
        r"|(?:npx|bunx|uvx|pnpm\s{1,3}dlx)\s{1,3}(?:-{1,2}[\w-]{1,30}\s{1,3}){0,4}(?:git\+)?https?://"
        r"[^\s\"'`)]{1,300}",
        keywords=any_of("pip|uv pip|pipx|uvx|npm|npx|pnpm|yarn|bun|gem|cargo"),
        validator=_unknown_package_host,
        wake=(("pip", r"(?:3|x)?\s{1,3}(?:install|add|i)\s"),),
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
        keywords=any_of(
            "eval|exec|source|. |.(|sh|bash|zsh|ksh|iex|invoke-expression|downloadstring|.then"
            "|new function|python|perl|ruby|node"
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
