"""Benchmark `stato validate --check` against a floor of reading and ast.parse-ing the same files.

Run: python benchmarks/validate.py [--sizes 10,100,1000,5000] [--repeat 3]
Prints the best-of-N wall time of each, and their ratio (target: <= 2 at 1,000 and 5,000 modules),
with a cold result cache (a fresh STATO_CACHE_DIR each run: every module compiled) and a warm
one (the modules were validated before, unchanged), and `stato --version` against
`python -c "import click"` (target: <= 1.5).
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from installed import as_installed

SKILL = '''class Skill{i}:
    """Generated skill {i} for the benchmark."""

    name = "skill_{i}"
    description = "Step {i} of a generated pipeline."
    version = "1.{i}.0"
    depends_on = ["scanpy", "skill_{prev}"]
    default_params = {{"min_genes": {i}, "max_genes": 5000, "threshold": 0.{i}, "method": "scran"}}
    lessons_learned = """
- Lesson one for skill {i}: keep min_genes={i} on cortex tissue
- Lesson two: FFPE samples need max_pct_mito=40
"""
    tags = ["generated", "bench"]

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        return {{**Skill{i}.default_params, **kwargs}}
'''

FLOOR = (
    "import ast, pathlib, sys\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.py')):\n"
    "    ast.parse(p.read_bytes())\n"
)


def best(cmd: list[str], repeat: int, caches: Iterator[str] | None = None) -> float:
    """Best wall time of ``repeat`` runs; each run takes its STATO_CACHE_DIR from ``caches``."""
    times = []
    for _ in range(repeat):
        env = {**os.environ, "STATO_CACHE_DIR": next(caches)} if caches else None
        start = time.perf_counter()
        subprocess.run(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env
        )
        times.append(time.perf_counter() - start)
    return min(times)


def make_project(root: Path, n: int) -> Path:
    skills = root / ".stato" / "skills"
    skills.mkdir(parents=True)
    for sub in (".history", "prompts"):
        (root / ".stato" / sub).mkdir()
    for i in range(n):
        (skills / f"skill_{i}.py").write_text(
            SKILL.format(i=i, prev=max(i - 1, 0)), encoding="utf-8"
        )
    return root / ".stato"


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    head = f"{'modules':>8} {'floor s':>9} {'cold s':>9} {'ratio':>6} {'warm s':>9} {'ratio':>6}"
    print(head)
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            stato_dir = make_project(Path(tmp), n)
            fresh = (str(Path(tmp) / f"cache{i}") for i in itertools.count())
            warm_dir = itertools.repeat(str(Path(tmp) / "warm"))
            floor = best([py, "-c", FLOOR, str(stato_dir)], args.repeat)
            cmd = [py, "-m", "stato", "validate", "--check", str(stato_dir)]
            cold = best(cmd, args.repeat, fresh)
            best(cmd, 1, warm_dir)  # fill the cache once
            warm = best(cmd, args.repeat, warm_dir)
            print(
                f"{n:>8} {floor:>9.3f} {cold:>9.3f} {cold / floor:>6.2f}"
                f" {warm:>9.3f} {warm / floor:>6.2f}"
            )
    floor = best([py, "-c", "import click"], args.repeat * 3)
    ours = best([py, "-m", "stato", "--version"], args.repeat * 3)
    print(
        f"\nstato --version {ours:.3f}s vs python -c 'import click' {floor:.3f}s: "
        f"ratio {ours / floor:.2f}"
    )


if __name__ == "__main__":
    main()
