"""Merge and diff of two large archives, and three-way merges against `git merge-file`.

Run: /work/venv/bin/python benchmarks/merge.py [--sizes 1000,5000] [--repeat 3]
     [--case archive|three-way|all] [--steps 1000] [--modules 5000] [--both 200]
     [--before /path/to/src --rounds 3]

For each size N two archives of N skills each are made: half the paths are shared, and of those
half differ (a lesson added on the right, a version and a parameter changed: conflicts). Then:
- merge: `stato.ops.merge.merge_archives` (hostile checks, compile of every module, field
  merge, re-render, re-validate, inbound gate, manifest, atomic write), with a cold result cache
  (a fresh STATO_CACHE_DIR each round) and a warm one (the same merge ran before), interleaved
  round by round with two floors: `read_archive` of both and `write_archive` of the union of
  their modules taken as they are (the issue's floor), and the same with an `ast.parse` of every
  module text of both sides (validate's kind of floor: inbound modules must be compiled, never
  run). Best of --repeat, and the range; a ratio to each floor.
- diff: `stato.ops.diff.diff_paths` of the two archives; floor: `read_archive` of both.
Three-way (`--case three-way`, needs git):
- a plan of --steps steps: ours completes every 7th step and logs a decision, theirs blocks
  every 11th, adds a lesson line and 5 steps. stato: `stato.ops.merge_file.merge_file` in
  process (read, merge, compile, auto-correct, write) and `python -m stato merge-file` as git
  runs it (a new process); floor: `git merge-file -p` on the same three files (which conflicts
  where the edits touch neighbouring lines: its conflict count is printed).
- a repository of --modules skills in git, two branches each changing --both shared modules
  (ours bumps the version, theirs adds a dependency on the line below) plus 10% of their own:
  `git merge` with the stato driver against `git merge` with git's own line merge; and the
  --both shared modules merged in process by stato against `git merge-file` per file.
Best of --repeat wall times are printed with their ratio. Timings only: nothing here asserts.
``--before SRC`` runs the archive case --rounds times as a fresh process with another checkout's
src/ and with this one, alternating, so both see the same load (for before/after figures).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from installed import as_installed

SKILL = '''class Skill{n}:
    """Procedure number {n} of a large project."""

    name = "skill_{n:05d}"
    version = "1.{minor}.0"
    depends_on = ["pandas"]
    default_params = {{"threshold": {threshold}, "window": 30, "mode": "robust"}}
    lessons_learned = """
- Inputs over 1M rows: chunksize=50_000, the default ran out of memory on 16 GB
- If more than 5% of rows drop, check the upstream schema first (column {n} was renamed)
{extra}"""
    tags = ["pipeline", "stage-{minor}"]

    def run(self, path: str, **kwargs: object) -> dict[str, object]:
        """Return the parameters to use."""
        return dict(kwargs)
'''


def skill(n: int, changed: bool) -> str:
    extra = "- Right side: re-run QC after the schema fix\n" if changed else ""
    return SKILL.format(
        n=n, minor=n % 7 + (1 if changed else 0), threshold=n + (5 if changed else 0), extra=extra
    )


def make_pair(folder: Path, n: int) -> tuple[Path, Path]:
    from stato.adapters.archive import write_archive
    from stato.core.compiler import compile_source
    from stato.formats.manifest import Manifest, ModuleEntry

    shared = range(n // 2)
    left = {f"skills/s{i:05d}.py": skill(i, False) for i in range(n)}
    right = {f"skills/s{i:05d}.py": skill(i, i % 2 == 1) for i in shared}
    right.update({f"skills/s{i:05d}.py": skill(i, False) for i in range(n, n + n // 2)})
    paths = []
    for name, mods in (("left", left), ("right", right)):
        entries = []
        for rel, text in sorted(mods.items()):
            r = compile_source(text, rel)
            entries.append(ModuleEntry.for_text(rel, text, "skill", r.class_name or "C"))
        manifest = Manifest(name, "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries))
        paths.append(write_archive(folder / f"{name}.stato", manifest, mods))
    return paths[0], paths[1]


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def floor_merge(a: Path, b: Path, out: Path, parse: bool = False) -> None:
    """Read both archives and write the union of their modules (``parse``: and parse each)."""
    import ast
    from dataclasses import replace

    from stato.adapters.archive import read_archive, write_archive

    left, right = read_archive(a), read_archive(b)
    if parse:
        for text in (*left.modules.values(), *right.modules.values()):
            ast.parse(text)
    modules = {**right.modules, **left.modules}
    entries = {e.path: e for e in (*right.manifest.modules, *left.manifest.modules)}
    write_archive(out, replace(left.manifest, modules=tuple(entries.values())), modules)


def run_size(n: int, repeat: int) -> None:
    from stato.adapters.archive import read_archive
    from stato.ops.diff import diff_paths
    from stato.ops.merge import merge_archives

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        a, b = make_pair(folder, n)
        out = folder / "merged.stato"
        warm = str(folder / "warm-cache")
        with cache_dir(warm):
            result = merge_archives(a, b, out).result  # fills the warm cache
        note = f"{len(result.outcomes)} modules, {len(result.conflicts)} conflicts"
        times: dict[str, list[float]] = {"floor": [], "parse": [], "cold": [], "warm": []}
        for i in range(repeat):  # interleaved: stato and its floors see the same disk weather
            times["floor"].append(timed(lambda: floor_merge(a, b, folder / "floor.stato")))
            times["parse"].append(timed(lambda: floor_merge(a, b, folder / "floor.stato", True)))
            with cache_dir(str(folder / f"cold-cache-{i}")):
                times["cold"].append(timed(lambda: merge_archives(a, b, out)))
            with cache_dir(warm):
                times["warm"].append(timed(lambda: merge_archives(a, b, out)))
        f, p = min(times["floor"]), min(times["parse"])
        for case in ("cold", "warm"):
            t = min(times[case])
            spread = f"{min(times[case]):.2f}-{max(times[case]):.2f} s"
            print(f"{n:>6} {'merge ' + case:<11} {t:>9.3f} {f:>9.3f} {t / f:>6.2f} {p:>9.3f} "
                  f"{t / p:>6.2f}  {note}; {spread}")  # fmt: skip
        changed = len(diff_paths(a, b).diff.changed)
        t = best(lambda: diff_paths(a, b), repeat)
        f = best(lambda: (read_archive(a), read_archive(b)), repeat)
        print(f"{n:>6} {'diff':<11} {t:>9.3f} {f:>9.3f} {t / f:>6.2f}  {changed} changed")


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@contextmanager
def cache_dir(folder: str) -> Iterator[None]:
    """Run with the result cache in ``folder`` (a fresh folder: a cold cache)."""
    before = os.environ.get("STATO_CACHE_DIR")
    os.environ["STATO_CACHE_DIR"] = folder
    try:
        yield
    finally:
        if before is None:
            del os.environ["STATO_CACHE_DIR"]
        else:
            os.environ["STATO_CACHE_DIR"] = before


def plan_text(steps: list[str], log: str) -> str:
    return (
        'class BigPlan:\n    """A long plan."""\n\n    name = "big"\n    objective = "Do it all"\n'
        "    steps = [\n" + "".join(steps) + f'    ]\n    decision_log = """\n{log}"""\n'
    )


def step(i: int, status: str) -> str:
    dep = f"[{i - 1}]" if i > 1 else "[]"
    return (
        f'        {{"id": {i}, "action": "task_{i:04d}", "status": "{status}", '
        f'"depends_on": {dep}}},\n'
    )


def plan_triple(n: int) -> tuple[str, str, str]:
    base = [step(i, "pending") for i in range(1, n + 1)]
    ours = [step(i, "complete" if i % 7 == 0 else "pending") for i in range(1, n + 1)]
    theirs = [step(i, "blocked" if i % 11 == 0 else "pending") for i in range(1, n + 1)]
    theirs += [step(i, "pending") for i in range(n + 1, n + 6)]
    log = "- Started with the default settings\n"
    return (
        plan_text(base, log),
        plan_text(ours, log + "- Ours: chunked the input\n"),
        plan_text(theirs, log + "- Theirs: pinned the versions\n"),
    )


def git_merge_file(base: Path, ours: Path, theirs: Path) -> int:
    """`git merge-file -p`: the number of conflicts (its exit status), nothing written."""
    import subprocess

    cmd = ["git", "merge-file", "-p", str(ours), str(base), str(theirs)]
    return subprocess.run(cmd, capture_output=True, check=False).returncode


def run_plan(n: int, repeat: int) -> None:
    import subprocess
    import sys

    from stato.ops.merge_file import merge_file

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        texts = plan_triple(n)
        b, o, t = (folder / f"{x}.py" for x in ("base", "ours", "theirs"))
        for p, text in zip((b, o, t), texts, strict=True):
            p.write_text(text, encoding="utf-8")
        work = folder / "work.py"

        def stato_once() -> object:
            work.write_text(texts[1], encoding="utf-8")
            return merge_file(b, work, t, "plan.py")

        def driver_once() -> object:
            work.write_text(texts[1], encoding="utf-8")
            cmd = [sys.executable, "-m", "stato", "merge-file", str(b), str(work), str(t)]
            return subprocess.run(cmd, capture_output=True, check=False)

        report = stato_once()
        clean = getattr(report, "clean", False)
        conflicts = git_merge_file(b, o, t)
        g = best(lambda: git_merge_file(b, o, t), repeat)
        s = best(stato_once, repeat)
        d = best(driver_once, repeat)
        print(f"{n:>6} {'plan in process':<22} {s:>9.3f} {g:>9.3f} {s / g:>7.1f}  "
              f"stato clean={clean}; git merge-file: {conflicts} conflict(s)")  # fmt: skip
        print(f"{n:>6} {'plan, python -m stato':<22} {d:>9.3f} {g:>9.3f} {d / g:>7.1f}")


def _git(repo: Path, *args: str) -> int:
    import subprocess

    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=False).returncode


def _commit_all(repo: Path, files: dict[str, str], message: str) -> None:
    for rel, text in files.items():
        (repo / rel).write_text(text, encoding="utf-8")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


def run_repo(n: int, both: int, repeat: int) -> None:
    import os
    import re
    import time

    from stato.ops.gitdriver import install

    os.environ.update({"GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@x", "GIT_COMMITTER_NAME": "b",
                       "GIT_COMMITTER_EMAIL": "b@x", "GIT_CONFIG_NOSYSTEM": "1"})  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        (repo / ".stato" / "skills").mkdir(parents=True)
        _git(repo, "init", "-q", "-b", "main")
        base = {f".stato/skills/s{i:05d}.py": skill(i, False) for i in range(n)}
        _commit_all(repo, base, "base")
        install(repo)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "driver")
        own = n // 10
        shared = list(base)[:both]
        # Neighbouring lines: ours bumps the version, theirs adds a dependency below it.
        ours = {r: re.sub(r'(version = "1\.\d+)\.0"', r'\1.1"', base[r]) for r in shared}
        ours.update({r: base[r].replace("robust", "fast") for r in list(base)[both : both + own]})
        theirs = {r: base[r].replace('["pandas"]', '["pandas", "numpy"]') for r in shared}
        theirs.update({r: base[r].replace("robust", "exact")
                       for r in list(base)[both + own : both + 2 * own]})  # fmt: skip
        _git(repo, "checkout", "-q", "-b", "theirs")
        _commit_all(repo, theirs, "theirs")
        _git(repo, "checkout", "-q", "main")
        _commit_all(repo, ours, "ours")
        driver = (repo / ".git" / "config").read_text()

        def merge(with_driver: bool) -> tuple[float, int]:
            (repo / ".git" / "config").write_text(
                driver if with_driver else driver.split('[merge "stato"]')[0]
            )
            _git(repo, "checkout", "-q", "-B", "trial", "main")
            start = time.perf_counter()
            code = _git(repo, "merge", "-q", "--no-edit", "theirs")
            took = time.perf_counter() - start
            if code:
                _git(repo, "merge", "--abort")
            _git(repo, "checkout", "-q", "main")
            return took, code

        runs = [merge(True) for _ in range(repeat)]
        plain = [merge(False) for _ in range(repeat)]
        s, g = min(t for t, _ in runs), min(t for t, _ in plain)
        print(f"{n:>6} {'git merge, driver':<22} {s:>9.3f} {g:>9.3f} {s / g:>7.1f}  "
              f"{both} shared modules; stato exit {runs[0][1]}, git's line merge exit "
              f"{plain[0][1]}")  # fmt: skip
        _shared_in_process(Path(tmp), base, ours, theirs, shared, repeat)


def _shared_in_process(
    folder: Path, base: dict[str, str], ours: dict[str, str], theirs: dict[str, str],
    shared: list[str], repeat: int,
) -> None:  # fmt: skip
    from stato.core.merge3 import merge3_module

    files = []
    for i, rel in enumerate(shared):
        trio = []
        for side, texts in (("b", base), ("o", ours), ("t", theirs)):
            p = folder / f"{side}{i}.py"
            p.write_text(texts[rel], encoding="utf-8")
            trio.append(p)
        files.append(trio)
    s = best(lambda: [merge3_module(base[r], ours[r], theirs[r], r) for r in shared], repeat)
    clean = sum(merge3_module(base[r], ours[r], theirs[r], r).clean for r in shared)
    g = best(lambda: [git_merge_file(*f) for f in files], repeat)
    conflicts = sum(git_merge_file(*f) > 0 for f in files)
    print(f"{len(shared):>6} {'shared, in process':<22} {s:>9.3f} {g:>9.3f} {s / g:>7.1f}  "
          f"stato clean {clean}/{len(shared)}; git merge-file conflicts {conflicts}")  # fmt: skip


def alternate(before: str, rounds: int, flags: list[str]) -> None:
    """The archive case as fresh processes, ``before``'s src/ and this checkout's in turn."""
    import subprocess
    import sys

    here = str(Path(__file__).resolve().parent.parent / "src")
    for i in range(rounds):
        for side, src in (("before", os.path.abspath(before)), ("after", here)):
            env = {**os.environ, "PYTHONPATH": src}
            cmd = [sys.executable, __file__, "--case", "archive", *flags]
            out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
            for line in out.stdout.splitlines()[1:]:
                print(f"{side:<6} {i + 1} {line}", flush=True)


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--case", choices=("archive", "three-way", "all"), default="all")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--modules", type=int, default=5000)
    parser.add_argument("--both", type=int, default=200)
    parser.add_argument("--before", help="the src/ folder of another stato checkout")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if args.before:
        alternate(args.before, args.rounds, ["--sizes", args.sizes, "--repeat", str(args.repeat)])
        return
    if args.case in ("archive", "all"):
        print(f"{'N':>6} {'step':<11} {'stato s':>9} {'floor s':>9} {'ratio':>6} "
              f"{'+parse s':>9} {'ratio':>6}  notes")  # fmt: skip
        for n in (int(s) for s in args.sizes.split(",")):
            run_size(n, args.repeat)
    if args.case in ("three-way", "all"):
        print(f"{'N':>6} {'three-way':<22} {'stato s':>9} {'git s':>9} {'ratio':>7}  notes")
        run_plan(args.steps, args.repeat)
        run_repo(args.modules, args.both, args.repeat)


if __name__ == "__main__":
    main()
