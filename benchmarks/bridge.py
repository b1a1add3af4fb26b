"""`stato bridge --platform all` on 1,000 and 5,000 skills against its floor, each a fresh process.

Three cases, each run in alternating rounds with its floor (a shared VM's load moves both):

- first: no export on disk and no cache (a fresh clone); the floor reads and `ast.parse`s every
  module of .stato/ and writes the 2 x N exported files (a folder and a file each, no sync);
- unchanged: the same command again; the floor reads and parses every module (validate's floor)
  and `os.stat`s every exported SKILL.md (to see that nothing changed);
- one changed: one skill's module edited; the floor is the unchanged floor plus writing two files.

Prints wall time (median of the rounds, min in brackets), the ratio of medians to the floor, and
the ratio of CPU time (user + sys of the child: less moved by neighbours than wall time). Target:
the unchanged rerun <= 1.5x its floor. ``--before SRC`` runs another checkout's stato (its
``src/`` on PYTHONPATH) in the same rounds, for before/after figures.

Run: python benchmarks/bridge.py [--sizes 1000,5000] [--rounds 3] [--before /path/to/src]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hooks import hook_env, make_project
from installed import as_installed

FLOOR = """\
import ast, os, sys
root, mode = sys.argv[1], sys.argv[2]
stems = []
for base, dirs, names in os.walk(os.path.join(root, ".stato")):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        if name.endswith(".py"):
            with open(os.path.join(base, name), "rb") as fh:
                data = fh.read()
            ast.parse(data)
            stems.append((name[:-3], data))
tops = (".agents/skills", ".claude/skills")
if mode in ("unchanged", "one"):
    for top in tops:
        folder = os.path.join(root, top)
        for name in os.listdir(folder):
            os.stat(os.path.join(folder, name, "SKILL.md"), follow_symlinks=False)
out = sys.argv[3] if len(sys.argv) > 3 else None
writes = stems if mode == "first" else stems[:1] if mode == "one" else []
for stem, data in writes:
    for top in tops:
        folder = os.path.join(out, top, stem)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "SKILL.md"), "wb") as fh:
            fh.write(data)
"""

CASES = ("first", "unchanged", "one")
LABELS = {"first": "first run", "unchanged": "unchanged rerun", "one": "one skill changed"}


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + sys) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def age(root: Path) -> None:
    """Modules written less than 2 s ago are not cached (racy mtimes): make them older."""
    past = time.time() - 60
    for module in (root / ".stato").rglob("*.py"):
        os.utime(module, (past, past))


def edit_one(root: Path, round_no: int) -> None:
    module = root / ".stato" / "skills" / "s001.py"
    text = module.read_text("utf-8")
    module.write_text(text.replace("noisy plates", f"noisy plates ({round_no})", 1), "utf-8")


def measure(
    template: Path, work: Path, tools: dict[str, list[str]], rounds: int, envs: dict[str, dict]
) -> dict[tuple[str, str], list[tuple[float, float]]]:
    """(tool, case) -> [(wall, cpu)], every tool on its own copy, rounds alternating tools."""
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    floor = [sys.executable, str(work / "floor.py")]
    for n in range(rounds):
        copies = {}
        for tool in tools:
            copy = work / f"{tool}-{n}"
            shutil.copytree(template, copy, symlinks=True)
            age(copy)
            shutil.rmtree(Path(envs[tool]["STATO_CACHE_DIR"]), ignore_errors=True)
            copies[tool] = copy
        scratch = work / f"floor-out-{n}"
        for case in CASES:
            if case == "one":
                for copy in copies.values():
                    edit_one(copy, n)
            samples = [("floor", [*floor, str(copies["after"]), case, str(scratch)])]
            samples += [(tool, cmd) for tool, cmd in tools.items()]
            for tool, cmd in samples:
                cwd = copies["after" if tool == "floor" else tool]
                env = envs["after" if tool == "floor" else tool]
                times.setdefault((tool, case), []).append(run(cmd, cwd, env))
        for copy in copies.values():
            shutil.rmtree(copy)
        shutil.rmtree(scratch, ignore_errors=True)
    return times


def report(size: int, times: dict[tuple[str, str], list[tuple[float, float]]]) -> None:
    rounds = len(times[("floor", "first")])
    print(f"\n{size:,} skills ({2 * size:,} exported SKILL.md files), {rounds} rounds")
    head = f"{'wall s (min)':>16} {'x floor':>8} {'cpu s':>7} {'x floor':>8}"
    print(f"  {'case':20} {'tool':7} {head}")
    for case in CASES:
        floor = times[("floor", case)]
        f_wall = statistics.median(w for w, _ in floor)
        f_cpu = statistics.median(c for _, c in floor)
        for tool in ("floor", "before", "after"):
            if (tool, case) not in times:
                continue
            got = times[(tool, case)]
            wall = statistics.median(w for w, _ in got)
            cpu = statistics.median(c for _, c in got)
            best = min(w for w, _ in got)
            print(
                f"  {LABELS[case]:20} {tool:7} {wall:8.2f} ({best:5.2f}) "
                f"{wall / f_wall:7.2f}x {cpu:7.2f} {cpu / f_cpu:7.2f}x"
            )


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="the src/ folder of another stato checkout")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "floor.py").write_text(FLOOR, "utf-8")
        stato = [sys.executable, "-m", "stato", "bridge", "--platform", "all"]
        tools = {"after": stato}
        envs = {"after": hook_env(work / "pycache-after")}
        if args.before:
            tools = {"before": stato, **tools}
            env = hook_env(work / "pycache-before")
            env["PYTHONPATH"] = os.path.abspath(args.before)
            envs["before"] = env
        warm = make_project(work / "warm-up", 10)
        for tool, cmd in tools.items():  # bytecode caches: no round pays for compiling stato
            run(cmd, warm, envs[tool])
        for size in (int(s) for s in args.sizes.split(",")):
            template = make_project(work / f"template-{size}", size)
            report(size, measure(template, work, tools, args.rounds, envs))
            shutil.rmtree(template)


if __name__ == "__main__":
    main()
