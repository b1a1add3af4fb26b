"""The store: the write gate, backups, rollback, and concurrent writers."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from stato.adapters.store import Store
from stato.core.compiler import compile_source
from stato.errors import ModuleInvalid, StatoError, UsageError
from stato.ops.init import init_project

GOOD = 'class QualityControl:\n    """q"""\n    name = "qc"\n    lessons_learned = "{n}"\n\n    def run(self) -> None:\n        pass\n'


def test_gate_refuses_e_codes_and_writes_nothing(tmp_path: Path) -> None:
    init_project(tmp_path)
    store = Store(tmp_path)
    store.save("skills/qc.py", GOOD.format(n=0))
    before = store.read("skills/qc.py")
    with pytest.raises(ModuleInvalid) as info:
        store.save("skills/qc.py", "class QualityControl:\n    version = 1\n")
    assert "E003" in str(info.value)
    assert store.read("skills/qc.py") == before
    assert store.history("skills/qc.py") == []


def test_gate_writes_the_corrected_source_and_backs_up(tmp_path: Path) -> None:
    init_project(tmp_path)
    store = Store(tmp_path)
    store.save("skills/qc.py", GOOD.format(n=0))
    store.save(
        "skills/qc.py",
        GOOD.format(n=1).replace('name = "qc"', 'name = "qc"\n    depends_on = "scanpy"'),
    )
    assert 'depends_on = ["scanpy"]' in store.read("skills/qc.py")
    (backup,) = store.history("skills/qc.py")
    assert backup.read_text() == GOOD.format(n=0)
    store.save("skills/qc.py", store.read("skills/qc.py"))  # same text: no new backup
    assert len(store.history("skills/qc.py")) == 1


def test_commit_is_all_or_nothing(tmp_path: Path) -> None:
    init_project(tmp_path)
    store = Store(tmp_path)
    (tmp_path / ".stato" / "skills" / "b.py").mkdir()  # a folder in the way of the later file
    with pytest.raises(StatoError, match="in the way"):
        store.commit({"skills/a.py": GOOD.format(n=1), "skills/b.py": GOOD.format(n=2)})
    assert store.module_paths() == []


@pytest.mark.parametrize("bad", ["../evil.py", "/etc/passwd", ".history/x.py", "skills/../../x.py"])
def test_paths_stay_inside_the_store(tmp_path: Path, bad: str) -> None:
    init_project(tmp_path)
    with pytest.raises(UsageError):
        Store(tmp_path).save(bad, GOOD.format(n=0))


def test_rollback_restores_and_backs_up_current(tmp_path: Path) -> None:
    init_project(tmp_path)
    store = Store(tmp_path)
    for n in range(3):
        store.save("skills/qc.py", GOOD.format(n=n))
    assert len(store.history("skills/qc.py")) == 2
    store.rollback("skills/qc.py", to=1)
    assert store.read("skills/qc.py") == GOOD.format(n=0)
    history = store.history("skills/qc.py")
    assert len(history) == 3 and history[-1].read_text() == GOOD.format(n=2)
    with pytest.raises(StatoError) as missing:  # a backup that is not there: exit 1
        store.rollback("skills/qc.py", to=99)
    assert missing.value.exit_code == 1
    with pytest.raises(UsageError):  # never a backup number: exit 2
        store.rollback("skills/qc.py", to=0)


def _writer(root: str, worker: int, count: int) -> None:
    store = Store(Path(root))
    for i in range(count):
        store.save("skills/qc.py", GOOD.format(n=f"{worker}-{i}"))


def test_concurrent_writers_never_tear_a_file_or_lose_a_backup(tmp_path: Path) -> None:
    init_project(tmp_path)
    store = Store(tmp_path)
    store.save("skills/qc.py", GOOD.format(n="initial"))
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_writer, args=(str(tmp_path), w, 50)) for w in range(8)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    final = store.read("skills/qc.py")
    assert compile_source(final).valid
    backups = store.history("skills/qc.py")
    assert len(backups) == 400  # one per replaced version: initial + 399 of the 400 writes
    texts = {b.read_text() for b in backups} | {final}
    assert len(texts) == 401
    assert GOOD.format(n="initial") in texts
    assert not list((tmp_path / ".stato" / "skills").glob(".*.tmp"))


def _add_lessons(root: str, worker: int, count: int) -> None:
    from stato.ops.lesson import add_lesson

    for i in range(count):
        add_lesson(Path(root), "qc_filtering", f"worker {worker} lesson {i}: keep min_genes=200")


def test_concurrent_lesson_edits_lose_no_update(tmp_path: Path) -> None:
    init_project(tmp_path, example=True)
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_add_lessons, args=(str(tmp_path), w, 10)) for w in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    result = compile_source(Store(tmp_path).read("skills/qc.py"))
    lessons = result.fields["lessons_learned"]
    assert all(f"worker {w} lesson {i}:" in lessons for w in range(4) for i in range(10))


def test_reading_the_project_finishes_an_import_killed_after_its_commit_point(
    tmp_path: Path,
) -> None:
    import json

    from stato.ops.project import load_project

    init_project(tmp_path)
    stato = tmp_path / ".stato"
    stage = stato / ".staging" / ("ab" * 16)  # the names stato gives (uuid4 hex)
    stage.mkdir(parents=True)
    (stage / "0.part").write_text(GOOD.format(n="a"))
    (stage / "1.part").write_text(GOOD.format(n="b").replace('"qc"', '"qc2"'))
    (stato / ".transaction.json").write_text(
        json.dumps(
            {
                "format": "stato-transaction/1",
                "stage": "ab" * 16,
                "moves": [["0.part", "skills/a.py"], ["1.part", "skills/b.py"]],
            }
        )
    )
    project = load_project(tmp_path)
    assert [m.path for m in project.modules] == ["skills/a.py", "skills/b.py"]
    assert not (stato / ".transaction.json").exists() and not (stato / ".staging").exists()


def test_uncommitted_staging_is_dropped_by_the_next_writer(tmp_path: Path) -> None:
    init_project(tmp_path)
    stage = tmp_path / ".stato" / ".staging" / ("de" * 16)
    stage.mkdir(parents=True)
    (stage / "0.part").write_text("x")
    Store(tmp_path).save("skills/qc.py", GOOD.format(n=0))
    assert not stage.exists()
    assert Store(tmp_path).module_paths() == ["skills/qc.py"]
