"""Untrusted text on a terminal, odd files given as paths, and module paths in both forms."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from stato.cli.console import display
from tests.conftest import on_a_terminal

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnp.exe\x08\r"


def test_display_shows_every_control_and_keeps_text() -> None:
    shown = display("tag " + ESCAPES + "\tand\nmore é 日本")
    assert not any(c in shown for c in "\x1b\x07\x9b\u202e\x08\r")
    assert "\\x1b]0;pwned\\x07" in shown and "\\u202e" in shown
    assert shown.endswith("\tand\nmore é 日本")


INDEX = """format = 1

[[packages]]
name = "evil"
description = "looks fine {esc}"
author = "x"
version = "1.0.0"
tags = ["{esc}", "[link=https://evil.example]click[/link]"]
modules = 1
updated = "2026-01-01T00:00:00Z"
url = "evil-1.0.0.stato"
sha256 = "{sha}"
"""


def _terminal(argv: list[str], cwd: Path) -> str:
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200"}
    env.pop("NO_COLOR", None)
    return on_a_terminal(argv, cwd, env)


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("tty", [True, False], ids=["terminal", "pipe"])
def test_registry_tags_never_reach_the_terminal_as_escapes(tmp_path: Path, tty: bool) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    esc = ESCAPES.replace("\x1b", "\\u001b").replace("\x07", "\\u0007").replace("\x9b", "\\u009b")
    esc = esc.replace("\u202e", "\\u202e").replace("\x08", "\\b").replace("\r", "\\r")
    (registry / "index.toml").write_text(INDEX.format(esc=esc, sha="0" * 64), encoding="utf-8")
    argv = ["registry", "list", "--registry", str(registry)]
    if tty:
        out = _terminal(argv, tmp_path)
    else:
        proc = subprocess.run(
            [sys.executable, "-m", "stato", *argv],
            capture_output=True, text=True, cwd=tmp_path, check=False, timeout=60,
        )  # fmt: skip
        out = proc.stdout + proc.stderr
    assert "evil" in out, out
    for bad in ("\x1b]", "\x1b[2J", "\x07", "\x9b", "\u202e", "\x08", "\x1b]8;"):
        assert bad not in out, (bad, out)
    assert "\\x1b]0;pwned" in out  # shown, visibly
    assert "[link=https://evil.example]click[/link]" in out  # text, not rich markup


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(root)]).exit_code == 0
    monkeypatch.chdir(root)
    return root


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "{fifo}"],
        ["scan", "{fifo}"],
        ["graft", "{fifo}"],
        ["diff", "{fifo}", ".stato/plan.py"],
        ["import-bundle", "{fifo}"],
        ["write", "skills/x.py", "--from", "{fifo}"],
        ["inspect", "{fifo}"],
        ["convert", "{fifo}"],
        ["merge-file", ".stato/plan.py", ".stato/memory.py", "{fifo}"],
        ["snapshot", "--name", "x", "--sign", "{fifo}"],
    ],
    ids=lambda a: a[0],
)
def test_a_fifo_is_named_as_what_it_is_and_never_read(
    argv: list[str], project: Path, tmp_path: Path
) -> None:
    fifo = tmp_path / "pipe.py"
    os.mkfifo(fifo)
    proc = subprocess.run(  # a FIFO read would block forever: the timeout would fail the test
        [sys.executable, "-m", "stato", *[a.replace("{fifo}", str(fifo)) for a in argv]],
        capture_output=True, text=True, cwd=project, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode in (1, 2), proc.stderr
    assert "does not exist" not in proc.stderr and "no such file" not in proc.stderr.lower()
    assert "FIFO" in proc.stderr or "not a file" in proc.stderr, proc.stderr


def _answers_without_blocking(argv: list[str], project: Path) -> None:
    """stato ``argv`` ends (a blocked read of a FIFO would hit the timeout) with a clean exit."""
    proc = subprocess.run(
        [sys.executable, "-m", "stato", *argv],
        capture_output=True, text=True, cwd=project, check=False, timeout=60,
    )  # fmt: skip
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("argv", [["status"], ["resume"], ["resume", "--brief"], ["bridge"]])
def test_a_fifo_among_the_modules_never_blocks_a_reader(argv: list[str], project: Path) -> None:
    os.mkfifo(project / ".stato" / "skills" / "pipe.py")
    _answers_without_blocking(argv, project)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_for_the_projects_allowed_signers_never_blocks_an_import(
    project: Path, tmp_path: Path
) -> None:
    os.mkfifo(project / ".stato" / "allowed_signers")  # a cloned project's; it hung the import
    archive = tmp_path / "kit.stato"
    assert CliRunner().invoke(cli, ["snapshot", "--name", "kit", "-o", str(archive)]).exit_code == 0
    _answers_without_blocking(["import", str(archive), "--on-conflict", "skip"], project)


SKILL = '''class NewSkill:
    """A new skill."""

    name = "new_skill"
    lessons_learned = "- one"

    @staticmethod
    def run(**kwargs):
        return kwargs
'''


@pytest.mark.parametrize("target", [".stato/skills/new.py", "skills/new.py", "./.stato/skills/new"])
def test_write_takes_both_path_forms_and_writes_the_module(
    target: str, project: Path, tmp_path: Path
) -> None:
    source = tmp_path / "new.py"
    source.write_text(SKILL)
    result = CliRunner().invoke(cli, ["write", target, "--from", str(source)])
    assert result.exit_code == 0, result.output
    assert (project / ".stato" / "skills" / "new.py").read_text() == SKILL
    assert not (project / ".stato" / ".stato").exists()
    again = CliRunner().invoke(cli, ["write", target, "--from", str(source)])
    assert again.exit_code == 0
    history = CliRunner().invoke(cli, ["history", target])
    assert history.exit_code == 0, history.output


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize(
    ("spot", "argv"),
    [
        ("CLAUDE.md", ["bridge", "--platform", "all"]),
        ("AGENTS.md", ["bridge", "--platform", "all"]),
        (".claude/skills/qc-filtering/SKILL.md", ["bridge", "--platform", "claude"]),
        (".stato/config.toml", ["registry", "list"]),
        (".claude/settings.json", ["hooks", "install", "--agent", "claude"]),
    ],
    ids=lambda v: v if isinstance(v, str) else " ".join(v),
)
def test_a_fifo_where_a_project_file_goes_never_blocks(
    spot: str, argv: list[str], project: Path
) -> None:
    # Found by tests/test_hostile_folders.py: the bridge budget read CLAUDE.md and waited forever.
    path = project / spot
    path.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(path)
    _answers_without_blocking(argv, project)


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_a_terminal_declared_ascii_gets_the_table_not_an_internal_error(tmp_path: Path) -> None:
    """PYTHONIOENCODING=ascii on a terminal: rich writes through click's UTF-8 writer, as every
    plain line already does, instead of crashing on the plan's first check mark."""
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "200", "PYTHONIOENCODING": "ascii"}
    env.pop("NO_COLOR", None)
    assert "error" not in on_a_terminal(["init", "--example"], tmp_path, env)
    for argv in (["plan"], ["status"]):
        screen = on_a_terminal(argv, tmp_path, env)
        assert "internal error" not in screen and "Traceback" not in screen, screen
        assert "find_hvg" in screen
