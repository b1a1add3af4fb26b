"""stato_bundle.py: parsed with ast only; each module gated; refused ones reported, not written."""

from __future__ import annotations

import json
import keyword
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import given
from hypothesis import strategies as st

from stato.formats.bundle import BundleError, parse_bundle, safe_stem

DATA = Path(__file__).parent / "data" / "convert" / "bundle"
GOOD = DATA / "stato_bundle.py"
BROKEN = DATA / "broken_bundle.py"


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (to prove nothing changed)."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    assert run("init").exit_code == 0
    return tmp_path


# -- the reader --------------------------------------------------------------------------


def test_parse_good_bundle_maps_every_variable_to_its_path() -> None:
    bundle = parse_bundle(GOOD.read_bytes(), GOOD.name)
    assert [(e.key, e.module_type, e.rel) for e in bundle.entries] == [
        ("SKILLS['qc_filtering']", "skill", "skills/qc_filtering.py"),
        ("SKILLS['normalize']", "skill", "skills/normalize.py"),
        ("PLAN", "plan", "plan.py"),
        ("MEMORY", "memory", "memory.py"),
        ("CONTEXT", "context", "context.py"),
    ]
    assert bundle.problems == ()
    plan = bundle.entries[2].source
    assert plan.startswith("class AnalysisPlan:\n")
    assert plan.endswith('decision_log = "Chose scran over log-normalize."\n')


def test_indented_sources_are_dedented_and_protocols_are_read() -> None:
    text = (
        'PROTOCOLS = {"handoff": """\n    class HandoffProtocol:\n        name = "h"\n'
        '        handoff_schema = {"required": []}\n    """}\n'
        "PROTOCOL: str = \"class OneProtocol:\\n    name = 'one'\\n    handoff_schema = {}\\n\"\n"
    )
    bundle = parse_bundle(text)
    assert [(e.rel, e.module_type) for e in bundle.entries] == [
        ("protocols/handoff.py", "protocol"),
        ("protocol.py", "protocol"),
    ]
    assert bundle.entries[0].source.startswith("class HandoffProtocol:\n    name")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('PLAN = f"class {x}: pass"\n', "PLAN is an f-string"),
        ("PLAN = 'class A:' + '\\n pass'\n", "PLAN is a BinOp"),
        ("PLAN = make_plan()\n", "PLAN is a call"),
        ("CONTEXT = OTHER\n", "the name 'OTHER'"),
        ("SKILLS = dict(a='x')\n", "SKILLS is a call, not a dict"),
        ("SKILLS = {'a': open('x').read()}\n", "SKILLS['a'] is a call"),
        ("SKILLS = {1: 'class A: pass'}\n", "key that is not a non-empty string"),
        ("Skills = {'a': 'class A: pass'}\n", "did you mean SKILLS?"),
        ("SKILL = {'a': 'class A: pass'}\n", "did you mean SKILLS?"),
        ("SKILLS = {'QC': 'class A: pass', 'qc': 'class B: pass'}\n", "both go to skills/qc.py"),
        ("PLAN = 'class A: pass'\nPLAN = 'class B: pass'\n", "assigned twice (lines 1 and 2)"),
    ],
)
def test_anything_but_a_plain_string_literal_is_refused(text: str, fragment: str) -> None:
    bundle = parse_bundle(text)
    assert any(p.severity == "error" and fragment in p.message for p in bundle.problems), (
        bundle.problems
    )


def test_other_statements_are_ignored_as_warnings_with_their_line() -> None:
    bundle = parse_bundle(
        '"""doc"""\nimport os\nos.system("x")\nNOTES = "hi"\nPLAN = "class P: pass"\n'
    )
    assert [(p.severity, p.line) for p in bundle.problems] == [
        ("warning", 2),
        ("warning", 3),
        ("warning", 4),
    ]
    assert "call" in bundle.problems[1].message
    assert [e.key for e in bundle.entries] == ["PLAN"]


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"SKILLS = {\n", "not valid Python"),
        (b"PLAN = '\xff\xfe'", "not UTF-8"),
        (b"# only a comment\n", "carries no module"),
        (b"PLAN = " + b"-" * 200_000 + b"1", "cannot be parsed"),
        (b"PLAN = 'x'\x00", "not valid Python|cannot be parsed"),
        (b"x = (" * 200_000, "not valid Python|cannot be parsed"),
    ],
)
def test_unreadable_bundles_raise_one_clear_error(data: bytes, fragment: str) -> None:
    with pytest.raises(BundleError, match=fragment):
        parse_bundle(data)


@given(st.text(max_size=80))
def test_safe_stem_is_a_safe_snake_case_file_stem(name: str) -> None:
    stem = safe_stem(name)
    assert re.fullmatch(r"[a-z][a-z0-9_]*", stem)
    assert len(stem) <= 64 + len("_skill")
    assert not keyword.iskeyword(stem) and stem not in {"con", "nul", "aux", "prn"}
    assert safe_stem(stem) == stem


def test_safe_stem_examples() -> None:
    assert safe_stem("PDF Processing") == "pdf_processing"
    assert safe_stem("qualityControl") == "quality_control"
    assert safe_stem("../../etc/passwd") == "etc_passwd"
    assert safe_stem("3d-render") == "skill_3d_render"
    assert safe_stem("class") == "class_skill"
    assert safe_stem("Ünïcödé") == "unicode"


# -- hostile input -------------------------------------------------------------------------


def hostile(marker: Path) -> str:
    m = str(marker)
    return f'''"""Looks like a bundle; every line of code in it would create {m} if run."""
import os
os.system("touch {m}")
open({m!r}, "w").write("ran")
__import__("pathlib").Path({m!r}).touch()

def helper(x=open({m!r}, "a")):
    return x

class Meta(type, metaclass=print):
    pass

@open({m!r}, "a").close
def decorated():
    pass

SKILLS = {{"evil": __import__("os").system("touch {m}"), "fine": """
class Fine:
    \\"\\"\\"Fine skill.\\"\\"\\"
    name = "fine"
    side_effect = open({m!r}, "w")

    @staticmethod
    def run(**kwargs: object) -> dict[str, object]:
        open({m!r}, "w")
        return kwargs
"""}}
PLAN = (lambda: open({m!r}, "w"))()
if True:
    open({m!r}, "w")
'''


def test_hostile_bundle_runs_nothing_when_parsed(tmp_path: Path) -> None:
    marker = tmp_path / "MARKER"
    bundle = parse_bundle(hostile(marker))
    assert not marker.exists()
    assert [e.key for e in bundle.entries] == ["SKILLS['fine']"]
    assert sum(p.severity == "error" for p in bundle.problems) == 2  # evil, PLAN


def test_hostile_bundle_runs_nothing_when_imported(
    project: Path, run: Callable[..., Result]
) -> None:
    marker = project / "MARKER"
    (project / "stato_bundle.py").write_text(hostile(marker), encoding="utf-8")
    result = run("import-bundle", "stato_bundle.py", "--no-bridge")
    assert not marker.exists()
    assert result.exit_code == 1  # two refused entries
    assert (project / ".stato/skills/fine.py").is_file()
    assert not (project / ".stato/skills/evil.py").exists()


def test_hostile_bundle_in_a_real_process(project: Path) -> None:
    marker = project / "MARKER"
    (project / "stato_bundle.py").write_text(hostile(marker), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "import-bundle", "stato_bundle.py", "--dry-run"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1, proc.stderr
    assert not marker.exists()
    assert "ignored a top-level import" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- the command ---------------------------------------------------------------------------


def test_import_writes_every_valid_module_with_fixes_and_a_bridge(
    project: Path, run: Callable[..., Result]
) -> None:
    result = run("import-bundle", str(GOOD))
    assert result.exit_code == 0, result.output
    stato = project / ".stato"
    for rel in (
        "skills/qc_filtering.py",
        "skills/normalize.py",
        "plan.py",
        "memory.py",
        "context.py",
    ):
        assert (stato / rel).is_file(), rel
    normalize = (stato / "skills/normalize.py").read_text()
    assert 'depends_on = ["qc_filtering"]' in normalize and 'version = "1.1.0"' in normalize
    assert '"status": "pending"' in (stato / "plan.py").read_text()  # W004 fixed on disk
    assert (project / "CLAUDE.md").is_file()
    assert "Wrote bridge CLAUDE.md" in result.output
    validate = run("validate", ".stato", "--check")
    assert validate.exit_code == 0, validate.output


def test_second_import_changes_nothing(project: Path, run: Callable[..., Result]) -> None:
    assert run("import-bundle", str(GOOD)).exit_code == 0
    before = tree(project)
    result = run("import-bundle", str(GOOD), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert {m["status"] for m in data["modules"]} == {"unchanged"}
    assert tree(project) == before


def test_refused_modules_are_reported_and_the_others_written(
    project: Path, run: Callable[..., Result]
) -> None:
    result = run("import-bundle", str(BROKEN), "--no-bridge")
    assert result.exit_code == 1
    stato = project / ".stato"
    assert (stato / "skills/good.py").is_file()
    assert not (stato / "skills/no_run.py").exists()
    assert not (stato / "plan.py").exists()
    assert "E004" in result.stderr and "E009" in result.stderr
    assert "MEMORY is a BinOp" in result.stderr
    assert not (project / "CLAUDE.md").exists()


def test_dry_run_writes_nothing_and_lists_what_would_be_written(
    project: Path, run: Callable[..., Result]
) -> None:
    before = tree(project)
    result = run("import-bundle", str(GOOD), "--dry-run", "--platform", "all")
    assert result.exit_code == 0
    assert tree(project) == before
    assert result.output.count("would be created") == 5
    assert "Dry run: nothing was written." in result.output


def test_json_is_one_document_with_diagnostics(project: Path, run: Callable[..., Result]) -> None:
    result = run("import-bundle", str(BROKEN), "--json", "--dry-run")
    data = json.loads(result.stdout)
    assert data["ok"] is False
    refused = {m["key"]: m for m in data["modules"] if m["status"] == "refused"}
    assert set(refused) == {"SKILLS['no_run']", "PLAN"}
    assert "E009" in [d["code"] for d in refused["PLAN"]["diagnostics"]]


def test_existing_skill_with_same_name_is_updated_in_place(
    project: Path, run: Callable[..., Result]
) -> None:
    old = project / ".stato/skills/qc.py"
    old.write_text(
        'class QC:\n    """Old."""\n    name = "qc_filtering"\n\n'
        "    @staticmethod\n    def run(**kwargs: object) -> object:\n"
        "        return kwargs\n"
    )
    assert run("import-bundle", str(GOOD), "--no-bridge").exit_code == 0
    assert not (project / ".stato/skills/qc_filtering.py").exists()
    assert "max_pct_mito" in old.read_text()
    assert len(list((project / ".stato/.history").rglob("qc.*.py"))) == 1
    assert run("validate", ".stato", "--check").exit_code == 0


def test_unknown_platform_fails_before_anything_is_written(
    project: Path, run: Callable[..., Result]
) -> None:
    before = tree(project)
    result = run("import-bundle", str(GOOD), "--platform", "emacs")
    assert result.exit_code == 2
    assert "unknown platform 'emacs'" in result.stderr
    assert tree(project) == before


def test_a_bundle_that_only_builds_its_dict_in_statements_is_one_error(
    project: Path, run: Callable[..., Result]
) -> None:
    bundle = project / "stato_bundle.py"
    bundle.write_text('SKILLS = {}\nSKILLS["qc"] = """class Q:\n    name = \'qc\'\n"""\n')
    before = tree(project)
    result = run("import-bundle", str(bundle))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "no module could be imported" in errors[0]
    assert tree(project) == before


def test_all_platforms_write_every_bridge(project: Path, run: Callable[..., Result]) -> None:
    result = run("import-bundle", str(GOOD), "--platform", "all", "--json")
    assert result.exit_code == 0
    written = json.loads(result.output)["bridges"]
    assert {"AGENTS.md", "CLAUDE.md", "README.stato.md"} <= set(written)


def test_outside_a_project_makes_one_and_a_missing_file_is_one_error(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    result = run("import-bundle", str(GOOD), "--no-bridge")
    assert result.exit_code == 0 and (tmp_path / ".stato" / "plan.py").is_file()
    result = run("import-bundle", "missing.py")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: no file at missing.py")
    assert "Traceback" not in result.output


def test_two_bundle_skills_with_one_name_refuse_the_second(
    project: Path, run: Callable[..., Result]
) -> None:
    skill = (
        'class S:\n    """S."""\n    name = "qc"\n\n    @staticmethod\n'
        "    def run(**kwargs: object) -> object:\n        return kwargs\n"
    )
    text = f"SKILLS = {{'qc': {skill!r}, 'qc_again': {skill!r}}}\n"
    (project / "b.py").write_text(text, encoding="utf-8")
    result = run("import-bundle", "b.py", "--no-bridge")
    assert result.exit_code == 1
    assert "E011" in result.stderr and "SKILLS['qc']" in result.stderr
    assert (project / ".stato/skills/qc.py").is_file()
    assert not (project / ".stato/skills/qc_again.py").exists()
    assert run("validate", ".stato", "--check").exit_code == 0


def test_a_bundle_pasted_with_its_markdown_fence_is_read(tmp_path: Path) -> None:
    text = (
        "Here is your bundle:\n\n```python\n"
        + GOOD.read_text(encoding="utf-8")
        + "```\n\nI captured two skills and left out the plots.\n"
    )
    bundle = parse_bundle(text)
    assert len(bundle.entries) == 5
    (note,) = bundle.problems
    assert note.severity == "warning" and note.line == 3 and "Markdown fence" in note.message
    assert bundle.entries[2].line == parse_bundle(GOOD.read_text()).entries[2].line + 3


def test_the_web_prompt_example_is_a_bundle_that_imports_cleanly(
    project: Path, run: Callable[..., Result]
) -> None:
    """The crystallize --web prompt and this reader must agree on the format."""
    from importlib.resources import files

    prompt = (files("stato.data") / "prompts" / "crystallize_web.md").read_text("utf-8")
    example = re.search(r"```python\n(.*?)^```", prompt, re.S | re.M)
    assert example is not None
    bundle = parse_bundle(example.group(1))
    assert bundle.problems == ()
    assert {e.module_type for e in bundle.entries} == {"skill", "plan", "memory", "context"}
    (project / "stato_bundle.py").write_text(example.group(1), encoding="utf-8")
    result = run("import-bundle", "stato_bundle.py")
    assert result.exit_code == 0, result.output + result.stderr


def test_a_bundle_skill_never_overwrites_another_skill(
    project: Path, run: Callable[..., Result]
) -> None:
    other = project / ".stato/skills/normalize.py"
    text = (
        'class Other:\n    """Other."""\n    name = "scaling"\n\n    @staticmethod\n'
        "    def run(**kwargs: object) -> object:\n        return kwargs\n"
    )
    other.write_text(text)
    result = run("import-bundle", str(GOOD), "--json", "--no-bridge")
    assert result.exit_code == 0
    paths = {m["key"]: m["path"] for m in json.loads(result.output)["modules"]}
    assert paths["SKILLS['normalize']"] == "skills/normalize_2.py"
    assert other.read_text() == text
    assert run("validate", ".stato", "--check").exit_code == 0


def test_auto_corrections_are_shown(project: Path, run: Callable[..., Result]) -> None:
    result = run("import-bundle", str(GOOD), "--dry-run")
    assert "skills/normalize.py: W003" in result.output
    assert "plan.py: W004" in result.output
