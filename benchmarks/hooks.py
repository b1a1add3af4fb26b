"""What agents run at every session start, on a 200-skill project, against `import click`.

The floor is `python -c "import click"` (stato cannot start faster than its CLI library). Each
run is a fresh process; the rows run in alternating rounds (floor, then every row, then again),
so a shared VM's load moves them together. Rows:

- `stato --version` (target <= 1.5x the floor);
- `resume --brief` from the summary cache (nothing changed since the last run); cold (no summary
  cache: a first run, or any module changed) with the result cache warm, and with it cold too;
- `resume --raw` and the SessionStart hook (`hooks run --agent claude`, stdin JSON in, recap
  out), each from the summary cache and cold;
- `status` (result cache warm) and an unchanged `bridge --platform all`.

Prints the median wall time (min in brackets) and its ratio to the floor's median. ``--before
SRC`` runs another checkout's stato (its ``src/`` on PYTHONPATH, its own cache folder) in the
same rounds, for before/after figures. ``--callgrind`` also counts each row's instructions once
under valgrind (deterministic: what a noisy VM hides). Also prints the bridge size in tokens.

Run: python benchmarks/hooks.py [--skills 200] [--repeat 9] [--before /path/to/src] [--callgrind]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
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


def _drop(env: dict[str, str], *kinds: str) -> None:
    for kind in kinds:
        shutil.rmtree(Path(env["STATO_CACHE_DIR"]) / kind, ignore_errors=True)


# What a row needs before its timed run: nothing, no summary cache, or no cache at all.
PREP: dict[str, Callable[[dict[str, str]], None]] = {
    "": lambda env: None,
    "cold": lambda env: _drop(env, "summary"),
    "cold-all": lambda env: _drop(env, "summary", "results"),
}

Row = tuple[str, list[str], str]  # label, stato's arguments, prep


HOOK = ["hooks", "run", "--agent", "claude"]  # the hook reads the agent's JSON on stdin
ROWS: list[Row] = [
    ("stato --version", ["--version"], ""),
    ("resume --brief (summary cache)", ["resume", "--brief"], ""),
    ("resume --brief (cold, result cache warm)", ["resume", "--brief"], "cold"),
    ("resume --brief (cold, no cache)", ["resume", "--brief"], "cold-all"),
    ("resume --raw (summary cache)", ["resume", "--raw"], ""),
    ("resume --raw (cold, result cache warm)", ["resume", "--raw"], "cold"),
    ("hooks run --agent claude (summary cache)", HOOK, ""),
    ("hooks run (cold, result cache warm)", HOOK, "cold"),
    ("status (result cache warm)", ["status"], ""),
    ("bridge --platform all (no change)", ["bridge", "--platform", "all"], ""),
]


def run(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=env, input=stdin, text=True)
    return (time.perf_counter() - start) * 1000


def fill(stato: list[str], cwd: Path, env: dict[str, str]) -> None:
    """Leave the summary and result caches warm (an untimed `resume --brief`)."""
    run([*stato, "resume", "--brief"], cwd, env, "")


def timed(
    tools: dict[str, dict[str, str]], cwd: Path, repeat: int, stdin: str
) -> dict[tuple[str, str], list[float]]:
    """Wall times in ms per (tool, row), every row of every tool in each round."""
    py = sys.executable
    stato = [py, "-m", "stato"]
    floor_env = next(iter(tools.values()))
    times: dict[tuple[str, str], list[float]] = {}
    for env in tools.values():  # warm-up: bytecode, file system and stato's caches
        for _, args, _ in ROWS:
            run([*stato, *args], cwd, env, stdin)
    run([py, "-c", "import click"], cwd, floor_env, "")
    for _ in range(repeat):
        times.setdefault(("floor", "floor"), []).append(
            run([py, "-c", "import click"], cwd, floor_env, "")
        )
        for label, args, prep in ROWS:
            for tool, env in tools.items():
                fill(stato, cwd, env)
                PREP[prep](env)
                times.setdefault((tool, label), []).append(run([*stato, *args], cwd, env, stdin))
    return times


def instructions(cmd: list[str], cwd: Path, env: dict[str, str], stdin: str) -> float | None:
    """Instructions executed by ``cmd`` (millions), counted by callgrind; None without valgrind."""
    if shutil.which("valgrind") is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "cg.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *cmd],
            cwd=cwd,
            env=env,
            input=stdin,
            text=True,
            capture_output=True,
            check=True,
        )
        for line in out.read_text().splitlines():
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / 1e6
    return None


def counted(
    tools: dict[str, dict[str, str]], cwd: Path, stdin: str
) -> dict[tuple[str, str], float | None]:
    py = sys.executable
    stato = [py, "-m", "stato"]
    floor_env = next(iter(tools.values()))
    out = {("floor", "floor"): instructions([py, "-c", "import click"], cwd, floor_env, "")}
    for label, args, prep in ROWS:
        for tool, env in tools.items():
            fill(stato, cwd, env)
            PREP[prep](env)
            out[(tool, label)] = instructions([*stato, *args], cwd, env, stdin)
    return out


def bridge_tokens(root: Path) -> int:
    from stato.ops.bridge import write_bridges

    return write_bridges(root, ["agents"], check=True).body_chars // 4


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skills", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--before", help="the src/ folder of another stato checkout")
    parser.add_argument("--callgrind", action="store_true", help="count instructions too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        example = make_project(base / "example", 3)
        fifty = make_project(base / "fifty", 50)
        big = make_project(base / "big", args.skills)

        print(f"bridge size, example project (3 skills): ~{bridge_tokens(example)} tokens")
        print(f"bridge size, 50 skills:                  ~{bridge_tokens(fifty)} tokens")
        print(f"bridge size, {args.skills} skills:                 ~{bridge_tokens(big)} tokens")

        tools = {"after": hook_env(base / "pycache-after")}
        if args.before:
            env = hook_env(base / "pycache-before")
            env["PYTHONPATH"] = os.path.abspath(args.before)
            tools = {"before": env, **tools}
        event = {"session_id": "b", "cwd": str(big), "hook_event_name": "SessionStart"}
        stdin = json.dumps({**event, "source": "compact"})
        bridge = [sys.executable, "-m", "stato", "bridge", "--platform", "all"]
        first = run(bridge, big, tools["after"], "")
        # Modules written less than 2 s ago are not cached (racy mtimes): age them.
        past = time.time() - 60
        for module in (big / ".stato").rglob("*.py"):
            os.utime(module, (past, past))
        times = timed(tools, big, args.repeat, stdin)
        counts = counted(tools, big, stdin) if args.callgrind else {}
    floor = statistics.median(times[("floor", "floor")])
    floor_ir = counts.get(("floor", "floor"))
    print(f"\n{args.skills}-skill project, median of {args.repeat} rounds (min in brackets):")
    head = "M instr  x floor" if counts else ""
    print(f"  {'':44} {'tool':6} {'ms':>7} {'(min)':>8} {'x floor':>8}  {head}")
    for (tool, label), got in times.items():
        median = statistics.median(got)
        line = f"  {label:44} {tool:6} {median:7.1f} [{min(got):6.1f}] {median / floor:7.2f}x"
        ir = counts.get((tool, label))
        if ir is not None and floor_ir:
            line += f"  {ir:7.1f} {ir / floor_ir:6.2f}x"
        print(line)
    print(f"  {'bridge --platform all (first write)':44} {'after':6} {first:7.1f} (one run)")


if __name__ == "__main__":
    main()
