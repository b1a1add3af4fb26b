"""Secret rules: vendor token formats, private keys, JWTs, credential URLs and assignments."""

from __future__ import annotations

import re

from stato.core.privacy.checks import basic_auth_ok, is_placeholder, looks_secret
from stato.core.privacy.rule import Rule, allow, token

B64 = r"[A-Za-z0-9+/]"
URL = r"[\w-]"

TOKENS: tuple[Rule, ...] = (
    token("aws-access-key-id", "AWS access key ID", "A", r"(?:KIA|SIA|BIA|CCA)[A-Z2-7]{16}",
          "{AWS_ACCESS_KEY_ID}", left="[A-Za-z0-9]", right="[A-Za-z0-9]", entropy=2.5,
          allowlist=allow("EXAMPLE$")),
    token("aws-session-token", "AWS STS session token", "", r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)"
          rf"[A-Za-z0-9+/=]{{100,4000}}", "{AWS_SESSION_TOKEN}", left=B64, right=B64,
          keywords=("iqojb3jpz2lux2vj", "fwogzxivyxdz")),
    token("github-token", "GitHub token", "gh", r"[pousr]_[A-Za-z0-9]{36}(?:_[\w.-]{20,600})?",
          "{GITHUB_TOKEN}"),
    token("github-fine-grained-pat", "GitHub fine-grained PAT", "github_pat_", r"[A-Za-z0-9_]{82}",
          "{GITHUB_TOKEN}"),
    token("gitlab-token", "GitLab token", "gl", r"(?:pat|dt|rt|cbt|ptt|ft|soat|oas)-[\w-]{20,300}"
          r"(?:\.[0-9a-z]{9})?", "{GITLAB_TOKEN}"),
    token("slack-token", "Slack token", "x", r"(?:ox[abeoprs]|oxe\.xox[bp]|app)-[0-9]{1,13}-"
          r"[0-9A-Za-z-]{10,250}", "{SLACK_TOKEN}"),
    token("slack-webhook", "Slack webhook", "hooks.slack.com/", r"(?:services|workflows|triggers)/"
          r"(?P<s>T[A-Z0-9]{6,12}/[A-Z0-9]{6,12}/[A-Za-z0-9]{16,40})", "{SLACK_WEBHOOK}",
          left="[a-z]", right="[A-Za-z0-9]"),
    token("stripe-secret-key", "Stripe secret key", "", r"[rs]k_(?:live|test)_[0-9A-Za-z]{24,247}",
          "{STRIPE_KEY}", keywords=("k_live_", "k_test_")),
    token("openai-api-key", "OpenAI API key", "sk-", r"(?:(?:proj|svcacct|admin)-)?[\w-]{16,200}"
          r"T3BlbkFJ[\w-]{16,200}", "{OPENAI_API_KEY}"),
    token("openai-project-key", "OpenAI project key", "sk-", r"(?:proj|svcacct|admin)-[\w-]{40,300}",
          "{OPENAI_API_KEY}"),
    token("anthropic-api-key", "Anthropic API key", "sk-ant-", r"[a-z]{3,6}\d{2}-[\w-]{80,120}",
          "{ANTHROPIC_API_KEY}"),
    token("openrouter-api-key", "OpenRouter API key", "sk-or-v1-", r"[a-f0-9]{64}", "{API_KEY}"),
    token("google-api-key", "Google API key", "AIza", r"[\w-]{35}", "{GOOGLE_API_KEY}"),
    token("google-oauth-secret", "Google OAuth client secret", "GOCSPX-", r"[\w-]{28}",
          "{GOOGLE_CLIENT_SECRET}"),
    token("google-oauth-token", "Google OAuth access token", "ya29.", r"[\w-]{30,2000}",
          "{GOOGLE_TOKEN}"),
    token("google-refresh-token", "Google OAuth refresh token", "1//0", r"[\w-]{30,500}",
          "{GOOGLE_TOKEN}", left=r"[\w/:]"),
    token("azure-entra-secret", "Azure Entra client secret", "", r"[\w~.-]{3}\dQ~[\w~.-]{31,34}",
          "{AZURE_CLIENT_SECRET}", left=r"[\w~.-]", right=r"[\w~.-]",
          keywords=("q~",)),
    token("sendgrid-api-key", "SendGrid API key", "SG.", r"[\w-]{22}\.[\w-]{43}", "{SENDGRID_KEY}"),
    token("mailgun-api-key", "Mailgun API key", "key-", r"[0-9a-f]{32}", "{MAILGUN_KEY}"),
    token("mailchimp-api-key", "Mailchimp API key", "", r"[0-9a-f]{32}-us[0-9]{1,2}",
          "{MAILCHIMP_KEY}", keywords=("-us",)),
    token("npm-token", "npm token", "npm_", r"[A-Za-z0-9]{36}", "{NPM_TOKEN}"),
    token("pypi-token", "PyPI token", "pypi-AgE", r"(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[\w-]{50,1000}",
          "{PYPI_TOKEN}"),
    token("huggingface-token", "Hugging Face token", "", r"(?:hf|api_org)_[A-Za-z0-9]{34}",
          "{HF_TOKEN}", keywords=("hf_", "api_org_")),
    token("jwt", "JSON Web Token", "eyJ", r"[\w-]{8,4000}\.eyJ[\w-]{8,8000}\.[\w-]{16,2000}",
          "{JWT}", left=r"[\w.-]", right=r"[\w.-]",
          allowlist=allow("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c$")),
    token("databricks-token", "Databricks token", "dapi", r"[a-f0-9]{32}(?:-\d)?", "{DATABRICKS_TOKEN}"),
    token("vault-token", "HashiCorp Vault token", "h", r"v[sb]\.[\w-]{90,300}", "{VAULT_TOKEN}"),
    token("groq-api-key", "Groq API key", "gsk_", r"[A-Za-z0-9]{52}", "{GROQ_API_KEY}"),
    token("replicate-token", "Replicate token", "r8_", r"[A-Za-z0-9]{37}", "{REPLICATE_TOKEN}"),
    token("perplexity-api-key", "Perplexity API key", "pplx-", r"[A-Za-z0-9]{48}", "{API_KEY}"),
    token("xai-api-key", "xAI API key", "xai-", r"[A-Za-z0-9]{80}", "{XAI_API_KEY}"),
    token("langsmith-key", "LangSmith key", "lsv2_", r"(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
          "{LANGSMITH_KEY}"),
    token("pinecone-api-key", "Pinecone API key", "pcsk_", r"[A-Za-z0-9]{5,6}_[\w]{63}",
          "{PINECONE_API_KEY}"),
    token("digitalocean-token", "DigitalOcean token", "do", r"[opr]_v1_[a-f0-9]{64}", "{DO_TOKEN}"),
    token("shopify-token", "Shopify token", "shp", r"(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
          "{SHOPIFY_TOKEN}"),
    token("docker-hub-pat", "Docker Hub PAT", "dckr_pat_", r"[\w-]{27}", "{DOCKER_TOKEN}"),
    token("discord-webhook", "Discord webhook", "/api/webhooks/", r"\d{17,19}/(?P<s>[\w-]{60,80})",
          "{DISCORD_WEBHOOK}", left=""),
    token("telegram-bot-token", "Telegram bot token", "", r"\d{8,10}:AA[\w-]{33}", "{TELEGRAM_TOKEN}",
          left=r"[\w:-]", keywords=(":aa",)),
    token("twilio-api-key", "Twilio API key SID", "SK", r"[0-9a-f]{32}", "{TWILIO_KEY}",
          left="[A-Za-z0-9]", right="[A-Za-z0-9]"),
)

_PEM_BODY = r"(?:[A-Za-z0-9+/=\s\\#:,.]|-(?!----)){16,40000}"
PRIVATE_KEYS: tuple[Rule, ...] = (
    Rule("private-key", "secret", "PEM private key", re.compile(
        r"-----BEGIN (?:[A-Z0-9]{2,10} ){0,2}PRIVATE KEY(?: BLOCK)?-----(?P<s>" + _PEM_BODY +
        r")-----END "), "{PRIVATE_KEY}", entropy=3.0),
    Rule("private-key-fragment", "secret", "PEM private key (unterminated)", re.compile(
        r"-----BEGIN (?:[A-Z0-9]{2,10} ){0,2}PRIVATE KEY(?: BLOCK)?-----(?P<s>(?:\\n|\s){1,4}"
        r"[A-Za-z0-9+/=]{40,40000})"), "{PRIVATE_KEY}", entropy=3.0),
    Rule("putty-private-key", "secret", "PuTTY private key", re.compile(
        r"Private-Lines: \d{1,3}(?:\r?\n|\\n)(?P<s>(?:[A-Za-z0-9+/=]{4,200}(?:\r?\n|\\n)){1,200})"
        r"Private-MAC"), "{PRIVATE_KEY}", entropy=3.0),
)


_VALUE_CHARS = frozenset(" \t\r\n\"'`,;&<>(){}[]")
_ANCHORS = ("pass", "pwd", "secret", "token", "api", "access", "private", "auth", "credential",
            "signing", "encryption", "client", "conn")


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
        return text.startswith(quote, end)
    return end == len(text) or text[end] in _VALUE_CHARS


def _assignment(span: str, m: re.Match[str], text: str) -> bool:
    if not _closed(m, text):
        return False
    quoted = bool(m.group("q"))
    key = m.group("key").lower()
    if "pass" in key or "pwd" in key:
        return looks_secret(span, quoted, min_len=5, min_entropy=2.0)
    return looks_secret(span, quoted, min_len=10, min_entropy=3.0)


_KEY = (
    r"(?P<key>(?i:passw(?:or)?d|passphrase|\bpwd|secret|token|api[_-]?key|apikey|access[_-]?key|"
    r"private[_-]?key|auth[_-]?key|credentials?|signing[_-]?key|encryption[_-]?key|"
    r"client[_-]?secret|conn(?:ection)?[_-]?string))"
    r"(?i:[_-]?(?:key|value|token|secret|str|string|access[_-]?key|plain|b64))?(?![A-Za-z0-9_])"
)
_SEP = r"[\"']?\]?[ \t]{0,3}(?::=|=>|==|[:=]|[\"'],)[ \t]{0,3}"
_VALUE = (r"(?:(?P<q>[\"'`])(?P<s>[^\"'`\r\n]{4,300})"
          r"|(?P<s2>[^\s\"'`,;&<>(){}\[\]]{4,300}))")

CONTEXT: tuple[Rule, ...] = (
    Rule("secret-assignment", "secret", "secret assigned in code or config",
         re.compile(_KEY + _SEP + r"(?:[rbufRBUF]{1,2}(?=[\"']))?" + _VALUE),
         "{REDACTED}", keywords=_ANCHORS, anchored=True, validator=_assignment),
    Rule("credential-url", "secret", "password in a URL", re.compile(
        r"://(?P<user>[^\s:/@'\"`<>{}]{0,64}):(?P<s>[^\s/@'\"`<>]{1,128})@(?=[\w\[])"),
         "{PASSWORD}", keywords=("://",),
         validator=lambda s, m, t: not (s.isdigit() and len(s) <= 5) and s != m.group("user")),
    Rule("curl-user-password", "secret", "password given to curl -u", re.compile(
        r"(?:-u|--user)[ \t=]{1,3}[\"']?(?P<user>[^\s:'\"`]{1,64}):(?P<s>[^\s'\"`]{1,128})"),
         "{PASSWORD}", keywords=("-u ", "--user"), anchored=True,
         validator=lambda s, m, t: looks_secret(s, True, min_len=4, min_entropy=1.5)),
    Rule("connection-string-password", "secret", "password in a connection string", re.compile(
        r"(?<![^;?&\s,])(?i:password|pwd|passwd)=(?P<s>[^;&\s'\"`<>]{1,128})"),
         "{PASSWORD}", keywords=("password=", "pwd=", "passwd="), anchored=True,
         validator=lambda s, m, t: looks_secret(s, True, min_len=4, min_entropy=1.5)),
    Rule("azure-storage-key", "secret", "Azure storage account key", re.compile(
        r"AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)"), "{AZURE_STORAGE_KEY}", entropy=4.0),
    Rule("azure-sas-signature", "secret", "Azure SAS signature", re.compile(
        r"sig=(?<=[?&;]sig=)(?P<s>[A-Za-z0-9%+/=]{30,200})"), "{SAS_SIGNATURE}",
         entropy=3.5),
    Rule("npmrc-auth-token", "secret", "npm auth token", re.compile(
        r":_auth(?:Token)?=(?P<s>[\w+/=.-]{20,200})"), "{NPM_TOKEN}"),
    Rule("authorization-header", "secret", "Authorization header credential", re.compile(
        r"(?i:authorization)[\"']?[ \t]{0,3}[:=][ \t]{0,3}[\"']?(?i:bearer|token)[ \t]{1,3}"
        r"(?P<s>[\w.~+/-]{12,4000}={0,2})(?![\w.~+/=-])"), "{TOKEN}", keywords=("authorization",), anchored=True,
         entropy=3.0),
    Rule("basic-auth-header", "secret", "Basic authorization credential", re.compile(
        r"Basic[ \t]{1,3}(?P<s>[A-Za-z0-9+/]{8,400}={0,2})(?![\w+/=])"), "{TOKEN}",
         validator=lambda s, m, t: basic_auth_ok(s)),
    Rule("gcp-private-key-id", "secret", "GCP service-account private key id", re.compile(
        r"\"private_key_id\"[ \t]{0,3}:[ \t]{0,3}\"(?P<s>[a-f0-9]{40})\""), "{PRIVATE_KEY_ID}"),
)

SECRET_RULES: tuple[Rule, ...] = TOKENS + PRIVATE_KEYS + CONTEXT
__all__ = ["SECRET_RULES", "is_placeholder"]
