"""`stato resume --brief` at 1,000 and 5,000 modules against reading and parsing the same files.

The floor (as in benchmarks/validate.py) is a fresh Python process that reads and `ast.parse`s
every module file of the project. Each stato run is a fresh process, run as installed (its
bytecode compiled: benchmarks/installed.py). Cases:

- cold: no result cache and no summary cache (a first session on this machine);
- one changed: the result cache warm, one module edited since the last run (the summary cache
  misses; the edited module is compiled and scanned, the others answered from the result cache);
- summary cache: nothing changed since the last run.

The floor and the cases run in alternating rounds, so a shared VM's load moves them together.
Prints the median wall time of each, its range, and the ratio of the medians (target: <= 1.5).

Run: python benchmarks/resume.py [--sizes 1000,5000] [--repeat 5] [--before /path/to/src]
``--before SRC`` runs another checkout's stato (its ``src/`` on PYTHONPATH) in the same rounds.
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


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


class Tool:
    """One stato (this checkout's, or another's with ``src``) and its own cache folder."""

    def __init__(self, name: str, root: Path, cache: Path, src: str | None) -> None:
        self.name, self.root, self.cache = name, root, cache
        self.env = {**os.environ, "STATO_CACHE_DIR": str(cache)}
        if src:
            self.env["PYTHONPATH"] = os.path.abspath(src)
        self.cmd = [sys.executable, "-m", "stato", "resume", "--brief"]
        self.edits = 0

    def brief(self) -> float:
        return run(self.cmd, self.root, self.env)

    def drop(self) -> None:
        shutil.rmtree(self.cache, ignore_errors=True)

    def edit(self) -> None:
        """A new text for one skill (never seen before), written a minute ago."""
        self.edits += 1
        module = self.root / ".stato" / "skills" / "skill_0.py"
        text = SKILL.format(i=0, prev=0).replace('"1.0.0"', f'"1.0.{self.edits}"')
        module.write_text(text, encoding="utf-8")
        past = time.time() - 60
        os.utime(module, (past, past))


CASES: dict[str, Callable[[Tool], None]] = {  # what each case does before its timed run
    "cold (no cache)": lambda t: t.drop(),
    "one changed (result cache warm)": lambda t: (t.brief(), t.edit()),
    "summary cache (no change)": lambda t: t.brief(),
}


def measure(n: int, repeat: int, before: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        tools = []
        if before:
            tools.append(Tool("before", make_project(base / "before", n), base / "c0", before))
        tools.append(Tool("after", make_project(base / "after", n), base / "c1", None))
        floor_cmd = [sys.executable, "-c", FLOOR, str(tools[-1].root / ".stato")]
        times: dict[tuple[str, str], list[float]] = {}
        for tool in tools:  # warm-up: bytecode and the file system
            tool.brief()
        run(floor_cmd, base)
        for _ in range(repeat):
            times.setdefault(("floor", ""), []).append(run(floor_cmd, base))
            for case, prep in CASES.items():
                for tool in tools:
                    prep(tool)
                    times.setdefault((case, tool.name), []).append(tool.brief())
    floor = statistics.median(times[("floor", "")])
    print(f"\n{n} modules, median of {repeat} rounds [range]:")
    for (case, tool), got in times.items():
        median = statistics.median(got)
        label = "floor (read + ast.parse)" if case == "floor" else case
        print(
            f"  {label:34} {tool:6} {median:7.3f} s [{min(got):.3f}-{max(got):.3f}]"
            f" {median / floor:6.2f}x"
        )


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", help="the src/ folder of another stato checkout")
    args = parser.parse_args()
    for n in [int(s) for s in args.sizes.split(",")]:
        measure(n, args.repeat, args.before)


if __name__ == "__main__":
    main()
