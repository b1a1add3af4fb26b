"""Compiling and scanning many modules on several cores gives exactly the serial results."""

from __future__ import annotations

import random
import string
from pathlib import Path

import pytest

from stato.ops import batch

SKILL = '''class Skill{i}:
    """Skill {i}."""
    name = "skill_{i}"
    depends_on = "scanpy"
    version = "1.{i}"
    default_params = {{"n": {i}, "token": "ghp_{tok}"}}

    def run(self) -> None:
        pass
'''


def sources(n: int) -> dict[str, str]:
    rng = random.Random(7)
    alphabet = string.ascii_letters + string.digits
    tokens = ["".join(rng.choice(alphabet) for _ in range(36)) for _ in range(n)]
    return {f"skills/s{i}.py": SKILL.format(i=i, tok=tokens[i]) for i in range(n)}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_equals_serial(jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = sources(batch.PARALLEL_FROM + 50)
    monkeypatch.setenv("STATO_JOBS", "1")
    serial = batch.compile_many(texts)
    serial_findings = batch.scan_texts(texts)
    monkeypatch.setenv("STATO_JOBS", jobs)
    assert batch._workers(len(texts)) == int(jobs)
    parallel = batch.compile_many(texts)
    assert list(parallel) == list(serial)
    assert all(parallel[p] == serial[p] for p in serial)
    assert all(r.changed and "W001" in r.codes() for r in parallel.values())
    assert len(serial_findings) == len(texts)  # one GitHub token in every module
    assert batch.scan_texts(texts) == serial_findings


def test_small_batches_stay_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STATO_JOBS", raising=False)
    assert batch._workers(10) == 1


def test_validate_reports_progress_up_to_the_total(tmp_path: Path) -> None:
    from stato.ops.validate import validate_paths

    for rel, text in sources(450).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    seen: list[tuple[int, int]] = []
    report = validate_paths([tmp_path], check=True, progress=lambda d, t: seen.append((d, t)))
    assert len(report.modules) == 450
    assert seen[0] == (0, 450) and seen[-1] == (450, 450)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_snapshot_and_import_report_progress(tmp_path: Path) -> None:
    from stato.ops.archive import import_archive
    from stato.ops.init import init_project
    from stato.ops.snapshot import snapshot

    init_project(tmp_path / "a", example=True)
    seen: list[tuple[int, int]] = []
    res = snapshot(tmp_path / "a", "demo", progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (0, 6) and seen[-1] == (6, 6) and res.written
    seen.clear()
    out = import_archive(tmp_path / "b", res.output, progress=lambda d, t: seen.append((d, t)))
    assert seen[-1] == (6, 6) and len(out.written) == 6


def test_a_threaded_process_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    monkeypatch.setenv("STATO_JOBS", "2")
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert batch._workers(batch.PARALLEL_FROM + 1) == 1
    finally:
        stop.set()
        worker.join()
    assert batch._workers(batch.PARALLEL_FROM + 1) == 2


def test_forked_results_carry_the_texts_they_were_given(monkeypatch: pytest.MonkeyPatch) -> None:
    clean = 'class CleanSkill:\n    """Doc."""\n    name = "c{i}"\n\n    def run(self) -> None:\n        pass\n'
    jobs: list[batch.Job] = []
    for i in range(batch.PARALLEL_FROM + 20):
        kind = i % 4
        if kind == 0:
            jobs.append((f"s{i}.py", clean.format(i=i), None))  # unchanged
        elif kind == 1:
            jobs.append((f"s{i}.py", ("\ufeff" + clean.format(i=i)).encode(), None))  # BOM
        elif kind == 2:
            jobs.append((f"s{i}.py", b"class A:\n    x = '\xff'\n", None))  # not UTF-8
        else:
            jobs.append((f"s{i}.py", SKILL.format(i=i, tok="x" * 36), "skill"))  # auto-fixed
    monkeypatch.setenv("STATO_JOBS", "1")
    serial = batch.compile_jobs(jobs)
    monkeypatch.setenv("STATO_JOBS", "2")
    assert batch.compile_jobs(jobs) == serial
    assert {r.changed for r in serial} == {True, False}
