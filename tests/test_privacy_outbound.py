"""Issue 12, item 6: `snapshot --sanitize` leaves nothing it would report — passwords in prose and
in dict values with punctuation, a cloud key assigned inside run(), a secret quoted in a decision
log line — and a .statoignore glob written for a path silences what lies inside that path."""

from __future__ import annotations

import ast
import string
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from stato.core.privacy import scan_text
from stato.core.privacy.checks import entropy, is_placeholder
from stato.ops.scan import sanitize_text

SYMBOLS = "!#&*+,-./:;=?@^_|~"


@st.composite
def passwords(draw: st.DrawFn, symbols: str = SYMBOLS) -> str:
    """Mixed-case, digit and punctuation passwords, 8-16 characters, ending in a letter."""
    r = draw(st.randoms(use_true_random=False))
    body = [r.choice(string.ascii_uppercase), r.choice(string.digits), r.choice(symbols)]
    body += [
        r.choice(string.ascii_letters + string.digits + symbols) for _ in range(r.randint(4, 12))
    ]
    r.shuffle(body)
    # starting with a letter: "/LR12i/uYv" is a path as much as a password
    out = r.choice(string.ascii_letters) + "".join(body) + r.choice(string.ascii_lowercase)
    # low-entropy look-alikes are refused by design; shrinking heads for "aA0!aaaaa"
    assume(not is_placeholder(out) and len(set(out)) >= 7 and entropy(out) >= 2.8)
    return out


def keys() -> st.SearchStrategy[str]:
    return (
        st.randoms(use_true_random=False)
        .map(lambda r: "".join(r.choice(string.ascii_letters + string.digits) for _ in range(40)))
        .filter(
            lambda k: (
                entropy(k) >= 4.0
                and not k.isalpha()
                and not k.islower()
                # placeholder-looking keys ("...aaaaa" at either end) are not secrets, by design;
                # the test writes the key reversed too, so both readings must look random
                and not is_placeholder(k)
                and not is_placeholder(k[::-1])
            )
        )  # random keys, not the "aaaa..." shrinking heads for
    )


def module(prose_pw: str, dict_pw: str, quoted_pw: str, cloud: str, logged: str) -> str:
    return (
        "class Gen:\n"
        '    """Generated."""\n\n'
        '    name = "gen"\n'
        f'    lessons_learned = """\n- log in with pw={prose_pw} then run\n'
        f'- the password {prose_pw} is on the wiki\n"""\n'
        f"    default_params = {{'db': 'lims', 'password': {dict_pw!r}, 'pw': {quoted_pw!r}}}\n"
        f'    decision_log = """\n- Rotated the secret key \'{logged}\' after the leak\n"""\n\n'
        "    @staticmethod\n"
        "    def run(data_path, **kwargs):\n"
        f'        os.environ["AZURE_STORAGE_KEY"] = "{cloud}"\n'
        f'        STORAGE_ACCOUNT_KEY = "{cloud[::-1]}"\n'
        "        return kwargs\n"
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    passwords(SYMBOLS.replace(".", "").replace(",", "").replace(";", "")),
    passwords(SYMBOLS + '"'),
    passwords(),
    keys(),
    keys(),
)
def test_sanitize_leaves_nothing_it_would_report(
    prose_pw: str, dict_pw: str, quoted_pw: str, cloud: str, logged: str
) -> None:
    source = module(prose_pw, dict_pw, quoted_pw, cloud, logged)
    ast.parse(source)
    clean, left = sanitize_text(source, "skills/gen.py", scan_text(source, "skills/gen.py"))
    ast.parse(clean)
    assert left == [] and scan_text(clean, "skills/gen.py") == []
    for secret in (prose_pw, dict_pw, quoted_pw, cloud, cloud[::-1], logged):
        assert secret not in clean


def test_ignore_glob_for_a_path_covers_findings_inside_it() -> None:
    text = 'data = "/home/svc/runs/out.csv"\nssh svc@10.1.2.3:/home/svc/x\nsee /home/okafor/x\n'
    found = [(f.pattern, f.text) for f in scan_text(text, ignore=["/home/svc/*"])]
    assert found == [("ipv4-private", "10.1.2.3"), ("home-path-unix", "okafor")]
    assert len(scan_text(text)) == 4


def test_snapshot_sanitize_and_statoignore_end_to_end(example: Path, run) -> None:  # type: ignore[no-untyped-def]
    qc = example / ".stato/skills/qc.py"
    text = qc.read_text()
    text = text.replace(
        '    tags = ["qc", "scrna"]',
        '    tags = ["qc", "scrna"]\n'
        "    notes = {'pw': 'Tq8#mZ\"2!vL', 'out': '/home/svc/runs/qc.csv'}",
    ).replace(
        "        return {**QualityControl.default_params, **kwargs}",
        '        os.environ["AZURE_STORAGE_KEY"] = "Qz8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6T"\n'
        "        return {**QualityControl.default_params, **kwargs}",
    )
    qc.write_text(text)
    plan = example / ".stato/plan.py"
    plan.write_text(
        plan.read_text().replace(
            "- Chose scran", "- Rotated the secret key 'h7Gk2Lq9Zx4Vb8Nm3Pw6'\n- Chose scran"
        )
    )
    (example / ".statoignore").write_text("/home/svc/*\n")
    assert run("scan", ".stato").exit_code == 1
    res = run("snapshot", "--name", "p", "--sanitize")
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(example / "p.stato") as zf:
        body = "\n".join(zf.read(n).decode() for n in zf.namelist() if n.endswith(".py"))
    for secret in ("Tq8#mZ", "Qz8Lm3Np5Rt7Vw9Yz1Bc4Df6Gh8Jk0Mn2Pq4Rs6T", "h7Gk2Lq9Zx4Vb8Nm3Pw6"):
        assert secret not in body
    assert "/home/svc/runs/qc.csv" in body  # silenced by the glob, so left as it was
