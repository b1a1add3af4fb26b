"""Every row of the privacy rule table: a payload it must flag (exact span) and near misses."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

try:  # Python 3.11+ keeps the regex parser private; 3.10 has the public (deprecated) modules
    from re import _constants as sre_constants  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

from stato.core.privacy import CATEGORIES, RULES, RULES_BY_ID, scan_text

A36 = "Zq8rT2mW9xL4kP7vB3nY6cH1jF5sD0aE8gUu"  # 36 alnum
HEX32 = "0f3a8c2e7b1d9f4a6c5e2b8d7f3a1c9e"
HEX64 = HEX32 + "9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a"
B64_40 = "k9Jd2+Lm4Qr8/Tv6Wx1Zc3Bn5Mp7Hs0Fg2Ky4Ew6"
URL68 = "Xq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6Tu8Vw0Xy2Za4Bc6De8Fg0Hi2Jk4Lm"
JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIiwicmVmIjoibGFiIn0."
    "N3kR8vT2wX5zB7dF9hJ1lN3pR5tV7xZ9bD1fH3jL5nP"
)
PEM_BODY = "\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7k9Lm2Qr8Tv6Wx1Zc3\n"

# rule id -> (text with the sensitive span between « and », near misses that must not flag)
EXAMPLES: dict[str, tuple[str, list[str]]] = {
    "aws-access-key-id": (
        "id = '«AKIA5Q3ZT7WN2KXRPL4M»'",
        [
            "AKIAIOSFODNN7EXAMPLE",
            "XAKIA5Q3ZT7WN2KXRPL4M",
            "AKIAXXXXXXXXXXXXXXXX",
            "AKIA5Q3ZT7WN2KXRPL4",
        ],
    ),
    "aws-session-token": (
        "t = «IQoJb3JpZ2luX2Vj" + "Ab3dE5fG7hJ9kL1mN" * 8 + "»",
        ["IQoJb3JpZ2luX2Vj short"],
    ),
    "github-token": (
        f"«ghp_{A36}»",
        ["ghp_" + "x" * 36, "ghp_" + "0" * 36, "ghp_" + "ab" * 18, f"ghp_{A36}Q"],
    ),
    "github-fine-grained-pat": (
        "«github_pat_11" + "Ab3dE5fG7h" * 2 + "_" + ("Jk9Lm2Np4Qr6St8Uv0Wx2" * 3)[:59] + "»",
        ["github_pat_<your token>"],
    ),
    "gitlab-token": ("«glpat-Tq8Lm3Np5Rt7Vw9Yz1Bc»", ["glpat-xxxxxxxxxxxxxxxxxxxx", "glpat-short"]),
    "slack-token": (
        "«xoxb-369123122616-1383752100778-iCv1JtcdMoCkcXSUyQBiAXqo»",
        ["xoxb-your-bot-token"],
    ),
    "slack-webhook": (
        "https://hooks.slack.com/services/«T04ABCD1Z/B05EFGH2Y/Xq8Lm3Np5Rt7Vw9Yz1Bc4Df6»",
        ["https://hooks.slack.com/services/T000/B000/XXXX"],
    ),
    "stripe-secret-key": (
        "«sk_live_cctMFyW8DgKacn26cDBbyY7p»",
        ["pk_live_cctMFyW8DgKacn26cDBbyY7p", "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx", "sk_live_..."],
    ),
    "openai-api-key": (
        "«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»",
        ["sk-...", "sk-your-key-T3BlbkFJ"],
    ),
    "openai-project-key": (
        "«sk-proj-" + "Qr8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8J" * 2 + "»",
        ["sk-proj-...", "sk-proj-" + "x" * 50],
    ),
    "anthropic-api-key": (
        "«sk-ant-api03-" + "Jk8Lm2Np4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0" * 3 + "AA»",
        ["sk-ant-api03-..."],
    ),
    "openrouter-api-key": (f"«sk-or-v1-{HEX64}»", ["sk-or-v1-" + "0" * 64]),
    "google-api-key": (
        "«AIzaSyD4kL9mQ2rT6vW8xZ1bC3eF5gH7jK0nP2s»",
        ["AIzaSy...", "AIza" + "x" * 35],
    ),
    "google-oauth-secret": ("«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»", ["GOCSPX-<secret>"]),
    "google-oauth-token": ("«ya29.a0Ad52N3" + "Xq8Lm3Np5Rt7Vw9Yz" * 3 + "»", ["ya29.short"]),
    "google-refresh-token": ("«1//0gLm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6»", ["1//0"]),
    "azure-entra-secret": ("«Xy78Q~kL2mN4pQ6rS8tU0vW2xY4zA6bC8dE0fG»", ["Q~ alone"]),
    "sendgrid-api-key": (
        "«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»",
        ["SG.xxx.yyy"],
    ),
    "mailgun-api-key": (f"«key-{HEX32}»", ["key-" + "0" * 32, "monkey-" + HEX32]),
    "mailchimp-api-key": (f"«{HEX32}-us14»", [f"{HEX32}-usa"]),
    "npm-token": (f"«npm_{A36}»", ["npm_" + "x" * 36]),
    "pypi-token": (
        "«pypi-AgEIcHlwaS5vcmc" + "CJDk4ZTYyMWQ4LWE5YjEtNGNmMC04ZjAx" * 3 + "»",
        ["pypi-AgEIcHlwaS5vcmc"],
    ),
    "huggingface-token": (
        "«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»",
        ["hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ),
    "jwt": (
        f"«{JWT}»",
        [
            "eyJhbGciOiJIUzI1NiJ9",
            "eyJhbGciOi...",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3"
            "ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ],
    ),
    "databricks-token": (f"«dapi{HEX32}»", ["dapi" + "0" * 32]),
    "vault-token": (
        "«hvs.CAESIJk8Lm2Qr6St0Uv4Wx8Yz2Ab6Cd0Ef4Gh8Ij2Kl6Mn0Op4Qr8St2Uv6Wx0Yz4Ab8Cd2Ef6Gh0Ij4Kl8Mn2Op6Qr0St4Uv8Wx»",
        ["hvs.short"],
    ),
    "groq-api-key": ("«gsk_" + "Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk" * 2 + "»"[:0] + "»", []),
    "replicate-token": ("«r8_" + A36 + "Q»", ["r8_short"]),
    "perplexity-api-key": ("«pplx-" + "Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6" * 2 + "»", ["pplx-xxxx"]),
    "xai-api-key": ("«xai-" + "Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6" * 2 + "»", ["xai-grok"]),
    "langsmith-key": (f"«lsv2_pt_{HEX32}_{HEX32[:10]}»", ["lsv2_pt_..."]),
    "pinecone-api-key": ("«pcsk_4Xk9Lq_" + "Tz3Rm8Wv2Np6Bc1Hj5Dy9Gs3Ae7Uu1Io5" * 2 + "»"[:0], []),
    "digitalocean-token": (f"«dop_v1_{HEX64}»", ["dop_v1_" + "a" * 64]),
    "shopify-token": (f"«shpat_{HEX32}»", ["shpat_" + "0" * 32]),
    "docker-hub-pat": ("«dckr_pat_Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8»", ["dckr_pat_xxx"]),
    "discord-webhook": (
        f"https://discord.com/api/webhooks/123456789012345678/«{URL68}»",
        ["/api/webhooks/1/2"],
    ),
    "telegram-bot-token": (
        "bot «734918265:AAH8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2P»",
        ["ratio 1:AA", "x734918265:AAH8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2P"],
    ),
    "twilio-api-key": (f"«SK{HEX32}»", [f"SK{HEX32}0", "SK" + "0" * 32]),
    "private-key": (
        f"-----BEGIN RSA PRIVATE KEY-----«{PEM_BODY}»-----END RSA PRIVATE KEY-----",
        [
            f"-----BEGIN PUBLIC KEY-----{PEM_BODY}-----END PUBLIC KEY-----",
            "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        ],
    ),
    "private-key-fragment": (
        '"-----BEGIN PRIVATE KEY-----«\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAo»" "x"',
        ["-----BEGIN PRIVATE KEY----- goes in the vault"],
    ),
    "putty-private-key": (
        "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1\n"
        "«AAAAIGq3uqPkt7y2d4Hq0Zt7lJ8sQm0m2vH9nR3Hk1c2V3aF\n»"
        "Private-MAC: 0f3a",
        ["Private-Lines: 1\nAAAA\n"],
    ),
    "secret-assignment": (
        'db_password = "«hT6#vQ2@pLw»"',
        [
            'password = "password"',
            "password = getpass()",
            'api_key = os.environ["OPENAI_API_KEY"]',
            "max_tokens = 4096",
            'token = "<token>"',
            'tokenizer = "bert-base-uncased"',
            'api_key = "OPENAI_API_KEY"',
            "the password is hunter2",
        ],
    ),
    "credential-url": (
        "postgresql+psycopg2://admin:«Xy7#kP2q»@db.internal:5432/prod",
        [
            "postgresql://user:password@localhost/db",
            "https://host:8080@x",
            "postgres://u:{pw}@h/d",
            "postgres://postgres:postgres@localhost/postgres",
        ],
    ),
    "curl-user-password": (
        "curl -u admin:«Nq8#tL3w» https://es.lab",
        ["curl -u admin:$PASS https://es.lab"],
    ),
    "connection-string-password": (
        "jdbc:mysql://db:3306/x?user=etl&password=«Sq!9Lm2wTz»&ssl=1",
        ["jdbc:mysql://db:3306/x?user=root&password=${DB_PASS}"],
    ),
    "azure-storage-key": (
        "AccountName=lab;AccountKey=«" + ("Ab3dE5fG7hJ9kL1mN2pQ4rS6tU8vW0xY" * 3)[:86] + "==»;",
        ["AccountKey=<key>;"],
    ),
    "azure-sas-signature": (
        "https://lab.blob.core.windows.net/raw?sv=2022-11-02&sp=r&sig=«Xq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4R%3D»",
        ["?sig=short"],
    ),
    "npmrc-auth-token": (
        "//registry.npmjs.org/:_authToken=«3f9a7c2e-5b1d-4f4a-8c0e-2b9d7f5a3c1e»",
        ["_authToken=${NPM_TOKEN}"],
    ),
    "authorization-header": (
        "Authorization: Bearer «Xq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn»",
        ["Authorization: Bearer <token>", 'headers = {"Authorization": f"Bearer {token}"}'],
    ),
    "basic-auth-header": (
        "Authorization: Basic «ZXRsOnNlY3JldFBhc3M5OQ==»",
        ["Basic normalization works", "Basic dXNlcjpwYXNzd29yZA=="],
    ),
    "auth-pair-password": (
        'requests.get(url, auth=("lims-api", "«pMzYKe.pOZdG»"))',
        [
            'auth=("user", password)',
            'ftplib.FTP("ftp.ncbi.nlm.nih.gov", "anonymous", "")',
            'HTTPBasicAuth("user", "password")',
            'smtp.login("lims", os.environ["SMTP_PASSWORD"])',
        ],
    ),
    "gcp-private-key-id": (
        '"private_key_id": "«4f2a9c7e1b3d5f8a0c2e4b6d8f1a3c5e7b9d2f4a»"',
        ['"private_key_id": "<id>"'],
    ),
    "email": (
        "mail «maria.gonzalez@charite.de» today",
        [
            "user@example.com",
            "noreply@github.com",
            "git@github.com:org/r.git",
            "logo@2x.png",
            "https://u:p@host.org",
            "svc@lab.iam.gserviceaccount.com",
        ],
    ),
    "phone-number": (
        "call «(617) 867-5309» now",
        ["(555) 555-0134", "555-0123", "2024-01-15", "123-456-78901"],
    ),
    "phone-number-intl": ("call «+44 7700 900123»", ["+0.5 fold", "+1 2"]),
    "us-ssn": (
        "SSN «412-58-7730»",
        ["123-45-6789", "000-12-3456", "666-12-3456", "912-34-5678", "412-00-7730"],
    ),
    "us-ssn-labelled": ("ssn: «412587730»", ["ssn: 000000000", "lessn 412587730"]),
    "card-number": (
        "card «4539 1488 0343 6467»",
        [
            "4539 1488 0343 6468",
            "4242 4242 4242 4241",
            "4539-1488 0343 6467",
            "1111 1111 1111 1111",
        ],
    ),
    "patient-id": (
        '"patient_id": "«PT-88213»"',
        ["patient_id: str", 'patient_id = row["patient_id"]', "patient ID column"],
    ),
    "date-of-birth": (
        "DOB «03.12.1984»",
        ["dob format YYYY-MM-DD", "created 1962-08-14", "DOB 1.2.3.1984"],
    ),
    "date-of-birth-after": (
        "«03.12.1984» is her DOB",
        [
            "2020-05-01: DOB field added",
            "v1.03.12.1984 (DOB)",
            "1984-03-12 released; dob parsing fixed",
            "12/03/1984 shipped, birthday party later",
        ],
    ),
    "ipv4-private": (
        "host «10.20.4.17»",
        ["10.0.0.0/8", "10.20.4.255", "version 10.2.0.1", "1.2.3.4.5"],
    ),
    "ipv4-public": (
        "ingress «34.117.58.201»",
        ["127.0.0.1", "192.0.2.10", "255.255.255.0", "8.8.8.8", "3.2.1.4"],
    ),
    "ipv6-private": (
        "ping «fe80::1ff:fe23:4567:890a»%eth2",
        ["fe80::/10", "fe80::", "a[1::2]", "fd00::/8 is ULA", "std::vector<int>", "x[fd00::3]"],
    ),
    "ipv6-public": (
        "curl http://[«2a00:1450:4001:82b::200e»]:443/",
        [
            "2001:db8::1",
            "[2001:db8:85a3::8a2e:370:7334]:8080",
            "::1",
            "2606:4700:4700::1111",
            "00:1a:2b:3c:4d:5e",
            "12:30:45",
            "2a00:1450::/32",
            "sha256:2a3f4b5c6d7e8f90",
            "EXIF 2001:12:15 10:22:33",
            "deadbeef2a00:1450::1",
        ],
    ),
    "home-path-unix": (
        "/home/«alice.smith»/data",
        [
            "/home/user/data",
            "/home/$USER/x",
            "https://lab.org/home/about",
            "/home/runner/work",
            "/home/{user}/x",
        ],
    ),
    "home-path-macos": (
        "/Users/«li.wei»/Desktop",
        ["/Users/Shared/x", "/Users/you/x", "https://api.lab.org/Users/42"],
    ),
    "home-path-windows": (
        "C:\\\\Users\\\\«Maria Lopez»\\\\AppData",
        [
            "C:\\\\Users\\\\Public\\\\x",
            "C:\\Users\\%USERNAME%\\x",
            "C:\\Users\\All Users\\x",
            "C:/Users/Default User/x",
        ],
    ),
}
EXAMPLES["groq-api-key"] = ("«gsk_" + "Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk" * 2 + "»", ["gsk_xxx"])
EXAMPLES["pinecone-api-key"] = (
    "«pcsk_4Xk9Lq_" + ("Tz3Rm8Wv2Np6Bc1Hj5Dy9Gs3Ae7Uu1Io5" * 2)[:63] + "»",
    ["pcsk_xxx"],
)
EXAMPLES["groq-api-key"] = ("«gsk_" + ("Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk" * 2)[:52] + "»", ["gsk_xxx"])
EXAMPLES["perplexity-api-key"] = (
    "«pplx-" + ("Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6" * 2)[:48] + "»",
    ["pplx-xxxx"],
)
EXAMPLES["xai-api-key"] = (
    "«xai-" + ("Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6" * 3)[:80] + "»",
    ["xai-grok"],
)

# issue 12, item 6: secrets that snapshot --sanitize used to leave behind
EXAMPLES["password-bare"] = ("Log in with pw:«Tq8#mZ2!vL» then run", ["pw=$PW", "pass: true"])
EXAMPLES["password-prose"] = (
    "the password «Kx4_9vTr2Qw» is on the wiki",
    ["password reset uses bcrypt2", "the password is stored hashed with argon2id"],
)
EXAMPLES["secret-quoted-prose"] = (
    "- Rotated the secret key '«Qz8Lm3Np5Rt7Vw9Yz1Bc4D»' after the leak",
    ['the secret key "is rotated monthly"', 'token "Bearer"'],
)
EXAMPLES["secret-assignment-quotes"] = (
    "{'db_password': '«Tq8#mZ\"2!vL»'}",
    ["{'password': 'say \"hi\"'}"],
)
EXAMPLES["cloud-key-assignment"] = (
    'os.environ["AZURE_STORAGE_KEY"] = "«' + "Qz8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6T" + '»"',
    ['CACHE_KEY = "user:profile:v2:with:more"', 'SORT_KEY = "created_at_descending_order"'],
)

# privacy-formats.md conformance: formats the table missed (tokens assembled from parts)
AKID = "AKIA" + "Q3ZT7WN2KXRPL4M5"
EXAMPLES["gitlab-runner-registration-token"] = (
    "gitlab-runner register --registration-token «GR1348941" + "Tq8Lm3Np5_Rt7Vw9Yz1B»",
    ["GR1348941xxxxxxxxxxxxxxxxxxxx", "XGR1348941Tq8Lm3Np5_Rt7Vw9Yz1B"],
)
EXAMPLES["mailgun-public-key"] = ("«pub" + f"key-{HEX32}»", ["pubkey-" + "0" * 32])
EXAMPLES["mailgun-signing-key"] = (
    f"MAILGUN_WEBHOOK_SIGNING_KEY=«{HEX32}-{HEX32[:8]}-{HEX32[8:16]}»",
    ["123e4567-e89b-12d3-a456-426614174000", f"{HEX32}-{HEX32[:8]}-{HEX32[8:16]}-x"],
)
EXAMPLES["aws-secret-beside-key-id"] = (
    f"ci-bot,{AKID},«{B64_40}»",
    [f"{AKID} fixed in 3f2a9c1e7b4d8f6a0c5e2b9d7f1a3c8e4b6d0f2a", f"{AKID} {'Ab' * 20}"],
)
EXAMPLES["twilio-auth-token"] = (
    f'client = Client("AC{HEX32}", "«{HEX32[::-1]}»")',
    [f'Client("AC{HEX32}", "{"0" * 32}")', f'Client("AC{HEX32}", auth_token)'],
)
EXAMPLES["cohere-api-key"] = (
    "co = cohere.Client('«" + "Tq8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6T" + "»')",
    ["co = cohere.Client(os.environ['CO_API_KEY'])", "cohere.Client('" + "x" * 40 + "')"],
)
EXAMPLES["vendor-hex-key"] = (
    f"- the NCBI key «{HEX32}9a8b» raises the rate limit",
    [f"- wandb run from commit {'0' * 40}", "- NCBI key: see the wiki", f"- NCBI {HEX32}9a8b7"],
)
EXAMPLES["private-key-base64"] = (
    "client-key-data: «"
    + base64.b64encode(f"-----BEGIN RSA PRIVATE KEY-----{PEM_BODY}".encode()).decode()
    + "»",
    [
        "client-certificate-data: "
        + base64.b64encode(b"-----BEGIN CERTIFICATE-----" + PEM_BODY.encode()).decode()
    ],
)
EXAMPLES["docker-config-auth"] = (
    '{"auths": {"ghcr.io": {"auth": "«' + base64.b64encode(b"ci:Wq7zR2pLx9Tv").decode() + '»"}}}',
    ['{"auth": "' + base64.b64encode(b"user:password").decode() + '"}', '{"auth": "bearer"}'],
)
EXAMPLES["cli-password-flag"] = (
    "ldapsearch -x -D 'cn=admin,dc=lab' -w «Nq8tL3wZ» -H ldap://ldap.lab",
    ["ldapsearch -x -W -D cn=admin", "mysql -u root -p lims", "sshpass -p $SSHPASS ssh x"],
)


def _unmark(text: str) -> tuple[str, int, int]:
    start = text.index("«")
    end = text.index("»") - 1
    return text.replace("«", "").replace("»", ""), start, end


def test_every_rule_has_examples() -> None:
    assert set(EXAMPLES) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_rule_flags_exact_span(rule_id: str) -> None:
    text, start, end = _unmark(EXAMPLES[rule_id][0])
    found = scan_text(text)
    hits = [f for f in found if (f.start, f.end) == (start, end)]
    assert hits, (
        f"{rule_id}: expected {text[start:end]!r}, got {[(f.pattern, f.text) for f in found]}"
    )
    assert hits[0].category == RULES_BY_ID[rule_id].category
    assert hits[0].text == text[start:end]


@pytest.mark.parametrize("rule_id", sorted(EXAMPLES))
def test_rule_near_misses(rule_id: str) -> None:
    for near in EXAMPLES[rule_id][1]:
        found = [f for f in scan_text(near) if f.pattern == rule_id]
        assert not found, f"{rule_id} flagged near miss {near!r}"


def _unbounded(pattern: str) -> bool:
    def walk(items: object) -> bool:
        for op, av in items:  # type: ignore[attr-defined]
            if op in (
                sre_constants.MAX_REPEAT,
                sre_constants.MIN_REPEAT,
                sre_constants.POSSESSIVE_REPEAT
                if hasattr(sre_constants, "POSSESSIVE_REPEAT")
                else sre_constants.MAX_REPEAT,
            ):
                if av[1] == sre_constants.MAXREPEAT or walk(av[2]):
                    return True
            elif op == sre_constants.SUBPATTERN:
                if walk(av[3]):
                    return True
            elif op == sre_constants.BRANCH:
                if any(walk(branch) for branch in av[1]):
                    return True
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and walk(av[1]):
                return True
        return False

    return walk(sre_parse.parse(pattern))


def test_table_rows_are_well_formed() -> None:
    placeholder = re.compile(r"\{[A-Za-z_]+\}")
    assert len({r.id for r in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.category in CATEGORIES, rule.id
        assert placeholder.fullmatch(rule.placeholder), rule.id
        assert not _unbounded(rule.regex.pattern), f"{rule.id} has an unbounded repeat"
        assert all(k == k.lower() for k in rule.keywords), rule.id


def test_unbounded_detector_can_fail() -> None:
    assert _unbounded(r"a+b") and _unbounded(r"(?:x|y\s*)") and not _unbounded(r"a{1,9}(?:b{2})")


def test_finding_positions_and_preview() -> None:
    text = 'x = 1\n  key = "ghp_' + A36 + '"\n'
    (f,) = scan_text(text, "skills/a.py")
    assert (f.path, f.line, f.column, f.end_line) == ("skills/a.py", 2, 9, 2)
    assert f.end_column == 9 + 40 and text[f.start : f.end] == f.text
    assert A36[:6] not in f.preview and f.preview.startswith("ghp_")
    assert set(f.to_dict()) == {
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "category",
        "pattern",
        "preview",
        "severity",
    }
    assert f.text not in repr(f)


def test_multiline_span_positions() -> None:
    text = f"a\n-----BEGIN PRIVATE KEY-----{PEM_BODY}-----END PRIVATE KEY-----\n"
    (f,) = scan_text(text)
    assert (f.line, f.end_line, f.end_column) == (2, 4, 0)
    assert f.text == PEM_BODY


def test_ignore_globs_match_the_span_or_its_context() -> None:
    text = 'api_key = "test_api_key_9f8e7d6c5b4a"\nother = "ghp_' + A36 + '"'
    assert {f.pattern for f in scan_text(text)} == {"secret-assignment", "github-token"}
    assert [f.pattern for f in scan_text(text, ignore=["test_api_key_*"])] == ["github-token"]
    assert [f.pattern for f in scan_text(text, ignore=["ghp_Zq8*"])] == ["secret-assignment"]
    assert scan_text(text, ignore=["*"]) == []
    assert len(scan_text(text, ignore=["ghp_Zq8"])) == 2  # a glob matches the whole text only


def test_overlaps_keep_the_vendor_format_and_never_overlap() -> None:
    token = "ghs_" + A36
    text = f'remote = "https://x-access-token:{token}@github.com/lab/p.git"\npassword="{token}"'
    found = scan_text(text)
    assert [(f.pattern, f.text) for f in found] == [
        ("github-token", token),
        ("github-token", token),
    ]
    ends = [(f.start, f.end) for f in found]
    assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:], strict=False))


def test_overlap_resolution_prefers_secrets_then_longer_spans() -> None:
    from stato.core.privacy.scanner import _resolve

    email, ip, key = RULES_BY_ID["email"], RULES_BY_ID["ipv4-private"], RULES_BY_ID["jwt"]
    order = {r.id: i for i, r in enumerate(RULES)}
    found = [
        (0, 10, order["email"], email),
        (5, 30, order["jwt"], key),
        (28, 40, order["ipv4-private"], ip),
        (41, 45, order["ipv4-private"], ip),
        (40, 60, order["email"], email),
    ]
    kept = [(c[0], c[1], c[3].id) for c in _resolve(found)]
    assert kept == [(5, 30, "jwt"), (40, 60, "email")]
    # a long chain of overlapping candidates stays fast (no quadratic pass over kept spans)
    chain = [(i, i + 3, order["email"], email) for i in range(0, 60_000, 2)]
    assert len(_resolve(chain)) == 15_000


def test_run_rules_hold_their_run_in_their_examples() -> None:
    from stato.core.privacy.scanner import has_run

    gated = [rule for rule in RULES if rule.run]
    assert len(gated) > 30
    for rule in gated:
        assert rule.run
        text, start, end = _unmark(EXAMPLES[rule.id][0])
        assert has_run(text[start:end], rule.run), rule.id
    token = gated[0].run
    assert token
    assert not has_run("max_pct_mito=20 adata_path, **kwargs highly_variable", token)
    assert has_run("x highly_variable_genes y", token)
    assert not has_run("é" * 40 + "\ud800" + "highly_variable", token)  # other bytes end a run


@given(st.text(alphabet="ab2f_-+/é \n", max_size=80), st.integers(1, 20))
def test_has_run_is_a_regex_run_and_every_match_holds_its_rules_run(text: str, n: int) -> None:
    from stato.core.privacy import INJECTION_RULES
    from stato.core.privacy.scanner import has_run

    for chars, cls in (("ab_-", "[ab_-]"), ("ab+/", "[ab+/]")):
        assert has_run(text, (chars, n)) == bool(re.search(cls + f"{{{n}}}", text))
    for rule in RULES + INJECTION_RULES:
        if rule.run and next(iter(rule.regex.finditer(text)), None):
            assert has_run(text, rule.run), rule.id


def test_a_legacy_vault_token_is_no_attribute_name() -> None:
    # privacy-formats.md lists Vault's legacy `s.` + 24 form; unquoted it read as `s.attr`
    text = "export VAULT_TOKEN=s.UFc0MwgwJuZMhc76RpqwmSCb before running"
    assert [f.text for f in scan_text(text)] == ["s.UFc0MwgwJuZMhc76RpqwmSCb"]
    assert scan_text("token = s.someAttributeNameHere") == []
