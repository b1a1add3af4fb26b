"""Compiling and scanning many modules at once gives exactly the one-by-one results."""

from __future__ import annotations

import random
import string
from pathlib import Path

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


def test_batches_equal_one_by_one() -> None:
    from stato.core.compiler import compile_source
    from stato.core.privacy import scan_text

    texts = sources(450)
    compiled = batch.compile_many(texts)
    assert list(compiled) == list(texts)
    assert all(compiled[p] == compile_source(t, p) for p, t in texts.items())
    assert all(r.changed and "W001" in r.codes() for r in compiled.values())
    found = batch.scan_texts(texts)
    assert len(found) == len(texts)  # one GitHub token in every module
    assert found == [f for p, t in texts.items() for f in scan_text(t, p)]


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
