"""All or nothing under kill -9: a real child process is killed at every step of an import."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.archive import write_archive
from stato.adapters.store import Store
from stato.cli import cli
from stato.core.compiler import compile_source
from stato.formats.manifest import Manifest, ModuleEntry

CHILD = r"""
import os, signal, sys
real, count, K = os.replace, [0], int(sys.argv[1])
def replace(a, b):
    if count[0] == K:
        os.kill(os.getpid(), signal.SIGKILL)  # die exactly before the K-th rename
    count[0] += 1
    real(a, b)
os.replace = replace
from stato.ops.archive import import_archive
res = import_archive(sys.argv[2], sys.argv[3], on_conflict="replace")
print(count[0])
"""


def skill(i: int, extra: str = "") -> str:
    return (
        f'class S{i}:\n    """Skill {i}."""\n    name = "s{i}"\n'
        f'    lessons_learned = "- l{extra}"\n\n'
        "    def run(self) -> None:\n        pass\n"
    )


def pack(path: Path, modules: dict[str, str]) -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        entries.append(ModuleEntry.for_text(rel, text, "skill", r.class_name or "X"))
    return write_archive(
        path, Manifest("k", "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries)), modules
    )


def modules_of(root: Path) -> dict[str, bytes]:
    stato = root / ".stato"
    return {
        p.relative_to(stato).as_posix(): p.read_bytes()
        for p in sorted(stato.rglob("*.py"))
        if not any(part.startswith(".") for part in p.relative_to(stato).parts)
    }


def env() -> dict[str, str]:
    src = str(Path(__file__).resolve().parents[1] / "src")
    return {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes], dict[str, bytes]]:
    base = tmp_path / "base"
    assert CliRunner().invoke(cli, ["init", "--path", str(base)]).exit_code == 0
    for i in (0, 1):  # two modules the import replaces
        (base / ".stato" / "skills" / f"s{i}.py").write_text(skill(i, "old"))
    arc = pack(tmp_path / "k.stato", {f"skills/s{i}.py": skill(i, "new") for i in range(5)})
    before = modules_of(base)
    after = {**before, **{f"skills/s{i}.py": skill(i, "new").encode() for i in range(5)}}
    return base, arc, before, after


@pytest.mark.slow
def test_kill_before_every_rename(setup, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base, arc, before, after = setup
    # renames: the result cache's file, 2 backups, the journal (the commit point), then 5 moves;
    # K counts up until the child lives through every rename.
    outcomes = []
    for k in range(30):
        proj = tmp_path / f"p{k}"
        shutil.copytree(base, proj)
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(k), str(proj), str(arc)],
            env=env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
        killed = child.returncode == -signal.SIGKILL
        assert killed or child.returncode == 0, child.stderr
        Store(proj).recover()
        state = modules_of(proj)
        assert state in (before, after), f"kill before rename {k} left a mixed project"
        assert not list((proj / ".stato").glob(".staging/*"))
        outcomes.append("after" if state == after else "before")
        if not killed:
            break
    # Before the journal's rename (2 backups, the journal itself) the import never happened;
    # from the first move on it always completes.
    assert outcomes == sorted(outcomes, reverse=True)  # every "before", then every "after"
    assert outcomes.count("before") >= 3 and outcomes.count("after") >= 6  # 5 moves, then done


@pytest.mark.slow
def test_kill_cli_at_random_moments(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    assert CliRunner().invoke(cli, ["init", "--path", str(proj)]).exit_code == 0
    arc = pack(tmp_path / "big.stato", {f"skills/s{i}.py": skill(i) for i in range(200)})
    before = modules_of(proj)
    cmd = [sys.executable, "-m", "stato", "import", str(arc), "--path", str(proj)]
    start = time.perf_counter()
    subprocess.run(cmd, env=env(), capture_output=True, check=True, timeout=120)
    full = time.perf_counter() - start
    after = modules_of(proj)
    assert len(after) == 200
    seen = set()
    for fraction in (0.6, 0.9):
        shutil.rmtree(proj / ".stato" / "skills")
        (proj / ".stato" / "skills").mkdir()
        child = subprocess.Popen(
            cmd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(full * fraction)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
        Store(proj).recover()
        state = modules_of(proj)
        assert state in (before, after), f"killed at {fraction:.0%}: {len(state)} modules"
        seen.add(len(state))
    assert seen <= {0, 200}
