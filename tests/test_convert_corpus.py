"""stato convert over the real-world corpus: nothing lost, no rule as a task, no junk dependency,
idempotent, valid; and the cases the corpus is thin on, written from each format's docs."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.gate import accepting
from stato.core.compiler import compile_source
from stato.core.privacy import INJECTION_RULES
from stato.formats.deps import PACKAGE
from tests.convert_corpus import (
    Entry,
    Outcome,
    convert_one,
    corpus_dir,
    entries,
    found,
    norm,
    pieces,
    strings,
)

ALL_RULES = tuple(r.id for r in INJECTION_RULES)
ROOT = corpus_dir()
ENTRIES = entries(ROOT) if ROOT is not None else []
corpus = pytest.mark.skipif(ROOT is None, reason="../shared/corpora/instructions is absent")
# Open work as the text says it: a to-do heading, an unchecked box, "TODO", "next:".
OPEN_WORK = re.compile(
    r"\[ \]|\bTODO\b|\bFIXME\b|\bnext\b\s*[:\-]|^#+\s.*\b(to-?do|next steps?|next up)\b",
    re.I | re.M,
)
# Words that were the "dependencies" of stato 0.1's first-word rule.
PROSE_WORDS = {"use", "every", "study", "never", "always", "the", "a", "run", "make", "do"}


@pytest.fixture(scope="module")
def outcomes() -> Iterator[dict[str, tuple[Outcome, Path]]]:
    """Each corpus file converted once into its own project (the gate's findings accepted: the
    corpus holds real text that steers agents, which is what instruction files do)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = {}
        with accepting(ALL_RULES):
            for n, entry in enumerate(ENTRIES):
                work = Path(tmp) / str(n)
                out[entry.file.name] = (convert_one(entry, work), work)
        yield out


def _ids(entry: Entry) -> str:
    return entry.file.name


@corpus
def test_the_corpus_is_there_as_documented() -> None:
    assert len(ENTRIES) == 84
    assert {e.kind for e in ENTRIES} >= {"claude", "agents", "skill", "mdc", "kiro", "qwen"}


@corpus
@pytest.mark.parametrize("entry", ENTRIES, ids=_ids)
def test_every_heading_bullet_and_fence_lands_in_a_module(
    entry: Entry, outcomes: dict[str, tuple[Outcome, Path]]
) -> None:
    outcome, _ = outcomes[entry.file.name]
    if outcome.note:  # only a file that holds nothing but imports may give no module
        assert "only imports other files" in outcome.note, outcome.note
        return
    assert not {k: v for k, v in outcome.missing.items() if v}, outcome.missing
    assert not outcome.errors, outcome.errors
    assert not outcome.lines_over, outcome.lines_over  # no line longer than the source's


@corpus
@pytest.mark.parametrize("entry", ENTRIES, ids=_ids)
def test_no_rule_is_a_task_and_no_dependency_is_junk(
    entry: Entry, outcomes: dict[str, tuple[Outcome, Path]]
) -> None:
    outcome, _ = outcomes[entry.file.name]
    text = entry.file.read_text("utf-8", errors="replace")
    if not OPEN_WORK.search(text):
        assert outcome.tasks == 0, "a file without to-do markers gave tasks"
    for dep in outcome.deps:
        assert PACKAGE.fullmatch(dep) and dep.lower() not in PROSE_WORDS, dep
        lines = [line for line in text.splitlines() if dep in line]
        assert lines, dep  # named in the file ...
        install = re.compile(r"\b(install|add|get)\b|^\s*[-*]\s+`|^\s*\w[\w.-]*(\s*[,(]|\s*$)")
        assert any(install.search(line) for line in lines), (
            dep,
            lines[:3],
        )  # ... where it's needed


@corpus
@pytest.mark.parametrize("entry", ENTRIES[::7], ids=_ids)
def test_converting_a_corpus_file_again_changes_nothing(
    entry: Entry, outcomes: dict[str, tuple[Outcome, Path]]
) -> None:
    from stato.ops.convert import convert_files

    outcome, work = outcomes[entry.file.name]
    if outcome.note:
        return
    with accepting(ALL_RULES):
        again = convert_files([work / "repo" / entry.path], work / "proj")
    assert {m.action for m in again.modules} == {"unchanged"}, [
        (m.rel, m.action) for m in again.modules
    ]


# -- cases the corpus is thin on ----------------------------------------------------------------


def _fields(root: Path) -> dict[str, dict]:
    return {
        p.relative_to(root / ".stato").as_posix(): compile_source(p.read_text(), p.name).fields
        for p in sorted((root / ".stato").rglob("*.py"))
        if ".history" not in p.parts
    }


def test_windsurf_cline_kiro_and_rule_folders_are_read(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / ".windsurfrules").write_text("# Rules\n\n- Tabs, not spaces\n", "utf-8")
    (tmp_path / ".clinerules").mkdir()
    (tmp_path / ".clinerules/style.md").write_text("- Prefer small functions\n", "utf-8")
    (tmp_path / ".kiro/steering").mkdir(parents=True)
    (tmp_path / ".kiro/steering/api.md").write_text(
        '---\ninclusion: fileMatch\nfileMatchPattern: "app/api/**"\n---\n- Validate bodies\n',
        "utf-8",
    )
    (tmp_path / ".windsurf/rules").mkdir(parents=True)
    (tmp_path / ".windsurf/rules/t.md").write_text(
        "---\ntrigger: glob\nglobs: '*.test.ts'\n---\n- Use vitest\n", "utf-8"
    )
    result = run("convert", ".windsurfrules", ".clinerules", ".kiro/steering", ".windsurf/rules")
    assert result.exit_code == 0, result.output
    conventions = _fields(tmp_path)["context.py"]["conventions"]
    assert "Rules: Tabs, not spaces" in conventions or "Tabs, not spaces" in conventions
    assert "Prefer small functions" in conventions
    assert "[app/api/**] Validate bodies" in conventions  # Kiro's fileMatchPattern scopes it
    assert "[*.test.ts] Use vitest" in conventions  # Windsurf's globs too
    assert "trigger: glob" in _fields(tmp_path)["context.py"]["notes"]


def test_a_single_file_clinerules_and_json_cursorrules(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / ".clinerules").write_text("## Testing\n\n- Run `pytest -q`\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub/.cursorrules").write_text(
        '{"rules": ["Use TypeScript strict mode", "No default exports"], "style": {"quotes": '
        '"single"}}',
        "utf-8",
    )
    assert run("convert", ".clinerules", "sub/.cursorrules").exit_code == 0
    text = repr(_fields(tmp_path)["context.py"])
    for kept in ("Run `pytest -q`", "Use TypeScript strict mode", "No default exports", "single"):
        assert kept in text, kept


def test_an_empty_input_is_said_and_the_batch_goes_on(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "AGENTS.md").write_text("", "utf-8")
    (tmp_path / "QWEN.md").write_text("# Bot\n\nA bot.\n\n- Log in English\n", "utf-8")
    result = run("convert", "AGENTS.md", "QWEN.md")
    assert result.exit_code == 0, result.output
    assert "AGENTS.md is empty" in result.output
    assert "Log in English" in repr(_fields(tmp_path)["context.py"])


def test_front_matter_after_an_html_comment_is_read(tmp_path: Path) -> None:
    from stato.formats.convert import convert_text

    text = "<!-- generated: keep -->\n---\napplyTo: 'src/**/*.py'\n---\n- Type every function\n"
    (draft,) = convert_text(text, "x.instructions.md", "copilot", "p").drafts
    assert draft.fields["conventions"] == ["[src/**/*.py] Type every function"]


def test_same_name_skills_are_both_kept_and_inputs_stay_apart(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    for n in (1, 2):
        folder = tmp_path / f"s{n}/deploy"
        folder.mkdir(parents=True)
        (folder / "SKILL.md").write_text(
            f"---\nname: deploy\ndescription: Deploy, variant {n}.\n---\nBody {n}.\n", "utf-8"
        )
    (tmp_path / "CLAUDE.md").write_text(
        "# A\n\nA is a billing service for shops.\n\n## Last of A\n\nText A.\n", "utf-8"
    )
    (tmp_path / "GEMINI.md").write_text(
        "B is the mobile app of the same project.\n\n- Rule of B, with no heading\n", "utf-8"
    )
    args = ("convert", "s1/deploy", "s2/deploy", "CLAUDE.md", "GEMINI.md")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "kept as 'deploy-2'" in result.output
    fields = _fields(tmp_path)
    assert fields["skills/deploy.py"]["description"] == "Deploy, variant 1."
    assert fields["skills/deploy_2.py"]["description"] == "Deploy, variant 2."
    # B's intro is kept (the project keeps A's description) under a heading of its own, and
    # B's rule is not filed under A's last heading.
    notes = fields["context.py"]["notes"]
    assert notes.index("Text A.") < notes.index("# From GEMINI.md") < notes.index("B is the mobile")
    assert "Rule of B, with no heading" in fields["context.py"]["conventions"]
    assert not any("Last of A: Rule of B" in c for c in fields["context.py"]["conventions"])
    before = {p: p.read_bytes() for p in (tmp_path / ".stato").rglob("*.py")}
    assert run(*args).exit_code == 0
    assert {p: p.read_bytes() for p in (tmp_path / ".stato").rglob("*.py")} == before


def test_cjk_rtl_and_emoji_survive_and_sentences_end_at_full_stops(tmp_path: Path) -> None:
    from stato.formats.convert import convert_text

    text = (
        "# 项目\n\n本文件为代理提供指导。这是一个每天早上发布天气预报的电报机器人！\n\n## 规则\n\n- 日志用英文 🚀\n"
        "- כתבו בדיקות לכל פונקציה\n- اكتب الاختبارات أولا\n"
    )
    context = convert_text(text, "CLAUDE.md", "claude", "p").drafts[0].fields
    assert (
        context["description"] == "这是一个每天早上发布天气预报的电报机器人！"
    )  # the sentence about the file left out
    for kept in ("日志用英文 🚀", "כתבו בדיקות לכל פונקציה", "اكتب الاختبارات أولا"):
        assert any(kept in c for c in context["conventions"]), kept


def test_awkward_and_long_text_is_written_as_readable_lines(tmp_path: Path) -> None:
    from stato.core.render import render_module
    from stato.formats.convert import convert_text

    long = " ".join(["word"] * 120)
    text = (
        "# P\n\nA project.\n\n## Paths\n\n- Config in `C:\\Users\\me\\app.toml`\n"
        f"- {long}\n\n```python\ns = '''x''' + \"\"\"y\"\"\"\n```\n"
    )
    for draft in convert_text(text, "CLAUDE.md", "claude", "p").drafts:
        source = render_module(
            draft.class_name, draft.fields, draft.docstring, draft.methods_source
        )
        assert max(len(line) for line in source.splitlines()) <= 200
        assert compile_source(source, draft.rel).fields == draft.fields


def test_procedures_become_skills_and_checklists_stay_rules(tmp_path: Path) -> None:
    from stato.formats.convert import convert_text

    text = (
        "# App\n\nAn app.\n\n## How to add a widget\n\n1. Create `widgets/x.ts`\n"
        "2. Register it in `index.ts`\n3. Run `npm test`\n\n"
        "## Review checklist\n\n- [ ] Tests pass\n- [ ] Docs updated\n\n"
        "## Task Status Updates\n\n- Set to doing before starting\n"
    )
    out = {d.rel: d for d in convert_text(text, "CLAUDE.md", "claude", "p").drafts}
    assert set(out) == {"context.py", "skills/how_to_add_a_widget.py"}  # no memory.py
    skill = out["skills/how_to_add_a_widget.py"]
    assert "2. Register it in `index.ts`" in skill.docstring
    conventions = out["context.py"].fields["conventions"]
    assert "Review checklist: [ ] Tests pass" in conventions
    assert "Task Status Updates: Set to doing before starting" in conventions


@pytest.mark.parametrize(
    ("text", "description"),
    [
        (
            "# X\n\n## What is this project?\n\nOpen Island is a macOS app.\n",
            "Open Island is a macOS app.",
        ),
        (
            "# Blog\n\n## Project overview\n\nMy Blog is a monorepo containing:\n\n- a web app\n",
            "My Blog is a monorepo containing:",
        ),
        (
            "# 天气\n\n这是一个每天早上发布天气预报的电报机器人。\n",
            "这是一个每天早上发布天气预报的电报机器人。",
        ),
    ],
)
def test_the_text_under_the_title_is_the_description(text: str, description: str) -> None:
    from stato.formats.convert import convert_text

    context = convert_text(text, "AGENTS.md", "agents", "p").drafts[0].fields
    assert context["description"] == description
    if "containing" in text:
        assert "a web app" in repr(context["conventions"])  # the lead's list stays a rule


def test_lessons_of_two_files_converted_apart_are_both_kept(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "CLAUDE.md").write_text("## Gotchas\n\n- Webhooks arrive late\n", "utf-8")
    (tmp_path / "AGENTS.md").write_text("## Gotchas\n\n- The cache lies on Mondays\n", "utf-8")
    assert run("convert", "CLAUDE.md").exit_code == 0
    assert run("convert", "AGENTS.md").exit_code == 0
    lessons = _fields(tmp_path)["skills/gotchas.py"]["lessons_learned"]
    assert "Webhooks arrive late" in lessons and "The cache lies on Mondays" in lessons


_WORDS = (
    "alpha beta TODO Next: install pip How to Add Known issues Status Tasks Requirements "
    "Parameters Gotchas lessons we found because 日本語 。 ！ `code` **bold** @AGENTS.md "
    "This file provides guidance עברית 🚀"
)
_WORD = st.sampled_from([*_WORDS.split(), "\\", '"""'])
_TEXT = st.lists(_WORD, min_size=1, max_size=8).map(" ".join)
_BLOCK = st.one_of(
    st.tuples(st.integers(1, 4), _TEXT).map(lambda t: "#" * t[0] + " " + t[1]),
    st.lists(
        st.tuples(st.sampled_from(["- ", "1. ", "- [ ] ", "- [x] ", "  - "]), _TEXT).map("".join),
        min_size=1,
        max_size=4,
    ).map(
        lambda items: "- x\n" + "\n".join(items) if items[0].startswith("  ") else "\n".join(items)
    ),
    st.tuples(st.sampled_from(["", "bash", "python"]), st.lists(_TEXT, min_size=1, max_size=3)).map(
        lambda t: f"```{t[0]}\n" + "\n".join(t[1]) + "\n```"
    ),
    _TEXT,
)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    blocks=st.lists(_BLOCK, min_size=1, max_size=10),
    kind=st.sampled_from(["claude", "agents", "skill", "cursor-mdc", "copilot"]),
)
def test_generated_markdown_loses_no_heading_bullet_or_fence(blocks: list[str], kind: str) -> None:
    from stato.core.render import render_module
    from stato.formats.convert import convert_text

    text = "\n\n".join(blocks) + "\n"
    conversion = convert_text(text, "F.md", kind, "p")
    texts = []
    for draft in conversion.drafts:
        source = render_module(
            draft.class_name, draft.fields, draft.docstring, draft.methods_source
        )
        result = compile_source(source, draft.rel)
        assert result.valid, result.errors
        texts += [result.docstring or "", *strings(result.fields)]
    hay = norm("\n".join(texts))
    if conversion.drafts:
        missing = {k: [p for p in v if not found(p, k, hay)] for k, v in pieces(text).items()}
        assert not any(missing.values()), missing


def test_the_report_says_where_each_section_went(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    import json

    (tmp_path / "CLAUDE.md").write_text(
        "# Shop\n\nA shop that sells tea online.\n\n## Style\n\n- Tabs\n\n## How to deploy\n\n1. Build\n2. Push\n\n"
        "## TODO\n\n- [ ] Ship\n- [x] Plan\n",
        "utf-8",
    )
    result = run("convert", "CLAUDE.md", "--dry-run")
    assert result.exit_code == 0, result.output
    for line in (
        "  line 1: Shop -> .stato/context.py description",
        "  line 5: Style -> .stato/context.py conventions",
        "  line 9: How to deploy -> .stato/skills/how_to_deploy.py docstring",
        "  line 14: TODO -> .stato/memory.py tasks; .stato/context.py completed_tasks",
    ):
        assert line in result.output.splitlines(), (line, result.output)
    data = json.loads(run("convert", "CLAUDE.md", "--json").output)
    (source,) = data["inputs"]
    placed = {(s["heading"], s["module"], s["field"]) for s in source["sections"]}
    assert ("How to deploy", "skills/how_to_deploy.py", "docstring") in placed
    assert all(s["signals"] for s in source["sections"] if s["field"] == "docstring")


@corpus
def test_the_whole_corpus_in_one_run_keeps_every_file_apart_and_whole(tmp_path: Path) -> None:
    """All 84 files converted together (one project, shared context.py and memory.py): every
    file's headings, items and fences are still there, and a second run changes nothing."""
    import shutil

    from stato.ops.convert import convert_files

    given = []
    for entry in ENTRIES:
        owner_repo = "/".join(entry.file.name.split("__")[:2])  # two repos' AGENTS.md apart
        target = tmp_path / "repos" / owner_repo / entry.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.file, target)
        given.append(target)
    with accepting(ALL_RULES):
        report = convert_files(given, tmp_path / "proj")
        assert all(m.result.valid for m in report.modules)
        texts = []
        for path in (tmp_path / "proj/.stato").rglob("*.py"):
            if ".history" not in path.parts:
                result = compile_source(path.read_text("utf-8"), path.name)
                texts += [result.docstring or "", *strings(result.fields)]
        hay = norm("\n".join(texts))
        for entry in ENTRIES:
            want = pieces(entry.file.read_text("utf-8-sig", errors="replace"))
            missing = {k: [p for p in v if not found(p, k, hay)] for k, v in want.items()}
            assert not any(missing.values()), (entry.file.name, missing)
        again = convert_files(given, tmp_path / "proj")
    assert {m.action for m in again.modules} == {"unchanged"}
