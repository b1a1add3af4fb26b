"""Conformance with ../shared/privacy-formats.md: every listed credential and personal-data format,
written where people put them (a module field, a lesson bullet, a URL, JSON inside a string, a
.env line, a PEM block in a triple-quoted string), is found with its exact span; sanitizing leaves
a module that still parses and holds nothing the scanner reports; placeholders, documentation
values and ordinary Python are not flagged.

Tokens are assembled at test time from a seeded generator (with their real checksums: GitHub's
and npm's CRC32, Luhn for cards), never written out whole.
"""

from __future__ import annotations

import ast
import base64
import json
import random
import string
import zlib

import pytest

from stato.core.privacy import scan_text
from stato.ops.scan import sanitize_text

_R = random.Random(20240611)
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
B64URL = ALNUM + "_-"
HEX = "0123456789abcdef"
AWS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_B62 = string.digits + string.ascii_uppercase + string.ascii_lowercase


def rnd(alphabet: str, n: int) -> str:
    """``n`` characters of ``alphabet``, with a digit and a letter when it has both."""
    while True:
        out = "".join(_R.choice(alphabet) for _ in range(n))
        digit = any(c.isdigit() for c in alphabet) <= any(c.isdigit() for c in out)
        letter = any(c.isalpha() for c in alphabet) <= any(c.isalpha() for c in out)
        if n < 8 or (digit and letter):
            return out


def crc_token(prefix: str) -> str:
    """GitHub / npm shape: 30 random characters and their CRC32 in six base-62 digits."""
    body = rnd(ALNUM, 30)
    value, digits = zlib.crc32(body.encode()), ""
    while value:
        value, d = divmod(value, 62)
        digits = _B62[d] + digits
    return prefix + body + digits.rjust(6, "0")


def jwt(payload: dict[str, object], signature: int = 43) -> str:
    def part(obj: dict[str, object]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.{rnd(B64URL, signature)}"


def luhn_number(prefix: str, length: int) -> str:
    body = prefix + "".join(_R.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        digits = [int(c) for c in reversed(body + check)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return body + check
    raise AssertionError("unreachable")


# format -> (rule id, token)
TOKENS: dict[str, tuple[str, str]] = {
    "aws AKIA": ("aws-access-key-id", "AKIA" + rnd(AWS, 16)),
    "aws ASIA": ("aws-access-key-id", "ASIA" + rnd(AWS, 16)),
    "aws ABIA": ("aws-access-key-id", "ABIA" + rnd(AWS, 16)),
    "aws ACCA": ("aws-access-key-id", "ACCA" + rnd(AWS, 16)),
    "aws A3T": ("aws-access-key-id", "A3TX" + rnd(AWS, 16)),
    "aws sts IQoJ": ("aws-session-token", "IQoJb3JpZ2luX2Vj" + rnd(B64, 400) + "=="),
    "aws sts Fwo": ("aws-session-token", "FwoGZXIvYXdz" + rnd(B64, 300)),
    "github ghp": ("github-token", crc_token("gh" + "p_")),
    "github gho": ("github-token", crc_token("gh" + "o_")),
    "github ghu": ("github-token", crc_token("gh" + "u_")),
    "github ghs": ("github-token", crc_token("gh" + "s_")),
    "github ghr": ("github-token", crc_token("gh" + "r_")),
    "github ghs app jwt": (
        "github-token",
        "gh" + "s_1234567_" + jwt({"iss": "123456", "installation_id": 987654}, 342),
    ),
    "github fine-grained": (
        "github-fine-grained-pat",
        "github" + "_pat_11" + rnd(AWS, 20) + "_" + rnd(ALNUM, 59),
    ),
    "gitlab glpat": ("gitlab-token", "gl" + "pat-" + rnd(B64URL, 20)),
    "gitlab routable": (
        "gitlab-token",
        "gl" + "pat-" + rnd(B64URL, 36) + "." + rnd(HEX, 2) + rnd(string.digits + "xyz", 7),
    ),
    "gitlab routable 01": (
        "gitlab-token",
        "gl" + "pat-" + rnd(B64URL, 36) + ".01." + rnd(string.digits + "xyz", 7),
    ),
    "gitlab gldt": ("gitlab-token", "gl" + "dt-" + rnd(B64URL, 20)),
    "gitlab glrt": ("gitlab-token", "gl" + "rt-" + rnd(B64URL, 20)),
    "gitlab glcbt": ("gitlab-token", "gl" + "cbt-" + rnd(B64URL, 20)),
    "gitlab glptt": ("gitlab-token", "gl" + "ptt-" + rnd(HEX, 40)),
    "gitlab glft": ("gitlab-token", "gl" + "ft-" + rnd(B64URL, 20)),
    "gitlab glsoat": ("gitlab-token", "gl" + "soat-" + rnd(B64URL, 20)),
    "gitlab gloas": ("gitlab-token", "gl" + "oas-" + rnd(B64URL, 20)),
    "gitlab runner": ("gitlab-runner-registration-token", "GR134" + "8941" + rnd(B64URL, 20)),
    "slack bot": (
        "slack-token",
        "xo" + "xb-" + rnd(string.digits, 12) + "-" + rnd(string.digits, 13) + "-" + rnd(ALNUM, 24),
    ),
    "slack user": (
        "slack-token",
        "xo" + "xp-" + "-".join(rnd(string.digits, 12) for _ in range(3)) + "-" + rnd(HEX, 32),
    ),
    "slack app": ("slack-token", "xa" + "pp-1-A0" + rnd(AWS, 9) + "-1234567890123-" + rnd(HEX, 64)),
    "slack refresh": ("slack-token", "xo" + "xe.xoxp-1-" + rnd(ALNUM, 140)),
    "stripe legacy": ("stripe-secret-key", "sk" + "_live_" + rnd(ALNUM, 24)),
    "stripe current": ("stripe-secret-key", "sk" + "_live_51" + rnd(ALNUM, 97)),
    "stripe restricted": ("stripe-secret-key", "rk" + "_live_51" + rnd(ALNUM, 97)),
    "stripe test": ("stripe-secret-key", "sk" + "_test_" + rnd(ALNUM, 24)),
    "openai legacy": ("openai-api-key", "sk-" + rnd(ALNUM, 20) + "T3Blbk" + "FJ" + rnd(ALNUM, 20)),
    "openai project": (
        "openai-api-key",
        "sk-" + "proj-" + rnd(B64URL, 74) + "T3Blbk" + "FJ" + rnd(B64URL, 74),
    ),
    "openai service account": (
        "openai-api-key",
        "sk-" + "svcacct-" + rnd(B64URL, 58) + "T3Blbk" + "FJ" + rnd(B64URL, 58),
    ),
    "openai admin": (
        "openai-api-key",
        "sk-" + "admin-" + rnd(B64URL, 58) + "T3Blbk" + "FJ" + rnd(B64URL, 58),
    ),
    "anthropic": ("anthropic-api-key", "sk-" + "ant-api03-" + rnd(B64URL, 93) + "AA"),
    "anthropic admin": ("anthropic-api-key", "sk-" + "ant-admin01-" + rnd(B64URL, 93) + "AA"),
    "google api key": ("google-api-key", "AI" + "za" + rnd(B64URL, 35)),
    "gemini": ("google-api-key", "AI" + "zaSy" + rnd(B64URL, 33)),
    "google client secret": ("google-oauth-secret", "GOC" + "SPX-" + rnd(B64URL, 28)),
    "google access token": ("google-oauth-token", "ya" + "29." + rnd(B64URL, 150)),
    "google refresh token": ("google-refresh-token", "1//" + "0" + rnd(B64URL, 100)),
    "azure entra": ("azure-entra-secret", rnd(ALNUM, 3) + "8Q~" + rnd(ALNUM + "_~.-", 34)),
    "twilio api key": ("twilio-api-key", "SK" + rnd(HEX, 32)),
    "sendgrid": ("sendgrid-api-key", "SG." + rnd(B64URL, 22) + "." + rnd(B64URL, 43)),
    "mailgun private": ("mailgun-api-key", "key-" + rnd(HEX, 32)),
    "mailgun public": ("mailgun-public-key", "pub" + "key-" + rnd(HEX, 32)),
    "mailgun signing": (
        "mailgun-signing-key",
        rnd(HEX, 32) + "-" + rnd(HEX, 8) + "-" + rnd(HEX, 8),
    ),
    "mailchimp": ("mailchimp-api-key", rnd(HEX, 32) + "-us21"),
    "npm": ("npm-token", crc_token("npm" + "_")),
    "pypi": ("pypi-token", "pypi-" + "AgEIcHlwaS5vcmc" + rnd(B64URL, 160)),
    "testpypi": ("pypi-token", "pypi-" + "AgENdGVzdC5weXBpLm9yZw" + rnd(B64URL, 160)),
    "hugging face": ("huggingface-token", "hf" + "_" + rnd(string.ascii_letters, 34)),
    "hugging face org": ("huggingface-token", "api" + "_org_" + rnd(string.ascii_letters, 34)),
    "jwt": ("jwt", jwt({"iss": "supabase", "role": "service_role", "exp": 2000000000})),
    "databricks": ("databricks-token", "dapi" + rnd(HEX, 32)),
    "databricks -N": ("databricks-token", "dapi" + rnd(HEX, 32) + "-2"),
    "vault service": ("vault-token", "hv" + "s." + rnd(B64URL, 95)),
    "vault batch": ("vault-token", "hv" + "b." + rnd(B64URL, 150)),
    "groq": ("groq-api-key", "gs" + "k_" + rnd(ALNUM, 52)),
    "replicate": ("replicate-token", "r8" + "_" + rnd(ALNUM, 37)),
    "perplexity": ("perplexity-api-key", "pp" + "lx-" + rnd(ALNUM, 48)),
    "openrouter": ("openrouter-api-key", "sk-" + "or-v1-" + rnd(HEX, 64)),
    "xai": ("xai-api-key", "xa" + "i-" + rnd(ALNUM, 80)),
    "langsmith": ("langsmith-key", "lsv2" + "_pt_" + rnd(HEX, 32) + "_" + rnd(HEX, 10)),
    "pinecone": ("pinecone-api-key", "pc" + "sk_" + rnd(ALNUM, 6) + "_" + rnd(ALNUM, 63)),
    "digitalocean": ("digitalocean-token", "do" + "p_v1_" + rnd(HEX, 64)),
    "shopify": ("shopify-token", "sh" + "pat_" + rnd(HEX, 32)),
    "telegram": ("telegram-bot-token", rnd(string.digits, 10) + ":AA" + rnd(B64URL, 33)),
    "docker hub": ("docker-hub-pat", "dckr" + "_pat_" + rnd(B64URL, 27)),
}

# where people write a token: «T» marks it
PLACES: dict[str, str] = {
    "assignment": 'api_token = "«T»"\n',
    "keyword argument": 'client = Client(api_key="«T»", timeout=30)\n',
    "lesson bullet": "- Authenticate with «T» when the API returns 401\n",
    "url query": "- GET https://api.service.net/v1/items?key=«T»&page=2\n",
    "json in a string": 'payload = \'{"token": "«T»"}\'\n',
    "escaped json": 'payload = "{\\"token\\": \\"«T»\\"}"\n',
    "dotenv": "SERVICE_CREDENTIAL=«T»\n",
    "export": 'export SERVICE_CREDENTIAL="«T»"\n',
    "yaml": "auth:\n  value: «T»\n",
    "environ": 'os.environ["SERVICE_CREDENTIAL"] = "«T»"\n',
    "inline code": "Use `«T»` for the staging service.\n",
}


def unmark(text: str) -> tuple[str, int, int]:
    start = text.index("«")
    text = text.replace("«", "", 1)
    end = text.index("»")
    return text.replace("»", "", 1), start, end


def found_as(text: str) -> tuple[str, list[str]]:
    """(the rule that flagged exactly the marked span or "", what the scan found instead)."""
    plain, start, end = unmark(text)
    found = scan_text(plain)
    exact = [f.pattern for f in found if (f.start, f.end) == (start, end)]
    return (exact[0] if exact else ""), [f"{f.pattern}:{f.text[:12]}" for f in found]


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_every_token_format_is_found_exactly_wherever_it_is_written(name: str) -> None:
    rule, token = TOKENS[name]
    for place, template in PLACES.items():
        got, found = found_as(template.replace("«T»", f"«{token}»"))
        assert got == rule, f"{name} in {place}: {found}"


def _pem(kind: str) -> str:
    body = "\n".join(rnd(B64, 64) for _ in range(8)) + "\n" + rnd(B64, 20) + "=="
    return f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----"


# credentials only their context tells: «» marks the secret, None accepts any secret rule
AKID = "AKIA" + rnd(AWS, 16)
AWS_SECRET = rnd(B64, 40)
PW = "N7rk2QpLw4"
CONTEXTS: dict[str, tuple[str, str | None]] = {
    "aws credentials file": (
        f"[default]\naws_access_key_id = {AKID}\naws_secret_access_key = «{AWS_SECRET}»\n",
        None,
    ),
    "aws env": (f"AWS_SECRET_ACCESS_KEY=«{AWS_SECRET}»\n", None),
    "aws boto3": (
        f"boto3.client('s3', aws_access_key_id='{AKID}', aws_secret_access_key='«{AWS_SECRET}»')",
        None,
    ),
    "aws console csv": (
        f"User name,Access key ID,Secret access key\nci,{AKID},«{AWS_SECRET}»\n",
        "aws-secret-beside-key-id",
    ),
    "aws id / secret in prose": (
        f"- the CI user is {AKID} / «{AWS_SECRET}»\n",
        "aws-secret-beside-key-id",
    ),
    "postgresql+driver": (
        f"url = 'postgresql+psycopg2://lab:«{PW}»@db.lab.net:5432/lims?sslmode=require'",
        None,
    ),
    "mysql+pymysql": (f"url = 'mysql+pymysql://root:«{PW}»@mysql.lab.net:3306/app'", None),
    "mongodb+srv": (
        f"MONGO_URI=mongodb+srv://app:«{PW}»@c0.ab1cd.mongodb.net/prod?retryWrites=true",
        None,
    ),
    "redis empty user": (f"REDIS_URL=redis://:«{PW}»@redis.lab.net:6379/0", None),
    "azure redis": (
        f"c = 'app.redis.cache.windows.net:6380,password=«{rnd(ALNUM, 43)}=»,ssl=True'",
        None,
    ),
    "amqps": (f"BROKER = 'amqps://celery:«{PW}»@b-1.mq.aws.com:5671'", None),
    "ftp": (f"- fetch ftp://geoftp:«{PW}»@ftp-private.ncbi.nlm.nih.gov/uploads/", None),
    "git remote with a token": (
        "git clone https://x-access-token:«" + crc_token("gh" + "s_") + "»@github.com/o/r.git",
        "github-token",
    ),
    "jdbc": (f"jdbc:postgresql://db:5432/lims?user=lab&password=«{PW}»&ssl=true", None),
    "ado.net": (f'cs = "Server=tcp:db,1433;Database=x;User Id=lab;Password=«{PW}»;"', None),
    "libpq": (f"psycopg2.connect('host=db dbname=lims user=lab password=«{PW}»')", None),
    "PGPASSWORD": (f"- run PGPASSWORD=«{PW}» psql -h db -U lab lims", None),
    "MYSQL_PWD": (f"MYSQL_PWD=«{PW}»\n", None),
    "ldapsearch -w": (
        f"- ldapsearch -x -D 'cn=admin,dc=lab' -w «{PW}» -H ldap://ldap.lab.net",
        "cli-password-flag",
    ),
    "mysql -p": (f"- mysql -u root -p«{PW}» lims", "cli-password-flag"),
    "docker login -p": (f"- docker login -u ci -p «{PW}» registry.lab.net", "cli-password-flag"),
    "kubeconfig client key": (
        "    client-key-data: «"
        + base64.b64encode(_pem("RSA PRIVATE KEY").encode()).decode()
        + "»",
        "private-key-base64",
    ),
    "docker config": (
        '{"auths": {"ghcr.io": {"auth": "«'
        + base64.b64encode(b"ci:Wq7zR2pLx9Tv").decode()
        + '»"}}}',
        "docker-config-auth",
    ),
    "password with a dot, bare": ("- log in with pw=«Summer.Breeze42» then run", "password-bare"),
    "password with a dot, prose": ("- the password «Kx4.vTr2Qw» is on the wiki", None),
    "azure key in .env": (f"AZURE_STORAGE_KEY=«{rnd(B64, 86)}==»", "cloud-key-assignment"),
    "environ": ('os.environ["DB_PASSWORD"] = "«Tq8#mZ2!vR9x»"', None),
    "deepseek": (
        f'OpenAI(api_key="«sk-{rnd(HEX, 32)}»", base_url="https://api.deepseek.com")',
        None,
    ),
    "cohere positional": (f"co = cohere.Client('«{rnd(ALNUM, 40)}»')", "cohere-api-key"),
    "mistral env": (f"MISTRAL_API_KEY=«{rnd(ALNUM, 32)}»", None),
    "wandb": (f"wandb.login(key='«{rnd(HEX, 40)}»')", None),
    "ncbi in prose": (f"- the NCBI key «{rnd(HEX, 36)}» lifts the rate limit", "vendor-hex-key"),
    "datadog app key": (f"DD_APP_KEY=«{rnd(HEX, 40)}»", None),
    "bare _KEY in .env": (f"LIMS_SIGNING_KEY=«{rnd(B64URL, 40)}»", None),
    "twilio client": (
        f"client = Client('AC{rnd(HEX, 32)}', '«{rnd(HEX, 32)}»')",
        "twilio-auth-token",
    ),
    "bearer": (f"headers = {{'Authorization': 'Bearer «{rnd(B64URL, 40)}»'}}", None),
    "basic": (
        "curl -H 'Authorization: Basic «"
        + base64.b64encode(b"deploy:Wq7!zR2pLx").decode()
        + "»' https://api.lab.net",
        None,
    ),
    "slack webhook": (
        f"https://hooks.slack.com/services/«T0{rnd(AWS, 8)}/B0{rnd(AWS, 9)}/{rnd(ALNUM, 24)}»",
        "slack-webhook",
    ),
    "slack workflow webhook": (
        f"https://hooks.slack.com/workflows/«T0{rnd(AWS, 8)}/A0{rnd(AWS, 9)}/"
        f"{rnd(string.digits, 18)}/{rnd(ALNUM, 24)}»",
        "slack-webhook",
    ),
    "slack trigger": (
        f"https://hooks.slack.com/triggers/«T0{rnd(AWS, 8)}/{rnd(string.digits, 13)}/"
        f"{rnd(HEX, 32)}»",
        "slack-webhook",
    ),
    "slack webhook in json": (
        f'"url": "https:\\/\\/hooks.slack.com\\/services\\/«T0{rnd(AWS, 8)}\\/B0{rnd(AWS, 9)}\\/'
        f'{rnd(ALNUM, 24)}»"',
        "slack-webhook",
    ),
    "discord webhook in json": (
        f'"https:\\/\\/discord.com\\/api\\/webhooks\\/{rnd(string.digits, 18)}\\/«{rnd(B64URL, 68)}»"',
        "discord-webhook",
    ),
    "discord webhook": (
        f"https://discord.com/api/webhooks/{rnd(string.digits, 18)}/«{rnd(B64URL, 68)}»",
        "discord-webhook",
    ),
}


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_credentials_told_by_their_context(name: str) -> None:
    text, rule = CONTEXTS[name]
    got, found = found_as(text)
    assert got and (rule is None or got == rule), f"{name}: {found}"


@pytest.mark.parametrize(
    "kind", ["RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
             "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]
)  # fmt: skip
def test_private_key_blocks_in_a_triple_quoted_string_are_sanitized_whole(kind: str) -> None:
    pem = _pem(kind)
    body = pem.split("\n", 1)[1].rsplit("\n", 1)[0]
    source = f'class K:\n    """Keys."""\n\n    name = "k"\n    key = """{pem}\n"""\n'
    found = [f for f in scan_text(source) if f.category == "secret"]
    assert [f.pattern for f in found] == ["private-key"] and body in found[0].text
    clean, left = sanitize_text(source, "k.py", found)
    ast.parse(clean)
    assert left == [] and body.splitlines()[3] not in clean and f"BEGIN {kind}" in clean


@pytest.mark.parametrize("joiner", ["", " +"])
def test_a_key_written_as_one_string_per_line_is_one_finding(joiner: str) -> None:
    lines = [rnd(B64, 64) for _ in range(6)]
    source = (
        'KEY = (\n    "-----BEGIN RSA PRIVATE KEY-----\\n"' + joiner + "\n"
        + "".join(f'    "{line}\\n"{joiner}\n' for line in lines)
        + '    "-----END RSA PRIVATE KEY-----\\n"\n)\n'
    )  # fmt: skip
    ast.parse(source)
    found = scan_text(source)
    assert [f.pattern for f in found] == ["private-key"]
    clean, left = sanitize_text(source, "k.py", found)
    ast.parse(clean)
    assert left == [] and not any(line in clean for line in lines)
    assert "-----BEGIN RSA PRIVATE KEY-----{PRIVATE_KEY}-----END RSA PRIVATE KEY-----" in clean


def test_gcp_service_account_json_with_escaped_newlines() -> None:
    key_id = rnd(HEX, 40)
    body = "\\n".join(rnd(B64, 64) for _ in range(5))
    account = (
        '{"type": "service_account", "project_id": "lab-prod", "private_key_id": "' + key_id
        + '", "private_key": "-----BEGIN PRIVATE KEY-----\\nMII' + body
        + '\\n-----END PRIVATE KEY-----\\n", "client_email": "etl@lab-prod.iam.gserviceaccount.com"}'
    )  # fmt: skip
    source = f"SA = '{account}'\n"
    found = {f.pattern: f.text for f in scan_text(source)}
    assert set(found) == {"gcp-private-key-id", "private-key"}
    assert found["gcp-private-key-id"] == key_id and body in found["private-key"]
    clean, left = sanitize_text(source, "sa.py", scan_text(source))
    ast.parse(clean)
    assert left == [] and key_id not in clean and body not in clean


CARD_LAYOUTS = {
    "visa": luhn_number("4", 16),
    "visa 19": luhn_number("4", 19),
    "mastercard 2-series": luhn_number("2221", 16),
    "mastercard": luhn_number("5425", 16),
    "amex": luhn_number("37", 15),
    "discover": luhn_number("6011", 16),
    "jcb": luhn_number("3530", 16),
    "diners": luhn_number("36", 14),
}


def _printed(digits: str) -> str:
    if len(digits) in (14, 15):  # Diners 4-6-4, Amex 4-6-5
        return f"{digits[:4]} {digits[4:10]} {digits[10:]}"
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


@pytest.mark.parametrize("issuer", sorted(CARD_LAYOUTS))
def test_card_numbers_with_luhn_in_every_layout(issuer: str) -> None:
    digits = CARD_LAYOUTS[issuer]
    for text in (f"card = '«{digits}»'", f"- paid with «{_printed(digits)}»"):
        assert found_as(text)[0] == "card-number", text
    broken = digits[:-1] + str((int(digits[-1]) + 1) % 10)  # fails Luhn
    assert not [f for f in scan_text(f"card = '{broken}'") if f.pattern == "card-number"]


PERSONAL: dict[str, tuple[str, str]] = {
    "email": ("- ask «maria.lopez@umcg.nl» for access", "email"),
    "nanp": ("- PI phone: «415-867-5309»", "phone-number"),
    "nanp with trunk prefix": ("- call «1-415-867-5309» after 5", "phone-number"),
    "ssn labelled, spaced": ("- SSN: «536 22 1874»", "us-ssn-labelled"),
    "e.164": ("- mobile «+49 151 23984761»", "phone-number-intl"),
    "ssn": ("- SSN «536-22-1874»", "us-ssn"),
    "mrn": ("- MRN: «48213377»", "patient-id"),
    "mrn as the spec writes it": ("MRN: «12345678»", "patient-id"),
    "subject id": ("subject_id: «SUBJ-123456»", "patient-id"),
    "patient id json": ('{"patient_id": "«PT-0048213»"}', "patient-id"),
    "dob": ("- DOB: «1984-03-12»", "date-of-birth"),
    "private ip": ("host = '«192.168.10.24»'", "ipv4-private"),
    "public ip": ("- the API runs on «52.14.88.201»", "ipv4-public"),
    "home under /gpfs": ("data = '/gpfs/home/«maria.lopez»/runs/x.h5ad'", "home-path-unix"),
    "wsl": ("data = '/mnt/c/Users/«mlopez»/x.csv'", "home-path-windows"),
    "windows forward": ("data = 'C:/Users/«m.lopez»/x.csv'", "home-path-windows"),
    "windows escaped twice": (
        'cfg = "{\\\\"dir\\\\": \\\\"C:\\\\\\\\Users\\\\\\\\«mlopez»"}"',
        "home-path-windows",
    ),
}


# a value that starts a line of a string written with \n escapes: the n is no letter before it
ESCAPED = {
    "ip": ('HOSTS = "10.1.2.3\\n«10.1.2.4»"', "ipv4-private"),
    "phone": ('NOTE = "call:\\n«415-867-5309»"', "phone-number"),
    "ssn": ('NOTE = "SSN\\n«536-22-1874»"', "us-ssn"),
    "card": ('NOTE = "card\\n«4539 1488 0343 6467»"', "card-number"),
    "email": ('NOTE = "Contact:\\n«ana.lopez@umcg.nl»"', "email"),
    "token": ('ENV = "A=1\\n«' + TOKENS["github ghp"][1] + '»"', "github-token"),
    "aws id": ('ENV = "ids\\n«' + TOKENS["aws AKIA"][1] + '»"', "aws-access-key-id"),
}
PERSONAL.update({f"after a \\n escape: {name}": case for name, case in ESCAPED.items()})


@pytest.mark.parametrize("name", sorted(PERSONAL))
def test_personal_data_formats(name: str) -> None:
    text, rule = PERSONAL[name]
    assert found_as(text)[0] == rule, scan_text(unmark(text)[0])


NOT_SECRETS = [
    "api_key = 'sk-...'",
    "OPENAI_API_KEY=YOUR_API_KEY",
    "token = '<token>'",
    "password = '${DB_PASSWORD}'",
    "token: ${{ secrets.GITHUB_TOKEN }}",
    "key = 'AKIAXXXXXXXXXXXXXXXX'",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "DATABASE_URL=postgresql://user:password@localhost:5432/mydb",
    "mongodb://<username>:<password>@cluster0.mongodb.net/test",
    "password = os.environ['DB_PASSWORD']",
    "commit 3f2a9c1e7b4d8f6a0c5e2b9d7f1a3c8e4b6d0f2a fixed it",
    "md5 = 'd41d8cd98f00b204e9800998ecf8427e'",
    "run_id = '123e4567-e89b-12d3-a456-426614174000'",
    "contact: jane@example.com",
    "git@github.com:org/repo.git",
    "12345+octocat@users.noreply.github.com",
    "cd /home/user/project and /Users/Shared/data",
    "bind 0.0.0.0:8080, see 192.0.2.10 and 127.0.0.1, netmask 255.255.255.0",
    "ssn 666-12-3456 and 912-34-5678",
    "- never commit your api key; rotate the secret token monthly",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI" + rnd(B64, 43) + " me@laptop",
    "-----BEGIN PRIVATE KEY-----\n<your key here>\n-----END PRIVATE KEY-----",
    "Authorization: Bearer ${API_TOKEN}",
    "pk" + "_live_" + rnd(ALNUM, 24),
    # real text the scanner used to flag
    "OAuth tokens go on `Authorization: Bearer`, not `x-api-key:` — converting a curl from an "
    "API key is a header change, not a key swap). Always pass `--access-token`",
    "password = self._get_password(url, username)",
    "password = Prompt.ask('Password', password=True)",
    "passphrase = _ffi.NULL",
    "def load(data: bytes, password: typing.Optional[bytes]) -> None: ...",
    "def load(password: _PasswordType | None = None) -> None: ...",
    ":type passphrase: :py:data:`bytes`",
    'def sign(private_key: "_RSAPrivateKey", data: bytes) -> bytes: ...',
    "_token = r'(?:[%s]+|%s)' % (_punct, _core_token)",
    'PROTOCOL_VERSION_META_KEY = "io.modelcontextprotocol/protocolVersion"',
    '_SCOPE_KEY = "starlette._body_limit_responder"',
    "CACHE_KEY = make_cache_key_v2",
    "# using Guile 3.0.5.130-5a1e7.",
    "(cf. Hyperspec 2.4.8.19)",
    'the HTML5 spec sections "8.2.4.44 Bogus comment state"',
    "'1.0.0.127.in-addr.arpa'",
    "inet_aton() -- convert IP addr string (123.45.67.89) to 32-bit packed format",
    "Authorization: Bearer mF_9.B5f-4.1JqM",
    '"access_token":"2YotnFZFEjr1zCsicMWpAA",',
    "ldapsearch -x -W -D cn=admin and mysql -u root -p lims",
    "email='your-client@provider.com'",
    'PRIMARY_KEY = "run_2024_v1_experiment"',
    "STRIPE_PUBLISHABLE_KEY=pk" + "_live_" + rnd(ALNUM, 24),
    "ssn: 123456789 and SSN 123 45 6789",
    "docker login -u me --password-stdin",
    "MRN: XXXXXXXX, patient_id: <id>, MRN: 00000000",
    'token("vault-token", "HashiCorp Vault token", "h", r"v[sb]")',
    '_PASSWORD = r"(?i:passwords?|passphrase|passcode|passwd|pwd|pw|pass)"',
    "n10.1.2.3 x415-867-5309 a536-22-1874",
    'Literal["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:jwt-bearer"]',
]


@pytest.mark.parametrize("text", NOT_SECRETS)
def test_placeholders_look_alikes_and_code_are_not_flagged(text: str) -> None:
    assert [(f.pattern, f.text) for f in scan_text(text) if f.category != "injection"] == []


def gen_module(lesson: str, body: str) -> str:
    """A generated skill holding ``lesson`` in its lessons and ``body`` in its run()."""
    return (
        'class Gen:\n    """Generated."""\n\n    name = "gen"\n'
        f'    lessons_learned = """\n{lesson}"""\n'
        "    default_params = {}\n\n"
        "    @staticmethod\n    def run(data_path, **kwargs):\n"
        f"        {body}\n        return kwargs\n"
    )


@pytest.mark.parametrize("name", sorted(TOKENS))
def test_sanitized_module_parses_and_holds_no_finding(name: str) -> None:
    token = TOKENS[name][1]
    for source in (
        gen_module(f"- auth with {token} on staging\n", "pass"),
        gen_module("- x\n", f"params = {{'api_key': '{token}', 'n': 3}}"),
        gen_module("- x\n", f'os.environ["SERVICE_CREDENTIAL"] = "{token}"'),
        gen_module("- x\n", f'payload = "{{\\"token\\": \\"{token}\\"}}"'),
        gen_module("- x\n", f"key = r'{token}'"),
    ):
        ast.parse(source)
        clean, left = sanitize_text(source, "skills/gen.py", scan_text(source, "skills/gen.py"))
        ast.parse(clean)
        assert left == [] and token not in clean


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_sanitize_removes_context_credentials(name: str) -> None:
    plain, start, end = unmark(CONTEXTS[name][0])
    secret = plain[start:end]
    source = gen_module("- x\n", "pass") + f"\nNOTES = {plain!r}\n"
    clean, left = sanitize_text(source, "skills/gen.py", scan_text(source, "skills/gen.py"))
    ast.parse(clean)
    assert left == [] and secret not in clean
