"""Nothing is lost: read-modify-writes under the lock, all-or-nothing multi-file writes, backups."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.archive import write_archive
from stato.adapters.store import Store
from stato.core.compiler import compile_source
from stato.errors import StatoError
from stato.formats.manifest import Manifest, ModuleEntry
from stato.ops.init import init_project
from stato.ops.lesson import add_lesson
from stato.ops.validate import validate_paths

DATA = Path(__file__).parent / "data" / "convert"

# depends_on = "scanpy" is W001: validate wraps it in a list, an auto-fix it writes back.
FIXABLE = (
    'class QualityControl:\n    """QC."""\n    name = "qc"\n    depends_on = "scanpy"\n'
    '    lessons_learned = """\n    - first\n    """\n\n'
    "    def run(self) -> None:\n        pass\n"
)


def skill(name: str, lesson: str = "l") -> str:
    return (
        f'class S{name.title()}:\n    """Skill {name}."""\n    name = "{name}"\n'
        f'    lessons_learned = "- {lesson}"\n\n    def run(self) -> None:\n        pass\n'
    )


def tree(root: Path) -> dict[str, bytes]:
    """Every file of the project with its bytes; stato's own lock and staging folder aside."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock" and ".staging" not in p.parts
    }


def pack(path: Path, modules: dict[str, str]) -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        entries.append(ModuleEntry.for_text(rel, text, "skill", r.class_name or "X"))
    manifest = Manifest("k", "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries))
    return write_archive(path, manifest, modules)


def env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    init_project(root)
    return root


# -- validate: the fix is computed from the text read under the lock ------------------------


def test_validate_keeps_a_lesson_added_while_it_compiled(project: Path) -> None:
    qc = project / ".stato" / "skills" / "qc.py"
    qc.write_text(FIXABLE)

    def lesson_meanwhile(done: int, total: int) -> None:
        if done == total:  # every file read and compiled; the fixes are not written yet
            add_lesson(project, "qc", "added while validate ran")

    report = validate_paths([project / ".stato"], progress=lesson_meanwhile)
    text = qc.read_text()
    fields = compile_source(text, "skills/qc.py").fields
    assert "added while validate ran" in fields["lessons_learned"]  # the lesson survived
    assert fields["depends_on"] == ["scanpy"]  # and the fix is in place, on the new text
    assert report.modules[0].valid


KILL_AFTER_COMMIT = r"""
import os, signal, sys
real = os.replace
def replace(a, b, **kw):
    real(a, b, **kw)
    if str(b).endswith(".transaction.json"):
        os.kill(os.getpid(), signal.SIGKILL)  # die just past the commit point
os.replace = replace
from stato.ops.archive import import_archive
import_archive(sys.argv[1], sys.argv[2], on_conflict="replace")
"""


def test_validate_after_a_killed_import_never_writes_the_old_text_back(
    project: Path, tmp_path: Path
) -> None:
    qc = project / ".stato" / "skills" / "qc.py"
    qc.write_text(FIXABLE)
    imported = skill("qc", "imported")
    arc = pack(tmp_path / "k.stato", {"skills/qc.py": imported, "skills/other.py": skill("o")})
    # validate reads the old text first, as it would when the kill happens while it compiles
    jobs_read: list[bytes] = []

    def kill_an_import_meanwhile(done: int, total: int) -> None:
        if done == total and not jobs_read:
            jobs_read.append(qc.read_bytes())
            child = subprocess.run(
                [sys.executable, "-c", KILL_AFTER_COMMIT, str(project), str(arc)],
                env=env(),
                capture_output=True,
                timeout=60,
            )
            assert child.returncode == -signal.SIGKILL, child.stderr
            assert (project / ".stato" / ".transaction.json").exists()

    validate_paths([project / ".stato"], progress=kill_an_import_meanwhile)
    assert jobs_read == [FIXABLE.encode()]
    assert qc.read_text() == imported  # the import was finished, and not overwritten
    assert (project / ".stato" / "skills" / "other.py").read_text() == skill("o")


def test_validate_outside_a_project_never_overwrites_an_old_backup(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    loose = tmp_path / "qc.py"
    loose.write_text(FIXABLE)
    (tmp_path / "qc.py.bak").write_text("my own backup\n")
    result = run("validate", str(loose))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "qc.py.bak").read_text() == "my own backup\n"
    assert (tmp_path / "qc.py.bak.1").read_text() == FIXABLE
    assert "qc.py.bak.1" in result.output  # said where the previous text went
    assert 'depends_on = ["scanpy"]' in loose.read_text()


# -- graft: planned and written under one hold of the lock -------------------------------


# The child says (by creating a marker file) the moment it asks for the store's lock; the
# library's lock class is wrapped, stato's own code runs unchanged.
AT_THE_LOCK = r"""
import sys, filelock
from pathlib import Path
marker, args = Path(sys.argv[1]), sys.argv[2:]
acquire = filelock.FileLock.acquire
def announce(self, *a, **kw):
    marker.touch()
    return acquire(self, *a, **kw)
filelock.FileLock.acquire = announce
from stato.cli import main
sys.argv = ["stato", *args]
main()
"""


def at_the_lock(marker: Path, *args: str) -> subprocess.Popen[bytes]:
    """Run stato ``args`` in a child; return once it waits for the lock (or has ended)."""
    child = subprocess.Popen(
        [sys.executable, "-c", AT_THE_LOCK, str(marker), *args],
        env=env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    while not marker.exists() and child.poll() is None:
        time.sleep(0.01)
    return child


def test_graft_never_replaces_a_module_written_while_it_ran(project: Path, tmp_path: Path) -> None:
    incoming = tmp_path / "qc.py"
    incoming.write_text(skill("qc", "from the graft"))
    theirs = skill("qc", "written meanwhile")
    with Store(project).lock():
        child = at_the_lock(tmp_path / "asked", "graft", str(incoming), "--path", str(project))
        (project / ".stato" / "skills" / "qc.py").write_text(theirs)  # another writer's module
    out, err = child.communicate(timeout=120)
    assert (project / ".stato" / "skills" / "qc.py").read_text() == theirs
    assert child.returncode == 1, (out, err)
    assert b"conflict" in out.lower() and b"add" not in out.lower().split(b"conflict")[0]


# -- one multi-file write path: all or nothing ------------------------------------------


def test_convert_is_all_or_nothing_when_a_later_file_cannot_be_written(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init").exit_code == 0
    (tmp_path / ".stato" / "memory.py").mkdir()  # in the way of the second file it writes
    before = tree(tmp_path)
    result = run("convert", str(DATA / "claude" / "CLAUDE.md"))
    assert result.exit_code == 1
    assert "memory.py" in result.output and "nothing" in result.output
    assert tree(tmp_path) == before


def test_import_bundle_is_all_or_nothing_when_a_later_file_cannot_be_written(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init").exit_code == 0
    (tmp_path / ".stato" / "plan.py").mkdir()  # the third of its five modules
    before = tree(tmp_path)
    result = run("import-bundle", str(DATA / "bundle" / "stato_bundle.py"), "--no-bridge")
    assert result.exit_code == 1
    assert tree(tmp_path) == before


def _immutable(path: Path) -> bool:
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    return done.returncode == 0


def test_a_move_that_fails_after_the_commit_point_is_undone_byte_for_byte(
    project: Path, tmp_path: Path
) -> None:
    from stato.ops.archive import import_archive

    stato = project / ".stato"
    for name in ("a", "z"):
        (stato / "skills" / f"{name}.py").write_text(skill(name, "old"))
    arc = pack(
        tmp_path / "k.stato",
        {f"skills/{n}.py": skill(n, "new") for n in ("a", "m", "z")} | {"x/y.py": skill("y")},
    )
    before = tree(project)
    last = stato / "skills" / "z.py"
    if not _immutable(last):
        pytest.skip("chattr +i is not available here")
    try:
        with pytest.raises(Exception, match=r"skills/z\.py.*nothing was changed"):
            import_archive(project, arc, on_conflict="replace")
    finally:
        subprocess.run(["chattr", "-i", str(last)], check=True)
    assert tree(project) == before  # a.py and m.py put back, x/ removed, no backups left
    assert not (stato / "x").exists()
    assert not (stato / ".transaction.json").exists()
    # and the project works: the next import goes through
    assert import_archive(project, arc, on_conflict="replace").written


# -- rollback: the exact bytes ---------------------------------------------------------------


@pytest.mark.parametrize(
    "old",
    [
        b"\xef\xbb\xbf" + skill("qc", "bom").encode(),
        skill("qc", "crlf").replace("\n", "\r\n").encode(),
        skill("qc", "latin1 \xe9").encode("latin-1"),
    ],
    ids=["utf8-bom", "crlf", "not-utf8"],
)
def test_rollback_restores_the_exact_bytes(
    tmp_path: Path, run: Callable[..., Result], old: bytes
) -> None:
    assert run("init").exit_code == 0
    qc = tmp_path / ".stato" / "skills" / "qc.py"
    qc.write_bytes(old)
    Store(tmp_path).backup("skills/qc.py")
    qc.write_text(skill("qc", "new"))
    result = run("rollback", "skills/qc.py")
    assert result.exit_code == 0, result.output
    assert qc.read_bytes() == old
    history = Store(tmp_path).history("skills/qc.py")
    assert history[-1].read_text() == skill("qc", "new")  # the replaced text was kept


# -- lesson add on a field built with += ----------------------------------------------------


def test_lesson_add_on_an_augmented_field_does_not_duplicate(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init").exit_code == 0
    qc = tmp_path / ".stato" / "skills" / "qc.py"
    qc.write_text(
        'class QC:\n    """QC."""\n    name = "qc"\n    lessons_learned = "- a\\n"\n'
        '    lessons_learned += "- b\\n"\n\n    def run(self) -> None:\n        pass\n'
    )
    result = run("lesson", "add", "qc", "c")
    lessons = compile_source(qc.read_text(), "skills/qc.py").fields["lessons_learned"]
    if result.exit_code == 0:
        assert [x for x in lessons.splitlines() if x.strip()] == ["- a", "- b", "- c"]
    else:  # refused clearly, and nothing changed
        assert result.exit_code == 1 and "+=" in result.output
        assert lessons == "- a\n- b\n"


# -- temp files a kill left behind --------------------------------------------------------------


def test_temp_files_a_kill_left_are_removed_by_the_next_write(project: Path) -> None:
    skills = project / ".stato" / "skills"
    left = skills / ".qc.py.ab12cd_3.tmp"  # write_atomic's own pattern
    left.write_text("half")
    mine = skills / "notes.tmp"  # not ours: never touched
    mine.write_text("mine")
    Store(project).save("skills/qc.py", skill("qc"))
    assert not left.exists() and mine.exists()


def test_old_temp_files_are_removed_by_the_next_read(project: Path) -> None:
    skills = project / ".stato" / "skills"
    old, fresh = skills / ".qc.py.ab12cd_3.tmp", skills / ".qc.py.zz12cd_3.tmp"
    for f in (old, fresh):
        f.write_text("half")
    hours_ago = time.time() - 2 * 3600
    os.utime(old, (hours_ago, hours_ago))
    Store(project).module_paths()
    assert not old.exists()
    assert fresh.exists()  # may belong to a writer at work right now


# -- an archive whose paths cannot all be files ------------------------------------------


@pytest.mark.parametrize(
    "paths",
    [("skills/a.py", "skills/a.py/b.py"), ("skills/QC.py", "skills/qc.py")],
    ids=["file-and-folder", "case-only"],
)
def test_an_archive_with_clashing_paths_is_refused_before_anything_is_written(
    tmp_path: Path, run: Callable[..., Result], paths: tuple[str, ...]
) -> None:
    assert run("init").exit_code == 0
    arc = pack(tmp_path / "clash.stato", {p: skill(f"s{i}") for i, p in enumerate(paths)})
    before = tree(tmp_path)
    for argv in (
        ["inspect", str(arc)],
        ["import", str(arc)],
        ["graft", str(arc), "--module", paths[0]],
    ):
        result = run(*argv)
        assert result.exit_code == 1, (argv, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: refusing archive clash.stato")
        assert tree(tmp_path) == before


# -- -o/--output never lands in .stato/; a replaced file is kept ------------------------------


def _archives(tmp_path: Path, run: Callable[..., Result]) -> tuple[Path, Path]:
    assert run("init", "--example").exit_code == 0
    a, b = tmp_path / "a.stato", tmp_path / "b.stato"
    assert run("snapshot", "--name", "a", "-o", str(a)).exit_code == 0
    assert run("slice", "--module", "skills/qc", "-o", str(b)).exit_code == 0
    return a, b


@pytest.mark.parametrize("target", [".stato/skills/qc.py", ".stato/new.stato", "link/qc.py"])
def test_output_never_replaces_a_module_or_anything_in_stato(
    tmp_path: Path, run: Callable[..., Result], target: str
) -> None:
    a, b = _archives(tmp_path, run)
    (tmp_path / "link").symlink_to(tmp_path / ".stato" / "skills")
    before = tree(tmp_path / ".stato")
    for argv in (
        ["snapshot", "--name", "x", "-o", target],
        ["slice", "--module", "skills/qc", "--output", target],
        ["merge", str(a), str(b), "-o", target],
    ):
        result = run(*argv)
        assert result.exit_code == 2, (argv, result.output)
        assert "choose another path" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert tree(tmp_path / ".stato") == before


def test_an_existing_output_file_is_kept_as_a_backup_and_said(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    a, b = _archives(tmp_path, run)
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = run("snapshot", "--name", "x", "-o", str(notes))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt.bak").read_text() == "my notes\n"
    assert "notes.txt.bak" in result.output
    first = notes.read_bytes()
    result = run("merge", str(a), str(b), "-o", str(notes), "--json")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes.txt.bak").read_text() == "my notes\n"  # never overwritten
    assert (tmp_path / "notes.txt.bak.1").read_bytes() == first
    assert '"backup"' in result.output and "notes.txt.bak.1" in result.output


# -- the user's config.toml: edited in place, comments, mode and a backup kept -------------------

CONFIG = """\
# my registries, with notes
[registry]  # where packages come from
urls = [
  "https://team.example/reg",  # the team's
]
timeout = 30  # slow VPN

[bridge]
budget_tokens = 900  # keep it small
"""


def test_registry_add_and_remove_keep_comments_mode_and_a_backup(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init").exit_code == 0
    config = tmp_path / ".stato" / "config.toml"
    config.write_text(CONFIG)
    config.chmod(0o640)
    result = run("registry", "add", "https://other.example/reg")
    assert result.exit_code == 0, result.output
    text = config.read_text()
    for line in CONFIG.splitlines():
        assert line.split("#")[-1] in text  # every comment is still there
    assert '"https://other.example/reg"' in text
    assert oct(config.stat().st_mode & 0o777) == oct(0o640)
    assert (tmp_path / ".stato" / "config.toml.bak").read_text() == CONFIG
    assert "config.toml.bak" in result.output
    result = run("registry", "remove", "https://team.example/reg")
    assert result.exit_code == 0, result.output
    assert "# slow VPN" in config.read_text() and "team.example" not in config.read_text()
    assert (tmp_path / ".stato" / "config.toml.bak").read_text() == CONFIG  # never overwritten
    assert (tmp_path / ".stato" / "config.toml.bak.1").read_text() == text
    assert oct(config.stat().st_mode & 0o777) == oct(0o640)


@pytest.mark.parametrize(
    "bad",
    ["[registry]\ntimeout = " + "1" * 5000 + "\n", "x = " + "[" * 5000 + "]" * 5000 + "\n"],
    ids=["5000-digit-number", "deep-nesting"],
)
def test_a_hostile_config_or_index_is_one_clear_line(
    tmp_path: Path, run: Callable[..., Result], bad: str
) -> None:
    assert run("init").exit_code == 0
    config = tmp_path / ".stato" / "config.toml"
    config.write_text(bad)
    for argv in (["registry", "list"], ["registry", "add", "https://x.example/r"]):
        result = run(*argv)
        assert result.exit_code == 1, (argv, result.output)
        assert result.output.count("\n") == 1 and "not valid TOML" in result.output
    assert config.read_text() == bad
    config.unlink()
    registry = tmp_path / "reg"
    registry.mkdir()
    (registry / "index.toml").write_text(bad)
    result = run("registry", "search", "qc", "--registry", str(registry))
    assert result.exit_code == 1, result.output
    assert "index.toml is not valid TOML" in result.output
    assert len(result.output.strip().splitlines()) == 1


# -- the one write path, as a property: all written, or the project byte for byte as it was ------

_NAMES = st.sampled_from(["a", "b", "c", "d"])
_RELS = st.builds(
    lambda folder, name: f"{folder}{name}.py", st.sampled_from(["", "skills/", "skills/x/"]), _NAMES
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    existing=st.sets(_RELS, max_size=4),
    incoming=st.sets(_RELS, min_size=1, max_size=5),
    obstacle=st.sampled_from(["none", "folder-in-the-way", "file-in-the-way", "immutable"]),
    pick=st.integers(min_value=0, max_value=10),
)
def test_commit_writes_everything_or_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory,
    existing: set[str],
    incoming: set[str],
    obstacle: str,
    pick: int,
) -> None:
    root = tmp_path_factory.mktemp("p")
    init_project(root)
    stato = root / ".stato"
    for rel in sorted(existing):
        target = stato / rel
        if not target.parent.is_dir() or target.exists():
            continue  # a.py and a/ never both: keep the starting project a real one
        target.write_text(skill(Path(rel).stem, "old"))
    targets = sorted(incoming)
    victim = targets[pick % len(targets)]
    frozen = None
    if obstacle == "folder-in-the-way" and not (stato / victim).exists():
        (stato / victim).mkdir(parents=True)
    elif obstacle == "file-in-the-way" and "/" in victim:
        folder = stato / victim.rpartition("/")[0]
        if not folder.exists():
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.write_text("a file where a folder should be\n")
    elif obstacle == "immutable" and (stato / victim).is_file() and _immutable(stato / victim):
        frozen = stato / victim
    before = tree(root)
    new = {rel: skill(Path(rel).stem, "new") for rel in targets}
    try:
        try:
            done = Store(root).commit(new)
        except StatoError:
            assert tree(root) == before  # refused or undone: nothing changed, no backup left
            return
        for rel, text in new.items():
            assert (stato / rel).read_text() == text
        for rel, backup in done.backups.items():
            assert backup.read_bytes() == before[f".stato/{rel}"]
        assert set(done.backups) == {r for r in targets if f".stato/{r}" in before}
    finally:
        if frozen is not None:
            subprocess.run(["chattr", "-i", str(frozen)], check=True)


def test_commit_refuses_when_a_module_changed_since_it_was_read(project: Path) -> None:
    from stato.adapters.store import Conflict

    qc = project / ".stato" / "skills" / "qc.py"
    qc.write_text(skill("qc", "read"))
    read = qc.read_bytes()
    qc.write_text(skill("qc", "someone else's"))
    before = tree(project)
    with pytest.raises(Conflict, match="changed while stato was working"):
        Store(project).commit(
            {"skills/qc.py": skill("qc", "mine"), "skills/new.py": skill("new")},
            expect={"skills/qc.py": read, "skills/new.py": None},
        )
    assert tree(project) == before


def test_snapshotting_again_rolls_one_backup_of_stato_s_own_archive(
    tmp_path: Path, run: Callable[..., Result]
) -> None:
    assert run("init", "--example").exit_code == 0
    out = tmp_path / "x.stato"
    versions = []
    for n in range(3):
        assert run("lesson", "add", "qc_filtering", f"lesson {n}").exit_code == 0
        result = run("snapshot", "--name", "x")
        assert result.exit_code == 0, result.output
        versions.append(out.read_bytes())
    assert (tmp_path / "x.stato.bak").read_bytes() == versions[1]  # the one before the last
    assert not (tmp_path / "x.stato.bak.1").exists()  # stato's own archives do not pile up
