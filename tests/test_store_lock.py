"""The store's lock: one writer at a time across processes and threads, and a command that
holds it never waits for itself when it loads the project through another Store."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from stato.adapters.store import Store
from tests.conftest import invoke


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert invoke("init", "--example")[0] == 0
    return tmp_path


def _plant_foreign_journal(project: Path) -> None:
    """A journal stato did not write (its stage leads out of .stato/): recovery leaves it in
    place with a warning, so every Store taking the lock finds the project 'interrupted'."""
    stato = project / ".stato"
    (stato / ".staging" / "x").mkdir(parents=True)
    (stato / ".staging" / "x" / "0.part").write_text("class K:\n    name = 'k'\n")
    journal = {"format": "stato-transaction/2", "moves": [["0.part", "memory.py"]]}
    (stato / ".transaction.json").write_text(json.dumps({**journal, "stage": "../../outside"}))


def test_another_store_of_the_folder_nests_in_the_held_lock(project: Path) -> None:
    _plant_foreign_journal(project)
    with Store(project).lock(), Store(project).lock():  # would wait 60 s, then refuse
        assert (project / ".stato/.transaction.json").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["rollback", "skills/qc.py"],
        ["write", "skills/new.py", "--from", "new.py"],
        ["lesson", "add", "qc", "a lesson"],
    ],
    ids=" ".join,
)
def test_writes_beside_a_foreign_journal_do_not_wait_for_themselves(
    project: Path, argv: list[str]
) -> None:
    (project / "new.py").write_text(
        'class NewSkill:\n    """A new skill."""\n\n    name = "new_skill"\n\n'
        "    def run(self, **kwargs):\n        return kwargs\n"
    )
    assert invoke("lesson", "add", "qc", "first, so a backup exists")[0] == 0
    _plant_foreign_journal(project)
    code, _, err = invoke(*argv)
    assert code == 0, err
    assert "another stato" not in err
    assert (project / ".stato/.transaction.json").exists()  # left for the person to judge


@pytest.mark.parametrize("one_store", [False, True], ids=["a Store each", "one Store"])
def test_threads_of_one_process_still_take_turns(project: Path, one_store: bool) -> None:
    inside: list[int] = []
    overlaps: list[int] = []
    shared = Store(project)

    def writer(n: int) -> None:
        for _ in range(5):
            with (shared if one_store else Store(project)).lock():
                if inside:
                    overlaps.append(n)
                inside.append(n)
                time.sleep(0.002)
                inside.remove(n)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not overlaps and not any(t.is_alive() for t in threads)
