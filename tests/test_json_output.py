"""`--json` is exactly one RFC 8259 document on every path, whatever a module holds; the
hook always prints its JSON, whatever arrives on stdin."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.cli import cli
from stato.formats import jsondoc


def strict_loads(text: str) -> Any:
    """json.loads that refuses NaN/Infinity (not JSON) and requires text that is valid UTF-8."""

    def refuse(name: str) -> None:
        raise ValueError(f"{name} is not JSON")

    text.encode("utf-8")  # a lone surrogate would fail here
    return json.loads(text, parse_constant=refuse)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFFFF)),  # surrogates too
    st.binary(max_size=8),
)  # fmt: skip
keys = st.one_of(
    st.text(max_size=5), st.integers(), st.floats(), st.booleans(), st.none(),
    st.tuples(st.integers(), st.text(max_size=3)),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(keys, inner, max_size=4),
        st.frozensets(st.integers() | st.text(max_size=3), max_size=4),
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_any_value_is_one_valid_document_and_the_same_every_time(value: object) -> None:
    text = jsondoc.dumps(value)
    strict_loads(text)
    assert jsondoc.dumps(value) == text
    strict_loads(jsondoc.dumps(value, indent=None, ascii_only=True))


def test_the_chosen_renderings() -> None:
    deep: list[object] = []
    for _ in range(5000):
        deep = [deep]
    value = {
        "nan": math.nan, "inf": math.inf, "-inf": -math.inf, (1, 2): "tuple key", 3: "int key",
        None: 1, "big": 10**5000, "surrogate": "a\ud800b", "set": {3, 1, 2}, "deep": deep,
    }  # fmt: skip
    doc = strict_loads(jsondoc.dumps(value))
    assert doc["nan"] == "NaN" and doc["inf"] == "Infinity" and doc["-inf"] == "-Infinity"
    assert doc["(1, 2)"] == "tuple key" and doc["3"] == "int key" and doc["null"] == 1
    assert doc["big"] == "<int of about 5001 digits>"
    assert doc["surrogate"] == "a\ufffdb" and doc["set"] == [1, 2, 3]
    assert "nested deeper" in json.dumps(doc["deep"])


ODD_MEMORY = '''class AnalysisState:
    """Memory with values JSON cannot say as they are."""

    phase = "analysis"
    known_issues = {(1, 2): "a tuple key", "inf": 1e999, "nan": 1e999 - 1e999, 3: "int key"}
    tasks = ["x"]
'''


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(root)]).exit_code == 0
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    "argv",
    [
        ["resume", "--json"],
        ["status", "--json"],
        ["validate", "--check", "--json"],
        ["diff", "--json", ".stato/memory.py", "{other}"],
        ["plan", "--json"],
    ],
    ids=" ".join,
)
def test_json_with_odd_values_is_one_strict_document(
    argv: list[str], project: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.py"
    shutil.copy(project / ".stato" / "memory.py", other)
    (project / ".stato" / "memory.py").write_text(ODD_MEMORY)
    argv = [a.replace("{other}", str(other)) for a in argv]
    result = CliRunner().invoke(cli, argv)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code in (0, 1), result.output
    strict_loads(result.stdout)


def _hook(stdin: bytes | None, project: Path, closed: bool = False) -> str:
    cmd = [sys.executable, "-m", "stato", "hooks", "run", "--agent", "claude"]
    if closed:  # stdin closed, not empty: the process starts with no fd 0
        cmd = ["sh", "-c", 'exec "$@" <&-', "sh", *cmd]
    proc = subprocess.run(
        cmd, input=stdin, capture_output=True, cwd=project, check=False, timeout=120,
        stdin=subprocess.DEVNULL if stdin is None and not closed else None,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert b"Traceback" not in proc.stderr
    return proc.stdout.decode("ascii")


@pytest.mark.skipif(os.name != "posix" or not shutil.which("sh"), reason="needs a POSIX shell")
@pytest.mark.parametrize(
    "stdin",
    [b"[" * 100_000, b'{"cwd": ' + b"[" * 100_000, b'{"a":' * 50_000, None, b"closed"],
    ids=["deep-list", "deep-cwd", "deep-objects", "empty", "closed"],
)
def test_the_hook_prints_its_json_whatever_stdin_is(stdin: bytes | None, project: Path) -> None:
    out = _hook(None if stdin == b"closed" else stdin, project, closed=stdin == b"closed")
    doc = strict_loads(out)
    assert "PLAN" in doc["hookSpecificOutput"]["additionalContext"]  # the recap, from the cwd


def test_a_lone_surrogate_in_a_module_never_breaks_a_cache(project: Path) -> None:
    # Found by tests/test_hostile_folders.py: the result cache could not write it (UTF-8).
    (project / ".stato" / "skills" / "odd.py").write_text(
        "class A:\n    '\\ud800'\n    name = 'odd'\n", encoding="utf-8"
    )
    for argv in (["status"], ["status"], ["resume", "--json"], ["resume", "--brief"]):
        result = CliRunner().invoke(cli, argv)
        assert result.exception is None or isinstance(result.exception, SystemExit), argv
        assert result.exit_code in (0, 1), result.output
    strict_loads(CliRunner().invoke(cli, ["status", "--json"]).stdout)
