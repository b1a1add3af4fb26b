"""stato convert on real agents' files: modules that validate with the text intact, or one line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stato.adapters.gate import accepting
from stato.core.compiler import compile_source
from stato.core.privacy import INJECTION_RULES
from stato.core.render import render_module
from stato.formats.convert import convert_text, converter_for

REAL = Path(__file__).parent / "data" / "convert" / "real"


@dataclass(frozen=True)
class Case:
    """One real-world file: the sentences that must survive, or the refusal it must get."""

    path: str  # under tests/data/convert/real/
    keep: tuple[str, ...] = ()  # exact text that must be in the modules written
    absent: tuple[str, ...] = ()  # text that must not be (stato's own output, front matter)
    fields: dict[str, Any] = field(default_factory=dict)  # "module.py:field" -> exact value
    refuse: str = ""  # when set: exit 1 with this in the one error line


CASES = [
    Case(
        "claude-start-here/CLAUDE.md",
        keep=(
            "Read `AGENTS.md` first for repository-wide workflow expectations",
            "`npm test -- --coverage` runs Jest; keep coverage above 90%.",
        ),
        absent=("This file provides guidance to Claude Code",),
    ),
    Case("claude-html-template/CLAUDE.md", refuse="nothing stato can convert"),
    Case("claude-imports/CLAUDE.md", refuse="only imports other files (@ruler/development.md"),
    Case(
        "claude-imports-inline/CLAUDE.md",
        keep=(
            "See @README.md for the project overview and @package.json for available npm commands.",
            "Additional Instructions: Git workflow: @docs/git-instructions.md",
            "Additional Instructions: Personal overrides: @~/.claude/my-project-instructions.md",
        ),
        absent=("Additional Instructions: @docs/style.md",),  # a bare import is not a rule
    ),
    Case(
        "claude-rules-paths/.claude/rules/api.md",
        keep=(
            "[src/app/api/**] Validate every request body with a Zod schema",
            "[src/app/api/**] Return errors as { error: string } with the right status code",
        ),
    ),
    Case(
        "claude-ja/CLAUDE.md",
        keep=(
            "`%AppData%\\capturecard_viewer\\config\\default-config.toml`",
            "`cargo fmt --check && cargo clippy --all-targets && cargo test`",
            '`#![windows_subsystem = "windows"]`',
            "`#[serde(default)]` を必ず付けること",
            "キャプチャーボード（キャプチャーカード）の映像と音声を",
            "`src/audio.rs` \u2014 cpal による入力",
        ),
        absent=("このファイルは Claude Code",),
    ),
    Case(
        "claude-bom-crlf/CLAUDE.md",
        keep=(
            "This repository is currently empty or in initial setup phase.",
            "Code architecture and structure overview",
        ),
        absent=("\ufeff", "\r"),
    ),
    Case(
        "claude-with-bridge-block/CLAUDE.md",
        keep=("Never deploy on Fridays; the on-call rota is thin.",),
        absent=("Available Skills", "qc_filtering", "Working Rules", "stato:begin"),
    ),
    Case(
        "agents-template/AGENTS.md",
        keep=(
            "Deploy to production: [Specify deployment command, e.g., `npm run deploy` or "
            "`docker push`]",
            "snake_case for Python",
            "`.github/`: GitHub workflows and templates",
        ),
    ),
    Case(
        "agents-nested-mojibake/AGENTS.md",
        keep=("docs/agent/AGENTS.shared.md", "`cd harness && cargo test`", "\u00e2\u20ac\u00a6"),
        fields={"context.py:description": "This repository uses shared agent standards."},
    ),
    Case(
        "agents-codex/AGENTS.md",
        keep=(
            "In the codex-rs folder where the rust code lives: Crate names are prefixed with "
            "`codex-`.",
            "`CODEX_SANDBOX=seatbelt` will be set on the child process.",
            "run the tests: \u2014 Run the test for the specific project that was changed.",
            "`cargo insta pending-snapshots -p codex-tui`",
            'responses::ev_response_created("resp-1"),\n])).await;',
            '`#[serde(rename_all = "camelCase")]`',
            '`params: #[ts(type = "undefined")] #[serde(skip_serializing_if = "Option::is_none")]'
            " Option<()>`",
            "**Requirement:** any change that affects user-visible UI",
        ),
        fields={"context.py:project": "Rust/codex-rs"},
    ),
    Case(
        "cursorrules-no-headings/.cursorrules",
        keep=(
            "Suggest solutions that I didn't think about\u2014anticipate my needs",
            "do not repeat all of my code unnecessarily",
            "Follow ALL instructions given - partial implementation is not acceptable",
        ),
    ),
    Case(
        "cursorrules-zh/.cursorrules",
        keep=(
            "使用描述性变量名，例如：is_retrieval_enabled, has_context。",
            "LangChain Python 推理后端的人工智能规则",
            "├── my_package/\n│   ├── __init__.py",
            "# 不要提交 .env",
            '"""返回 RAG 链。"""',
            "# 注释: 固定 langchain 版本",
        ),
        fields={"context.py:description": "您是Python、LangChain和可扩展AI应用开发方面的专家。"},
    ),
    Case(
        "cursorrules-backslashes/.cursorrules",
        keep=(
            "Config lives in `C:\\Users\\<name>\\AppData\\Roaming\\tool\\` and logs in "
            "C:\\ProgramData\\tool\\logs\\",
            'Never write "\\N{...}" escapes or a bare \\x in docs; use raw strings '
            'r"\\d+\\.\\d+" for regexes',
            'Docstrings use triple double quotes: """Summary line.""" and never '
            "'''single''' quotes",
            "A line may end with a backslash \\",
            'she said """hi""" \\\\ then left',
            '"C:\\\\temp\\\\x.json"',
        ),
    ),
    Case(
        "mdc-double-front-matter/globs-fix.mdc",
        keep=(
            "Ergänzt oder korrigiert fehlende oder unpassende globs: Einträge in .mdc-Dateien",
            "für welchen Dateipfad sie gelten soll",
            "Prüfe den Speicherort",
        ),
        absent=('alias: "@globs-fix"', "Zweck:"),
    ),
    Case(
        "mdc-rule-xml/cursor-rules-location.mdc",
        keep=(
            "Rules for placing and organizing Cursor rule files in the repository.",
            "<rule>\nname: cursor_rules_location\ndescription: Standards for placing Cursor rule",
            '    pattern: "\\\\.mdc$"',
            "# not: rules/my-rule.mdc",
        ),
    ),
    Case(
        "mdc-front-matter-only/package-manager.mdc",
        keep=("Always use pnpm, never npm or yarn, for installing packages",),
    ),
    Case(
        "mdc-tabs/python.mdc",
        keep=("[src/**/*.py, tests/**/*.py] Prefer `pathlib.Path` over `os.path`",),
    ),
    Case(
        "mdc-bom-crlf/components.mdc",
        keep=("[src/components/**/*.tsx] Props interfaces end in `Props`",),
        absent=("\r",),
    ),
    Case(
        "skill-pdf/SKILL.md",
        keep=(
            'title = """Tom\'s Birthday Plan"""',
            '"%{file}\\\\n"',
            '"中文示例"',
            "(₀₁₂₃₄₅₆₇₈₉, ⁰¹²³⁴⁵⁶⁷⁸⁹)",
            "qpdf --empty --pages file1.pdf file2.pdf -- merged.pdf",
            "If the user mentions a .pdf file or asks to produce one, use this skill.",
            "license: Proprietary. LICENSE.txt has complete terms",
            "| Merge PDFs | pypdf | `writer.add_page(page)` |",
        ),
        fields={"skills/pdf.py:name": "pdf"},
    ),
    Case(
        "skill-commit/SKILL.md",
        keep=(
            "!`git diff --cached --name-only`",
            "| `feat` | New user-visible feature or behaviour |",
            "allowed-tools: Bash(git diff*), Bash(git log --oneline*), Bash(git commit*)",
            "disable-model-invocation: true",
        ),
    ),
    Case(
        "skill-ko-xml/SKILL.md",
        keep=(
            "<Purpose>\n세 명의 리뷰어 페르소나가",
            '"exhaustive review", "debate review"',
            "argument-hint: Usage: /exhaustive-review [PR#N | file-path]",
        ),
        absent=("---\nname: exhaustive-review",),  # the front matter is not repeated as body
    ),
    Case(
        "skill-metadata-list/SKILL.md",
        keep=(
            "Frontmatter errors are silent failures \u2014 the skill simply never loads.",
            "metadata.tags: scaffolding, automation",
            "allowed-tools: Bash(python:*) WebFetch",
        ),
        fields={
            "skills/my_skill_name.py:default_params": {"max_files": 20, "dry_run": False},
            "skills/my_skill_name.py:version": "1.0.0",
        },
    ),
    Case(
        "skill-bad-yaml/SKILL.md",
        keep=("`git diff --stat`", "present a plan, and (after approval) execute it end-to-end."),
        fields={
            "skills/ship.py:description": "Full PR workflow \u2014 analyze changes, group into "
            'logical commits or PRs. Use when: the user wants to ship their changes or asks "how '
            'do I PR this".'
        },
    ),
    Case(
        "skill-no-front-matter-zh/cursor-rules/SKILL.md",
        keep=(
            "# Cursor Rules Expert",
            "- 创建和优化Cursor规则文件(.cursorrules)",
            "使用此Skill提供专业的Cursor配置指导。",
        ),
        fields={
            "skills/cursor_rules.py:name": "cursor-rules",
            "skills/cursor_rules.py:description": "_Cursor AI代码编辑器的规则配置与项目优化专家_",
        },
    ),
    Case(
        "skill-front-matter-only/SKILL.md",
        keep=("Use when the user asks for a changelog: it groups by label.",),
        fields={"skills/release_notes.py:name": "release-notes"},
    ),
    Case(
        "gemini-emoji-zh/GEMINI.md",
        keep=(
            "`venv\\Scripts\\python -m uvicorn app.main:app --reload`",
            "`e:\\workspace\\code\\DouDouChat`",
            "🎨 Frontend (`front/`)",
            "会话状态入口与编排层",
            "The first social platform where YOU are the only human center.",
            "About [ai-elements-vue](https://www.ai-elements-vue.com/)",
        ),
    ),
    Case(
        "gemini-links/GEMINI.md",
        keep=(
            "`curl https://raw.githubusercontent.com/google-gemini/gemini-cli/refs/heads/main/"
            "docs/tools/memory.md`",
        ),
    ),
    Case(
        "copilot-hash-lines/.github/copilot-instructions.md",
        keep=(
            "Preferences: Favor readability over cleverness",
            "This repository contains various GitHub Copilot configurations and workflows.",
            "It helps Copilot understand the context, coding standards, and preferences",
        ),
        absent=(
            "It helps Copilot understand the context, coding standards, and preferences "
            "for this project. / ",
        ),  # a "# sentence" line is not a section heading
    ),
    Case(
        "copilot-front-matter/.github/copilot-instructions.md",
        keep=(
            "Repository-specific coding guidelines and conventions for GitHub Copilot",
            "GitHub Copilot reads instructions when editing matching files",
        ),
    ),
    Case(
        "copilot-applyto/.github/instructions/python.instructions.md",
        keep=(
            "[**/*.py] Follow the PEP 8 style guide for Python.",
            "python.instructions.md (Project coding standards for Python)",
        ),
    ),
]
IDS = [c.path.split("/")[0] for c in CASES]  # the case folder


def test_the_table_covers_every_stored_file_and_enough_of_them() -> None:
    stored = {
        p.relative_to(REAL).as_posix()
        for p in REAL.rglob("*")
        if p.is_file() and p.name not in ("README.md", ".gitattributes")
    }
    assert stored == {c.path for c in CASES}
    assert len(CASES) >= 15
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    assert all(f"| {case} |" in readme for case in IDS)  # every case names its source


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def written_text(stato: Path) -> dict[str, tuple[str, str]]:
    """Module path -> (its fields and docstring as text, its source) for every module."""
    out = {}
    for path in sorted(stato.rglob("*.py")):
        rel = path.relative_to(stato).as_posix()
        result = compile_source(path.read_text(encoding="utf-8"), rel)
        assert result.valid, (rel, result.errors)
        assert not [d for d in result.diagnostics if d.severity == "warning"], result.diagnostics
        out[rel] = (_flat(result.fields) + "\n" + (result.docstring or ""), result.source)
    return out


def _flat(value: Any) -> str:
    if isinstance(value, dict):
        return "\n".join(f"{k}\n{_flat(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "\n".join(_flat(v) for v in value)
    return str(value)


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    assert run("init").exit_code == 0
    return tmp_path


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=IDS,
)
def test_real_file_converts_to_valid_modules_or_is_refused_in_one_line(
    project: Path, run: Callable[..., Result], case: Case
) -> None:
    rel = Path(case.path)
    target = project / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(REAL / rel, target)
    before = tree(project / ".stato")
    result = run("convert", rel.as_posix())
    assert "Traceback" not in result.output
    if case.refuse:
        assert result.exit_code == 1, result.output
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
        assert case.refuse in result.stderr
        assert tree(project / ".stato") == before  # nothing half-written
        return
    assert result.exit_code == 0, result.output
    assert run("validate", ".stato", "--check").exit_code == 0
    modules = written_text(project / ".stato")
    text = "\n".join(t for t, _ in modules.values())
    for sentence in case.keep:
        assert sentence in text, sentence
    for sentence in case.absent:
        assert sentence not in text, sentence
    for where, value in case.fields.items():
        rel_module, name = where.split(":")
        source = modules[rel_module][1]
        assert compile_source(source, rel_module).fields[name] == value
    # converting the same file again changes nothing
    after = tree(project / ".stato")
    again = run("convert", rel.as_posix())
    assert again.exit_code == 0 and "nothing was written" in again.output
    assert tree(project / ".stato") == after


@pytest.mark.parametrize("case", [c for c in CASES if not c.refuse], ids=lambda c: c.path)
def test_line_endings_and_a_bom_convert_the_same(case: Case) -> None:
    text = (REAL / case.path).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    kind = converter_for(Path(case.path))
    assert kind is not None
    out = []
    for variant in (text, text.replace("\n", "\r\n"), "\ufeff" + text.replace("\n", "\r\n")):
        drafts = convert_text(variant, "F", kind.kind, "p").drafts
        out.append([(d.rel, d.fields, d.docstring) for d in drafts])
    assert out[0] == out[1] == out[2]


# -- stato's own output ------------------------------------------------------------------------


# every file stato can write, each named by its id (`all` writes only the carriers)
OWN_FILES = (
    "cursor-rules",
    "cursor-legacy",
    "copilot-instructions",
    "windsurf-rules",
    "devin-rules",
    "clinerules",
    "kiro-steering",
    "junie-guidelines",
)


def test_nothing_stato_bridge_wrote_comes_back_as_a_module(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init", "--example").exit_code == 0
    assert run("bridge", "--platform", "all").exit_code == 0
    assert run("bridge", "--platform", ",".join(OWN_FILES)).exit_code == 0
    stato = tree(tmp_path / ".stato")
    # what `stato init` wrote (.stato/, the root .statoignore) is not the bridge's
    generated = [p for p in tree(tmp_path) if not p.startswith(".stato/") and p != ".statoignore"]
    assert len(generated) >= 20
    for rel in generated:
        kind = "skill" if rel.endswith("SKILL.md") else "agents"
        result = run("convert", rel, "--kind", kind)
        assert result.exit_code == 1, (rel, result.output)
        assert result.stderr.count("\n") == 1, result.stderr
        assert "`stato bridge` wrote" in result.stderr or "own export" in result.stderr
    for folder in (".claude/skills", ".agents/skills"):
        result = run("convert", folder)
        assert result.exit_code == 1 and "stato's own exports" in result.stderr
    assert tree(tmp_path / ".stato") == stato


def test_a_folder_of_skills_skips_stato_exports_and_converts_the_rest(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init", "--example").exit_code == 0
    assert run("bridge", "--platform", "skills").exit_code == 0
    mine = tmp_path / ".claude/skills/commit/SKILL.md"
    mine.parent.mkdir()
    shutil.copyfile(REAL / "skill-commit/SKILL.md", mine)
    result = run("convert", ".claude/skills", "--json")
    assert result.exit_code == 0, result.output
    assert "stato's own export of .stato/skills/qc.py; skipped" in result.output
    skills = sorted(p.name for p in (tmp_path / ".stato/skills").glob("*.py"))
    assert skills == ["clustering.py", "commit.py", "normalize.py", "qc.py"]


def test_a_skill_another_project_exported_is_converted_under_its_stato_name(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    assert run("init", "--example", "--path", str(other)).exit_code == 0
    assert run("bridge", "--platform", "skills", "--path", str(other)).exit_code == 0
    here = tmp_path / "here"
    here.mkdir()
    assert run("init", "--path", str(here)).exit_code == 0
    exported = other / ".claude/skills/qc-filtering"
    result = run("convert", str(exported), "--path", str(here))
    assert result.exit_code == 0, result.output
    fields = compile_source((here / ".stato/skills/qc_filtering.py").read_text(), "q").fields
    original = compile_source((other / ".stato/skills/qc.py").read_text(), "q").fields
    assert fields["name"] == original["name"] == "qc_filtering"
    assert fields["default_params"] == original["default_params"]
    assert fields["version"] == original["version"]
    assert fields["depends_on"] == original["depends_on"]
    assert all(lesson in fields["lessons_learned"] for lesson in ("FFPE", "mt- prefix"))
    text = (here / ".stato/skills/qc_filtering.py").read_text()
    assert "Source of truth" not in text and "After using this skill" not in text
    before = tree(here / ".stato")
    assert run("convert", str(exported), "--path", str(here)).exit_code == 0
    assert tree(here / ".stato") == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda block: block.rsplit("<!-- stato:end", 1)[0], id="no-end-marker"),
        pytest.param(lambda block: block + "\n" + block, id="block-pasted-twice"),
    ],
)
def test_damaged_markers_still_keep_stato_text_out(
    project: Path, run: Callable[..., Result], damage: Callable[[str], str]
) -> None:
    from stato.formats.markers import wrap

    block = wrap("## Available Skills\n\n- qc_filtering v1.2.0\n")
    (project / "AGENTS.md").write_text("## Style\n\n- Tabs, not spaces\n\n" + damage(block))
    result = run("convert", "AGENTS.md")
    assert result.exit_code == 0, result.output
    assert "markers are damaged" in result.output
    text = (project / ".stato/context.py").read_text()
    assert "Tabs, not spaces" in text and "qc_filtering" not in text and "stato:" not in text


# -- size, encodings ----------------------------------------------------------------------------


def test_a_very_long_file_converts_and_an_oversized_one_is_refused(
    project: Path, run: Callable[..., Result]
) -> None:
    sections = [
        f"## Area {n}\n\nArea {n} owns `pkg/area{n}`.\n\n- Rule {n}.a: keep `x{n}` pure\n"
        f"- Rule {n}.b: never import `y{n}`\n\n```bash\nmake test-{n}\n```\n"
        for n in range(4000)
    ]
    big = project / "AGENTS.md"
    big.write_text("# Monorepo\n\n" + "\n".join(sections), encoding="utf-8")
    assert big.stat().st_size > 400_000
    result = run("convert", "AGENTS.md")
    assert result.exit_code == 0, result.output
    fields = compile_source((project / ".stato/context.py").read_text(), "context.py").fields
    assert len(fields["conventions"]) == 3 * 4000
    assert "Area 3999: Rule 3999.b: never import `y3999`" in fields["conventions"]
    assert "Area 3999 owns `pkg/area3999`." in fields["notes"]
    huge = project / "CLAUDE.md"
    huge.write_bytes(b"- x\n" * (600 * 1024))
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 1 and "larger than 2 MiB" in result.stderr


def test_utf16_from_a_windows_editor_is_read(project: Path, run: Callable[..., Result]) -> None:
    (project / "CLAUDE.md").write_bytes(
        "## Style\n\n- Prefer `Path` – never `os.path`\n".encode("utf-16")
    )
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 0, result.output
    assert "Prefer `Path` – never `os.path`" in (project / ".stato/context.py").read_text()


def test_a_real_file_in_a_real_process(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "stato", "init"], cwd=tmp_path, check=True, capture_output=True
    )
    shutil.copytree(REAL / "skill-pdf", tmp_path / "pdf")
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "convert", "pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    skill = compile_source((tmp_path / ".stato/skills/pdf.py").read_text(), "skills/pdf.py")
    assert 'title = """Tom\'s Birthday Plan"""' in (skill.docstring or "")


# -- any text -----------------------------------------------------------------------------------

_AWKWARD = st.sampled_from(
    [
        '"""',
        "'''",
        "\\",
        "\\N{BULLET}",
        "\r\n",
        "\r",
        "\ufeff",
        "\t",
        "<!-- c -->",
        "<rule>\n",
        "---\n",
        "```",
        "# ",
        "- ",
        "  - ",
        "@AGENTS.md\n",
        "| a | b |\n|---|---|\n",
        "中文",
        "\U0001f3a8",
        ": ",
        "\x00",
        "\u2028",
    ]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    parts=st.lists(st.one_of(_AWKWARD, st.text(max_size=12)), max_size=25),
    kind=st.sampled_from(["claude", "agents", "cursorrules", "cursor-mdc", "skill", "copilot"]),
)
def test_awkward_text_gives_modules_that_validate(parts: list[str], kind: str) -> None:
    for text in ("".join(parts), "---\ndescription: x\n---\n" + "".join(parts)):
        for draft in convert_text(text, "FILE", kind, "proj").drafts:
            source = render_module(
                draft.class_name, draft.fields, draft.docstring, draft.methods_source
            )
            result = compile_source(source, draft.rel)
            assert result.valid, (text, source, result.errors)
            assert result.module_type == draft.module_type


def test_old_mac_line_endings_and_unicode_line_separators_keep_sections_apart() -> None:
    text = (
        "---\nname: a-b\ndescription: d\n---\n# T\n\none\u2028still one\n\n"
        "## Gotchas\n\n- G1\n\n## Steps\n\n- S1\n"
    )
    for variant in (text, text.replace("\n", "\r")):
        (draft,) = convert_text(variant, "S", "skill", "x").drafts
        assert draft.fields["name"] == "a-b"
        assert draft.fields["lessons_learned"] == "## Gotchas\n\n- G1\n"  # its heading too
        assert "## Steps\n\n- S1" in draft.docstring and "one\u2028still one" in draft.docstring
        assert "G1" not in draft.docstring and "name: a-b" not in draft.docstring


def test_a_skill_name_with_no_ascii_falls_back_on_its_folder_and_is_kept() -> None:
    text = "---\nname: 日本語文章作成\ndescription: 日本語の文章を編集する。\n---\n本文\n"
    (draft,) = convert_text(text, "S", "skill", "japanese-writing").drafts
    assert draft.rel == "skills/japanese_writing.py"
    assert "name: 日本語文章作成" in draft.docstring


def test_import_bullets_are_imports_too(project: Path, run: Callable[..., Result]) -> None:
    (project / "CLAUDE.md").write_text("# Extra\n\n- @docs/git.md\n- @~/.claude/me.md\n")
    result = run("convert", "CLAUDE.md")
    assert result.exit_code == 1
    assert "only imports other files (@docs/git.md, @~/.claude/me.md)" in result.stderr


def test_a_file_opening_with_a_rule_loses_nothing_and_other_front_matter_is_kept() -> None:
    ruled = "---\n\n# Billing\n\nBilling issues invoices.\n\n---\n\n- Amounts are cents\n"
    (draft,) = convert_text(ruled, "CLAUDE.md", "claude", "p").drafts
    assert draft.fields["project"] == "Billing"
    assert draft.fields["description"] == "Billing issues invoices."
    assert draft.fields["conventions"] == ["Amounts are cents"]
    continue_rule = "---\nname: Style\nalwaysApply: true\n---\n- Tabs\n"
    (draft,) = convert_text(continue_rule, "style.md", "agents", "p").drafts
    assert draft.fields["notes"] == "Front matter: name: Style"


def test_a_scoped_rule_names_no_project_and_keeps_the_project_description() -> None:
    path = REAL / "copilot-applyto/.github/instructions/python.instructions.md"
    (draft,) = convert_text(path.read_text(), path.name, "copilot", "hint").drafts
    assert draft.fields["project"] == "hint"
    assert draft.fields["description"].startswith("Project converted from")


def test_rule_folders_tell_the_kind_of_plain_markdown_rules(
    project: Path, run: Callable[..., Result]
) -> None:
    rules = {
        ".cursor/rules/frontend/react.mdc": "---\nglobs: src/**/*.tsx\n---\n- Hooks only\n",
        ".claude/rules/api.md": "---\npaths:\n  - src/api/**\n---\n- Validate input\n",
        ".windsurf/rules/style.md": "---\ntrigger: always_on\n---\n- Tabs\n",
    }
    for rel, text in rules.items():
        (project / rel).parent.mkdir(parents=True, exist_ok=True)
        (project / rel).write_text(text)
    result = run("convert", ".cursor/rules", ".claude/rules/api.md", ".windsurf/rules/style.md")
    assert result.exit_code == 0, result.output
    assert "as cursor-mdc" in result.output and "as claude" in result.output
    conventions = compile_source((project / ".stato/context.py").read_text(), "c").fields[
        "conventions"
    ]
    assert conventions == ["[src/**/*.tsx] Hooks only", "[src/api/**] Validate input", "Tabs"]


def test_a_claude_md_linked_to_agents_md_keeps_its_name_and_adds_nothing(
    project: Path, run: Callable[..., Result]
) -> None:
    (project / "AGENTS.md").write_text("## Style\n\n- Tabs, not spaces\n")
    (project / "CLAUDE.md").symlink_to("AGENTS.md")
    assert run("convert", "AGENTS.md").exit_code == 0
    before = tree(project / ".stato")
    result = run("convert", "CLAUDE.md", "AGENTS.md")
    assert result.exit_code == 0, result.output
    assert "Read CLAUDE.md as claude" in result.output
    assert "kept" not in result.output  # two made-up descriptions are no conflict
    assert tree(project / ".stato") == before


def test_memory_sections_keep_what_is_not_a_task_issue_or_phase() -> None:
    text = (
        "# Proj\n\n## Current status\n\nShipping v2 this week.\n\n- Auth done\n\n"
        "## TODO\n\nWe track the rest in Linear.\n\n- Migrate CI\n\n```bash\nmake release\n```\n\n"
        "## Known issues\n\n| Issue | Workaround |\n|---|---|\n| Flaky e2e | rerun |\n\n"
        "- **Timeouts**: the PDF worker times out\n"
    )
    context, memory = (d.fields for d in convert_text(text, "F", "claude", "p").drafts)
    assert memory["phase"] == "Shipping v2 this week."
    assert memory["tasks"] == ["Migrate CI"]
    assert memory["known_issues"] == {"timeouts": "**Timeouts**: the PDF worker times out"}
    for kept in (
        "- Auth done",
        "We track the rest in Linear.",
        "```bash\nmake release\n```",
        "| Issue | Workaround |\n|---|---|\n| Flaky e2e | rerun |",
    ):
        assert kept in context["notes"], kept


def test_only_a_sentence_written_as_an_h1_comment_stops_being_a_heading() -> None:
    text = (
        "# This file provides instructions for Copilot in this repository.\n"
        "# Docs: https://docs.github.com/copilot\n\n"
        "## Always run the tests before you commit anything.\n\n- `make test`\n\n"
        "## Why do we use pnpm instead of npm here?\n\n- Workspaces\n"
    )
    (draft,) = convert_text(text, "F", "copilot", "p").drafts
    assert draft.fields["conventions"] == [
        "Always run the tests before you commit anything.: `make test`",
        "Why do we use pnpm instead of npm here?: Workspaces",
    ]
    assert "Docs: https://docs.github.com/copilot" in draft.fields["notes"]


def test_a_bad_file_among_good_ones_writes_nothing(
    project: Path, run: Callable[..., Result]
) -> None:
    shutil.copyfile(REAL / "skill-pdf/SKILL.md", project / "SKILL.md")
    (project / "CLAUDE.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\xff")
    before = tree(project / ".stato")
    result = run("convert", "SKILL.md", "CLAUDE.md")
    assert result.exit_code == 1
    assert result.stderr == "error: CLAUDE.md is not UTF-8 text; save it as UTF-8 and retry\n"
    assert tree(project / ".stato") == before


def test_text_beside_an_html_comment_is_kept() -> None:
    text = "<!-- prettier-ignore --> Use pnpm always, never npm\n\n<!-- only a comment -->\n"
    (draft,) = convert_text(text, "F", "claude", "p").drafts
    assert draft.fields["description"] == "Use pnpm always, never npm"
    assert "comment" not in repr(draft.fields)


def test_only_the_sentence_about_the_file_is_left_out_of_the_intro() -> None:
    text = (
        "# CLAUDE.md\n\nThis file provides guidance to Claude Code (claude.ai/code) when working "
        "with code in this repository. Acme Billing is a TypeScript monorepo that issues "
        "invoices.\n\n- Amounts are integer cents\n"
    )
    (draft,) = convert_text(text, "CLAUDE.md", "claude", "p").drafts
    assert (
        draft.fields["description"] == "Acme Billing is a TypeScript monorepo that issues invoices."
    )


def test_a_sentence_that_only_mentions_the_file_is_kept() -> None:
    # Only a sentence whose subject is the file is left out; one that names the file on its way
    # to an instruction is the person's text (the real InvoiceShelf and beads AGENTS.md lost it).
    text = (
        "# AGENTS.md\n\nGuide for agents in this repository. The tool files (CLAUDE.md) are "
        "symlinks to this file; run `make ai-docs` to recreate them.\n\nThis file exists for "
        "tools that look for AGENTS.md. The marker above says a divergence between this file "
        "and CLAUDE.md is expected.\n\n- Use pnpm\n"
    )
    (draft,) = convert_text(text, "AGENTS.md", "agents", "p").drafts
    kept = repr(draft.fields)
    for said in ("run `make ai-docs` to recreate them", "divergence between this file"):
        assert said in kept, said
    assert "This file exists" not in kept


def test_emoji_and_numbers_before_memory_headings_are_looked_past() -> None:
    text = (
        "# App\n\n## 🐛 Known Issues & Limitations\n\n- **Storage**: localStorage holds ~5MB\n\n"
        "## 🚀 Current Status\n\nBeta since May.\n\n## 2. TODO\n\n- Ship v2\n\n"
        "## 1️⃣ Setup\n\n- npm i\n"
    )
    context, memory = (d.fields for d in convert_text(text, "F", "claude", "p").drafts)
    assert memory == {
        "phase": "Beta since May.",
        "tasks": ["Ship v2"],
        "known_issues": {"storage": "**Storage**: localStorage holds ~5MB"},
    }
    assert context["conventions"] == ["1️⃣ Setup: npm i"]


_PIECES = st.lists(
    st.one_of(
        _AWKWARD,
        st.sampled_from(
            [
                "## TODO\n",
                "## Known issues\n",
                "## Status\n",
                "## Gotchas\n",
                "## Parameters\n",
                "- [ ] ",
                "- [x] ",
                "\n\n",
                "\n",
                "1. ",
            ]
        ),
        st.text(max_size=10),
    ),
    max_size=25,
)


@example(
    first=["## TODO\n", "- ", "ship"], second=["- [x] ", "done", "\n", "- a"], name="CLAUDE.md"
)
@example(first=["## Gotchas\n", "- ", '"""'], second=["## Parameters\n- `k`: 1"], name="SKILL.md")
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(first=_PIECES, second=_PIECES, name=st.sampled_from(["CLAUDE.md", "SKILL.md", "r.mdc"]))
def test_converting_again_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, first: list[str], second: list[str], name: str
) -> None:
    """Two files converted one after the other, then each again: the second pass adds nothing."""
    from stato.errors import StatoError
    from stato.ops.convert import convert_files

    root = tmp_path_factory.mktemp("p")
    (root / ".stato" / "skills").mkdir(parents=True)
    files = []
    for n, parts in enumerate((first, second)):
        path = root / f"in{n}" / name
        path.parent.mkdir()
        path.write_bytes("".join(parts).encode("utf-8", "surrogatepass"))
        files.append(path)
    try:
        with accepting(tuple(r.id for r in INJECTION_RULES)):  # the gate is tested elsewhere
            for path in files:
                convert_files([path], root)
    except StatoError as exc:
        assert "\n" not in str(exc)  # one line, and the project is as it was
        return
    before = tree(root / ".stato")
    with accepting(tuple(r.id for r in INJECTION_RULES)):
        for path in files:
            report = convert_files([path], root)
            assert all(m.action == "unchanged" for m in report.modules), report.to_dict()
    assert tree(root / ".stato") == before


def test_a_rule_added_under_the_bridge_block_is_converted_without_statos_front_matter(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init", "--example").exit_code == 0
    assert run("bridge", "--platform", "cursor-rules,cursor-legacy").exit_code == 0
    rule = tmp_path / ".cursor/rules/stato.mdc"
    rule.write_text(rule.read_text() + "\n## Team rules\n\n- Review every PR within a day\n")
    result = run("convert", ".cursor/rules/stato.mdc")
    assert result.exit_code == 0, result.output
    fields = compile_source((tmp_path / ".stato/context.py").read_text(), "context.py").fields
    assert "Team rules: Review every PR within a day" in fields["conventions"]
    assert "stato project expertise" not in repr(fields)
    assert "Available Skills" not in repr(fields)


@pytest.mark.parametrize(
    ("code", "commands"),
    [
        ("npm install\nnpm run dev  # port 5173", ["`npm install`", "`npm run dev  # port 5173`"]),
        (
            "docker run \\\n  -p 80:80 img\n# then open the browser",
            ["`docker run -p 80:80 img`", "then open the browser"],
        ),
        ("def f():\n    return 1", []),
        ("├── src/\n│   └── main.rs", []),
        ("DATABASE_URL=postgres://localhost/app", []),
        ("$ make test\nok  pkg 0.1s", []),
    ],
)
def test_an_unlabelled_fence_is_commands_only_when_it_reads_as_commands(
    code: str, commands: list[str]
) -> None:
    text = f"## Build\n\n```\n{code}\n```\n"
    (draft,) = convert_text(text, "F", "agents", "p").drafts
    assert draft.fields.get("conventions", []) == [f"Build: {c}" for c in commands]
    if not commands:  # kept verbatim, indentation and all
        assert f"```\n{code}\n```" in draft.fields["notes"]


def test_a_fence_holding_fences_stays_one_block_in_the_notes() -> None:
    inner = "# T\n\n```bash\nmake\n```"
    (draft,) = convert_text(
        f"## Example\n\n````markdown\n{inner}\n````\n", "F", "claude", "p"
    ).drafts
    assert f"````markdown\n{inner}\n````" in draft.fields["notes"]


def test_two_known_issues_with_one_label_are_both_kept() -> None:
    text = "## Known issues\n\n- **Windows**: long paths fail\n- **Windows**: CRLF in fixtures\n"
    memory = convert_text(text, "F", "claude", "p").drafts[-1].fields
    assert memory["known_issues"] == {
        "windows": "**Windows**: long paths fail",
        "windows_2": "**Windows**: CRLF in fixtures",
    }


def test_a_rule_linked_out_of_the_project_is_never_read(
    project: Path, run: Callable[..., Result], tmp_path_factory: pytest.TempPathFactory
) -> None:
    # A cloned project's `.claude/rules/notes.md -> ~/.aws/credentials` copied the user's
    # secrets into .stato/context.py; a link inside the project (CLAUDE.md -> AGENTS.md) is fine.
    secret = tmp_path_factory.mktemp("home") / "credentials"
    secret.write_text("# Keys\n\n- aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYzq8\n")
    rules = project / ".claude" / "rules"
    rules.mkdir(parents=True)
    (rules / "ok.md").write_text("# Rules\n\n- Use pnpm\n")
    (rules / "notes.md").symlink_to(secret)
    before = tree(project / ".stato")
    for named in (".claude/rules", ".claude/rules/notes.md"):
        result = run("convert", named)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: .claude/rules/notes.md leads out of the project")
        assert result.stderr.count("\n") == 1
        assert tree(project / ".stato") == before
    (rules / "notes.md").unlink()
    (project / "AGENTS.md").write_text("# Agents\n\n- Run the tests first\n")
    (project / "CLAUDE.md").symlink_to("AGENTS.md")
    assert run("convert", "CLAUDE.md", ".claude/rules").exit_code == 0
    assert "wJalr" not in repr(tree(project / ".stato"))


ROUND_TRIP_SKILL = '''\
class QcFilter:
    """Filter cells, in three steps.

    ## Steps

    1. Drop cells under min_genes.
    2. Drop cells over max_pct_mito.

    ## Lessons learned

    Not a section of the export: it belongs to the procedure.
    """

    name = "QC_Filter"
    description = "Filter low-quality cells; use before normalizing."
    version = "2.1.0"
    depends_on = ["scanpy", "normalize"]
    default_params = {
        "min_genes": 200,
        "as_text": "200",
        "flag": True,
        "empty": "",
        "mode": "a|b",
        "method": "scran",
        "groups": ["a", "b"],
        "template": "x" * 90,
    }
    input_schema = {"adata_path": "str", "layers": ["counts", "raw"]}
    output_schema = {"adata": "AnnData, filtered", "n_kept": "int"}
    lessons_learned = """
- FFPE samples: raise max_pct_mito to 40
- Mouse data: use the mt- prefix
"""

    @staticmethod
    def run(**kwargs: object) -> dict[str, object]:
        return kwargs
'''


def test_converting_the_skills_export_gives_the_skill_back_field_for_field(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    """SKILL.md stato wrote -> `stato convert` in another project -> the same skill: its name
    (not an Agent Skill name), whole procedure, every default with its type, its input and
    output schemas, dependencies and lessons; exporting it again writes the same SKILL.md."""
    other, here = tmp_path / "other", tmp_path / "here"
    for folder in (other, here):
        folder.mkdir()
        assert run("init", "--path", str(folder)).exit_code == 0
    (other / ".stato/skills/qc_filter.py").write_text(ROUND_TRIP_SKILL, "utf-8")
    assert run("bridge", "--platform", "skills", "--path", str(other)).exit_code == 0
    exported = other / ".agents/skills/qc-filter/SKILL.md"
    result = run("convert", str(exported), "--path", str(here))
    assert result.exit_code == 0, result.output
    original = compile_source(ROUND_TRIP_SKILL, "qc_filter.py")
    back = compile_source((here / ".stato/skills/qc_filter.py").read_text(), "qc_filter.py")
    for key in (
        "name",
        "description",
        "version",
        "depends_on",
        "default_params",
        "input_schema",
        "output_schema",
    ):
        assert back.fields[key] == original.fields[key], key
    assert back.fields["lessons_learned"].strip() == original.fields["lessons_learned"].strip()
    assert back.docstring == original.docstring
    assert run("bridge", "--platform", "skills", "--path", str(here)).exit_code == 0
    assert (here / ".agents/skills/qc-filter/SKILL.md").read_text() == exported.read_text()


@pytest.mark.parametrize("platform", ["agents", "cursor-rules", "kiro-steering"])
def test_sections_after_stato_block_keep_their_line_in_the_file(
    tmp_path: Path, run: Callable[..., Result], platform: str
) -> None:
    """A person's section below the block (and the front matter) stato wrote is reported at
    its own line of the file, not at its line once stato's text is left out."""
    assert run("init", "--example").exit_code == 0
    assert run("bridge", "--platform", platform).exit_code == 0
    path = next(p for p in tmp_path.rglob("*.md*") if "stato:begin" in p.read_text())
    path.write_text(path.read_text() + "\n## My rules\n\n- Use tabs\n")
    line = path.read_text().split("\n").index("## My rules") + 1
    result = run("convert", str(path), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    routes = json.loads(result.output)["inputs"][0]["sections"]
    assert [r["line"] for r in routes if r["heading"] == "My rules"] == [line]
