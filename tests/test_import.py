"""`stato import` and `stato graft`: checks first, conflict policies, all-or-nothing writes."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.archive import write_archive
from stato.adapters.store import Store
from stato.core.compiler import compile_source
from stato.formats.manifest import Manifest, ModuleEntry
from stato.ops.archive import import_archive
from stato.ops.init import init_project
from stato.ops.project import load_project

Run = Callable[..., Result]

QC2 = (
    'class QualityControl:\n    """QC, the archive\'s version."""\n\n'
    '    name = "qc_filtering"\n    version = "9.0.0"\n    lessons_learned = "- new"\n\n'
    "    def run(self, adata: object) -> object:\n        return adata\n"
)


def pack(path: Path, modules: dict[str, str], name: str = "pkg") -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        entries.append(
            ModuleEntry.for_text(rel, text, r.module_type or "skill", r.class_name or "X")
        )
    manifest = Manifest(name, "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries))
    return write_archive(path, manifest, modules)


def tree(root: Path) -> dict[str, bytes]:
    """Every file under .stato/ except backups and locks."""
    stato = root / ".stato"
    return {
        p.relative_to(stato).as_posix(): p.read_bytes()
        for p in sorted(stato.rglob("*"))
        if p.is_file() and ".history" not in p.parts and not p.name.startswith(".")
    }


@pytest.fixture
def fresh(tmp_path: Path, run: Run) -> Path:
    dest = tmp_path / "fresh"
    assert run("init", "--path", str(dest)).exit_code == 0
    return dest


def test_round_trip_byte_identical(example: Path, fresh: Path, run: Run) -> None:
    odd = example / ".stato" / "skills" / "odd.py"
    odd.write_bytes(
        'class Odd:\r\n    """Ünïcode — and CRLF."""\r\n    name = "odd"\r\n\r\n'
        "    def run(self) -> None:\r\n        pass\r\n".encode()
    )
    assert run("snapshot", "--name", "all", "--force").exit_code == 0
    res = run("import", str(example / "all.stato"), "--path", str(fresh))
    assert res.exit_code == 0, res.output
    src = {k: v for k, v in tree(example).items() if k.endswith(".py") and "prompts" not in k}
    dst = {k: v for k, v in tree(fresh).items() if k.endswith(".py") and "prompts" not in k}
    assert src == dst
    assert not (fresh / ".stato" / ".staging").exists()  # emptied, then removed
    assert not (fresh / ".stato" / ".transaction.json").exists()
    again = run("import", str(example / "all.stato"), "--path", str(fresh))
    assert again.exit_code == 0 and "unchanged" in again.output  # already there: no failure


def test_template_round_trip_validates(example: Path, fresh: Path, run: Run) -> None:
    assert run("snapshot", "--name", "tpl", "--template", "--force").exit_code == 0
    assert run("import", str(example / "tpl.stato"), "--path", str(fresh)).exit_code == 0
    project = load_project(fresh)
    assert len(project.modules) == 6 and not project.invalid
    assert run("validate", "--check", str(fresh / ".stato")).exit_code == 0


def test_conflict_ask_lists_and_writes_nothing(example: Path, run: Run) -> None:
    arc = pack(
        example / "new.stato",
        {
            "skills/qc.py": QC2,
            "skills/extra.py": QC2.replace("qc_filtering", "extra").replace(
                "QualityControl", "Extra"
            ),
        },
    )
    before = tree(example)
    res = run("import", str(arc))
    assert res.exit_code == 1
    assert "skills/qc.py" in res.output and "CONFLICT" in res.output
    assert tree(example) == before
    dry = run("import", str(arc), "--on-conflict", "replace", "--dry-run")
    assert dry.exit_code == 0 and tree(example) == before


def test_conflict_replace_backs_up(example: Path, run: Run) -> None:
    arc = pack(example / "new.stato", {"skills/qc.py": QC2})
    old = (example / ".stato/skills/qc.py").read_bytes()
    res = run("import", str(arc), "--on-conflict", "replace")
    assert res.exit_code == 0, res.output
    assert (example / ".stato/skills/qc.py").read_text() == QC2
    backups = Store(example).history("skills/qc.py")
    assert backups and backups[-1].read_bytes() == old


def test_conflict_rename_writes_beside(example: Path, run: Run) -> None:
    arc = pack(example / "new.stato", {"skills/qc.py": QC2})
    old = (example / ".stato/skills/qc.py").read_bytes()
    res = run("import", str(arc), "--on-conflict", "rename")
    assert res.exit_code == 0, res.output
    assert (example / ".stato/skills/qc.py").read_bytes() == old
    renamed = compile_source((example / ".stato/skills/qc_2.py").read_text())
    assert renamed.valid and renamed.fields["name"] == "qc_filtering_2"
    assert not load_project(example).invalid  # no duplicate skill names (E011)


@pytest.mark.parametrize("command", ["import", "graft"])
def test_a_taken_path_whose_skill_name_is_another_modules_is_not_replaced(
    example: Path, run: Run, command: str
) -> None:
    # skills/quality.py holds another skill; the incoming skills/quality.py is named
    # qc_filtering, which skills/qc.py holds. replace wrote it over skills/quality.py and the
    # project held two skills named qc_filtering (E011: validate failed).
    other = QC2.replace("qc_filtering", "quality").replace("9.0.0", "1.0.0")
    (example / ".stato/skills/quality.py").write_text(other)
    arc = pack(example / "new.stato", {"skills/quality.py": QC2})
    before = tree(example)
    args = [command, str(arc)] + (["--module", "skills/quality"] if command == "graft" else [])
    for policy in ("ask", "replace"):
        res = run(*args, "--on-conflict", policy, "--json")
        assert res.exit_code == 1, res.output
        (action,) = json.loads(res.output)["actions"]
        assert (action["action"], action["reason"], action["existing"]) == (
            "conflict",
            "name",
            "skills/qc.py",
        )
        assert tree(example) == before
    res = run(*args, "--on-conflict", "replace")
    assert "choose --on-conflict rename or skip" in res.output.lower()
    res = run(*args, "--on-conflict", "skip")
    assert res.exit_code == 0 and tree(example) == before  # skip keeps yours: no failure
    res = run(*args, "--on-conflict", "rename")
    assert res.exit_code == 0, res.output
    assert not load_project(example).invalid  # no duplicate skill names (E011)
    assert (example / ".stato/skills/quality.py").read_text() == other


def skill(cls: str, name: str, version: str) -> str:
    return (
        f'class {cls}:\n    """{cls}."""\n\n    name = "{name}"\n    version = "{version}"\n\n'
        "    def run(self, adata: object) -> object:\n        return adata\n"
    )


def test_replace_frees_the_name_it_overwrites_and_never_writes_twice_to_one_path(
    fresh: Path, run: Run
) -> None:
    # skills/a.py (skill "a") is replaced by the archive's a.py (skill "x"); the archive's b.py
    # is skill "a", free once a.py is replaced. The plan still saw "a" at a.py, "replaced" it
    # with b.py's text as well, and a.py's incoming text was dropped though listed as written.
    (fresh / ".stato/skills/a.py").write_text(skill("A", "a", "1.0.0"))
    x, a = skill("A", "x", "2.0.0"), skill("B", "a", "3.0.0")
    arc = pack(fresh / "new.stato", {"skills/a.py": x, "skills/b.py": a})
    res = run("import", str(arc), "--on-conflict", "replace", "--path", str(fresh))
    assert res.exit_code == 0, res.output
    assert (fresh / ".stato/skills/a.py").read_text() == x
    assert (fresh / ".stato/skills/b.py").read_text() == a
    assert not load_project(fresh).invalid
    # b.py (skill "c") replaces c.py by name; c.py's own text would go to c.py too: a conflict.
    (fresh / ".stato/skills/c.py").write_text(skill("C", "c", "1.0.0"))
    arc = pack(fresh / "two.stato", {"skills/b.py": skill("B", "c", "4.0.0"), "skills/c.py": x})
    before = tree(fresh)
    res = run("import", str(arc), "--on-conflict", "replace", "--path", str(fresh), "--json")
    assert res.exit_code == 1, res.output
    actions = {a["path"]: a["action"] for a in json.loads(res.output)["actions"]}
    assert "conflict" in actions.values()
    assert tree(fresh) == before


def test_conflict_skip_is_honest(example: Path, run: Run) -> None:
    # cli-guide: "--on-conflict skip # skip silently": keeping yours is not a failure (exit 0),
    # and the output still says nothing was imported. (Was exit 1 before; the spec wins.)
    arc = pack(example / "new.stato", {"skills/qc.py": QC2})
    before = tree(example)
    for verb in (["import", str(arc)], ["graft", str(arc), "--module", "skills/qc.py"]):
        res = run(*verb, "--on-conflict", "skip")
        assert res.exit_code == 0 and "Nothing to " in res.output, res.output
        assert tree(example) == before
    asked = run("import", str(arc))  # the default, ask: the conflict is listed, exit 1
    assert asked.exit_code == 1 and "CONFLICT" in asked.output
    assert tree(example) == before


def test_importing_what_is_already_there_succeeds(example: Path, run: Run) -> None:
    arc = example / "same.stato"
    assert run("snapshot", "--name", "same", "--force", "-o", str(arc)).exit_code == 0
    before = tree(example)
    for argv in (["import", str(arc), "--dry-run"], ["import", str(arc)]):
        res = run(*argv)
        assert res.exit_code == 0, res.output
        assert "unchanged" in res.output
    assert tree(example) == before


def test_name_conflict_detected(example: Path, run: Run) -> None:
    arc = pack(example / "new.stato", {"skills/quality.py": QC2})
    res = run("import", str(arc), "--json")
    assert res.exit_code == 1
    (action,) = json.loads(res.output)["actions"]
    assert (action["action"], action["reason"], action["existing"]) == (
        "conflict",
        "name",
        "skills/qc.py",
    )


def test_module_subset_and_missing(example: Path, fresh: Path, run: Run) -> None:
    assert run("snapshot", "--name", "all", "--force").exit_code == 0
    res = run("import", str(example / "all.stato"), "--path", str(fresh), "--module", "skills/qc")
    assert res.exit_code == 0
    assert [k for k in tree(fresh) if k.endswith(".py")] == ["skills/qc.py"]
    res = run("import", str(example / "all.stato"), "--path", str(fresh), "--module", "skills/zz")
    assert res.exit_code == 1 and "skills/zz.py" in res.output


def test_invalid_module_stops_everything(fresh: Path, run: Run, tmp_path: Path) -> None:
    bad = 'class Bad:\n    name = "bad"\n    n = 1 / 0\n\n    def run(self):\n        pass\n'
    arc = pack(tmp_path / "bad.stato", {"skills/good.py": QC2, "skills/bad.py": bad})
    before = tree(fresh)
    res = run("import", str(arc), "--path", str(fresh))
    assert res.exit_code == 1 and "E005" in res.output and "skills/bad.py" in res.output
    assert tree(fresh) == before


def test_api_for_registry(example: Path, fresh: Path, run: Run) -> None:
    assert run("snapshot", "--name", "all", "--force").exit_code == 0
    res = import_archive(fresh, example / "all.stato", on_conflict="ask")
    assert res.ok and len(res.written) == 6
    assert json.loads(json.dumps(res.to_dict()))["ok"] is True


def test_graft_py_and_archive(example: Path, run: Run, tmp_path: Path) -> None:
    src = tmp_path / "umap.py"
    src.write_text(QC2.replace("qc_filtering", "umap").replace("QualityControl", "Umap"))
    res = run("graft", str(src))
    assert res.exit_code == 0, res.output
    assert compile_source((example / ".stato/skills/umap.py").read_text()).fields["name"] == "umap"
    arc = pack(
        tmp_path / "two.stato",
        {
            "skills/a.py": QC2.replace("qc_filtering", "a"),
            "skills/b.py": QC2.replace("qc_filtering", "b"),
        },
    )
    assert run("graft", str(arc)).exit_code == 2  # several modules: --module is required
    assert run("graft", str(arc), "--module", "skills/b").exit_code == 0
    assert (example / ".stato/skills/b.py").exists() and not (
        example / ".stato/skills/a.py"
    ).exists()


def test_graft_name_conflict_policies(example: Path, run: Run, tmp_path: Path) -> None:
    src = tmp_path / "quality.py"
    src.write_text(QC2)  # name "qc_filtering", like skills/qc.py
    before = tree(example)
    res = run("graft", str(src))
    assert res.exit_code == 1 and "skills/qc.py" in res.output
    assert tree(example) == before
    assert run("graft", str(src), "--on-conflict", "skip").exit_code == 0  # skipped, not failed
    assert tree(example) == before
    res = run("graft", str(src), "--on-conflict", "replace")
    assert res.exit_code == 0, res.output
    assert (example / ".stato/skills/qc.py").read_text() == QC2  # replaced where the name lives
    assert not (example / ".stato/skills/quality.py").exists()
    assert Store(example).history("skills/qc.py")
    assert run("graft", str(src), "--on-conflict", "rename").exit_code == 0  # same text: unchanged
    src.write_text(QC2.replace("- new", "- newer"))
    res = run("graft", str(src), "--on-conflict", "rename")
    assert res.exit_code == 0, res.output
    renamed = compile_source((example / ".stato/skills/quality.py").read_text())
    assert renamed.fields["name"] == "qc_filtering_2"
    assert not load_project(example).invalid


def test_graft_destination_must_stay_inside(example: Path, run: Run, tmp_path: Path) -> None:
    src = tmp_path / "evil.py"
    src.write_text(QC2.replace("qc_filtering", "evil"))
    before = tree(example)
    for dest in ("../../evil", "/tmp/evil", ".history/evil"):
        res = run("graft", str(src), "--module", dest, "--dry-run")
        assert res.exit_code == 2, res.output
    assert tree(example) == before
    assert not (tmp_path.parent / "evil.py").exists()


def test_folder_in_the_way_stops_before_writing(fresh: Path, run: Run, tmp_path: Path) -> None:
    arc = pack(
        tmp_path / "x.stato",
        {"skills/a.py": QC2, "skills/qc/deep.py": QC2.replace("qc_filtering", "deep")},
    )
    (fresh / ".stato" / "skills" / "qc").write_text("a file where a folder should be")
    before = tree(fresh)
    res = run("import", str(arc), "--path", str(fresh))
    assert res.exit_code == 1 and "in the way" in res.output
    assert tree(fresh) == before
    assert not (fresh / ".stato" / ".transaction.json").exists()
    assert run("import", str(arc), "--path", str(fresh), "--module", "skills/a").exit_code == 0


def test_a_dangling_link_in_the_way_stops_before_writing(
    fresh: Path, run: Run, tmp_path: Path
) -> None:
    arc = pack(
        tmp_path / "x.stato",
        {"skills/a.py": QC2, "skills/qc/deep.py": QC2.replace("qc_filtering", "deep")},
    )
    (fresh / ".stato" / "skills" / "qc").symlink_to(tmp_path / "gone")  # points nowhere
    before = tree(fresh)
    res = run("import", str(arc), "--path", str(fresh))
    assert res.exit_code == 1 and "in the way" in res.output
    assert "Traceback" not in res.output
    assert tree(fresh) == before
    assert not (fresh / ".stato" / ".transaction.json").exists()


# The invariant of the conflict policies: whatever a project and an archive hold, an import
# leaves no two skills of one name, and each module it reports written holds its incoming text
# (renamed: only its skill name changed); a conflict writes nothing.
stems = st.sampled_from(["a", "b", "c", "d"])
skill_names = st.sampled_from(["a", "b", "c", "d", "x"])
named = st.dictionaries(stems, skill_names, max_size=3).filter(
    lambda d: len(set(d.values())) == len(d)
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(named, named, st.sampled_from(["ask", "replace", "rename", "skip"]), st.booleans())
def test_no_policy_leaves_two_skills_of_one_name_or_drops_a_text(
    have: dict[str, str], incoming: dict[str, str], policy: str, bump: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "p"
        init_project(root)
        for stem, name in have.items():
            (root / f".stato/skills/{stem}.py").write_text(skill(stem.upper(), name, "1.0.0"))
        version = "2.0.0" if bump else "1.0.0"
        texts = {f"skills/{s}.py": skill(s.upper(), n, version) for s, n in incoming.items()}
        if not texts:
            return
        before = tree(root)
        res = import_archive(root, pack(Path(tmp) / "x.stato", texts), on_conflict=policy)
        assert not load_project(root).invalid
        if any(a.action == "conflict" for a in res.actions):
            assert tree(root) == before
            return
        for a in res.actions:
            if a.action in ("add", "replace"):
                assert (root / ".stato" / a.dest).read_text() == texts[a.path]
            elif a.action == "rename":
                got = compile_source((root / ".stato" / a.dest).read_text())
                want = compile_source(texts[a.path]).fields
                assert {**got.fields, "name": want["name"]} == want
