"""`stato resume --brief` at 1,000 and 5,000 modules against reading and parsing the same files.

The floor (as in benchmarks/validate.py) is a fresh Python process that reads and `ast.parse`s
every module file of the project. Each stato run is a fresh process, run as installed (its
bytecode compiled: benchmarks/installed.py). Cases:

- cold: no result cache and no summary cache (a first session on this machine);
- one changed: the result cache warm, one module edited since the last run (the summary cache
  misses; the edited module is compiled and scanned, the others answered from the result cache);
- summary cache: nothing changed since the last run.

The floor and the cases run in alternating rounds, so a shared VM's load moves them together.
Prints the median wall time of each, its range, and the ratio of the medians (target: <= 1.5);
then the median CPU time (user + system) and its ratio, steadier than wall time on a busy VM.

Run: python benchmarks/resume.py [--sizes 1000,5000] [--repeat 5] [--before /path/to/src]
[--callgrind]. ``--before SRC`` runs another checkout's stato (its ``src/`` on PYTHONPATH) in the
same rounds; ``--callgrind`` also counts the instructions of the floor and of each case once
(valgrind: deterministic, where the wall times of a shared VM are not).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hooks import instructions
from installed import as_installed
from validate import FLOOR, SKILL


def make_project(root: Path, n: int) -> Path:
    """The bundled example (context, plan, memory, three skills) and ``n - 3`` more skills."""
    from stato.ops.init import init_project

    init_project(root, example=True)
    skills = root / ".stato" / "skills"
    for i in range(n - 3):
        (skills / f"skill_{i}.py").write_text(
            SKILL.format(i=i, prev=max(i - 1, 0)), encoding="utf-8"
        )
    age(root)
    return root


def age(root: Path) -> None:
    """Modules written less than 2 s ago are not cached (racy mtimes): make them a minute old."""
    past = time.time() - 60
    for module in (root / ".stato").rglob("*.py"):
        os.utime(module, (past, past))


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall time and CPU time (user + system, from the child's rusage) of ``cmd``, in seconds.

    On a shared VM the wall time also holds the time spent waiting for a core; the CPU time
    holds only what the process did, so its ratio is steadier under load."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


class Tool:
    """One stato (this checkout's, or another's with ``src``) and its own cache folder."""

    def __init__(self, name: str, root: Path, cache: Path, src: str | None) -> None:
        self.name, self.root, self.cache = name, root, cache
        self.env = {**os.environ, "STATO_CACHE_DIR": str(cache)}
        if src:
            self.env["PYTHONPATH"] = os.path.abspath(src)
        self.cmd = [sys.executable, "-m", "stato", "resume", "--brief"]
        self.edits = 0

    def brief(self) -> tuple[float, float]:
        return run(self.cmd, self.root, self.env)

    def count(self) -> float | None:
        return instructions(self.cmd, self.root, {**self.env, **SEED}, "")

    def drop(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)

    def changed(self) -> None:
        """Both caches warm, then one module edited."""
        self.brief()
        self.edit()

    def edit(self) -> None:
        """A new text for one skill (never seen before), written a minute ago."""
        self.edits += 1
        module = self.root / ".stato" / "skills" / "skill_0.py"
        text = SKILL.format(i=0, prev=0).replace('"1.0.0"', f'"1.0.{self.edits}"')
        module.write_text(text, encoding="utf-8")
        past = time.time() - 60
        os.utime(module, (past, past))


SEED = {"PYTHONHASHSEED": "0"}  # the same string hashes in every counted run


CASES: dict[str, Callable[[Tool], object]] = {  # what each case does before its timed run
    "cold (no cache)": lambda t: t.drop(),
    "one changed (result cache warm)": lambda t: t.changed(),
    "summary cache (no change)": lambda t: t.brief(),
}


def measure(n: int, repeat: int, before: str | None, callgrind: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        tools = []
        if before:
            tools.append(Tool("before", make_project(base / "before", n), base / "c0", before))
        tools.append(Tool("after", make_project(base / "after", n), base / "c1", None))
        floor_cmd = [sys.executable, "-c", FLOOR, str(tools[-1].root / ".stato")]
        times: dict[tuple[str, str], list[tuple[float, float]]] = {}
        for tool in tools:  # warm-up: bytecode and the file system
            tool.brief()
        run(floor_cmd, base)
        for _ in range(repeat):
            times.setdefault(("floor", ""), []).append(run(floor_cmd, base))
            for case, prep in CASES.items():
                for tool in tools:
                    prep(tool)
                    times.setdefault((case, tool.name), []).append(tool.brief())
        counts: dict[tuple[str, str], float | None] = {}
        if callgrind:
            counts[("floor", "")] = instructions(floor_cmd, base, {**os.environ, **SEED}, "")
            for case, prep in CASES.items():
                for tool in tools:
                    prep(tool)
                    counts[(case, tool.name)] = tool.count()
    floor = statistics.median(wall for wall, _ in times[("floor", "")])
    floor_cpu = statistics.median(cpu for _, cpu in times[("floor", "")])
    floor_ir = counts.get(("floor", ""))
    print(f"\n{n} modules, median of {repeat} rounds [range]; CPU: user + system:")
    for (case, name), got in times.items():
        wall = [w for w, _ in got]
        median, cpu = statistics.median(wall), statistics.median(c for _, c in got)
        label = "floor (read + ast.parse)" if case == "floor" else case
        line = (
            f"  {label:34} {name:6} {median:7.3f} s [{min(wall):.3f}-{max(wall):.3f}]"
            f" {median / floor:6.2f}x  CPU {cpu:6.3f} s {cpu / floor_cpu:5.2f}x"
        )
        ir = counts.get((case, name))
        if ir is not None and floor_ir:
            line += f"  {ir:8.1f} M instr {ir / floor_ir:5.2f}x"
        print(line)


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", help="the src/ folder of another stato checkout")
    parser.add_argument("--callgrind", action="store_true", help="count instructions too")
    args = parser.parse_args()
    for n in [int(s) for s in args.sizes.split(",")]:
        measure(n, args.repeat, args.before, args.callgrind)


if __name__ == "__main__":
    main()
