"""Benchmark `stato scan` of a project against a floor of reading and ast.parse-ing its files.

Run: python benchmarks/scan.py [--sizes 1000,5000] [--repeat 3]
A project of N generated skills (the modules of benchmarks/validate.py). Each round, interleaved
(a shared VM's load moves all of them together): the floor (a fresh process reading and
ast.parse-ing every module), `stato scan` with a cold result cache (a fresh STATO_CACHE_DIR),
with a warm one (the same files scanned before) and with STATO_NO_CACHE=1. Best of --repeat,
the range, and each best's ratio to the floor's best. Timings only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from installed import as_installed
from validate import FLOOR, make_project  # noqa: E402


def timed(cmd: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    print(f"{'modules':>8} {'case':<9} {'best s':>8} {'ratio':>6}  range")
    for n in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp) / "project"
            root.mkdir()
            stato_dir = make_project(root, n)
            scan = [py, "-m", "stato", "scan"]
            base = {k: v for k, v in os.environ.items() if k != "STATO_NO_CACHE"}
            warm = {**base, "STATO_CACHE_DIR": f"{tmp}/warm"}
            timed(scan, warm, root)  # fills the warm cache
            times: dict[str, list[float]] = {"floor": [], "cold": [], "warm": [], "no cache": []}
            for i in range(args.repeat):
                times["floor"].append(timed([py, "-c", FLOOR, str(stato_dir)], base, root))
                cold = {**base, "STATO_CACHE_DIR": f"{tmp}/cold{i}"}
                times["cold"].append(timed(scan, cold, root))
                times["warm"].append(timed(scan, warm, root))
                times["no cache"].append(timed(scan, {**base, "STATO_NO_CACHE": "1"}, root))
            floor = min(times["floor"])
            for case, got in times.items():
                spread = f"{min(got):.2f}-{max(got):.2f} s"
                print(f"{n:>8} {case:<9} {min(got):>8.3f} {min(got) / floor:>6.2f}  {spread}")


if __name__ == "__main__":
    main()
