"""The rich output a person sees on a real terminal (a pseudo-terminal): it shows the same facts
as the --json and piped output, has no colour with NO_COLOR, and on a narrow terminal
(COLUMNS=40) folds what does not fit instead of cutting it with an ellipsis."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stato.cli import cli
from tests.conftest import on_a_terminal
from tests.test_cli_sweep import colours

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")

_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]|\x1b\][^\x07]*\x07")
_BOX = re.compile("[\u2500-\u257f]")
SECRETS = 'token = "ghp_R7xKq2mVn8Lp4Wz9Tb3Yc6Hd1Fg5Js0Ae2Qu"\ncontact: jane.roe@university.edu\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A long folder name: on 40 columns its path cannot fit a title or a cell.
    root = tmp_path_factory.mktemp("t") / "a-project-folder-with-a-rather-long-name"
    result = CliRunner().invoke(cli, ["init", "--example", "--path", str(root)])
    assert result.exit_code == 0, result.output
    (root / "notes.md").write_text(SECRETS, encoding="utf-8")
    return root


def _env(columns: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "FORCE_COLOR"}
    env.update(TERM="xterm-256color", COLUMNS=str(columns), NO_COLOR="1")
    return env


def _piped(argv: list[str], cwd: Path) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "stato", *argv],
        capture_output=True, text=True, check=False, cwd=cwd, env=_env(120),
        stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout


def _json(argv: list[str], cwd: Path) -> Any:
    return json.loads(_piped([*argv, "--json"], cwd))


def _screen(argv: list[str], cwd: Path, columns: int) -> str:
    screen = on_a_terminal(argv, cwd, _env(columns))
    assert "Traceback" not in screen and "internal error" not in screen, screen
    assert not colours(screen), screen  # NO_COLOR: bold may stay, colour never
    return _ESCAPE.sub("", screen).replace("\r", "")


def _shows(argv: list[str], cwd: Path, facts: list[str], boxed: bool = True) -> None:
    """Wide: every fact verbatim. Narrow: nothing cut (no ellipsis) and every character of
    every fact still on the screen, folded over lines as it may be."""
    facts = [f for f in facts if f]
    wide = _screen(argv, cwd, 200)
    if boxed:
        assert _BOX.search(wide), wide  # the terminal branch ran, not the piped one
    flat = re.sub(r"\s+", "", wide)  # a title longer than its table wraps at the table
    for fact in facts:
        assert fact in wide or re.sub(r"\s+", "", fact) in flat, (fact, wide)
    narrow = _screen(argv, cwd, 40)
    assert "…" not in narrow, narrow
    # Rich's tables and panels fit the terminal (plain lines are the terminal's to wrap).
    assert all(len(line) <= 40 for line in narrow.splitlines() if _BOX.search(line)), narrow
    needed = Counter("".join(facts).replace(" ", ""))
    missing = needed - Counter(narrow.replace(" ", ""))
    assert not missing, (missing, narrow)


def test_status(project: Path) -> None:
    report = _json(["status"], project)
    plan = _json(["plan"], project)
    facts = [str(project), plan["name"], plan["objective"]]
    for m in report["modules"]:
        facts += [m["path"], m["type"], m["class_name"], m["version"] or "-"]
    _shows(["status"], project, facts)


def test_plan(project: Path) -> None:
    plan = _json(["plan"], project)
    facts = [plan["name"], plan["objective"]]
    for s in plan["steps"]:
        facts += [str(s["id"]), s["action"], s["status"], s.get("output") or ""]
    _shows(["plan"], project, facts)


def test_resume(project: Path) -> None:
    """The panels hold the plain recap's lines: every word of it, titles included."""
    plain = _piped(["resume"], project)
    assert "PROJECT CONTEXT" in plain
    _shows(["resume"], project, plain.split())


def test_scan(project: Path) -> None:
    findings = _json(["scan", "notes.md"], project)["findings"]
    assert len(findings) == 2
    facts = []
    for f in findings:
        facts += [f"{f['path']}:{f['line']}:{f['column']}", f["category"], f["severity"]]
        facts += [f["pattern"], f["preview"]]
    _shows(["scan", "notes.md"], project, facts)
    assert "ghp_R7x" not in _screen(["scan", "notes.md"], project, 40)


def test_bridge_check(project: Path) -> None:
    result = _json(["bridge", "--check"], project)
    facts = []
    for f in result["files"]:
        facts += [f["path"], ",".join(f["platforms"]), str(f["tokens"])]
    _shows(["bridge", "--check"], project, facts, boxed=False)


def test_hooks_install(tmp_path: Path) -> None:
    for name in ("wide-and-a-long-folder-name", "narrow-and-a-long-folder-name"):
        assert CliRunner().invoke(cli, ["init", "--path", str(tmp_path / name)]).exit_code == 0
    wide = _screen(
        ["hooks", "install", "--agent", "claude"], tmp_path / "wide-and-a-long-folder-name", 200
    )
    path = str(tmp_path / "wide-and-a-long-folder-name" / ".claude" / "settings.json")
    assert path in wide and "created" in wide and _BOX.search(wide), wide
    where = tmp_path / "narrow-and-a-long-folder-name"
    narrow = _screen(["hooks", "install", "--agent", "claude"], where, 40)
    assert "…" not in narrow, narrow
    needed = Counter(str(where / ".claude" / "settings.json") + "created")
    assert not needed - Counter(narrow), narrow


def test_registry_list(tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "index.toml").write_text(INDEX, encoding="utf-8")
    argv = ["registry", "list", "--registry", str(registry)]
    facts = ["single-cell-rna-seq-expertise", "10.20.30", "bioinformatics", "scanpy workflows"]
    _shows(argv, tmp_path, facts, boxed=False)
    # A long description wraps; the name to copy into `install` stays whole.
    assert "single-cell-rna-seq-expertise" in _screen(argv, tmp_path, 100)


INDEX = """format = 1

[[packages]]
name = "single-cell-rna-seq-expertise"
description = "{desc}"
author = "lab"
version = "10.20.30"
tags = ["bioinformatics", "scrna"]
modules = 3
updated = "2026-01-01T00:00:00Z"
url = "single-cell-rna-seq-expertise-10.20.30.stato"
sha256 = "{sha}"
""".format(sha="0" * 64, desc="QC, normalization and clustering for scanpy workflows. " * 5)


def test_inspect(project: Path) -> None:
    _piped(["snapshot", "--name", "an-archive-with-a-rather-long-name", "--force"], project)
    archive = project / "an-archive-with-a-rather-long-name.stato"
    assert archive.is_file()
    report = _json(["inspect", str(archive)], project)
    facts = [report["name"]]
    for m in report["modules"]:
        facts += [m["path"], m["type"], m["class"], m["version"] or "-"]
    _shows(["inspect", str(archive)], project, facts, boxed=False)
