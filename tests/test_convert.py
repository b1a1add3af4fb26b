"""stato convert: instruction files and SKILL.md become valid modules, merged without clobbering."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stato.cli.commands.convert import KINDS
from stato.core.compiler import compile_source
from stato.core.render import render_module
from stato.formats.convert import BY_KIND, CONVERTERS, convert_text, converter_for

DATA = Path(__file__).parent / "data" / "convert"
FIXTURES = {
    "claude": DATA / "claude/CLAUDE.md",
    "agents": DATA / "agents/AGENTS.md",
    "cursorrules": DATA / "cursorrules/.cursorrules",
    "cursor-mdc": DATA / "cursor/.cursor/rules/react-components.mdc",
    "skill": DATA / "skills/pdf-processing/SKILL.md",
    "gemini": DATA / "gemini/GEMINI.md",
    "copilot": DATA / "copilot/.github/copilot-instructions.md",
    "windsurf": DATA / "windsurf/.windsurfrules",
    "cline": DATA / "cline/.clinerules",
    "kiro": DATA / "kiro/.kiro/steering/api.md",
    "qwen": DATA / "qwen/QWEN.md",
    "conventions": DATA / "conventions/CONVENTIONS.md",
}


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def drafts(kind: str, path: Path | None = None, hint: str = "proj") -> dict[str, dict]:
    path = path or FIXTURES[kind]
    conversion = convert_text(path.read_text(encoding="utf-8"), path.name, kind, hint)
    return {d.rel: d.fields for d in conversion.drafts}


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    assert run("init").exit_code == 0
    return tmp_path


# -- the table -----------------------------------------------------------------------------


def test_every_converter_row_has_a_fixture_is_detected_and_is_offered_by_the_cli() -> None:
    assert set(FIXTURES) == set(BY_KIND) == set(KINDS)
    assert len({c.kind for c in CONVERTERS}) == len(CONVERTERS)
    for kind, path in FIXTURES.items():
        found = converter_for(path)
        assert found is not None and found.kind == kind, path


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_every_fixture_converts_to_modules_that_validate(kind: str) -> None:
    path = FIXTURES[kind]
    conversion = convert_text(path.read_text(encoding="utf-8"), path.name, kind, "proj")
    assert conversion.drafts
    for draft in conversion.drafts:
        source = render_module(
            draft.class_name, draft.fields, draft.docstring, draft.methods_source
        )
        result = compile_source(source, draft.rel)
        assert result.valid, (draft.rel, result.errors)
        assert result.module_type == draft.module_type
        assert not [d for d in result.diagnostics if d.severity == "warning"], result.diagnostics


# -- what each kind yields -------------------------------------------------------------------


def test_claude_md_sections_become_conventions_memory_and_notes() -> None:
    out = drafts("claude")
    context, memory = out["context.py"], out["memory.py"]
    assert context["description"].startswith("Acme Billing is a TypeScript monorepo")
    conventions = context["conventions"]
    assert "Build & Test: `pnpm test` (run the unit tests (vitest))" in conventions
    assert (
        "Code Style: Money is always an integer number of cents (`amountCents`), never a "
        "float \u2014 Format for display only at the edge, with `formatMoney()`"
    ) in conventions
    assert "Architecture: `packages/core` \u2014 Domain model and invoice maths" in conventions
    # A gotchas section is lessons: a skill's lessons_learned, not a rule of the context.
    assert "Stripe webhooks arrive out of order" in out["skills/gotchas.py"]["lessons_learned"]
    assert not any("Stripe webhooks arrive" in c for c in conventions)
    assert "The API lives in `apps/api`" in context["notes"]
    assert "This file gives Claude Code" not in repr(context)
    assert context["completed_tasks"] == ["Upgrade to Next.js 15"]
    assert memory["tasks"] == [
        "Move PDF rendering to a queue worker",
        "Replace moment.js with date-fns in `apps/web`",
    ]
    # The whole item is kept, its bold label included; the key is made from the label.
    assert "`invoice-pdf.spec.ts` times out" in memory["known_issues"]["flaky_e2e"]
    assert len(memory["known_issues"]) == 2


def test_agents_md_status_and_next_steps_become_memory() -> None:
    out = drafts("agents")
    assert out["context.py"]["project"] == "proj"  # "Repository Guidelines" names no project
    assert out["memory.py"]["phase"] == "Migrating the tile cache from Redis to SQLite."
    assert len(out["memory.py"]["tasks"]) == 2
    assert (
        "Commit & Pull Request Guidelines: Reference the issue (`Fixes #123`) in the PR description"
    ) in out["context.py"]["conventions"]


def test_cursorrules_plain_lines_label_the_lists_below_them() -> None:
    context = drafts("cursorrules")["context.py"]
    assert context["description"].startswith("You are an expert in Python, FastAPI")
    assert len(context["conventions"]) == 10
    assert context["conventions"][0].startswith("Key Principles: Write concise")
    assert "Key Principles" not in context.get("notes", "")


def test_mdc_rules_are_scoped_by_their_globs() -> None:
    context = drafts("cursor-mdc")["context.py"]
    scope = "[apps/web/**/*.tsx, packages/ui/**/*.tsx] "
    assert all(c.startswith(scope) for c in context["conventions"])
    assert (
        scope + "Testing: Test behaviour with Testing Library queries by role, not by test id"
        in context["conventions"]
    )
    assert context["project"] == "proj"
    assert "Conventions for React components" in context["notes"]


def test_mdc_with_unquoted_glob_star_is_read_line_by_line(tmp_path: Path) -> None:
    rule = tmp_path / "ts.mdc"
    rule.write_text(
        "---\ndescription: TS rules\nglobs: *.ts,*.tsx\nalwaysApply: false\n---\n"
        "- Prefer `type` over `interface`\n",
        encoding="utf-8",
    )
    conversion = convert_text(rule.read_text(), "ts.mdc", "cursor-mdc", "p")
    assert conversion.problems and "not strict YAML" in conversion.problems[0]
    assert conversion.drafts[0].fields["conventions"] == [
        "[*.ts,*.tsx] Prefer `type` over `interface`"
    ]


def test_always_apply_rule_is_not_scoped(tmp_path: Path) -> None:
    text = "---\ndescription: x\nglobs:\nalwaysApply: true\n---\n- Use UTC everywhere\n"
    assert drafts("cursor-mdc", _write(tmp_path / "a.mdc", text))["context.py"]["conventions"] == [
        "Use UTC everywhere"
    ]


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_skill_md_front_matter_tables_and_gotchas() -> None:
    skill = drafts("skill", hint="pdf-processing")["skills/pdf_processing.py"]
    assert skill["name"] == "pdf-processing"  # a valid Agent Skill name is kept as written
    assert skill["description"].startswith("Extract text and tables from PDF files")
    assert skill["version"] == "1.2.0"
    assert skill["default_params"] == {
        "dpi": 300,
        "table_strategy": "lines",
        "keep_blank_chars": False,
    }
    assert skill["depends_on"] == ["pdfplumber", "pypdf", "poppler-utils"]
    assert skill["lessons_learned"].startswith("## Gotchas\n\n- ")  # the heading is kept too
    assert skill["lessons_learned"].count("\n- ") == 3
    assert "Scanned PDFs have no text layer" in skill["lessons_learned"]


def test_skill_md_parameter_bullets_and_lessons() -> None:
    path = DATA / "skills/scrna-qc/SKILL.md"
    conversion = convert_text(path.read_text(), "SKILL.md", "skill", "scrna-qc")
    (draft,) = conversion.drafts
    assert draft.rel == "skills/scrna_qc.py" and draft.class_name == "ScrnaQc"
    assert draft.fields["default_params"] == {
        "min_genes": 200,
        "max_genes": 5000,
        "max_pct_mito": 20,
        "min_cells": 3,
    }
    assert "FFPE samples need `max_pct_mito=40`" in draft.fields["lessons_learned"]
    assert "## Steps" in draft.docstring and "Annotate mitochondrial genes" in draft.docstring


def test_skill_named_like_state_stays_a_skill(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "SKILL.md", "---\nname: Save State\ndescription: Saves state.\n---\nDo it.\n"
    )
    conversion = convert_text(path.read_text(), "SKILL.md", "skill", "x")
    (draft,) = conversion.drafts
    assert draft.rel == "skills/save_state.py" and draft.class_name == "SaveStateSkill"
    source = render_module(draft.class_name, draft.fields, draft.docstring, draft.methods_source)
    assert compile_source(source, draft.rel).module_type == "skill"


# -- the command ---------------------------------------------------------------------------


def test_convert_writes_modules_that_validate(project: Path, run: Callable[..., Result]) -> None:
    result = run("convert", str(FIXTURES["claude"]), str(DATA / "skills/scrna-qc"))
    assert result.exit_code == 0, result.output
    stato = project / ".stato"
    assert {"context.py", "memory.py", "skills/scrna_qc.py"} <= set(tree(stato))
    assert run("validate", ".stato", "--check").exit_code == 0


def test_existing_context_is_merged_never_clobbered(
    project: Path, run: Callable[..., Result]
) -> None:
    ctx = project / ".stato/context.py"
    mine = (
        'class ProjectContext:\n    """Mine."""\n    project = "billing"\n'
        '    description = "My own words"\n    conventions = ["Keep my rule"]\n'
        '    notes = "My note."\n'
    )
    ctx.write_text(mine, encoding="utf-8")
    result = run("convert", str(FIXTURES["claude"]))
    assert result.exit_code == 0, result.output
    fields = compile_source(ctx.read_text(), "context.py").fields
    assert fields["project"] == "billing" and fields["description"] == "My own words"
    assert fields["conventions"][0] == "Keep my rule" and len(fields["conventions"]) > 10
    assert fields["notes"].startswith("My note.") and "The API lives" in fields["notes"]
    assert ctx.read_text().startswith(
        'class ProjectContext:\n    """Mine."""\n    project = "billing"'
    )
    assert "kept yours: description, project" in result.output
    (backup,) = (project / ".stato/.history").glob("context.*.py")
    assert backup.read_text() == mine
    # a second run finds everything in place and writes nothing
    before = tree(project)
    again = run("convert", str(FIXTURES["claude"]))
    assert again.exit_code == 0 and "nothing was written" in again.output
    assert tree(project) == before


def test_two_files_in_one_run_merge_into_one_context(
    project: Path, run: Callable[..., Result]
) -> None:
    result = run("convert", str(FIXTURES["claude"]), str(FIXTURES["agents"]), "--json")
    data = json.loads(result.output)
    context = next(m for m in data["modules"] if m["path"] == "context.py")
    assert context["from"] == ["claude/CLAUDE.md", "agents/AGENTS.md"] or len(context["from"]) == 2
    fields = compile_source((project / ".stato/context.py").read_text(), "context.py").fields
    assert any(c.startswith("Testing Guidelines:") for c in fields["conventions"])
    assert any(c.startswith("Code Style:") for c in fields["conventions"])


def test_converted_skill_merges_into_the_skill_of_the_same_name(
    project: Path, run: Callable[..., Result]
) -> None:
    existing = project / ".stato/skills/qc.py"
    existing.write_text(
        'class QC:\n    """QC."""\n    name = "scrna-qc"\n    default_params = {"min_genes": 500}\n'
        '    lessons_learned = """\n- My own lesson\n"""\n\n    @staticmethod\n'
        "    def run(**kwargs: object) -> dict[str, object]:\n        return kwargs\n"
    )
    result = run("convert", str(DATA / "skills/scrna-qc/SKILL.md"))
    assert result.exit_code == 0, result.output
    assert not (project / ".stato/skills/scrna_qc.py").exists()
    fields = compile_source(existing.read_text(), "skills/qc.py").fields
    assert fields["default_params"]["min_genes"] == 500  # mine kept
    assert fields["default_params"]["max_pct_mito"] == 20  # theirs added
    assert "My own lesson" in fields["lessons_learned"]
    assert "FFPE samples" in fields["lessons_learned"]


def test_dry_run_prints_sources_and_writes_nothing(
    project: Path, run: Callable[..., Result]
) -> None:
    before = tree(project)
    result = run("convert", str(FIXTURES["cursorrules"]), "--dry-run")
    assert result.exit_code == 0
    assert "# --- .stato/context.py (create) ---" in result.output
    assert "class ProjectContext:" in result.output
    assert tree(project) == before


def test_invalid_existing_module_stops_everything(
    project: Path, run: Callable[..., Result]
) -> None:
    (project / ".stato/memory.py").write_text("class ProjectState:\n    tasks = []\n")
    before = tree(project)
    result = run("convert", str(FIXTURES["claude"]))
    assert result.exit_code == 1
    assert "memory.py has errors (E003)" in result.stderr
    assert tree(project) == before  # context.py was not written either


@pytest.mark.parametrize(
    ("name", "text", "code", "fragment"),
    [
        ("notes.md", "- a\n", 2, "pass --kind"),
        ("CLAUDE.md", "  \n", 1, "is empty"),
        ("CLAUDE.md", None, 1, "not UTF-8"),
    ],
)
def test_bad_inputs_fail_with_one_line(
    project: Path, run: Callable[..., Result], name: str, text: str | None, code: int, fragment: str
) -> None:
    path = project / name
    if text is None:
        path.write_bytes(b"# \xff\xfe\n")
    else:
        path.write_text(text)
    result = run("convert", name)
    assert result.exit_code == code
    assert fragment in result.stderr and "Traceback" not in result.output


def test_kind_flag_reads_any_file_name(project: Path, run: Callable[..., Result]) -> None:
    (project / "notes.md").write_text("## Style\n\n- Tabs, not spaces\n")
    result = run("convert", "notes.md", "--kind", "agents")
    assert result.exit_code == 0, result.output
    assert "Style: Tabs, not spaces" in (project / ".stato/context.py").read_text()


def test_convert_in_a_real_process(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "stato", "init"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=60,
    )
    shutil.copytree(DATA / "cursor/.cursor", tmp_path / ".cursor")
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "convert", ".cursor/rules/react-components.mdc"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Read .cursor/rules/react-components.mdc as cursor-mdc" in proc.stdout
    assert "[apps/web/**/*.tsx" in (tmp_path / ".stato/context.py").read_text()


def test_several_h1_headings_are_sections_not_a_title(tmp_path: Path) -> None:
    text = (
        "# Bash commands\n- npm run build: Build the project\n\n# Code style\n"
        "- Use ES modules (import/export), not CommonJS\n\n# TODO\n- Drop Node 18\n"
    )
    out = drafts("claude", _write(tmp_path / "CLAUDE.md", text))
    assert out["context.py"]["project"] == "proj"
    assert out["context.py"]["conventions"] == [
        "Bash commands: npm run build: Build the project",
        "Code style: Use ES modules (import/export), not CommonJS",
    ]
    assert out["memory.py"]["tasks"] == ["Drop Node 18"]


_LINE = st.one_of(
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 4), st.text(max_size=30)),
    st.builds(lambda t: "- " + t, st.text(max_size=40)),
    st.builds(lambda t, c: f"- [{c}] " + t, st.text(max_size=30), st.sampled_from(" x")),
    st.builds(
        lambda k, v: f"- `{k}`: {v}",
        st.from_regex(r"[a-z_]{1,8}", fullmatch=True),
        st.text(max_size=10),
    ),
    st.just("```bash\nmake test\n```"),
    st.just("| a | b |\n|---|---|\n| 1 | 2 |"),
    st.text(max_size=60),
)


@example(lines=['say "hi"'], kind="skill", front="")
@example(lines=["a\x00b\r\n", "- x\x1b"], kind="skill", front="")
@example(lines=['ends with a quote"'], kind="claude", front="")
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(_LINE, max_size=12),
    kind=st.sampled_from(sorted(FIXTURES)),
    front=st.sampled_from(
        [
            "",
            '---\nname: x-y\ndescription: "a: b"\n---\n',
            "---\nglobs: *.py\n---\n",
            "---\n[1, 2]\n---\n",
        ]
    ),
)
def test_any_markdown_converts_to_modules_that_validate(
    lines: list[str], kind: str, front: str
) -> None:
    text = front + "\n\n".join(lines)
    conversion = convert_text(text, "FILE", kind, "proj")
    for draft in conversion.drafts:
        source = render_module(
            draft.class_name, draft.fields, draft.docstring, draft.methods_source
        )
        result = compile_source(source, draft.rel)
        assert result.valid, (source, result.errors)
        assert result.module_type == draft.module_type


def test_the_block_stato_bridge_wrote_is_not_converted_back(
    project: Path, run: Callable[..., Result]
) -> None:
    from stato.formats.markers import wrap

    claude = project / "CLAUDE.md"
    claude.write_text(
        "# Notes\n\n- Deploy on Fridays never\n\n"
        + wrap("## Skills\n\n- qc_filtering 1.0.0 (3 lessons)\n"),
        encoding="utf-8",
    )
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 0, result.output
    text = (project / ".stato/context.py").read_text()
    assert "Deploy on Fridays never" in text and "qc_filtering" not in text
    claude.write_text("@AGENTS.md\n\n" + wrap("## Skills\n"), encoding="utf-8")
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 1
    assert "nothing stato can convert" in result.stderr
    claude.write_text(wrap("## Skills\n"), encoding="utf-8")
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 1
    assert "only the block `stato bridge` wrote" in result.stderr


def test_import_lines_are_not_prose() -> None:
    conversion = convert_text("@AGENTS.md\n\n## Style\n\n- Tabs\n", "CLAUDE.md", "claude", "p")
    context = conversion.drafts[0].fields
    assert context["conventions"] == ["Style: Tabs"]
    # Not a rule nor the description: the notes say what the file pulled in, nothing lost.
    assert context["notes"] == "@AGENTS.md" and "AGENTS" not in context["description"]


def test_convert_outside_a_project_makes_one(tmp_path: Path, run: Callable[..., Result]) -> None:
    result = run("convert", str(FIXTURES["claude"]))
    assert result.exit_code == 0 and (tmp_path / ".stato" / "context.py").is_file()


def test_a_made_up_description_gives_way_to_a_real_one(
    project: Path, run: Callable[..., Result]
) -> None:
    assert run("convert", str(FIXTURES["agents"])).exit_code == 0  # AGENTS.md has no intro
    ctx = project / ".stato/context.py"
    assert "Project converted from" in ctx.read_text()
    result = run("convert", str(FIXTURES["copilot"]))
    assert result.exit_code == 0 and "kept yours" not in result.output
    fields = compile_source(ctx.read_text(), "context.py").fields
    assert fields["description"].startswith("This repository is a Go service")


def test_memory_headings_are_recognised_by_how_they_start(tmp_path: Path) -> None:
    text = (
        "# API\n\n## HTTP status codes\n\n- 429 means retry later\n\n"
        "## Running tasks with Celery\n\n- Tasks must be idempotent\n\n"
        "## Current status\n\nShipping v2\n\n## Open questions\n\n- Drop Python 3.9?\n"
    )
    out = drafts("claude", _write(tmp_path / "CLAUDE.md", text))
    assert out["context.py"]["conventions"] == [
        "HTTP status codes: 429 means retry later",
        "Running tasks with Celery: Tasks must be idempotent",
    ]
    assert out["memory.py"]["phase"] == "Shipping v2"
    assert list(out["memory.py"]["known_issues"].values()) == ["Drop Python 3.9?"]


def test_parameters_take_values_not_prose(tmp_path: Path) -> None:
    text = (
        "---\nname: cluster\ndescription: Leiden clustering.\n---\n## Parameters\n\n"
        "- `resolution`: resolution of the partition (default 0.8)\n"
        '- `method`: leiden\n- `flavor`: `"igraph"`\n'
        "- `mode`: fast or robust, pick by size\n\n"
        "## Inputs\n\n| Name | Description |\n|---|---|\n| adata | AnnData object |\n"
    )
    (draft,) = convert_text(
        _write(tmp_path / "SKILL.md", text).read_text(), "S", "skill", "c"
    ).drafts
    assert draft.fields["default_params"] == {
        "resolution": 0.8,
        "method": "leiden",
        "flavor": "igraph",
    }
    assert "fast or robust" in draft.docstring  # prose stays readable in the docstring
    assert "AnnData object" in draft.docstring


@pytest.mark.parametrize("kind", sorted(FIXTURES))
def test_windows_line_endings_convert_the_same(kind: str) -> None:
    text = FIXTURES[kind].read_text(encoding="utf-8")
    unix = convert_text(text, "F", kind, "p").drafts
    windows = convert_text(text.replace("\n", "\r\n"), "F", kind, "p").drafts
    assert [(d.fields, d.docstring) for d in windows] == [(d.fields, d.docstring) for d in unix]


def test_a_skill_never_lands_in_another_skills_file(
    project: Path, run: Callable[..., Result]
) -> None:
    other = project / ".stato/skills/scrna_qc.py"
    text = (
        'class Other:\n    """Another skill."""\n    name = "something_else"\n\n'
        "    @staticmethod\n    def run(**kwargs: object) -> object:\n        return kwargs\n"
    )
    other.write_text(text)
    twin = project / "twin" / "SKILL.md"
    twin.parent.mkdir()
    twin.write_text("---\nname: scrna_qc\ndescription: Same file stem, other name.\n---\nBody.\n")
    result = run("convert", str(DATA / "skills/scrna-qc/SKILL.md"), str(twin))
    assert result.exit_code == 0, result.output
    assert other.read_text() == text
    names = {
        compile_source(p.read_text(), p.name).fields["name"]: p.name
        for p in (project / ".stato/skills").glob("*.py")
    }
    assert names == {
        "something_else": "scrna_qc.py",
        "scrna-qc": "scrna_qc_2.py",
        "scrna_qc": "scrna_qc_3.py",
    }
    assert run("validate", ".stato", "--check").exit_code == 0


def test_skill_md_round_trips_through_the_agent_skills_export(
    project: Path, run: Callable[..., Result]
) -> None:
    """SKILL.md -> stato skill -> `stato bridge --platform skills` gives back a valid SKILL.md."""
    validator = pytest.importorskip("skills_ref.validator")
    import yaml

    assert run("convert", str(DATA / "skills/pdf-processing")).exit_code == 0
    result = run("bridge", "--platform", "skills")
    assert result.exit_code == 0, result.output
    folder = project / ".claude/skills/pdf-processing"
    assert validator.validate(folder) == []
    front = yaml.safe_load((folder / "SKILL.md").read_text().split("---")[1])
    original = yaml.safe_load((DATA / "skills/pdf-processing/SKILL.md").read_text().split("---")[1])
    assert front["name"] == original["name"]
    assert front["description"] == original["description"]


def test_folders_of_skills_and_rules_convert_every_file(
    project: Path, run: Callable[..., Result]
) -> None:
    result = run("convert", str(DATA / "skills"), str(DATA / "cursor/.cursor/rules"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [i["kind"] for i in data["inputs"]] == ["skill", "skill", "cursor-mdc"]
    assert {m["path"] for m in data["modules"]} == {
        "skills/pdf_processing.py",
        "skills/scrna_qc.py",
        "context.py",
    }
    empty = project / "empty"
    empty.mkdir()
    result = run("convert", "empty")
    assert result.exit_code == 1 and "no SKILL.md or .mdc" in result.stderr
