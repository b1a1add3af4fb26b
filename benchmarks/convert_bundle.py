"""Timings of `stato import-bundle` (200 skills) and `stato convert` (a large CLAUDE.md) vs a floor.

The floor is `python -c "import click"` in the same run. Each command runs in a fresh project so
every run writes the same modules. Prints medians in ms and the ratio to the floor.

Run: /work/venv/bin/python benchmarks/convert_bundle.py [--skills 200] [--sections 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKILL = '''
class Skill{n}:
    """Procedure {n}."""
    name = "skill_{n:03d}"
    version = "1.0"
    depends_on = "pandas"
    default_params = {{"threshold": {n}, "window": 30}}
    lessons_learned = """
- Inputs over 1M rows need chunksize=50_000
"""

    @staticmethod
    def run(path: str, **kwargs: object) -> dict[str, object]:
        return kwargs
'''


def bundle(skills: int) -> str:
    items = ",\n".join(f"    'skill_{n:03d}': '''{SKILL.format(n=n)}'''" for n in range(skills))
    return (
        "SKILLS = {\n" + items + "\n}\n"
        'PLAN = \'\'\'\nclass P:\n    name = "p"\n    objective = "o"\n'
        '    steps = [{"id": 1, "action": "a"}]\n\'\'\'\n'
    )


def claude_md(sections: int) -> str:
    parts = ["# Big project\n\nA project with many rules.\n"]
    for n in range(sections):
        parts.append(
            f"## Area {n}\n\n- Rule {n}a: use `tool{n}` for x\n- Rule {n}b: never y\n"
            f"  - unless z\n\n```bash\n# build {n}\nmake target{n}\n```\n"
        )
    parts.append("## TODO\n\n" + "".join(f"- [ ] task {n}\n" for n in range(sections)))
    return "\n".join(parts)


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True)
    return (time.perf_counter() - start) * 1000


def fresh(base: Path, n: int) -> Path:
    root = base / f"p{n}"
    root.mkdir()
    subprocess.run(
        [sys.executable, "-m", "stato", "init"], cwd=root, check=True, capture_output=True
    )
    return root


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--skills", type=int, default=200)
    parser.add_argument("--sections", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "stato_bundle.py").write_text(bundle(args.skills), encoding="utf-8")
        (base / "CLAUDE.md").write_text(claude_md(args.sections), encoding="utf-8")
        floor = [timed([sys.executable, "-c", "import click"], base) for _ in range(args.repeat)]
        runs: dict[str, list[float]] = {"import-bundle": [], "convert": []}
        for i in range(args.repeat):
            root = fresh(base, i)
            runs["import-bundle"].append(
                timed(
                    [
                        sys.executable,
                        "-m",
                        "stato",
                        "import-bundle",
                        str(base / "stato_bundle.py"),
                        "--no-bridge",
                    ],
                    root,
                )
            )
            runs["convert"].append(
                timed([sys.executable, "-m", "stato", "convert", str(base / "CLAUDE.md")], root)
            )
        lo = statistics.median(floor)
        print(f"floor (python -c 'import click'): {lo:.0f} ms")
        sizes = {
            "import-bundle": f"{args.skills} skills + plan",
            "convert": f"CLAUDE.md, {args.sections} sections",
        }
        for name, values in runs.items():
            mid = statistics.median(values)
            print(f"{name} ({sizes[name]}): {mid:.0f} ms = {mid / lo:.1f}x floor")


if __name__ == "__main__":
    main()
