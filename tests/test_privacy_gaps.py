"""The gaps closed after the first holdout (IPv6 hosts, trailing birth-date keywords, Windows
user names with spaces) and after holdout2 (prefix lengths, auth pairs, prose separators,
connection strings, phone groups, message ids); each with look-alikes that must stay quiet."""

from __future__ import annotations

import pytest

from stato.core.privacy import sanitize, scan_text

# text with the expected span between « and », and the category it must carry
FOUND = [
    ("ssh admin@«2a00:1450:4001:82b::200e»", "network"),
    ("node at «2001:0470:1f0b:0abc:0000:0000:0000:0002» down", "network"),
    ("curl -g 'http://[«2600:1f18:24e6:b900:5c2a:4e8f:1d3b:9a07»]:8080/health'", "network"),
    ("link-local «fe80::a00:27ff:fe4e:66a1»%enp0s3 on the NAS", "network"),
    ('"host": "«fd3c:8a1e:77b2:1::12»",', "network"),
    ("scp data [«fd12:3456:789a:1::1»]:/srv", "network"),
    ("6to4 relay «2002:c000:0204::1» answered", "network"),
    ("mapped tail «2001:470:1f0b::10.1.2.3».", "network"),
    ("«1984-03-12» (date of birth)", "pii"),
    ("«03.12.1984» is her DOB", "pii"),
    ("born «12/03/1984» in Lyon", "pii"),
    ("DOB «03.12.1984», female", "pii"),
    ("D.O.B. «12-03-1984»", "pii"),
    ("birthday: «March 12th, 1984»", "pii"),
    ("«17 July 1961» - date of birth per intake form", "pii"),
    ('dob = date.fromisoformat("«1957-11-03»")  # date of birth', "pii"),
    ("C:\\Users\\«Maria Lopez»\\Documents\\qc.csv", "path"),
    ("C:/Users/«Maria Lopez»/Documents/qc.csv", "path"),
    ('path = "C:\\\\Users\\\\«Maria Lopez»\\\\Documents"', "path"),
    ('os.chdir(r"C:\\Users\\«Jean-Luc Picard»")', "path"),
    ("/mnt/c/Users/«Ana Maria Costa»/Downloads/run.log", "path"),
    ("see C:\\Users\\«maria» and then the rest of the sentence", "path"),
    ("inet «10.0.12.77»/24 brd 10.0.12.255 scope global eth0", "network"),
    ("inet6 «2a05:d014:93c:8b00:5d2e:7a1f:44c0:e83b»/64 scope global", "network"),
    ("pin «10.20.4.17»/32 in the security group", "network"),
    ("IPv4Interface('«10.1.2.3»/255.255.0.0')", "network"),
    ("DB_URL=postgres://dash@«10.0.3.7»/dash", "network"),
    ('requests.get(url, auth=("lims-api", "«pMzYKe.pOZdG»"))', "secret"),
    ('ftp = ftplib.FTP("ftp-private.ncbi.nlm.nih.gov", "geoftp", "«fHN5TM22uk7ASS»")', "secret"),
    ('server.login("lims-notify", "«Xk29!pLq7w»")', "secret"),
    ("- the Jupyter password set to «RaHaRu_yOLNd» (change it)", "secret"),
    ("the admin password was «Summer2024!» until Monday", "secret"),
    (
        'CONN_STRING = "DefaultEndpointsProtocol=https;AccountName=lake;AccountKey='
        "«riGp/58WAm+dX3a5IDnOdcdbWB2dC4/DSDC6Lc1mxLpQ2yMK/Ye9FZ1wUVl4nuYV+d8fNYvvDbzDZST6IaXq"
        'A2==»;EndpointSuffix=core.windows.net"',
        "secret",
    ),
    ('"phone": "«+49 151 23984761»",', "pii"),
    ("Patient contact: «+91 98450 61723»", "pii"),
    ('cohort.loc[cohort["patient_id"] == "«PAT-03381»"]', "pii"),
    ("«22.11.1949» (Geburtsdatum / DOB)", "pii"),
]

QUIET = [
    "ipv6 docs use 2001:db8::1 and [2001:db8:85a3::8a2e:370:7334]:443",
    "loopback ::1 and the unspecified ::",
    "resolvers 2606:4700:4700::1111 and 2001:4860:4860::8888",
    "prefixes 2a00:1450::/32, fe80::/10 and fd00::/8",
    "every fourth: a[1::4], b[::2], c[2000::3], d[fd00::5]",
    "std::vector<int> v; boost::asio::ip::tcp; Foo::Bar::baz()",
    "mac 00:1a:2b:3c:4d:5e, bssid AA:BB:CC:DD:EE:FF",
    "run at 12:30:45, elapsed 01:02:03:04",
    "EXIF DateTime 2001:12:15 10:22:33",
    "digest sha256:2a3f4b5c6d7e8f90a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e",
    "fingerprint 2F:3A:9B:1C:44:5D:6E:7F:80:91:A2:B3:C4:D5:E6:F7",
    "ratio 2000:1 dilution, 3000::count",
    "release 2020-05-01: DOB field added to the schema",
    "Date of birth is not collected in this study",
    "dob format YYYY-MM-DD; 1984-03-12 is only an example of the layout, dob parsing is strict",
    "12/03/1984 shipped; the birthday party was later",
    "v1.03.12.1984 (DOB)",
    "C:\\Users\\All Users\\Microsoft",
    "C:/Users/Default User/NTUSER.DAT",
    "C:\\Users\\Public\\Documents",
    "C:\\Users\\%USERNAME%\\AppData",
    "inet 127.0.0.1/8 scope host lo; route 10.0.12.0/24 dev eth0",
    "subnets 10.42.7.0/24, 172.16.0.0/12, 192.168.0.255/24 and 2a01:4f8:c17:b8f::/64",
    'auth=("user", password); HTTPBasicAuth(user, pw); ftplib.FTP(host, "anonymous", "")',
    "- the password is required; the token is valid for 1 h; the key is in 1Password",
    "- the secret is ANTHROPIC_API_KEY and the private key is ~/.ssh/id_ed25519",
    'AZURE_STORAGE_CONNECTION_STRING="UseDevelopmentStorage=true"',
    "- secret: SGVsbG8gd29ybGQsIHRoaXMgaXMgYSBub3RlIGZvciB0aGUgbGFi (base64 of a sentence)",
    "Message-ID: <CAF3kQ9x7Lr2mP@mail.gmail.com>\nIn-Reply-To: <a1b2.c3@mx.uni-heidelberg.de>",
    "# ssh kraus@gpu-a100.kraus-lab.internal -p 2222; scp x jo@nas.lan:/srv",
    "offsets +1 12345678 and +1 2024 12 31",
    # met while scanning the stdlib and site-packages (code reads like "token is X")
    "if token is Name.Function or token is Name.Variable:",
    "# Do this if either the username or the password is missing.",
    'message = "No password was provided. If you want a user without one, say so."',
    "assert token is _core.current_trio_token()",
    "if token is _sentinel_value_for_tokens or secret is _Missing_Secret_Marker:",
    "#  a lexer rule finishes with token set to SKIP_TOKEN.  Recall that",
    "lo0 fe80::1%lo0; IETF 2001:1::1/128, Teredo 2001:0:0:0:0:0:0:CAFE, 6bone 3ffe::1.net",
    "METADATA_BASE_URL_IPv6 = 'http://[fd00:ec2::254]/'",
    "masks 172.31.255.128/255.255.255.240 and 10.0.0.0/255.0.0.0",
    'df["patient_id"] == row_id',
    "2020-05-01 (release, DOB field added)",
]


def _unmark(text: str) -> tuple[str, str]:
    start, end = text.index("«"), text.index("»") - 1
    clean = text.replace("«", "").replace("»", "")
    return clean, clean[start:end]


@pytest.mark.parametrize(("marked", "category"), FOUND)
def test_gap_is_found_with_its_exact_span(marked: str, category: str) -> None:
    text, span = _unmark(marked)
    found = [(f.text, f.category) for f in scan_text(text)]
    assert found == [(span, category)], found
    clean = sanitize(text, scan_text(text))
    assert span not in clean and scan_text(clean) == []


@pytest.mark.parametrize("text", QUIET)
def test_look_alike_stays_quiet(text: str) -> None:
    assert [(f.pattern, f.text) for f in scan_text(text)] == []


def test_windows_separators_are_kept_around_a_spaced_name() -> None:
    text = 'a = "C:\\\\Users\\\\Maria Lopez\\\\x"\nb = "C:/Users/Maria Lopez/x"'
    clean = sanitize(text, scan_text(text))
    assert clean == 'a = "C:\\\\Users\\\\{user}\\\\x"\nb = "C:/Users/{user}/x"'


@pytest.mark.parametrize(
    "text",
    [
        "See section 10.5.3.2 for the retry policy",
        "per § 10.2.1.4 of the contract",
        "Release 10.4.2.1 fixed the leak",
        "Figure 10.1.1.3 shows the batch effect",
    ],
)
def test_a_numbered_section_is_no_address(text: str) -> None:
    assert [f for f in scan_text(text) if f.category == "network"] == []


def test_an_address_after_other_words_is_still_found() -> None:
    for text in ("ssh to 10.5.3.2 now", "step 3: ssh 10.0.0.5", "the table is on 10.1.1.3"):
        assert [f.pattern for f in scan_text(text)] == ["ipv4-private"], text
