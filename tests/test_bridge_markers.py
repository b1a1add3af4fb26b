"""stato owns only its marked block: a person's text survives every run, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.errors import StatoError
from stato.formats import markers
from stato.ops.bridge import write_bridges
from stato.ops.init import init_project

HANDWRITTEN = """\
# Our team's notes for Claude

- Never push to main on Fridays.
- The staging database is read-only; ask Priya for write access.

## Commands

    make test      # runs the fast suite
    make lint

Some trailing words without a final newline"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, example=True)
    return tmp_path


def test_handwritten_claude_md_keeps_every_line_across_two_runs(project: Path) -> None:
    claude = project / "CLAUDE.md"
    claude.write_text(HANDWRITTEN, "utf-8")
    first = write_bridges(project, ["claude-md"])
    assert [f.status for f in first.files] == ["updated"]
    after_one = claude.read_text("utf-8")
    assert after_one.startswith(HANDWRITTEN)
    for line in HANDWRITTEN.splitlines():
        assert line in after_one.splitlines()
    assert "qc_filtering" in markers.block_body(after_one)
    mtime = claude.stat().st_mtime_ns
    second = write_bridges(project, ["claude-md"])
    assert [f.status for f in second.files] == ["unchanged"]
    assert second.written == ()
    assert claude.read_text("utf-8") == after_one
    assert claude.stat().st_mtime_ns == mtime


def test_text_after_the_block_survives_a_content_change(project: Path) -> None:
    agents = project / "AGENTS.md"
    write_bridges(project, ["agents"])
    agents.write_text("Intro by a person.\n\n" + agents.read_text("utf-8") + "\nOutro.\n", "utf-8")
    plan = project / ".stato" / "plan.py"
    plan.write_text(plan.read_text("utf-8").replace('"running"', '"complete"', 1), "utf-8")
    result = write_bridges(project, ["agents"])
    assert [f.status for f in result.files] == ["updated"]
    text = agents.read_text("utf-8")
    assert text.startswith("Intro by a person.\n\n" + markers.BEGIN)
    assert text.endswith(markers.END + "\n\nOutro.\n")
    assert "Progress: 4/7 steps complete" in text


def test_crlf_files_keep_their_line_endings(project: Path) -> None:
    gemini = project / "GEMINI.md"
    gemini.write_bytes(b"# Mine\r\nkeep me\r\n")
    write_bridges(project, ["gemini-md"], link=False)
    raw = gemini.read_bytes()
    assert raw.startswith(b"# Mine\r\nkeep me\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    again = write_bridges(project, ["gemini-md"], link=False).files
    assert [f.status for f in again] == ["unchanged"]


def test_a_byte_order_mark_before_the_block_stays_and_the_block_is_found(project: Path) -> None:
    """An editor that saves with a BOM (Windows Notepad) puts it before stato's begin marker
    at the top of the file: the block is still stato's (it used to be "0 stato:begin")."""
    agents = project / "AGENTS.md"
    write_bridges(project, ["agents"])
    agents.write_bytes(b"\xef\xbb\xbf" + agents.read_bytes() + b"\nMine.\n")
    before = agents.read_bytes()
    assert [f.status for f in write_bridges(project, ["agents"]).files] == ["unchanged"]
    (project / ".stato" / "plan.py").unlink()
    assert [f.status for f in write_bridges(project, ["agents"]).files] == ["updated"]
    after = agents.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf<!-- stato:begin") and after.endswith(b"\nMine.\n")
    assert after.count(b"stato:begin") == 1 and after != before


def test_an_empty_file_gets_the_front_matter_its_agent_needs(project: Path) -> None:
    """An empty .mdc (created by an editor) is filled like a new one: without `alwaysApply`
    Cursor would never apply the rule."""
    rule = project / ".cursor" / "rules" / "stato.mdc"
    rule.parent.mkdir(parents=True)
    rule.write_text("", "utf-8")
    write_bridges(project, ["cursor-rules"])
    assert rule.read_text("utf-8").startswith("---\ndescription:")
    assert "alwaysApply: true\n---\n" + markers.BEGIN in rule.read_text("utf-8")


def test_damaged_markers_stop_the_whole_run_and_write_nothing(project: Path) -> None:
    (project / "CLAUDE.md").write_text(f"mine\n{markers.BEGIN}\nhalf a block\n", "utf-8")
    with pytest.raises(StatoError, match="CLAUDE.md"):
        write_bridges(project, ["agents", "claude-md", "gemini-md"])
    assert not (project / "AGENTS.md").exists()
    assert not (project / "GEMINI.md").exists()
    assert (project / "CLAUDE.md").read_text("utf-8") == f"mine\n{markers.BEGIN}\nhalf a block\n"


QUOTED = f"""# Notes

stato keeps its block between two markers, like this:

```markdown
{markers.BEGIN}
(what `stato bridge` writes)
{markers.END}
```

    {markers.END}
"""


def test_markers_quoted_in_a_code_block_are_the_persons_text(project: Path) -> None:
    """Documentation that quotes stato's markers (a fence, an indented block) is neither
    taken for the block (it would be replaced) nor counted as a second one (every run would
    stop): the block is added after it, and the next run finds only that block."""
    claude = project / "CLAUDE.md"
    claude.write_text(QUOTED, "utf-8")
    first = write_bridges(project, ["claude-md"])
    assert [f.status for f in first.files] == ["updated"]
    text = claude.read_text("utf-8")
    assert text.startswith(QUOTED) and "qc_filtering" in markers.block_body(text)
    again = write_bridges(project, ["claude-md"])
    assert [f.status for f in again.files] == ["unchanged"]
    assert claude.read_text("utf-8") == text
    assert markers.upsert(text, "other").startswith(QUOTED)


def test_check_writes_nothing_and_reports_stale(project: Path) -> None:
    result = write_bridges(project, ["all"], check=True)
    assert result.stale and result.written == ()
    assert not (project / "AGENTS.md").exists()
    write_bridges(project, ["all"])
    assert not write_bridges(project, ["all"], check=True).stale


def test_claude_links_to_agents_md_only_when_it_carries_the_bridge(project: Path) -> None:
    write_bridges(project, ["claude-md"])
    assert "qc_filtering" in (project / "CLAUDE.md").read_text("utf-8")
    write_bridges(project, ["agents"])
    write_bridges(project, ["claude-md"])
    assert markers.block_body((project / "CLAUDE.md").read_text("utf-8")) == "@AGENTS.md"
    write_bridges(project, ["claude-md"], link=False)
    assert "qc_filtering" in (project / "CLAUDE.md").read_text("utf-8")


def test_a_file_in_the_way_of_a_folder_is_a_clear_error(project: Path) -> None:
    (project / ".clinerules").write_text("legacy single-file rules\n", "utf-8")
    with pytest.raises(StatoError, match=r"\.clinerules is a file"):
        write_bridges(project, ["clinerules"])
    assert (project / ".clinerules").read_text("utf-8") == "legacy single-file rules\n"


user_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300).filter(
    lambda t: "stato:begin" not in t and "stato:end" not in t
)
bodies = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\r"), min_size=1, max_size=200
).filter(lambda t: "stato:" not in t and t.strip("\n"))


@settings(max_examples=300)
@given(user_text, bodies, bodies)
def test_upsert_keeps_user_text_and_is_idempotent(text: str, body1: str, body2: str) -> None:
    once = markers.upsert(text, body1)
    assert once.startswith(text)
    assert markers.upsert(once, body1) == once
    twice = markers.upsert(once, body2)
    assert twice.startswith(text)
    assert markers.block_body(twice) == body2.strip("\n")
    assert markers.upsert(twice, body1) == once


@settings(max_examples=300)
@given(user_text, user_text, bodies)
def test_text_on_both_sides_of_the_block_is_untouched(before: str, after: str, body: str) -> None:
    prefix = before if before.endswith("\n") or not before else before + "\n"
    doc = prefix + markers.wrap("old") + after
    new = markers.upsert(doc, body)
    # the block keeps its own line endings, whatever the person's text uses
    assert new == prefix + markers.wrap(body) + after


def test_a_symlinked_claude_md_is_left_alone(project: Path) -> None:
    (project / "AGENTS.md").write_text("# shared notes\n", "utf-8")
    (project / "CLAUDE.md").symlink_to("AGENTS.md")
    result = write_bridges(project, ["all"])
    claude = next(f for f in result.files if f.path == "CLAUDE.md")
    assert claude.status == "kept" and "symlink to AGENTS.md" in claude.note
    assert (project / "CLAUDE.md").is_symlink()
    agents = (project / "AGENTS.md").read_text("utf-8")
    assert agents.startswith("# shared notes\n") and "qc_filtering" in agents
    assert not write_bridges(project, ["all"], check=True).stale


def test_a_linked_claude_md_keeps_the_file_it_imports_current(project: Path) -> None:
    forced = write_bridges(project, ["claude-md"], link=True)
    assert {f.path for f in forced.files} == {"CLAUDE.md", "AGENTS.md"}
    assert "qc_filtering" in (project / "AGENTS.md").read_text("utf-8")
    plan = project / ".stato" / "plan.py"
    plan.write_text(plan.read_text("utf-8").replace('"running"', '"complete"', 1), "utf-8")
    again = write_bridges(project, ["claude-md"])
    assert [f.path for f in again.changed] == ["AGENTS.md"]
    assert "Progress: 4/7" in (project / "AGENTS.md").read_text("utf-8")


def test_a_symlinked_file_that_is_not_utf8_is_kept_untouched(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from stato.cli import cli

    assert CliRunner().invoke(cli, ["init", "--example", "--path", str(tmp_path)]).exit_code == 0
    theirs = tmp_path / "notes.md"
    theirs.write_bytes(b"caf\xe9 rules\n")
    (tmp_path / "CLAUDE.md").symlink_to("notes.md")
    result = CliRunner().invoke(cli, ["bridge", "--platform", "claude-md", "--path", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "symlink" in result.output
    assert theirs.read_bytes() == b"caf\xe9 rules\n"
