"""Vendor token formats: rules that recognise a credential by its literal prefix and shape."""

from __future__ import annotations

from stato.core.privacy.rule import TOKEN_CHARS, Lazy, Rule, allow, token

B64 = r"[A-Za-z0-9+/]"

TOKENS: tuple[Rule, ...] = (
    token(
        "aws-access-key-id",
        "AWS access key ID",
        "A",
        r"(?:KIA|SIA|BIA|CCA|3T[A-Z0-9])[A-Z2-7]{16}",
        "{AWS_ACCESS_KEY_ID}",
        left="[A-Za-z0-9]",
        right="[A-Za-z0-9]",
        entropy=2.5,
        allowlist=allow("EXAMPLE$"),
    ),
    token(
        "aws-session-token",
        "AWS STS session token",
        "",
        r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdz)"
        r"[A-Za-z0-9+/=]{100,4000}",
        "{AWS_SESSION_TOKEN}",
        left=B64,
        right=B64,
        keywords=("iqojb3jpz2lux2vj", "fwogzxivyxdz"),
        long_run=False,  # its alphabet has + / ~ . inside: no run is certain
    ),
    token(
        "github-token",
        "GitHub token",
        "gh",
        # ghs_<app id>_<JWT>: the installation tokens GitHub issues since 2026 (~520 chars)
        r"(?:[pousr]_[A-Za-z0-9]{36}(?:_[\w.-]{20,600})?|s_[0-9]{1,20}_eyJ[\w.-]{60,1200}[\w-])",
        "{GITHUB_TOKEN}",
    ),
    token(
        "github-fine-grained-pat",
        "GitHub fine-grained PAT",
        "github_pat_",
        r"[A-Za-z0-9_]{82}",
        "{GITHUB_TOKEN}",
    ),
    token(
        "gitlab-token",
        "GitLab token",
        "gl",
        r"(?:pat|dt|rt|cbt|ptt|ft|soat|oas|imt|agent|ffct)-[\w-]{20,300}"
        # routable: `.` + 2 (payload length, or the version 01) + 7 of base 36 (its CRC)
        r"(?:\.[0-9a-z]{2}\.?[0-9a-z]{7})?",
        "{GITLAB_TOKEN}",
    ),
    token(
        "gitlab-runner-registration-token",
        "GitLab runner registration token",
        "GR1348941",
        r"[\w-]{20,40}",
        "{GITLAB_TOKEN}",
        left="[A-Za-z0-9]",
    ),
    token(
        "slack-token",
        "Slack token",
        "x",
        r"(?:ox[abeoprs]|oxe\.xox[bp]|app)-[0-9]{1,13}-"
        r"[0-9A-Za-z-]{10,250}",
        "{SLACK_TOKEN}",
    ),
    token(
        "slack-webhook",
        "Slack webhook",
        "hooks.slack.com",
        # services/T.../B.../<24>, workflows/T.../A.../<digits>/<24>, triggers/T.../<digits>/<32>;
        # in JSON the slashes may be escaped (hooks.slack.com\/services\/T...)
        r"\\{0,2}/(?:services|workflows|triggers)\\{0,2}/(?P<s>T[A-Z0-9]{6,12}\\{0,2}/"
        r"[A-Z0-9]{6,20}\\{0,2}/(?:[0-9]{6,24}\\{0,2}/)?[A-Za-z0-9]{16,40})",
        "{SLACK_WEBHOOK}",
        left="[a-z]",
        right="[A-Za-z0-9]",
    ),
    token(
        "stripe-secret-key",
        "Stripe secret key",
        "",
        r"[rs]k_(?:live|test)_[0-9A-Za-z]{24,247}",
        "{STRIPE_KEY}",
        keywords=("k_live_", "k_test_"),
    ),
    token(
        "openai-api-key",
        "OpenAI API key",
        "sk-",
        r"(?:(?:proj|svcacct|admin)-)?[\w-]{16,200}"
        r"T3BlbkFJ[\w-]{16,200}",
        "{OPENAI_API_KEY}",
    ),
    token(
        "openai-project-key",
        "OpenAI project key",
        "sk-",
        r"(?:proj|svcacct|admin)-[\w-]{40,300}",
        "{OPENAI_API_KEY}",
    ),
    token(
        "anthropic-api-key",
        "Anthropic API key",
        "sk-ant-",
        r"[a-z]{3,6}\d{2}-[\w-]{24,120}",  # 93 + AA, written shorter in tests and tutorials
        "{ANTHROPIC_API_KEY}",
    ),
    token("openrouter-api-key", "OpenRouter API key", "sk-or-v1-", r"[a-f0-9]{64}", "{API_KEY}"),
    # AIza + 35; tutorials miscount their fakes by a character or two
    token("google-api-key", "Google API key", "AIza", r"[\w-]{32,35}", "{GOOGLE_API_KEY}"),
    token(
        "google-oauth-secret",
        "Google OAuth client secret",
        "GOCSPX-",
        r"[\w-]{28}",
        "{GOOGLE_CLIENT_SECRET}",
    ),
    token(
        "google-oauth-token",
        "Google OAuth access token",
        "ya29.",
        r"[\w-]{30,2000}",
        "{GOOGLE_TOKEN}",
    ),
    token(
        "google-refresh-token",
        "Google OAuth refresh token",
        "1//0",
        r"[\w-]{30,500}",
        "{GOOGLE_TOKEN}",
        left=r"[\w/:]",
    ),
    token(
        "azure-entra-secret",
        "Azure Entra client secret",
        "",
        r"[\w~.-]{3}\dQ~[\w~.-]{31,34}",
        "{AZURE_CLIENT_SECRET}",
        left=r"[\w~.-]",
        right=r"[\w~.-]",
        keywords=("q~",),
        long_run=False,  # its alphabet has + / ~ . inside: no run is certain
    ),
    token("sendgrid-api-key", "SendGrid API key", "SG.", r"[\w-]{22}\.[\w-]{43}", "{SENDGRID_KEY}"),
    token("mailgun-api-key", "Mailgun API key", "key-", r"[0-9a-f]{32}", "{MAILGUN_KEY}"),
    token("mailgun-public-key", "Mailgun public key", "pubkey-", r"[0-9a-f]{32}", "{MAILGUN_KEY}"),
    Rule(
        "mailgun-signing-key",
        "secret",
        "Mailgun webhook signing key",
        # 32 hex - 8 hex - 8 hex, matched from its first dash (a literal the engine jumps to)
        Lazy(
            r"-(?<=(?<![A-Za-z0-9-])(?P<lead1>[0-9a-f]{32})-)[0-9a-f]{8}-[0-9a-f]{8}"
            r"(?![A-Za-z0-9-])"
        ),
        "{MAILGUN_KEY}",
        entropy=3.0,
        run=(TOKEN_CHARS, 16),
    ),
    token(
        "mailchimp-api-key",
        "Mailchimp API key",
        "",
        r"[0-9a-f]{32}-us[0-9]{1,2}",
        "{MAILCHIMP_KEY}",
        keywords=("-us",),
    ),
    token("npm-token", "npm token", "npm_", r"[A-Za-z0-9]{36}", "{NPM_TOKEN}"),
    token(
        "pypi-token",
        "PyPI token",
        "pypi-AgE",
        r"(?:IcHlwaS5vcmc|NdGVzdC5weXBpLm9yZw)[\w-]{50,1000}",
        "{PYPI_TOKEN}",
    ),
    token(
        "huggingface-token",
        "Hugging Face token",
        "",
        r"(?:hf|api_org)_[A-Za-z0-9]{34}",
        "{HF_TOKEN}",
        keywords=("hf_", "api_org_"),
    ),
    token(
        "jwt",
        "JSON Web Token",
        "eyJ",
        r"[\w-]{8,4000}\.eyJ[\w-]{8,8000}\.[\w-]{16,2000}",
        "{JWT}",
        left=r"[\w.-]",
        right=r"[\w.-]",
        allowlist=allow("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c$"),
    ),
    token(
        "databricks-token",
        "Databricks token",
        "dapi",
        r"[a-f0-9]{32}(?:-\d)?",
        "{DATABRICKS_TOKEN}",
    ),
    token("vault-token", "HashiCorp Vault token", "h", r"v[sb]\.[\w-]{90,300}", "{VAULT_TOKEN}"),
    token("groq-api-key", "Groq API key", "gsk_", r"[A-Za-z0-9]{52}", "{GROQ_API_KEY}"),
    token("replicate-token", "Replicate token", "r8_", r"[A-Za-z0-9]{37}", "{REPLICATE_TOKEN}"),
    token("perplexity-api-key", "Perplexity API key", "pplx-", r"[A-Za-z0-9]{48}", "{API_KEY}"),
    token("xai-api-key", "xAI API key", "xai-", r"[A-Za-z0-9]{80}", "{XAI_API_KEY}"),
    token(
        "langsmith-key",
        "LangSmith key",
        "lsv2_",
        r"(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}",
        "{LANGSMITH_KEY}",
    ),
    token(
        "pinecone-api-key",
        "Pinecone API key",
        "pcsk_",
        r"[A-Za-z0-9]{5,6}_[\w]{63}",
        "{PINECONE_API_KEY}",
    ),
    token("digitalocean-token", "DigitalOcean token", "do", r"[opr]_v1_[a-f0-9]{64}", "{DO_TOKEN}"),
    token(
        "shopify-token",
        "Shopify token",
        "shp",
        r"(?:at|ca|pa|ss)_[a-fA-F0-9]{32}",
        "{SHOPIFY_TOKEN}",
    ),
    token("docker-hub-pat", "Docker Hub PAT", "dckr_pat_", r"[\w-]{27}", "{DOCKER_TOKEN}"),
    token(
        "discord-webhook",
        "Discord webhook",
        "webhooks",
        # discord(app).com/api/webhooks/<id>/<token>, its slashes escaped in JSON or not
        r"(?:(?<=api/webhooks)|(?<=api\\/webhooks)|(?<=api\\\\/webhooks))"
        r"\\{0,2}/\d{17,19}\\{0,2}/(?P<s>[\w-]{60,80})",
        "{DISCORD_WEBHOOK}",
        left="",
    ),
    token(
        "telegram-bot-token",
        "Telegram bot token",
        "",
        r"\d{8,10}:AA[\w-]{33}",
        "{TELEGRAM_TOKEN}",
        left=r"[\w:-]",
        keywords=(":aa",),
    ),
    token(
        "twilio-api-key",
        "Twilio API key SID",
        "SK",
        r"[0-9a-f]{32}",
        "{TWILIO_KEY}",
        left="[A-Za-z0-9]",
        right="[A-Za-z0-9]",
    ),
)
