"""Merge and diff of two large archives against a floor of reading both and writing one.

Run: /work/venv/bin/python benchmarks/merge.py [--sizes 1000,5000] [--repeat 3]

For each size N two archives of N skills each are made: half the paths are shared, and of those
half differ (a lesson added on the right, a version and a parameter changed: conflicts). Then:
- merge: `stato.ops.merge.merge_archives` (hostile checks, compile of every module, field
  merge, re-render, re-validate, manifest, atomic write); floor: `read_archive` of both and
  `write_archive` of the union of their modules taken as they are.
- diff: `stato.ops.diff.diff_paths` of the two archives; floor: `read_archive` of both.
Best of --repeat wall times are printed with their ratio. Timings only: nothing here asserts.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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


def floor_merge(a: Path, b: Path, out: Path) -> None:
    from dataclasses import replace

    from stato.adapters.archive import read_archive, write_archive

    left, right = read_archive(a), read_archive(b)
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
        result = merge_archives(a, b, out).result
        note = f"{len(result.outcomes)} modules, {len(result.conflicts)} conflicts"
        t = best(lambda: merge_archives(a, b, out), repeat)
        f = best(lambda: floor_merge(a, b, folder / "floor.stato"), repeat)
        print(f"{n:>6} {'merge':<6} {t:>9.3f} {f:>9.3f} {t / f:>6.1f}  {note}")
        changed = len(diff_paths(a, b).diff.changed)
        t = best(lambda: diff_paths(a, b), repeat)
        f = best(lambda: (read_archive(a), read_archive(b)), repeat)
        print(f"{n:>6} {'diff':<6} {t:>9.3f} {f:>9.3f} {t / f:>6.1f}  {changed} changed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'N':>6} {'step':<6} {'stato s':>9} {'floor s':>9} {'ratio':>6}  notes")
    for n in (int(s) for s in args.sizes.split(",")):
        run_size(n, args.repeat)


if __name__ == "__main__":
    main()
