"""Long hostile lines for the privacy scanner: ordinary 2 MB lines, and inputs built to make a
backtracking engine stall. tests/test_privacy_long_lines.py scans each (its findings, and that
the scan ends); benchmarks/scanner.py times each against a one-regex floor and checks the work
grows linearly (2 MB against 1 MB)."""

from __future__ import annotations

import random
import string

N = 2_000_000
_R = random.Random(7)
LINES = {
    "base64 blob": "".join(_R.choices(string.ascii_letters + string.digits + "+/", k=N)),
    "prose": (
        "- Cortex: max_pct_mito=20 keeps ~85% of 15000 cells; see the key notes, token budget 512. "
        * 25000
    )[:N],
    "one letter": "a" * N,
    "digits": "7" * N,
    "numbers": " ".join(str(_R.randint(0, 10 ** _R.randint(1, 12))) for _ in range(N // 7))[:N],
    "code": (
        "        adata = sc.read_h5ad(path); sc.pp.filter_cells(adata, min_genes=200)\n" * 30000
    )[:N].replace("\n", " "),
}
# Inputs built to make a backtracking engine stall: each must stay linear (seconds would mean
# quadratic work; catastrophic backtracking would take hours).
ADVERSARIAL = {
    "aws prefix run": "AKIA" * (N // 4),
    "jwt prefix run": "eyJ" * (N // 3),
    "pem headers": "-----BEGIN PRIVATE KEY-----" * (N // 27),
    "url scheme run": "a://b:c" * (N // 7),
    "dotted digits": "1.2." * (N // 4),
    "dashed digits": "123-" * (N // 4),
    "at signs": "a@b." * (N // 4),
    "openai prefix run": "sk-" * (N // 3),
    "windows users": "C:\\Users\\" * (N // 9),
    "quoted key run": 'api_key="' * (N // 9),
    "password run": "password=" * (N // 9),
    "home run": "/home/a" * (N // 7),
    "ipv6 group run": "2a00:" * (N // 5),
    "ipv6 cut short": "fe80::1g" * (N // 8),
    "ipv6 prefixes": "fe80::" * (N // 6),
    "ipv6 slices": "a[fd00::3]" * (N // 10),
    "hex colon run": "2fab:" * (N // 10) + "fd00:1:" * (N // 14),
    "spaced windows words": "C:\\Users\\Public Lee Bo Ma Li Xu " * (N // 32),
    "dates before birth words": "1984-03-12 dob field " * (N // 21),
    "auth pairs": 'auth=("u", ' * (N // 11),
    "ftp logins": 'FTP("h", "u", ' * (N // 14),
    "password is": "password is " * (N // 12),
}
