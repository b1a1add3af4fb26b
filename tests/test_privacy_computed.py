"""Secrets a module's fields compute but its text never spells ("ghp_" + "...", adjacent
literals, a literal inside a call stato never runs, a module the compiler rejects): scan
reports them, snapshot and publish refuse them, --sanitize cannot hide them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from stato.core.compiler import compile_source
from stato.core.computed import secret_findings
from tests.conftest import entries

# A GitHub token made at run time, so no file of the repository spells one.
TOKEN = "ghp_" + "nGgR6MGNX2XLKr63kCxpHvS0ggOuLeh37b2B"
HEAD, TAIL = TOKEN[:10], TOKEN[10:]

SKILL = '''{imports}class Leaky:
    """A skill whose token is built, not written."""

    name = "leaky"
    {field}
{run}'''
RUN = "\n    @staticmethod\n    def run(**kwargs):\n        return kwargs\n"

# label -> (imports, the field's line, the run method); every text spells TOKEN nowhere
CASES = {
    "plus": ("", f'token = "{HEAD}" + "{TAIL}"', RUN),
    "adjacent": ("", f'token = ("{HEAD}"\n        "{TAIL}")', RUN),
    "join": ("", f'token = "".join(["{HEAD}", "{TAIL}"])', RUN),
    "call never run": ("import os\n", f'token = os.getenv("GH", "{HEAD}" + "{TAIL}")', RUN),
    "E004 rejected": ("", f'token = "{HEAD}" + "{TAIL}"', ""),
    "E005 rejected": ("", f'token = "{HEAD}" + "{TAIL}" + missing_name', RUN),
}


def _text(label: str) -> str:
    imports, field, run = CASES[label]
    text = SKILL.format(imports=imports, field=field, run=run)
    assert TOKEN not in text
    return text


@pytest.mark.parametrize("label", CASES)
def test_a_built_secret_is_found_at_its_field(label: str) -> None:
    result = compile_source(_text(label), "skills/leaky.py")
    assert result.valid == (not label.startswith("E"))
    found = secret_findings(result)
    line = (
        _text(label)
        .splitlines()
        .index(next(x for x in _text(label).splitlines() if "token =" in x))
    )
    assert [(f.pattern, f.line) for f in found] == [("github-token", line + 1)]
    assert TOKEN not in found[0].preview


@pytest.mark.parametrize("label", CASES)
def test_stato_scan_reports_it(label: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(_project(tmp_path, label))
    result = CliRunner().invoke(cli, ["scan", "--json"])
    assert result.exit_code == 1, result.output
    assert TOKEN not in result.output
    assert "github-token" in result.output


@pytest.mark.parametrize("label", [k for k in CASES if not k.startswith("E")])
def test_snapshot_refuses_it(label: str, tmp_path: Path) -> None:
    project = _project(tmp_path, label)
    out = tmp_path / "out.stato"
    before = entries(tmp_path)
    argv = ["snapshot", "--name", "x", "-o", str(out), "--path", str(project)]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1, result.output
    assert TOKEN not in result.output
    assert entries(tmp_path) == before  # no archive, the module as it was


@pytest.mark.parametrize("label", [k for k in CASES if not k.startswith("E")])
def test_sanitize_never_archives_it(label: str, tmp_path: Path) -> None:
    """A literal the text scan flags is replaced (the token is gone); one it cannot see has
    no span to replace, so the snapshot is refused."""
    from stato.adapters.archive import read_archive

    project = _project(tmp_path, label)
    out = tmp_path / "out.stato"
    argv = ["snapshot", "--name", "x", "-o", str(out), "--sanitize", "--path", str(project)]
    result = CliRunner().invoke(cli, argv)
    if result.exit_code == 0:
        text = read_archive(out).modules["skills/leaky.py"]
        assert secret_findings(compile_source(text, "skills/leaky.py")) == []
    else:
        assert result.exit_code == 1 and "github-token" in result.output
        assert not out.exists()


def test_publish_refuses_an_archive_that_builds_one(tmp_path: Path) -> None:
    project = _project(tmp_path, "adjacent")  # a text the text scan finds nothing in
    archive = tmp_path / "forced.stato"
    forced = ["snapshot", "--name", "x", "--force", "-o", str(archive), "--path", str(project)]
    assert CliRunner().invoke(cli, forced).exit_code == 0  # --force skips the scan, by the spec
    registry = tmp_path / "registry"
    result = CliRunner().invoke(cli, ["registry", "publish", str(archive), "--to", str(registry)])
    assert result.exit_code == 1
    assert "github-token" in result.stderr and TOKEN not in result.stderr
    assert not registry.exists() or not any(registry.glob("*.stato"))


def test_a_plain_project_has_no_computed_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(tmp_path)]).exit_code == 0
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["scan", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["findings"] == []


def _project(tmp_path: Path, label: str) -> Path:
    project = tmp_path / "p"
    assert CliRunner().invoke(cli, ["init", "--path", str(project)]).exit_code == 0
    (project / ".stato" / "skills" / "leaky.py").write_text(_text(label), encoding="utf-8")
    return project
