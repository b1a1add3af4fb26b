"""Agent Skills export: every folder passes the reference validator, names follow the rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from stato.bridges import skills
from stato.bridges.summary import SkillView
from stato.core.agentskills import (
    MAX_DESCRIPTION,
    clean_description,
    export_problems,
    is_valid_name,
    skill_dir_name,
)
from stato.ops.bridge import write_bridges
from stato.ops.init import init_project

try:
    from skills_ref.validator import validate as agentskills_validate
except ImportError:  # pragma: no cover - skills-ref needs Python 3.11+
    agentskills_validate = None

needs_validator = pytest.mark.skipif(
    agentskills_validate is None, reason="skills-ref not importable"
)

SKILL = '''\
class {cls}:
    """{doc}"""

    name = {name!r}
    description = {desc!r}
    version = "1.0.0"
    default_params = {{"threshold": 0.5, "mode": "fast: with a colon"}}
    lessons_learned = """
- Large inputs: use mode=slow; fast mode dropped 12% of rows
"""

    @staticmethod
    def run(path: str) -> None:
        return None
'''


def _write_skill(root: Path, file: str, name: str, desc: str, cls: str = "Thing") -> None:
    path = root / ".stato" / "skills" / file
    path.write_text(SKILL.format(cls=cls, doc="A skill.", name=name, desc=desc), "utf-8")


def _folders(root: Path) -> list[Path]:
    return sorted(
        p.parent
        for base in (".claude/skills", ".agents/skills")
        for p in (root / base).glob("*/SKILL.md")
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path, example=True)
    return tmp_path


@needs_validator
def test_example_export_passes_the_reference_validator(project: Path) -> None:
    write_bridges(project, ["skills"])
    folders = _folders(project)
    assert len(folders) == 6
    for folder in folders:
        assert agentskills_validate(folder) == [], folder
    # and the validator's own command line, as a user would run it
    cli = Path(sys.executable).parent / "agentskills"
    if cli.exists():
        for folder in folders:
            cmd = [str(cli), "validate", str(folder)]
            run = subprocess.run(cmd, capture_output=True, text=True)
            assert run.returncode == 0, run.stdout + run.stderr


@needs_validator
def test_awkward_names_and_descriptions_still_validate(project: Path) -> None:
    long_desc = "Word " * 400 + "--- tail: with colon"
    _write_skill(project, "a.py", "Übersicht_QC  Filter", "Checks: things # not a comment", "A")
    _write_skill(project, "b.py", "x" * 90, long_desc, "B")
    _write_skill(project, "c.py", "--", "", "C")
    _write_skill(project, "d.py", "qc-filtering", "Collides with qc_filtering's folder", "D")
    result = write_bridges(project, ["skills"])
    assert all(f.status == "created" for f in result.files)
    folders = _folders(project)
    assert len(folders) == 14
    for folder in folders:
        assert agentskills_validate(folder) == [], folder
        front = yaml.safe_load((folder / "SKILL.md").read_text("utf-8").split("---", 2)[1])
        assert front["name"] == folder.name
        assert 0 < len(front["description"]) <= MAX_DESCRIPTION
    names = {f.name for f in folders}
    assert {"ubersicht-qc-filter", "skill", "qc-filtering", "qc-filtering-2"} <= names


def test_a_person_written_skill_md_is_never_replaced(project: Path) -> None:
    mine = project / ".claude" / "skills" / "qc-filtering" / "SKILL.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\nname: qc-filtering\ndescription: my own\n---\nhands off\n", "utf-8")
    result = write_bridges(project, ["skills"])
    kept = [f for f in result.files if f.status == "kept"]
    assert [f.path for f in kept] == [".claude/skills/qc-filtering/SKILL.md"]
    assert mine.read_text("utf-8").endswith("hands off\n")
    assert (project / ".agents/skills/qc-filtering/SKILL.md").is_file()


def test_export_is_idempotent_and_tracks_changes(project: Path) -> None:
    write_bridges(project, ["skills"])
    assert {f.status for f in write_bridges(project, ["skills"]).files} == {"unchanged"}
    qc = project / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text("utf-8").replace('"1.2.0"', '"1.3.0"'), "utf-8")
    changed = write_bridges(project, ["skills"]).changed
    assert {f.path for f in changed} == {
        ".claude/skills/qc-filtering/SKILL.md",
        ".agents/skills/qc-filtering/SKILL.md",
    }
    assert "version: 1.3.0" in (project / ".claude/skills/qc-filtering/SKILL.md").read_text()


def test_body_carries_parameters_and_lessons() -> None:
    view = SkillView(
        "qc",
        "skills/qc.py",
        "1.0.0",
        None,
        (("min_genes", 200),),
        ("Cortex: 85% retained",),
        ("scanpy",),
    )
    ((folder, _),) = skills.folders([view])
    text = skills.render(folder, view)
    assert "| min_genes | `200` |" in text
    assert "- Cortex: 85% retained" in text
    assert skills.generated_by_stato(text)
    assert not skills.generated_by_stato("---\nname: qc\ndescription: x\n---\n")


def test_every_parameter_value_is_whole_and_the_table_holds() -> None:
    """A value with a "|" or a backtick keeps the table's two columns; a long or multi-line
    one is written whole after the table (it was cut at 60 characters)."""
    from markdown_it import MarkdownIt

    genes = [f"Gene{i}" for i in range(40)]
    params = (("sep", "a|b"), ("tick", "x`y"), ("genes", genes), ("note", "one\ntwo"))
    view = SkillView("qc", "skills/qc.py", "1.0.0", "Use when filtering.", params, (), ())
    text = skills.body(view)
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    rows = [tok for tok in tokens if tok.type == "tr_open"]
    assert len(rows) == 1 + len(params)  # the header and one row per parameter, no split rows
    codes = [c.content for t in tokens if t.children for c in t.children if c.type == "code_inline"]
    assert {"a|b", "x`y"} <= set(codes)
    fenced = [t.content for t in tokens if t.type == "fence"]
    assert fenced == [repr(genes) + "\n", "one\ntwo\n"]


@given(st.text(max_size=120))
def test_derived_names_are_always_valid(name: str) -> None:
    folder = skill_dir_name(name)
    assert is_valid_name(folder)
    assert skill_dir_name(folder) == folder


@given(st.from_regex(r"[a-z0-9]+(?:_[a-z0-9]+)*", fullmatch=True) | st.text("ab_9", max_size=70))
def test_a_snake_case_name_takes_the_short_way_to_the_same_folder(name: str) -> None:
    """A snake_case name's folder is its "_" swapped for "-" (most skills: no folding run)."""
    from stato.core.agentskills import _folded

    assert skill_dir_name(name) == _folded(name)


@given(st.text(max_size=3000) | st.text("<> ab", max_size=60))
def test_clean_descriptions_fit_and_have_no_front_matter_fence(text: str) -> None:
    out = clean_description(text)
    assert len(out) <= MAX_DESCRIPTION and "---" not in out and "\n" not in out
    # no XML tag (Anthropic's rule; claude.ai refuses a description holding `<name>`)
    assert re.search(r"<[^>]+>", out) is None


def test_a_tag_in_a_description_is_exported_without_it_and_advised() -> None:
    assert (
        clean_description("Use when typing /review <pr>.")
        == "Use when typing /review \u2039pr\u203a."
    )
    assert clean_description("Keep cells with < 200 genes") == "Keep cells with < 200 genes"
    assert any("XML tag" in p for p in export_problems("ok", "Use for <pr> reviews"))
    assert export_problems("ok", "Keep cells with < 200 genes") == []


def test_export_problems_name_only_what_cannot_go_through_unchanged() -> None:
    assert export_problems("qc-filtering", "Filters cells.") == []
    assert export_problems("qc-filtering", None) == []
    assert export_problems("qc_filtering", "x") == []  # snake_case -> kebab-case loses nothing
    assert any("qc-filtering" in p for p in export_problems("QC_Filtering", "x"))
    assert any("1024" in p for p in export_problems("ok", "y" * 1025))
    assert any("---" in p for p in export_problems("ok", "a --- b"))
    assert export_problems(None, "x") and export_problems("ok", 42)


def test_exports_of_removed_skills_are_stale_then_deleted(project: Path) -> None:
    """An exported SKILL.md of a deleted skill would still be offered to agents: --check fails
    on it and a run deletes it; a person's own skill folder is never touched."""
    write_bridges(project, ["skills"])
    (project / ".stato" / "skills" / "clustering.py").unlink()
    mine = project / ".claude" / "skills" / "handmade" / "SKILL.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("---\nname: handmade\ndescription: mine\n---\n", "utf-8")
    gone = [".agents/skills/clustering/SKILL.md", ".claude/skills/clustering/SKILL.md"]
    checked = write_bridges(project, ["skills"], check=True)
    assert checked.stale and sorted(f.path for f in checked.changed) == gone
    assert (project / gone[0]).is_file()  # --check writes nothing
    report = write_bridges(project, ["skills"])
    assert sorted(f.path for f in report.files if f.status == "deleted") == gone
    assert not (project / ".claude" / "skills" / "clustering").exists()
    assert mine.is_file()  # a person's skill is never stato's to delete
    assert not write_bridges(project, ["skills"], check=True).stale


def _cached(root: Path) -> set[str]:
    """The exports a run would take as unchanged without rendering or reading them."""
    from stato.bridges.platforms import select
    from stato.ops.bridge_plan import Exports, plan_files
    from stato.ops.resume import project_summary

    exports = Exports()
    plan = plan_files(root, select(["skills"]), project_summary(root), "", None, exports)
    assert not set(plan) & set(exports.cached)
    return set(exports.cached)


def test_an_unchanged_rerun_reads_no_export_and_an_edit_is_still_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stato.ops.bridge import write_bridges
    from stato.ops.init import init_project

    init_project(tmp_path, example=True)
    first = write_bridges(tmp_path, ["skills"])
    assert {f.status for f in first.files} == {"created"}
    assert _cached(tmp_path) == {f.path for f in first.files}
    again = write_bridges(tmp_path, ["skills"])
    assert {f.status for f in again.files} == {"unchanged"}
    assert [f.tokens for f in again.files] == [f.tokens for f in first.files]
    # a hand edit that keeps the size is still noticed (ctime, inode) and repaired
    exported = tmp_path / ".agents/skills/normalize/SKILL.md"
    text = exported.read_text("utf-8")
    exported.write_text(text.replace("Lessons", "LESSONS", 1), "utf-8")
    assert ".agents/skills/normalize/SKILL.md" not in _cached(tmp_path)
    repaired = write_bridges(tmp_path, ["skills"])
    assert [f.path for f in repaired.changed] == [".agents/skills/normalize/SKILL.md"]
    assert exported.read_text("utf-8") == text
    # without a cache every file is rendered and compared, with the same answer
    monkeypatch.setenv("STATO_NO_CACHE", "1")
    assert _cached(tmp_path) == set()
    assert not write_bridges(tmp_path, ["skills"]).changed


def test_an_unchanged_rerun_leaves_the_export_cache_file_alone(tmp_path: Path) -> None:
    """Nothing changed: the cache file is not rewritten; a new skill or a deleted one is recorded."""
    from stato.adapters.cachedir import project_file

    init_project(tmp_path, example=True)
    write_bridges(tmp_path, ["skills"])
    cache = project_file("exports", tmp_path)
    assert cache is not None and cache.is_file()
    stamp = cache.stat()
    assert not write_bridges(tmp_path, ["skills"]).changed
    again = cache.stat()
    assert (again.st_ino, again.st_mtime_ns) == (stamp.st_ino, stamp.st_mtime_ns)
    (tmp_path / ".stato" / "skills" / "clustering.py").unlink()
    assert {f.status for f in write_bridges(tmp_path, ["skills"]).changed} == {"deleted"}
    assert not any("clustering" in rel for rel in _cached(tmp_path))
    assert not write_bridges(tmp_path, ["skills"]).changed


_YAML_EDGES = st.text(
    alphabet=" :#-?'\"!&*|>%@`,[]{}.~=<01eEnNoOyYtTrRuUfFlLsSx\u00e9\u2014\ufeff\t\n\x85\u2028",
    max_size=12,
)


@given(st.lists(st.one_of(st.text(max_size=40), _YAML_EDGES), min_size=5, max_size=5))
def test_the_front_matter_writer_is_byte_equal_to_pyyaml_and_reads_back(values: list[str]) -> None:
    """The hand-written front matter (no PyYAML emitter: ~1 s per 5,000 skills) is exactly what
    PyYAML's SafeDumper writes, and PyYAML reads back exactly the values written."""
    name, description, source, stato_name, version = values
    meta = {"generated-by": "stato", "source": source, "stato-name": stato_name}
    meta["version"] = version
    data = {"name": name, "description": description, "metadata": meta}
    fast = skills._fast_yaml(data)
    if fast is not None:  # else PyYAML writes it (which reads U+0085 back as a space)
        assert fast == skills._pyyaml(data)
        assert yaml.safe_load(fast) == data


def test_everyday_front_matter_takes_the_fast_writer() -> None:
    for value in ("Filters cells: use when QC metrics arrive.", "1.0", "yes", "café — x", "a #b"):
        data = {"name": "qc", "description": value, "metadata": {"stato-name": "qc_filtering"}}
        assert skills._fast_yaml(data) == skills._pyyaml(data)


@pytest.mark.parametrize("link", [".agents", ".agents/skills", ".agents/skills/normalize"])
def test_no_export_is_written_through_a_link_out_of_the_project(tmp_path: Path, link: str) -> None:
    """Every depth of an export's folder is checked, though the common ones are resolved once."""
    from stato.errors import StatoError

    project, outside = tmp_path / "project", tmp_path / "outside"
    init_project(project, example=True)
    outside.mkdir()
    planted = project / link
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.symlink_to(outside, target_is_directory=True)
    with pytest.raises(StatoError, match="leads out of"):
        write_bridges(project, ["skills"])
    assert list(outside.iterdir()) == []


def test_an_export_folder_linked_inside_the_project_is_written(tmp_path: Path) -> None:
    init_project(tmp_path, example=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / ".agents" / "skills").mkdir(parents=True)
    (tmp_path / ".agents" / "skills" / "normalize").symlink_to(tmp_path / "shared")
    write_bridges(tmp_path, ["skills"])
    assert (tmp_path / "shared" / "SKILL.md").is_file()


def test_a_relative_project_path_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    init_project(tmp_path, example=True)
    monkeypatch.chdir(tmp_path)
    first = write_bridges(Path("."), "all")
    assert first.changed and (tmp_path / "AGENTS.md").is_file()
    assert not write_bridges(Path("."), "all", check=True).stale


def test_one_changed_skill_renders_only_its_own_two_exports(tmp_path: Path) -> None:
    init_project(tmp_path, example=True)
    first = write_bridges(tmp_path, ["skills"])
    module = tmp_path / ".stato" / "skills" / "normalize.py"
    module.write_text(module.read_text("utf-8").replace("unstable", "unstable!", 1), "utf-8")
    ours = {".agents/skills/normalize/SKILL.md", ".claude/skills/normalize/SKILL.md"}
    assert _cached(tmp_path) == {f.path for f in first.files} - ours
    again = write_bridges(tmp_path, ["skills"])
    assert {f.path for f in again.changed} == ours


def test_a_skill_md_past_the_advised_size_is_written_and_warned_every_run(project: Path) -> None:
    """The Agent Skills spec advises a SKILL.md under 5,000 tokens (loaded whole on use): a
    longer export is still written whole, with a warning, also on a rerun that renders nothing."""
    steps = "\n".join(
        f"    {i}. Check the output of stage {i} before the next one." for i in range(900)
    )
    (project / ".stato/skills/big.py").write_text(
        SKILL.format(cls="Big", doc="Many steps.\n\n" + steps, name="big", desc="A long skill."),
        "utf-8",
    )
    for _ in range(2):
        result = write_bridges(project, ["skills"])
        warned = sorted(f.path for f in result.files if f.warning)
        assert warned == [".agents/skills/big/SKILL.md", ".claude/skills/big/SKILL.md"]
        assert all("5,000" in f.warning for f in result.files if f.warning)
    assert "899. Check the output" in (project / ".agents/skills/big/SKILL.md").read_text()
