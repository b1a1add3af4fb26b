"""Honest exits: 0 ok, 1 findings or user error, 2 usage, 3 internal error (with a crash
report), 130 interrupted, 141 stdout closed early; each path says one line at most."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from tests.conftest import entries


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(root)]).exit_code == 0
    return root


def stato(*argv: str | bytes, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "stato", *argv],
        capture_output=True, cwd=cwd, check=False, timeout=120,
    )  # fmt: skip


NOT_UTF8 = [
    ["plan", "add", b"\xff\xfe a step"],
    ["plan", "done", "5", "-o", b"caf\xe9"],
    ["memory", "set", "phase", b"\xff"],
    ["memory", "add-issue", b"k\xff", "text"],
    ["lesson", "add", "qc_filtering", b"caf\xe9 lesson"],
    ["validate", b"\xff.py"],
]


@pytest.mark.skipif(os.name != "posix", reason="argv bytes are a POSIX matter")
@pytest.mark.parametrize("argv", NOT_UTF8, ids=lambda a: " ".join(map(str, a[:2])))
def test_an_argument_that_is_not_utf8_is_a_usage_error_and_writes_nothing(
    argv: list[str | bytes], project: Path
) -> None:
    before = entries(project)
    proc = stato(*argv, cwd=project)
    assert proc.returncode == 2, proc.stderr
    err = proc.stderr.decode().splitlines()
    assert len(err) == 1 and err[0].startswith("error: argument ") and "not valid UTF-8" in err[0]
    assert entries(project) == before
    assert stato("status", cwd=project).returncode == 0  # and every later command still works


def test_a_surrogate_in_an_argument_is_refused_in_process_too(project: Path) -> None:
    os.chdir(project)
    result = CliRunner().invoke(cli, ["memory", "set", "phase", "\udcff"])
    assert result.exit_code == 2 and result.stderr.startswith("error: argument 4")


@pytest.mark.skipif(os.name != "posix", reason="pipes and SIGPIPE are POSIX")
@pytest.mark.parametrize("argv", [["status"], ["status", "--json"], ["resume"], ["plan"]])
def test_a_closed_stdout_ends_quietly(argv: list[str], project: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before stato writes a byte, as with `| head -0`
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "stato", *argv],
            stdout=write, stderr=subprocess.PIPE, cwd=project, check=False, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    assert proc.stderr == b""  # no "error: Broken pipe", no "Exception ignored"
    assert proc.returncode == 141


INJECT = """
import sys
import stato.ops.project as project
def boom(*args, **kwargs):
    raise {exc}("a planted {exc}")
project.load_project = boom
project.find_root = boom
from stato.cli import main
sys.argv = ["stato", *sys.argv[1:]]
main()
"""


def test_an_internal_error_is_exit_3_with_a_crash_report_outside_the_project(
    project: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "user-cache"
    env = {**os.environ, "STATO_CACHE_DIR": str(cache)}
    before = entries(project)
    code = INJECT.format(exc="ZeroDivisionError")
    proc = subprocess.run(
        [sys.executable, "-c", code, "status"],
        capture_output=True, text=True, cwd=project, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith("error: internal error (a bug in stato): ZeroDivisionError")
    assert "Traceback" not in proc.stderr
    (report,) = (cache / "crash").iterdir()
    assert str(report) in line
    text = report.read_text()
    assert "Traceback" in text and "a planted ZeroDivisionError" in text and "stato status" in text
    assert entries(project) == before  # never inside the project
    debug = subprocess.run(
        [sys.executable, "-c", code, "--debug", "status"],
        capture_output=True, text=True, cwd=project, env=env, check=False, timeout=120,
    )  # fmt: skip
    assert "Traceback" in debug.stderr and debug.returncode not in (0, 2, 3)


def test_an_interrupt_is_exit_130(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", INJECT.format(exc="KeyboardInterrupt"), "status"],
        capture_output=True, text=True, cwd=project, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 130
    # click ends the ^C line with a newline first, as a terminal shows "^C"
    assert [line for line in proc.stderr.splitlines() if line] in (["Interrupted."], ["Aborted."])


@pytest.mark.parametrize("name", ["my qc.py", "qc_é.py", "qc-ü x.py"])
@pytest.mark.parametrize("command", ["snapshot", "slice"])
def test_snapshot_refuses_a_module_path_import_would_refuse(
    name: str, command: str, project: Path, tmp_path: Path
) -> None:
    # issue 10: snapshot said "Wrote ..." (exit 0) and import then called the archive damaged
    skills = project / ".stato" / "skills"
    (skills / name).write_text((skills / "qc.py").read_text().replace("qc_filtering", "other"))
    out = tmp_path / "out.stato"
    argv = (
        ["snapshot", "--name", "x", "--force"]
        if command == "snapshot"
        else ["slice", "--module", f"skills/{name}", "--force"]
    )
    os.chdir(project)
    result = CliRunner().invoke(cli, [*argv, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(f"error: cannot archive .stato/skills/{name}: an unusual")
    assert not out.exists()


# Naming something the project (or the disk, or an archive) does not hold is a user error,
# exit 1: the command line was well formed, the thing was not there. Exit 2 is for a command
# line that is wrong whatever the project holds (an unknown flag, a value outside a fixed
# set such as --type nosuch, --to 0, a memory field the schema does not have).
MISSING = {
    "skill": ["lesson", "add", "nosuch", "a lesson"],
    "step": ["plan", "done", "99"],
    "step to depend on": ["plan", "add", "x", "--after", "99"],
    "module history": ["history", "skills/nosuch.py"],
    "module rollback": ["rollback", "skills/nosuch.py"],
    "backup": ["rollback", "skills/qc.py", "--to", "99"],
    "module diff": ["diff", "skills/nosuch.py"],
    "module slice": ["slice", "--module", "skills/nosuch", "-o", "{tmp}/o.stato"],
    "module snapshot": ["snapshot", "--name", "x", "--module", "skills/nosuch", "-o", "{tmp}/o.stato"],
    "archive inspect": ["inspect", "{tmp}/nosuch.stato"],
    "archive import": ["import", "{tmp}/nosuch.stato"],
    "archive graft": ["graft", "{tmp}/nosuch.stato", "--module", "skills/qc"],
    "archive publish": ["registry", "publish", "{tmp}/nosuch.stato", "--to", "{tmp}/reg"],
    "archive merge": ["merge", "{tmp}/nosuch.stato", "{tmp}/nosuch.stato", "-o", "{tmp}/o.stato"],
    "module in archive": ["graft", "{tmp}/a.stato", "--module", "skills/nosuch"],
    "source file": ["write", "skills/x.py", "--from", "{tmp}/nosuch.py"],
    "file validate": ["validate", "{tmp}/nosuch.py"],
}  # fmt: skip


@pytest.mark.parametrize("argv", MISSING.values(), ids=MISSING.keys())
def test_naming_what_does_not_exist_is_exit_1_and_changes_nothing(
    argv: list[str], project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    runner = CliRunner()
    assert (
        runner.invoke(cli, ["lesson", "add", "qc_filtering", "a backup to roll back"]).exit_code
        == 0
    )
    snap = ["snapshot", "--name", "a", "--force", "-o", str(tmp_path / "a.stato")]
    assert runner.invoke(cli, snap).exit_code == 0
    before = entries(tmp_path)
    result = runner.invoke(cli, [a.replace("{tmp}", str(tmp_path)) for a in argv])
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
    assert entries(tmp_path) == before


def test_a_backup_number_below_1_is_a_usage_error(project: Path) -> None:
    result = CliRunner().invoke(
        cli, ["rollback", "skills/qc.py", "--to", "0", "--path", str(project)]
    )
    assert result.exit_code == 2 and result.stderr.startswith("error: --to 0 ")
