"""`stato crystallize`: the prompts are package data, teach valid modules, and are saved safely."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stato.core.compiler import compile_source
from stato.ops.crystallize import prompt_text
from stato.ops.init import init_project

_PY_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path)
    return tmp_path


def test_saves_the_packaged_prompt(project: Path, run: Callable[..., Result]) -> None:
    out = run("crystallize")
    assert out.exit_code == 0
    saved = project / ".stato" / "prompts" / "crystallize.md"
    assert saved.read_text("utf-8") == prompt_text(False)
    assert "Read and follow .stato/prompts/crystallize.md" in out.output
    assert "Already current" in run("crystallize").output


def test_an_edited_prompt_is_kept_before_it_is_replaced(
    project: Path, run: Callable[..., Result]
) -> None:
    saved = project / ".stato" / "prompts" / "crystallize.md"
    saved.parent.mkdir(parents=True, exist_ok=True)
    saved.write_text("my own tuned prompt\n", "utf-8")
    out = run("crystallize")
    assert "Updated" in out.output and "previous copy" in out.output
    kept = list((project / ".stato" / ".history" / "prompts").glob("crystallize.md.*"))
    assert [k.read_text("utf-8") for k in kept] == ["my own tuned prompt\n"]


def test_web_prints_only_the_prompt_on_stdout(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "crystallize", "--web"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    assert proc.stdout == prompt_text(True)
    assert "import-bundle" in proc.stderr
    assert (project / ".stato" / "prompts" / "crystallize_web.md").read_text("utf-8") == proc.stdout
    assert not (project / ".stato" / "prompts" / "crystallize.md").exists()


def test_json_is_one_document_with_the_prompt(project: Path, run: Callable[..., Result]) -> None:
    import json

    for web in (False, True):
        out = run("crystallize", "--json", *(["--web"] if web else []))
        assert out.exit_code == 0
        doc = json.loads(out.stdout)  # one document: the notes for people are not printed
        name = "crystallize_web.md" if web else "crystallize.md"
        assert doc["path"] == f".stato/prompts/{name}" and doc["web"] is web
        assert doc["status"] == "created" and doc["prompt"] == prompt_text(web)


def test_print_shows_the_prompt(project: Path, run: Callable[..., Result]) -> None:
    out = run("crystallize", "--print")
    assert out.stdout == prompt_text(False)


@pytest.mark.parametrize("flags", [["--print"], ["--web"], ["--json"]])
def test_a_folder_without_a_project_becomes_one(
    flags: list[str], tmp_path: Path, run: Callable[..., Result]
) -> None:
    # cli-guide: crystallize "saves a prompt to .stato/prompts/crystallize.md"; like import and
    # import-bundle it makes the project there first (it was "no .stato/ project", exit 1).
    folder = tmp_path / "fresh"
    folder.mkdir()
    out = run("crystallize", *flags, "--path", str(folder))
    assert out.exit_code == 0, out.output
    name = "crystallize_web.md" if "--web" in flags else "crystallize.md"
    saved = (folder / ".stato" / "prompts" / name).read_text("utf-8")
    assert saved == prompt_text("--web" in flags)
    assert (folder / ".stato" / "skills").is_dir() and (folder / ".statoignore").is_file()
    if "--json" in flags:
        import json

        assert json.loads(out.stdout)["prompt"] == saved  # the note went to stderr
    else:
        assert out.stdout == saved


def test_every_example_in_the_prompt_is_a_valid_module_of_each_type() -> None:
    text = prompt_text(False)
    types = []
    for block in _PY_BLOCK.findall(text):
        result = compile_source(block, "example.py")
        assert result.valid, (block[:60], result.errors)
        assert not [d for d in result.diagnostics if d.severity == "warning"], result.diagnostics
        types.append(result.module_type)
    assert sorted(types) == ["context", "memory", "plan", "protocol", "skill"]


def test_the_prompt_teaches_what_the_issue_asks() -> None:
    text = prompt_text(False)
    for needle in (
        "specific",
        "conditional",
        "measured",
        "stato validate .stato/",
        "stato write",
        "stato bridge",
        "E003",
        "E010",
        '"pending"',
        '"running"',
        '"complete"',
        '"failed"',
        '"blocked"',
        "depends_on",
        "decision_log",
        "lessons_learned",
        "default_params",
        "known_issues",
        "conventions",
        "handoff_schema",
    ):
        assert needle in text, needle


def test_the_web_prompt_shows_a_bundle_that_parses_and_validates() -> None:
    text = prompt_text(True)
    assert "stato_bundle.py" in text and "stato import-bundle" in text
    (block,) = _PY_BLOCK.findall(text)
    tree = ast.parse(block)
    names = [
        t.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    ]
    assert names == ["SKILLS", "PLAN", "MEMORY", "CONTEXT"]
    from stato.formats.bundle import parse_bundle

    bundle = parse_bundle(block)
    assert not bundle.refused
    assert sorted(e.module_type for e in bundle.entries) == ["context", "memory", "plan", "skill"]
    for entry in bundle.entries:
        result = compile_source(entry.source, entry.rel, expected_type=entry.module_type)
        assert result.valid, (entry.key, result.errors)
