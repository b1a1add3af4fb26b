"""Hook-path timings on a 200-skill project: resume --brief and bridge --platform all vs a floor.

The floor is `python -c "import click"` measured in the same run (stato cannot start faster
than its CLI library). Target: `stato resume --brief` within 3x of the floor, because agent
hooks run it at every session start. Also prints the bridge size in tokens (chars / 4) for the
bundled example project and for 50 skills.

Run: /work/venv/bin/python benchmarks/hooks.py [--skills 200] [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SKILL = '''\
class Skill{n}:
    """Procedure number {n} of a large project."""

    name = "skill_{n:03d}"
    description = "Step {n} of the pipeline; use it when stage {n} data arrives."
    version = "1.{minor}.0"
    depends_on = ["pandas"]
    default_params = {{"threshold": {n}, "window": 30, "mode": "robust", "retries": 3}}
    lessons_learned = """
- Inputs over 1M rows: chunksize=50_000, the default ran out of memory on 16 GB
- Mode robust: 3x slower than fast but stable on noisy plates
- If more than 5% of rows drop, check the upstream schema first
"""

    @staticmethod
    def run(path: str, **kwargs: object) -> dict[str, object]:
        return {{**Skill{n}.default_params, **kwargs}}
'''


def make_project(root: Path, n_skills: int) -> Path:
    from stato.ops.init import init_project

    init_project(root, example=True)
    skills = root / ".stato" / "skills"
    for n in range(n_skills - 3):  # the example already has three skills
        (skills / f"s{n:03d}.py").write_text(SKILL.format(n=n, minor=n % 7), "utf-8")
    return root


def hook_env(cache: Path) -> dict[str, str]:
    """The environment of an installed stato: bytecode is cached (here outside the source tree).

    Dev shells often set PYTHONDONTWRITEBYTECODE, which makes every run recompile every module
    it imports; an installed package always has its .pyc files.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    env["STATO_CACHE_DIR"] = str(cache / "stato")  # the summary and result caches
    return env


Row = tuple[str, list[str], bool]


def timed(rows: list[Row], cwd: Path, repeat: int, env: dict[str, str]) -> dict[str, list[float]]:
    """Wall times in milliseconds, the rows interleaved so each sees the same machine load.

    A row marked cold deletes the summary cache first, so every module is compiled.
    """
    for _, cmd, _ in rows:  # warm-up: bytecode caches, file system caches
        subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
    times: dict[str, list[float]] = {label: [] for label, _, _ in rows}
    for _ in range(repeat):
        for label, cmd, cold in rows:
            if cold:  # the summary cache only: the result cache stays warm
                for old in (Path(env["STATO_CACHE_DIR"]) / "summary").glob("*.json"):
                    old.unlink()
            start = time.perf_counter()
            subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env)
            times[label].append((time.perf_counter() - start) * 1000)
    return times


def bridge_tokens(root: Path) -> int:
    from stato.ops.bridge import write_bridges

    return write_bridges(root, ["agents"], check=True).body_chars // 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    py = sys.executable
    stato = [py, "-m", "stato"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        example = make_project(base / "example", 3)
        fifty = make_project(base / "fifty", 50)
        big = make_project(base / "big", args.skills)

        print(f"bridge size, example project (3 skills): ~{bridge_tokens(example)} tokens")
        print(f"bridge size, 50 skills:                  ~{bridge_tokens(fifty)} tokens")
        print(f"bridge size, {args.skills} skills:                 ~{bridge_tokens(big)} tokens")

        env = hook_env(base / "pycache")
        start = time.perf_counter()
        subprocess.run(
            [*stato, "bridge", "--platform", "all"],
            cwd=big,
            check=True,
            capture_output=True,
            env=env,
        )
        first = (time.perf_counter() - start) * 1000

        # Modules written less than 2 s ago are not cached (racy mtimes): age them.
        past = time.time() - 60
        for module in (big / ".stato").rglob("*.py"):
            os.utime(module, (past, past))
        rows = [
            ("python -c 'import click' (floor)", [py, "-c", "import click"], False),
            ("stato --version", [*stato, "--version"], False),
            ("stato resume --brief (cache hit)", [*stato, "resume", "--brief"], False),
            ("stato resume --brief (no cache)", [*stato, "resume", "--brief"], True),
            ("stato resume --raw (cache hit)", [*stato, "resume", "--raw"], False),
            (
                "stato bridge --platform all (no change)",
                [*stato, "bridge", "--platform", "all"],
                False,
            ),
        ]
        times = timed(rows, big, args.repeat, env)
    results = {label: (statistics.median(t), min(t)) for label, t in times.items()}
    floor = results[rows[0][0]][0]
    print(f"\n{args.skills}-skill project, median of {args.repeat} runs (min in brackets):")
    for label, (median, best) in results.items():
        print(f"  {label:42} {median:7.1f} ms [{best:6.1f}]  {median / floor:5.2f}x floor")
    print(f"  {'stato bridge --platform all (first write)':42} {first:7.1f} ms (one run)")
    for case in ("cache hit", "no cache"):
        ratio = results[f"stato resume --brief ({case})"][0] / floor
        verdict = "meets" if ratio <= 3 else "misses"
        print(f"resume --brief ({case}) is {ratio:.2f}x the floor: {verdict} the 3x target.")


if __name__ == "__main__":
    main()
