"""core.skillindex: one rule for which skill a reference names (``name`` first, then stem)."""

from __future__ import annotations

from stato.core.compiler import compile_source
from stato.core.skillindex import SkillIndex, skill_name


def skill(name: str) -> str:
    return f'''from stato import Skill


class S(Skill):
    """A skill."""

    name = "{name}"
    version = "1.0.0"
'''


def index(*pairs: tuple[str, str]) -> SkillIndex:
    return SkillIndex.build((p, compile_source(skill(n), p)) for p, n in pairs)


def test_a_name_wins_over_a_file_stem() -> None:
    idx = index(("skills/qc.py", "qc_filtering"), ("skills/other.py", "qc"))
    assert idx.find("qc") == "skills/other.py"
    assert idx.find("qc_filtering") == "skills/qc.py"
    assert idx.find("other") == "skills/other.py"
    assert idx.find("nosuch") is None


def test_paths_named_lists_every_skill_that_takes_a_name() -> None:
    idx = index(("skills/a.py", "qc"), ("skills/b.py", "qc"), ("skills/c.py", "umap"))
    assert idx.paths_named("qc") == ("skills/a.py", "skills/b.py")
    assert idx.find("qc") == "skills/a.py"  # the first given wins
    assert idx.names() == ["qc", "umap"]
    assert idx.paths_named("nosuch") == ()


def test_only_a_skill_has_a_name() -> None:
    result = compile_source('"""Not a skill."""\nx = 1\n', "notes.py")
    assert skill_name(result) is None
    assert SkillIndex.build([("notes.py", result)]).find("notes") == "notes.py"
