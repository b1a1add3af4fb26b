"""sanitize: spans become literal-safe placeholders; modules still parse; nothing survives."""

from __future__ import annotations

import ast
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stato.core.privacy import placeholder_for, sanitize, scan_text
from stato.core.privacy.checks import entropy, is_placeholder

ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"


def _body(chars: str, n: int) -> st.SearchStrategy[str]:
    """Random-looking bodies (plain text strategies shrink to all-zero, placeholder-like ones)."""
    return st.randoms(use_true_random=False).map(
        lambda r: "".join(r.choice(chars) for _ in range(n))
    )


SECRETS = st.one_of(
    _body(ALNUM, 36).map(lambda b: "ghp_" + b),
    _body(B32, 16).map(lambda b: "AKIA" + b),
    st.tuples(_body(ALNUM, 20), _body(ALNUM, 20)).map(lambda p: f"sk-{p[0]}T3BlbkFJ{p[1]}"),
    _body(ALNUM + "_-", 35).map(lambda b: "AIza" + b),
    _body(ALNUM, 10).map(lambda b: f"postgresql://etl:{b}#9@db.lab.org:5432/lims"),
    _body(string.ascii_lowercase, 6).map(lambda b: f"{b}.smith@charite.de"),
    st.tuples(st.integers(1, 254), st.integers(0, 255), st.integers(1, 254)).map(
        lambda t: f"10.{t[0]}.{t[1]}.{t[2]}"
    ),
    _body(string.ascii_lowercase, 5).map(lambda b: f"/home/{b}x/data/run1"),
    _body(string.ascii_lowercase, 5).map(lambda b: f"C:\\\\Users\\\\{b}q\\\\data"),
    _body(string.ascii_lowercase, 5).map(lambda b: f"/Users/{b}z/Desktop"),
    _body(string.ascii_lowercase, 5).map(lambda b: f"C:\\\\Users\\\\Ana {b}q\\\\data"),
    st.tuples(st.integers(1, 0xFFFF), st.integers(1, 0xFFFF), st.integers(1, 0xFFFF)).map(
        lambda t: f"2a02:8109:{t[0]:x}:{t[1]:x}::{t[2]:x}"
    ),
    st.just("03.12.1984 (DOB)"),
    _body(ALNUM, 48).map(
        lambda b: f"-----BEGIN RSA PRIVATE KEY-----\\n{b}\\n{b}\\n-----END RSA PRIVATE KEY-----"
    ),
    st.just("412-58-7730"),
    st.just("4539 1488 0343 6467"),
    st.just("(617) 867-5309"),
)
NEIGHBOURS = st.text(alphabet=ALNUM + " .,:;-_/@=+#!", max_size=10)
PLACES = (
    "double",
    "single",
    "triple",
    "raw",
    "fstring",
    "bytes",
    "comment",
    "dict",
    "kwarg",
    "password",
)


def _place(kind: str, i: int, pre: str, value: str, post: str) -> tuple[str, str]:
    """(class-body line(s), run()-body line) holding the value."""
    text = f"{pre}{value}{post}"
    if kind == "triple":
        return f'    f{i} = """\n{text.replace(chr(92) + "n", chr(10))}\n"""\n', ""
    if kind == "kwarg":
        return "", f'        client = Client(api_key="{text}", timeout=3)\n'
    if kind == "password":
        return f'    db_password = "{value}"\n', ""
    line = {
        "double": f'    f{i} = "{text}"',
        "single": f"    f{i} = '{text}'",
        "raw": f'    f{i} = r"{text}"',
        "fstring": f'    f{i} = f"{text}"',
        "bytes": f'    f{i} = b"{text}"',
        "comment": f"    # {text}",
        "dict": f'    f{i} = {{"k": "{text}", "n": 1}}',
    }[kind]
    return line + "\n", ""


@st.composite
def modules(draw: st.DrawFn) -> str:
    body, run = ['    """Generated."""\n', '    name = "gen"\n'], []
    for i in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(PLACES))
        value = draw(SECRETS)
        if kind == "bytes" and not value.isascii():
            kind = "double"
        field, code = _place(kind, i, draw(NEIGHBOURS), value, draw(NEIGHBOURS))
        body.append(field)
        run.append(code)
    run_src = "".join(run) + "        return kwargs\n"
    return (
        f'"""Generated module."""\n\n\nclass Gen:\n{"".join(body)}\n    @staticmethod\n'
        f"    def run(data_path, **kwargs):\n{run_src}"
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_sanitized_modules_parse_and_hold_no_finding(source: str) -> None:
    ast.parse(source)
    findings = scan_text(source)
    clean = sanitize(source, findings)
    ast.parse(clean)
    assert scan_text(clean) == []
    assert clean == _replaced(source, findings)


def _replaced(source: str, findings: list) -> str:  # type: ignore[type-arg]
    """The expected result: each span swapped for its placeholder, every other character kept."""
    expected, cursor = [], 0
    for f in findings:
        assert f.start >= cursor  # findings never overlap
        expected += [source[cursor : f.start], placeholder_for(f)]
        cursor = f.end
    return "".join(expected) + source[cursor:]


@settings(max_examples=100, deadline=None)
@given(SECRETS, st.sampled_from(["double", "comment", "dict", "raw"]))
def test_strong_secrets_are_found_and_only_their_span_changes(value: str, kind: str) -> None:
    # look-alikes of fillers and low-entropy strings are refused by design
    assume(not is_placeholder(value) and entropy(value) >= 3.2)
    field, _ = _place(kind, 0, "see ", value, " now")
    source = f"class Gen:\n{field}"
    findings = scan_text(source)
    assert findings, source
    assert value not in sanitize(source, findings)


def test_placeholders_are_safe_in_every_literal() -> None:
    from stato.core.privacy import RULES

    for rule in RULES:
        for opener in ('"', "'", '"""', "'''", 'r"', 'b"', 'f"'):
            closer = opener.lstrip("rbf")
            ast.parse(f"x = {opener}a{rule.placeholder}b{closer}")
        assert not set(rule.placeholder) & set("\\'\"")


def test_path_separators_are_kept() -> None:
    text = (
        'a = "C:\\\\Users\\\\alice.k\\\\data"\nb = r"C:\\Users\\bob.k\\x"\n'
        'c = "/home/carla/x"\nd = "C:/Users/dan/x"'
    )
    clean = sanitize(text, scan_text(text))
    assert clean == (
        'a = "C:\\\\Users\\\\{user}\\\\data"\nb = r"C:\\Users\\{user}\\x"\n'
        'c = "/home/{user}/x"\nd = "C:/Users/{user}/x"'
    )


def test_url_password_only_and_quotes_kept() -> None:
    text = "url = 'mongodb+srv://admin:Zk3rP0o1Lq@cluster0.x1y2z.mongodb.net/db'"
    assert (
        sanitize(text, scan_text(text))
        == "url = 'mongodb+srv://admin:{PASSWORD}@cluster0.x1y2z.mongodb.net/db'"
    )


@pytest.mark.parametrize(
    ("line", "clean"),
    [
        # JSON inside a Python string: the secret was not found at all
        (r'body = "{\"password\": \"Hx7#kq2Lmz9\"}"', r'body = "{\"password\": \"{REDACTED}\"}"'),
        (r'cfg = "api_key=\"Zx81kqLmPw02Tr5v\" eu"', r'cfg = "api_key=\"{REDACTED}\" eu"'),
        # the span ended in the backslash of \", and the sanitized module no longer parsed
        (r'token = "password = \"Wq9#zX2!mK7p\""', r'token = "{REDACTED}"'),
    ],
)
def test_escaped_quotes_are_found_and_sanitized_whole(line: str, clean: str) -> None:
    assert sanitize(line, scan_text(line)) == clean
    ast.parse(clean)


def test_sanitize_refuses_findings_of_another_text() -> None:
    text = 'k = "ghp_Zq8rT2mW9xL4kP7vB3nY6cH1jF5sD0aE8gUu"'
    findings = scan_text(text)
    with pytest.raises(ValueError):
        sanitize("x" + text, findings)
    assert sanitize(text, []) == text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(modules(), NEIGHBOURS, SECRETS), min_size=1, max_size=5))
def test_scanning_together_equals_scanning_apart(texts: list[str]) -> None:
    from stato.core.privacy import scan_many

    named = {f"m{i}.py": text for i, text in enumerate(texts)}
    assert scan_many(named) == [f for path, t in named.items() for f in scan_text(t, path)]
