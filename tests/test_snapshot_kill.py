"""A snapshot killed with -9 just before its rename leaves the previous archive intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stato.adapters.archive import read_archive

CHILD = r"""
import os, signal, sys
def replace(a, b):
    os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from stato.ops.snapshot import snapshot
snapshot(sys.argv[1], "s", force=True)
"""


@pytest.mark.slow
def test_killed_snapshot_keeps_previous_archive(example: Path, run) -> None:  # type: ignore[no-untyped-def]
    assert run("snapshot", "--name", "s", "--force").exit_code == 0
    archive = example / "s.stato"
    before = archive.read_bytes()
    (example / ".stato" / "skills" / "qc.py").write_text(
        (example / ".stato" / "skills" / "qc.py").read_text() + "\n# changed\n"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(example)], env=env, capture_output=True, timeout=60
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert archive.read_bytes() == before
    assert read_archive(archive).manifest.name == "s"
