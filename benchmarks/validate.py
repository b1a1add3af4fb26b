"""Benchmark `stato validate --check` against a floor of reading and ast.parse-ing the same files.

Run: python benchmarks/validate.py [--sizes 10,100,1000,5000] [--repeat 3]
Prints the best-of-N wall time of each, and their ratio (target: <= 2 at 1,000 and 5,000 modules),
and `stato --version` against `python -c "import click"` (target: <= 1.5).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def best(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
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
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10,100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    py = sys.executable
    print(f"{'modules':>8} {'floor s':>9} {'stato s':>9} {'ratio':>6}")
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            stato_dir = make_project(Path(tmp), n)
            floor = best([py, "-c", FLOOR, str(stato_dir)], args.repeat)
            ours = best([py, "-m", "stato", "validate", "--check", str(stato_dir)], args.repeat)
            print(f"{n:>8} {floor:>9.3f} {ours:>9.3f} {ours / floor:>6.2f}")
    floor = best([py, "-c", "import click"], args.repeat * 3)
    ours = best([py, "-m", "stato", "--version"], args.repeat * 3)
    print(
        f"\nstato --version {ours:.3f}s vs python -c 'import click' {floor:.3f}s: "
        f"ratio {ours / floor:.2f}"
    )


if __name__ == "__main__":
    main()
