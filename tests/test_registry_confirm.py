"""`stato registry install` of a newer version asks before it changes installed modules: yes
installs, no and end-of-input (^D) change nothing, no terminal to ask on refuses; and an empty
search is a usage error. A real HTTP registry on 127.0.0.1, a real pseudo-terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from tests.conftest import entries
from tests.test_registry_http import make_archive, serve, skill

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
PROMPT = b"Install these changes?"


def _publish(archive: Path, folder: Path, version: str) -> None:
    argv = ["registry", "publish", str(archive), "--to", str(folder), "--version", version]
    result = CliRunner().invoke(cli, [*argv, "--author", "t"])
    assert result.exit_code == 0, result.output


@pytest.fixture
def update(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, str]]:
    """A project with qc-kit 1.0.0 installed, and 2.0.0 (another lesson) now published."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "site" / "registry"
    old = make_archive(tmp_path / "v1.stato", "qc-kit", {"qc": skill("Qc", "qc", ["qc"], "old")})
    _publish(old, folder, "1.0.0")
    server, address = serve(folder.parent)
    url = address + "registry"
    project = tmp_path / "proj"
    result = CliRunner().invoke(
        cli, ["registry", "install", "qc-kit", "--path", str(project), "--registry", url]
    )
    assert result.exit_code == 0, result.output
    assert "- old" in (project / ".stato" / "skills" / "qc.py").read_text()
    new = make_archive(tmp_path / "v2.stato", "qc-kit", {"qc": skill("Qc", "qc", ["qc"], "new")})
    _publish(new, folder, "2.0.0")
    yield project, url
    server.shutdown()
    server.server_close()


def _asked(project: Path, url: str, answer: bytes) -> tuple[int, str]:
    """Install on a terminal, answer the prompt with ``answer``; (exit code, screen)."""
    import pty

    leader, follower = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "TERM": "xterm-256color"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "stato", "registry", "install", "qc-kit", "--registry", url],
        stdin=follower, stdout=follower, stderr=follower, cwd=project, env=env,
    )  # fmt: skip
    os.close(follower)
    screen, answered = b"", False
    try:
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            assert ready, f"no output for 60 s: {screen!r}"  # a hang guard, not a timing check
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            screen += data
            if not answered and PROMPT in screen:
                os.write(leader, answer)
                answered = True
    finally:
        code = proc.wait(timeout=60)
        os.close(leader)
    assert answered, screen
    return code, screen.decode("utf-8", "replace").replace("\r", "")


def _skill(project: Path) -> str:
    return (project / ".stato" / "skills" / "qc.py").read_text()


def test_yes_installs_the_update(update: tuple[Path, str]) -> None:
    project, url = update
    code, screen = _asked(project, url, b"y\n")
    assert code == 0, screen
    assert "- new" in _skill(project) and "lessons_learned" in screen  # the diff was shown
    assert "2.0.0" in (project / ".stato" / "stato.lock").read_text(), screen
    # The download's bar is gone before the diff and the question: no redraw over them.
    asked = screen[screen.index("Updating qc-kit") :]
    assert "downloading" not in asked and "\x1b[2K" not in asked, asked


@pytest.mark.parametrize("answer", [b"n\n", b"\n", b"\x04"], ids=["no", "default", "eof"])
def test_no_or_end_of_input_changes_nothing(update: tuple[Path, str], answer: bytes) -> None:
    project, url = update
    before = entries(project)
    code, screen = _asked(project, url, answer)
    assert "Traceback" not in screen and "internal error" not in screen, screen
    if answer == b"\x04":  # end of input is no answer: click's abort, as ^C at the prompt
        assert code == 130 and "Aborted" in screen, (code, screen)
    else:
        assert code == 1 and "nothing was written" in screen, (code, screen)
    assert entries(project) == before, screen


def test_no_terminal_to_ask_on_refuses(update: tuple[Path, str]) -> None:
    project, url = update
    before = entries(project)
    result = CliRunner().invoke(
        cli, ["registry", "install", "qc-kit", "--path", str(project), "--registry", url]
    )
    assert result.exit_code == 1, result.output
    assert "--yes" in result.stderr and "nothing was written" in result.stderr, result.stderr
    assert entries(project) == before
    result = CliRunner().invoke(
        cli, ["registry", "install", "qc-kit", "--path", str(project), "--registry", url, "--yes"]
    )
    assert result.exit_code == 0, result.output
    assert "- new" in _skill(project)


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_is_a_usage_error(tmp_path: Path, query: str) -> None:
    result = CliRunner().invoke(cli, ["registry", "search", query, "--registry", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "keyword" in result.stderr, result.output
