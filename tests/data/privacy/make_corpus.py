# ruff: noqa: E501 -- long template lines hold whole corpus snippets; wrapping them hides the cases
"""Write the labelled privacy corpus (positives.txt, negatives.txt) from templates; deterministic.

Run once by hand (``python tests/data/privacy/make_corpus.py``); the tests read the text files.
Each case is a block headed ``### <place>``; a sensitive span is marked ``«category|text»``.
Places: prose (a lessons_learned string), dict (entries of a dict field), code (statements in
run()), comment (comment lines), multiline (a raw triple-quoted string).
"""

from __future__ import annotations

import base64
import random
import string
from pathlib import Path

R = random.Random(20261123)
ALNUM = string.ascii_letters + string.digits
B64 = ALNUM + "+/"
URL = ALNUM + "_-"
HEX = "0123456789abcdef"
B32 = string.ascii_uppercase + "234567"
PLACES = ("prose", "dict", "code", "comment", "multiline")


def rs(chars: str, n: int) -> str:
    while True:
        out = "".join(R.choice(chars) for _ in range(n))
        if not any(w in out.lower() for w in ("here", "fake", "your", "123456", "abcdef", "xxxx")):
            return out


def m(cat: str, text: str) -> str:
    return f"«{cat}|{text}»"


# ---------------------------------------------------------------- secret values
def luhn_complete(prefix: str, length: int) -> str:
    body = prefix + "".join(R.choice(string.digits) for _ in range(length - len(prefix) - 1))
    for check in string.digits:
        digits = body + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch)
            if i % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        if total % 10 == 0:
            return digits
    raise AssertionError


def jwt() -> str:
    head = base64.urlsafe_b64encode(b'{"alg":"HS256","typ":"JWT"}').decode().rstrip("=")
    payload = (
        base64.urlsafe_b64encode(
            f'{{"sub":"{rs(string.digits, 8)}","role":"service_role","iat":{R.randint(10**9, 2 * 10**9)}}}'.encode()
        )
        .decode()
        .rstrip("=")
    )
    return f"{head}.{payload}.{rs(URL, 43)}"


def pem_body(lines: int = 6, sep: str = "\n") -> str:
    return sep + sep.join(rs(B64, 64) for _ in range(lines)) + sep


TOKENS = {
    "aws": lambda: "AKIA" + rs(B32, 16),
    "aws_sts": lambda: "ASIA" + rs(B32, 16),
    "ghp": lambda: "ghp_" + rs(ALNUM, 36),
    "gho": lambda: "gho_" + rs(ALNUM, 36),
    "ghs": lambda: "ghs_" + rs(ALNUM, 36),
    "github_pat": lambda: "github_pat_11" + rs(ALNUM, 20) + "_" + rs(ALNUM, 59),
    "glpat": lambda: "glpat-" + rs(URL, 20),
    "xoxb": lambda: f"xoxb-{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(ALNUM, 24)}",
    "xoxp": lambda: (
        f"xoxp-{rs(string.digits, 11)}-{rs(string.digits, 12)}-{rs(string.digits, 13)}-{rs(HEX, 32)}"
    ),
    "stripe": lambda: "sk_live_" + rs(ALNUM, 24),
    "stripe_new": lambda: "sk_live_51" + rs(ALNUM, 97),
    "rk_test": lambda: "rk_test_" + rs(ALNUM, 24),
    "openai": lambda: "sk-" + rs(ALNUM, 20) + "T3BlbkFJ" + rs(ALNUM, 20),
    "openai_proj": lambda: "sk-proj-" + rs(URL, 74) + "T3BlbkFJ" + rs(URL, 74),
    "anthropic": lambda: "sk-ant-api03-" + rs(URL, 93) + "AA",
    "google": lambda: "AIzaSy" + rs(URL, 33),
    "gocspx": lambda: "GOCSPX-" + rs(URL, 28),
    "ya29": lambda: "ya29." + rs(URL, 120),
    "sendgrid": lambda: "SG." + rs(URL, 22) + "." + rs(URL, 43),
    "mailgun": lambda: "key-" + rs(HEX, 32),
    "npm": lambda: "npm_" + rs(ALNUM, 36),
    "pypi": lambda: "pypi-AgEIcHlwaS5vcmc" + rs(URL, 160),
    "hf": lambda: "hf_" + rs(string.ascii_letters, 34),
    "jwt": jwt,
    "dapi": lambda: "dapi" + rs(HEX, 32),
    "hvs": lambda: "hvs." + rs(URL, 95),
    "gsk": lambda: "gsk_" + rs(ALNUM, 52),
    "r8": lambda: "r8_" + rs(ALNUM, 37),
    "pplx": lambda: "pplx-" + rs(ALNUM, 48),
    "openrouter": lambda: "sk-or-v1-" + rs(HEX, 64),
    "xai": lambda: "xai-" + rs(ALNUM, 80),
    "langsmith": lambda: "lsv2_pt_" + rs(HEX, 32) + "_" + rs(HEX, 10),
    "pinecone": lambda: "pcsk_" + rs(ALNUM, 6) + "_" + rs(ALNUM, 63),
    "digitalocean": lambda: "dop_v1_" + rs(HEX, 64),
    "shopify": lambda: "shpat_" + rs(HEX, 32),
    "docker": lambda: "dckr_pat_" + rs(URL, 27),
    "mailchimp": lambda: rs(HEX, 32) + "-us" + str(R.randint(1, 21)),
    "entra": lambda: rs(ALNUM, 3) + str(R.randint(0, 9)) + "Q~" + rs(URL + "~.", 34),
    "sts_session": lambda: "IQoJb3JpZ2luX2Vj" + rs(B64, 300),
}
TOKEN_VARS = {
    "aws": "AWS_ACCESS_KEY_ID",
    "aws_sts": "aws_access_key_id",
    "ghp": "GITHUB_PAT",
    "gho": "gh_oauth",
    "ghs": "installation",
    "github_pat": "GH_FINE_GRAINED",
    "glpat": "GITLAB_PAT",
    "xoxb": "slack_bot",
    "xoxp": "SLACK_USER",
    "stripe": "stripe_live",
    "stripe_new": "STRIPE",
    "rk_test": "stripe_restricted",
    "openai": "openai_legacy",
    "openai_proj": "OPENAI",
    "anthropic": "claude",
    "google": "maps",
    "gocspx": "oauth_client",
    "ya29": "google_access",
    "sendgrid": "sendgrid",
    "mailgun": "MAILGUN",
    "npm": "npm_publish",
    "pypi": "pypi_upload",
    "hf": "hugging",
    "jwt": "supabase_service",
    "dapi": "databricks",
    "hvs": "vault",
    "gsk": "groq",
    "r8": "replicate",
    "pplx": "perplexity",
    "openrouter": "openrouter",
    "xai": "grok",
    "langsmith": "langsmith",
    "pinecone": "pinecone",
    "digitalocean": "do_api",
    "shopify": "shop",
    "docker": "dockerhub",
    "mailchimp": "mailchimp",
    "entra": "azure_app",
    "sts_session": "aws_session",
}


def token_case(kind: str, place: str) -> str:
    value = m("secret", TOKENS[kind]())
    var = TOKEN_VARS[kind]
    if place == "prose":
        return R.choice(
            [
                f"- The {var} credential {value} expired after 90 days; rotate it",
                f"- Worked only after using {value} for the {var} account",
                f"- {var} = {value} (do not share)",
            ]
        )
    if place == "dict":
        return R.choice(
            [
                f'"{var}": "{value}",',
                f'"credentials": {{"{var}": "{value}"}},',
                f'"cfg": ["{value}"],',
            ]
        )
    if place == "code":
        return R.choice(
            [
                f'client = Client(api="{value}")',
                f'{var.lower()} = "{value}"',
                f'headers = {{"X-Api": "{value}"}}',
                f'os.environ["{var.upper()}"] = "{value}"',
            ]
        )
    if place == "comment":
        return R.choice([f"# previous {var}: {value}", f"# TODO remove {value} before sharing"])
    return R.choice([f"{var}={value}", f"use {value} for {var}"])


def kv_secret(place: str, key: str, value: str) -> str:
    v = m("secret", value)
    if place == "prose":
        return R.choice(
            [
                f"- export {key.upper()}={v} before running",
                f"- {key}: {v}",
                f"- set {key}={v} in the env",
            ]
        )
    if place == "dict":
        return f'"{key}": "{v}",'
    if place == "code":
        return R.choice(
            [
                f'{key} = "{v}"',
                f'conn = connect(host="db", {key.lower()}="{v}")',
                f"os.environ['{key.upper()}'] = '{v}'",
                f'cfg.setdefault("{key.upper()}", "{v}")',
            ]
        )
    if place == "comment":
        return f"# {key}={v}"
    return R.choice([f"{key}: {v}", f"{key.upper()}={v}"])


def password() -> str:
    return rs(ALNUM, R.randint(3, 6)) + R.choice("#!%*^") + rs(ALNUM, R.randint(3, 8))


SECRET_KEYS = [
    "password",
    "db_password",
    "PGPASSWORD",
    "api_key",
    "API_TOKEN",
    "secret_key",
    "client_secret",
    "access_token",
    "auth_token",
    "WANDB_API_KEY",
    "NCBI_API_KEY",
    "aws_secret_access_key",
    "passwd",
    "refresh_token",
    "SLACK_SIGNING_SECRET",
    "encryption_key",
    "private_key",
]


def secret_value(key: str) -> str:
    if "pass" in key.lower():
        return password()
    if key == "aws_secret_access_key":
        return rs(B64, 40)
    if key in ("WANDB_API_KEY",):
        return rs(HEX, 40)
    if key == "NCBI_API_KEY":
        return rs(HEX, 36)
    return rs(URL, R.choice([24, 32, 40]))


def url_case(place: str) -> str:
    pw = password()
    user = R.choice(["admin", "svc_etl", "analyst", "geoftp", "rabbit", "", "postgres", "reader"])
    host = R.choice(
        [
            "db.internal",
            "pg-prod.corp.net",
            "cluster0.ab1cd.mongodb.net",
            "mq.lab.org",
            "ftp-private.ncbi.nlm.nih.gov",
            "cache.redis.cache.windows.net",
        ]
    )
    scheme = R.choice(
        [
            "postgresql+psycopg2",
            "postgres",
            "mysql+pymysql",
            "mongodb+srv",
            "rediss",
            "redis",
            "amqps",
            "amqp",
            "ftp",
            "mssql+pyodbc",
            "https",
        ]
    )
    url = f"{scheme}://{user}:{m('secret', pw)}@{host}/{R.choice(['prod', 'analytics', '0', 'vhost'])}"
    if place == "prose":
        return f"- Results are in {url} (read replica)"
    if place == "dict":
        return f'"dsn": "{url}",'
    if place == "code":
        return f'engine = create_engine("{url}")'
    if place == "comment":
        return f"# DATABASE_URL={url}"
    return f"broker: {url}"


def connstr_case(place: str) -> str:
    pw = m("secret", password())
    forms = [
        f"jdbc:mysql://db.lab.org:3306/lims?user=etl&password={pw}&useSSL=true",
        f"Server=tcp:sql.lab.org,1433;Database=lims;User Id=etl;Password={pw};",
        f"Driver={{ODBC Driver 18}};Server=sql01;Uid=etl;Pwd={pw};",
        f"host=db.lab.org port=5432 dbname=lims user=etl password={pw}",
    ]
    s = R.choice(forms)
    if "{ODBC" in s and place in ("code", "dict"):
        s = forms[1]
    return {
        "prose": f"- Connect with {s}",
        "dict": f'"conn": "{s}",',
        "code": f'cs = "{s}"',
        "comment": f"# {s}",
        "multiline": s,
    }[place]


def auth_case(place: str) -> str:
    if R.random() < 0.6:
        tok = m("secret", rs(URL + ".", 40))
        header = f"Authorization: Bearer {tok}"
        d = f'"Authorization": "Bearer {tok}",'
    else:
        cred = base64.b64encode(f"etl:{password()}".encode()).decode()
        header = f"Authorization: Basic {m('secret', cred)}"
        d = f'"Authorization": "Basic {m("secret", cred)}",'
    return {
        "prose": f"- curl -H '{header}' https://api.lab.org/v1",
        "dict": d,
        "code": f"headers = {{{d.rstrip(',')}}}",
        "comment": f"# {header}",
        "multiline": header,
    }[place]


def pem_case(place: str) -> str:
    kind = R.choice(["RSA PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY", "EC PRIVATE KEY"])
    if place in ("dict", "code"):
        body = m("secret", pem_body(R.randint(3, 6), "\\n"))
        pem = f"-----BEGIN {kind}-----{body}-----END {kind}-----\\n"
        return f'"private_key": "{pem}",' if place == "dict" else f'key_pem = "{pem}"'
    if place == "comment":
        lines = [rs(B64, 64) for _ in range(4)]
        body = "\n# " + "\n# ".join(lines) + "\n# "
        return f"# -----BEGIN {kind}-----{m('secret', body)}-----END {kind}-----"
    body = m("secret", pem_body(R.randint(3, 8)))
    return f"-----BEGIN {kind}-----{body}-----END {kind}-----"


def webhook_case(place: str) -> str:
    if R.random() < 0.5:
        s = f"https://hooks.slack.com/services/{m('secret', 'T' + rs(B32, 8) + '/B' + rs(B32, 10) + '/' + rs(ALNUM, 24))}"
    else:
        s = f"https://discord.com/api/webhooks/{rs(string.digits, 18)}/{m('secret', rs(URL, 68))}"
    return {
        "prose": f"- Alerts post to {s}",
        "dict": f'"webhook": "{s}",',
        "code": f'requests.post("{s}", json=msg)',
        "comment": f"# webhook {s}",
        "multiline": f"notify: {s}",
    }[place]


def azure_case(place: str) -> str:
    if R.random() < 0.5:
        s = (
            f"DefaultEndpointsProtocol=https;AccountName=labdata;AccountKey={m('secret', rs(B64, 86) + '==')};"
            "EndpointSuffix=core.windows.net"
        )
    else:
        sig = rs(ALNUM, 40) + "%3D"
        s = f"https://labdata.blob.core.windows.net/raw?sv=2022-11-02&ss=b&sp=r&se=2026-01-01&sig={m('secret', sig)}"
    return {
        "prose": f"- Storage: {s}",
        "dict": f'"storage": "{s}",',
        "code": f'conn_str = "{s}"',
        "comment": f"# {s}",
        "multiline": s,
    }[place]


def git_token_url(place: str) -> str:
    tok = R.choice([TOKENS["ghs"](), TOKENS["glpat"](), TOKENS["ghp"]()])
    user = "x-access-token" if tok.startswith("gh") else "oauth2"
    host = "github.com" if tok.startswith("gh") else "gitlab.com"
    s = f"https://{user}:{m('secret', tok)}@{host}/lab/pipeline.git"
    return {
        "prose": f"- git clone {s}",
        "dict": f'"remote": "{s}",',
        "code": f'subprocess.run(["git", "clone", "{s}"])',
        "comment": f"# git remote add origin {s}",
        "multiline": f"origin {s}",
    }[place]


# ---------------------------------------------------------------- personal data
FIRST = [
    "maria",
    "li.wei",
    "j.okafor",
    "anna-lena",
    "k_tanaka",
    "olu",
    "sofia.r",
    "dmitri",
    "priya.n",
    "lucas",
]
DOMAINS = [
    "broadinstitute.org",
    "charite.de",
    "ucsf.edu",
    "gmail.com",
    "mskcc.org",
    "sanger.ac.uk",
    "protonmail.ch",
]


def email() -> str:
    return f"{R.choice(FIRST)}{R.choice(['', str(R.randint(1, 99))])}@{R.choice(DOMAINS)}"


def phone() -> str:
    area = f"{R.randint(2, 9)}{R.randint(0, 9)}{R.randint(2, 9)}"
    if area[1:] == "11" or area == "555":
        area = "415"
    ex = f"{R.randint(2, 9)}{R.randint(0, 9)}{R.randint(0, 9)}"
    line = f"{R.randint(0, 9999):04d}"
    return R.choice(
        [
            f"({area}) {ex}-{line}",
            f"{area}-{ex}-{line}",
            f"{area}.{ex}.{line}",
            f"+1 {area}-{ex}-{line}",
            "+44 20 7946 " + f"{R.randint(1000, 9999)}",
            "+49 30 " + f"{R.randint(1000000, 9999999)}",
            "+4915" + rs(string.digits, 9),
        ]
    )


def ssn() -> str:
    area = R.choice([R.randint(1, 665), R.randint(667, 899)])
    return f"{area:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"


def card() -> str:
    kind = R.choice(["visa", "mc", "amex", "disc"])
    if kind == "amex":
        d = luhn_complete(R.choice(["34", "37"]), 15)
        return R.choice([d, f"{d[:4]} {d[4:10]} {d[10:]}"])
    d = luhn_complete(
        {"visa": "4", "mc": R.choice(["51", "53", "55", "2221"]), "disc": "6011"}[kind], 16
    )
    sep = R.choice(["", " ", "-"])
    return sep.join(d[i : i + 4] for i in range(0, 16, 4))


def pii_case(place: str) -> str:
    kind = R.choice(["email", "email", "phone", "ssn", "card", "mrn", "patient", "dob"])
    if kind == "email":
        v = m("pii", email())
        text = {
            "prose": f"- Ask {v} for the raw counts",
            "dict": f'"contact": "{v}",',
            "code": f'send_report(to="{v}")',
            "comment": f"# maintainer: {v}",
            "multiline": f"owner {v}",
        }
    elif kind == "phone":
        v = m("pii", phone())
        text = {
            "prose": f"- Core facility hotline {v} (after 6pm)",
            "dict": f'"phone": "{v}",',
            "code": f'notify_sms("{v}")',
            "comment": f"# call {v} if the sequencer stalls",
            "multiline": f"pager: {v}",
        }
    elif kind == "ssn":
        v = m("pii", ssn())
        text = {
            "prose": f"- Donor SSN {v} was in the sample sheet; removed",
            "dict": f'"ssn": "{v}",',
            "code": f'record["ssn"] = "{v}"',
            "comment": f"# ssn {v}",
            "multiline": f"SSN: {v}",
        }
    elif kind == "card":
        v = m("pii", card())
        text = {
            "prose": f"- Billing card {v} for the cloud account",
            "dict": f'"card": "{v}",',
            "code": f'charge("{v}", 120)',
            "comment": f"# paid with {v}",
            "multiline": f"card {v}",
        }
    elif kind == "mrn":
        v = m("pii", rs(string.digits, 8))
        text = {
            "prose": f"- MRN: {v} had a failed library",
            "dict": f'"mrn": "{v}",',
            "code": f'mrn = "{v}"',
            "comment": f"# MRN {v}".replace("MRN ", "MRN: "),
            "multiline": f"Medical record number: {v}",
        }
    elif kind == "patient":
        v = m("pii", R.choice(["PT-", "P", "SUBJ-", "DON"]) + rs(string.digits, R.randint(4, 6)))
        text = {
            "prose": f"- Patient ID: {v} is an outlier in UMAP",
            "dict": f'"patient_id": "{v}",',
            "code": f'patient_id = "{v}"',
            "comment": f"# subject_id={v} excluded",
            "multiline": f"participant id: {v}",
        }
    else:
        d = R.choice(
            [
                f"19{R.randint(40, 99)}-0{R.randint(1, 9)}-{R.randint(10, 28)}",
                f"{R.randint(1, 12)}/{R.randint(1, 28)}/19{R.randint(40, 99)}",
                f"{R.randint(1, 28)} March 19{R.randint(40, 99)}",
            ]
        )
        v = m("pii", d)
        text = {
            "prose": f"- Donor DOB: {v}, female",
            "dict": f'"date_of_birth": "{v}",',
            "code": f'dob = "{v}"',
            "comment": f"# born {v}",
            "multiline": f"Date of birth: {v}",
        }
    return text[place]


def ip() -> str:
    return R.choice(
        [
            f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"192.168.{R.randint(0, 255)}.{R.randint(1, 254)}",
            f"{R.choice([34, 52, 54, 35, 104, 140, 18, 3])}.{R.randint(10, 250)}.{R.randint(0, 250)}.{R.randint(1, 254)}",
        ]
    )


def network_case(place: str) -> str:
    v = m("network", ip())
    return R.choice(
        {
            "prose": [
                f"- The GPU node {v} runs out of memory above 80k cells",
                f"- ssh into {v} to rerun",
            ],
            "dict": [f'"host": "{v}",', f'"jupyter": "http://{v}:8888/lab",'],
            "code": [f'client = Client("tcp://{v}:8786")', f'HOST = "{v}"'],
            "comment": [f"# dask scheduler at {v}", f"# ping {v} first"],
            "multiline": [f"server {v}", f"mount {v}:/export/data /mnt/data"],
        }[place]
    )


NAMES = [
    "mgarcia",
    "li.wei",
    "okafor",
    "anna-lena",
    "ktanaka",
    "sofia.r",
    "dmitri",
    "pnair",
    "lucas_b",
    "alice",
    "jdoe2",
]


def path_case(place: str) -> str:
    name = m("path", R.choice(NAMES))
    form = R.choice(["home", "nfs", "mac", "wsl", "win_escaped", "win_fwd", "win_raw"])
    if form == "win_raw" and place != "multiline" and place != "comment":
        form = "win_escaped"
    p = {
        "home": f"/home/{name}/projects/cortex/data.h5ad",
        "nfs": f"/gpfs/home/{name}/scratch/run1",
        "mac": f"/Users/{name}/Desktop/figures",
        "wsl": f"/mnt/c/Users/{name}/data",
        "win_escaped": f"C:\\\\Users\\\\{name}\\\\Documents\\\\cortex.h5ad",
        "win_fwd": f"C:/Users/{name}/Downloads/atlas.h5ad",
        "win_raw": f"D:\\Users\\{name}\\data\\raw",
    }[form]
    return {
        "prose": f"- Raw files live in {p}",
        "dict": f'"input": "{p}",',
        "code": f'adata = sc.read_h5ad("{p}")',
        "comment": f"# copied from {p}",
        "multiline": f"path: {p}",
    }[place]


# ---------------------------------------------------------------- hard negatives
def sha(n: int) -> str:
    return rs(HEX, n)


def uuid() -> str:
    h = rs(HEX, 32)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"


NEG_SECRET = [
    'api_key = "YOUR_API_KEY"',
    'client = OpenAI(api_key="sk-...")',
    'token = "<token>"',
    'api_key = os.environ["OPENAI_API_KEY"]',
    'token = os.getenv("HF_TOKEN")',
    "password = getpass.getpass()",
    'api_key = "${OPENAI_API_KEY}"',
    'token = "{{ secrets.GITHUB_TOKEN }}"',
    'AWS_ACCESS_KEY_ID = "AKIAXXXXXXXXXXXXXXXX"',
    'key_id = "AKIAIOSFODNN7EXAMPLE"',
    'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
    'db = "postgresql://user:password@localhost:5432/mydb"',
    'api_key = "OPENAI_API_KEY"',
    'commit = "{sha40}"',
    'checksum = "{sha64}"',
    'md5 = "{sha32}"',
    'run_id = "{uuid}"',
    'version = "2.14.1"',
    "max_tokens = 4096",
    'tokenizer = "bert-base-uncased"',
    'password_hint = "ask the PI"',
    'secret_name = "prod/db/credentials"',
    'token_type = "Bearer"',
    'pad_token = "[PAD]"',
    'eos_token = "</s>"',
    "secret_key = settings.SECRET_KEY",
    "conn = connect(password=db_password)",
    "auth_token = None",
    'password = ""',
    'token: str = ""',
    'api_key = "sk_test_xxxxxxxxxxxxxxxxxxxxxxxx"',
    'gh = "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"',
    'headers = {"Authorization": f"Bearer {token}"}',
    'url = "https://user@github.com/org/repo.git"',
    'url = "http://localhost:8080/lab"',
    'r = "redis://localhost:6379/0"',
    'dsn = f"postgresql://{user}:{password}@{host}/{db}"',
    'dsn = "postgresql://$PGUSER:$PGPASSWORD@db/lims"',
    'jdbc = "jdbc:mysql://db:3306/x?user=root&password=${DB_PASS}"',
    'cs = "Server=db;User Id=sa;Password=<your password>;"',
    'slack = "xoxb-your-bot-token"',
    'pk = "pk_live_51HqL3kJ2eZvKYlo2C0a1b2c3d4"',
    'jwt = "eyJhbGciOi..."',
    'key = "AIzaSy..."',
    'client_id = "1234567890-abc.apps.googleusercontent.com"',
    'cache_key = f"{sample}_{step}"',
    'private_key_path = "/path/to/key.pem"',
    'key = "qc_threshold"',
    'api_key = "test"',
    'token = "changeme"',
    'password = "********"',
    'csrf_token = "{{ csrf_token() }}"',
    'secret = "<redacted>"',
    "api_key = api_key",
    'encoded = "SGVsbG8gd29ybGQsIHRoaXMgaXMgcGxhaW4gdGV4dA=="',
    'sig = "%(signature)s"',
    "token_count = 512",
    'password_file = "/run/secrets/db_password"',
    'api_key = config["api_key"]',
    'token = request.headers["X-Token"]',
    'model = "sentence-transformers/all-MiniLM-L6-v2"',
    'key = "ENSG00000141510"',
    'sk = "sk-learn-pipeline-v2"',
    'access_key = "<ACCESS_KEY>"',
    'auth = ("user", "pass")',
    'password = "password123"',
    'token = "none"',
]
NEG_SECRET_PROSE = [
    "- Never commit a password or API token; use the secret manager",
    "- The key insight: normalize before integrating batches",
    "- Rotate the token monthly and store the secret in Vault",
    "- Set OPENAI_API_KEY in your shell, not in the module",
    "- Authorization: Bearer <token> is required by the API",
    "- curl -H 'Authorization: Bearer $TOKEN' https://api.lab.org",
    "- The access key ID looks like AKIA... and the secret is 40 characters",
    "- ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGq3uqPkt7y2d4Hq0Zt7lJ8sQm0m2vH9nR3Hk1c2V3aF lab@node",
    "- -----BEGIN PUBLIC KEY----- blocks are fine to share",
    "- password: see the team vault",
    "- api_key: stored in 1Password under 'lims'",
    "- tokens: 512 per chunk works best for the embedding model",
    "- secret sauce: scran pooling with 1000 clusters",
    "- use token=None for anonymous access to the public bucket",
    "- git commit 9fceb02d0ae598e95dc970b74767f19372d61af8 fixed the bug",
    "- The sha256 of the reference is e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "- postgres://user:pass@host/db is the template; fill it from the env",
    "- Export PGPASSWORD=$DB_PASSWORD before psql",
    "- The JWT header eyJhbGciOiJIUzI1NiJ9 alone is not a credential",
    "- Keys such as sk_live_... must never be logged",
]


def neg_secret(place: str, i: int) -> str:
    line = NEG_SECRET[i % len(NEG_SECRET)]
    for slot, value in (
        ("{sha40}", sha(40)),
        ("{sha64}", sha(64)),
        ("{sha32}", sha(32)),
        ("{uuid}", uuid()),
    ):
        line = line.replace(slot, value)
    if place == "code":
        return line
    if place == "prose":
        return NEG_SECRET_PROSE[i % len(NEG_SECRET_PROSE)]
    if place == "comment":
        return "# " + line
    key, _, value = line.partition(" = ")
    if place == "dict":
        if value.startswith(('"', "'")) and "{" not in value and not value.startswith('f"'):
            return f'"{key}": {value},'
        return f'"{key}": None,  # {value}'
    return NEG_SECRET_PROSE[(i + 7) % len(NEG_SECRET_PROSE)] if i % 2 else line


NEG_PII = [
    "noreply@github.com",
    "user@example.com",
    "alice@example.org",
    "bob@test.invalid",
    "12345+bot@users.noreply.github.com",
    "git@github.com:lab/pipeline.git",
    "logo@2x.png",
    "scanpy@1.10.0",
    "555-0123",
    "(555) 555-0134",
    "2024-01-15",
    "123-45-6789",
    "000-12-3456",
    "666-12-3456",
    "912-34-5678",
    "4111 1111 1111 1112",
    "4242 4242 4242 4241",
    "15000 cells x 20000 genes",
    "GSE123456",
    "SRR1234567",
    "chr1:12345678-12346000",
    "978-0-306-40615-7",
    "1,234,567 reads",
    "10:45:06",
    "patient_id: str",
    "<patient_id>",
    "sample_2024-03-01",
    "800-555-0199",
    "lab@localhost",
    "dob format YYYY-MM-DD",
    "batch 3-2-1 design",
    "ENSG00000141510",
    "+0.5 log fold change",
    "3.14159 26535 89793",
    "svc-etl@lims-prod.iam.gserviceaccount.com",
    "support@anthropic.com",
]


def neg_pii(place: str, i: int) -> str:
    v = NEG_PII[i % len(NEG_PII)]
    return (
        {
            "prose": f"- Note: {v} appears in the docs",
            "dict": f'"note": "{v}",',
            "code": f'log.info("{v}")',
            "comment": f"# {v}",
            "multiline": f"see {v}",
        }[place]
        if not (v.startswith("<") and place == "dict")
        else '"note": "<patient_id>",'
    )


NEG_NET = [
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.0",
    "192.0.2.10",
    "198.51.100.7",
    "203.0.113.5",
    "10.0.0.0/8",
    "192.168.0.0/16",
    "224.0.0.1",
    "169.254.169.254",
    "1.3.6.1.4.1.311",
    "3.2.1.4",
    "version 1.2.3.4",
    "v10.2.0.1",
    "numpy==1.26.4.1",
    "10.1038/nature12345",
    "0.25.0.5",
    "255.255.0.0",
    "172.15.0.1.5",
    "ip = '<ip>'",
    "1.1.1.1",
    "8.8.8.8",
    "192.168.1.0/24",
    "10.10.10.255",
]


def neg_network(place: str, i: int) -> str:
    v = NEG_NET[i % len(NEG_NET)]
    return {
        "prose": f"- Bind to {v} in the config",
        "dict": f'"bind": "{v}",',
        "code": f'bind = "{v}"',
        "comment": f"# listen {v}",
        "multiline": f"addr {v}",
    }[place]


NEG_PATH = [
    "/home/user/data",
    "/home/username/project",
    "/Users/you/Downloads",
    "/Users/Shared/data",
    "/home/$USER/cache",
    "/home/<name>/x",
    "~/data/raw",
    "/home/{user}/x",
    "C:\\\\Users\\\\Public\\\\data",
    "C:\\\\Users\\\\%USERNAME%\\\\x",
    "/home/runner/work/lab/lab",
    "/home/jovyan/work",
    "/home/ubuntu/.cache",
    "https://lab.org/home/about",
    "/data/home/projects/cortex",
    "https://api.lab.org/Users/42",
    "/home/",
    "/Users/USERNAME/x",
    "/home/ec2-user/app",
    "/home/vscode/.local",
    "/Users/runner/work",
    "C:/Users/Default/AppData",
    "/home/node/app",
    "$HOME/data",
]


def neg_path(place: str, i: int) -> str:
    v = NEG_PATH[i % len(NEG_PATH)]
    return {
        "prose": f"- Data in {v}",
        "dict": f'"dir": "{v}",',
        "code": f'out = Path("{v}")',
        "comment": f"# {v}",
        "multiline": f"dir {v}",
    }[place]


def main() -> None:
    here = Path(__file__).parent
    pos: list[tuple[str, str]] = []
    kinds = list(TOKENS)
    for i, kind in enumerate(kinds * 3):
        pos.append((PLACES[i % 5], token_case(kind, PLACES[i % 5])))
    for i in range(40):
        key = SECRET_KEYS[i % len(SECRET_KEYS)]
        pos.append((PLACES[i % 5], kv_secret(PLACES[i % 5], key, secret_value(key))))
    for i in range(15):
        place = PLACES[i % 5]
        pos += [(place, url_case(place)), (place, connstr_case(place)), (place, auth_case(place))]
    for i in range(10):
        place = PLACES[i % 5]
        pos += [
            (place, pem_case(place)),
            (place, webhook_case(place)),
            (place, azure_case(place)),
            (place, git_token_url(place)),
        ]
    for i in range(70):
        pos.append((PLACES[i % 5], pii_case(PLACES[i % 5])))
    for i in range(45):
        pos.append((PLACES[(i + 2) % 5], network_case(PLACES[(i + 2) % 5])))
    for i in range(45):
        pos.append((PLACES[(i + 1) % 5], path_case(PLACES[(i + 1) % 5])))
    neg: list[tuple[str, str]] = []
    for i in range(len(NEG_SECRET) * 2):
        neg.append((PLACES[i % 5], neg_secret(PLACES[i % 5], i)))
    for i in range(len(NEG_PII) * 2):
        neg.append((PLACES[i % 5], neg_pii(PLACES[i % 5], i)))
    for i in range(len(NEG_NET) * 2):
        neg.append((PLACES[(i + 3) % 5], neg_network(PLACES[(i + 3) % 5], i)))
    for i in range(len(NEG_PATH) * 2):
        neg.append((PLACES[(i + 4) % 5], neg_path(PLACES[(i + 4) % 5], i)))
    for name, cases in (("positives.txt", pos), ("negatives.txt", neg)):
        blocks = [f"### {place}\n{text}\n" for place, text in cases]
        (here / name).write_text("".join(blocks), encoding="utf-8")
        print(name, len(cases))


if __name__ == "__main__":
    main()
