"""Peak memory of `stato validate --check`, `status` and `snapshot` against a floor.

Run: python benchmarks/memory.py [--sizes 1000,5000,10000] [--commands validate,status,snapshot]
Each figure is the peak RSS (ru_maxrss from os.wait4) of one fresh process. The floor reads and
ast.parse-s the same files, one at a time. Cold: a fresh STATO_CACHE_DIR (every module compiled);
warm: the same project run before, unchanged. Target: flat in the number of modules, and close
to the floor.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from installed import as_installed
from validate import FLOOR, make_project  # noqa: E402  (a sibling script, not a package)


def peak_mb(cmd: list[str], env: dict[str, str] | None = None, cwd: str | None = None) -> float:
    """Peak resident memory (MB) of one run of ``cmd``, as the kernel counted it."""
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd
    )
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped here: keep Popen from waiting again
    kb = usage.ru_maxrss  # kilobytes on Linux
    return kb / 1024


COMMANDS = {
    "validate": ["validate", "--check", "{stato}"],
    "status": ["status", "--path", "{root}"],
    "snapshot": ["snapshot", "--name", "bench", "--path", "{root}", "--output", "{out}"],
}


def main() -> None:
    as_installed()  # the bytecode an installed stato has (benchmarks/installed.py)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--commands", default="validate,status,snapshot")
    args = parser.parse_args()
    py = sys.executable
    print(
        f"{'command':>9} {'modules':>8} {'floor MB':>9} {'cold MB':>8} {'ratio':>6}"
        f" {'warm MB':>8} {'ratio':>6}"
    )
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            stato_dir = make_project(Path(tmp) / "proj", n)
            root = stato_dir.parent
            floor = peak_mb([py, "-c", FLOOR, str(stato_dir)])
            for name in args.commands.split(","):
                fill = {"stato": str(stato_dir), "root": str(root), "out": f"{tmp}/snap.zip"}
                cmd = [py, "-m", "stato", *(a.format(**fill) for a in COMMANDS[name])]
                cold_env = {**os.environ, "STATO_CACHE_DIR": f"{tmp}/cold-{name}"}
                warm_env = {**os.environ, "STATO_CACHE_DIR": f"{tmp}/warm-{name}"}
                cold = peak_mb(cmd, cold_env, cwd=tmp)
                peak_mb(cmd, warm_env, cwd=tmp)  # fill the cache once
                warm = peak_mb(cmd, warm_env, cwd=tmp)
                print(
                    f"{name:>9} {n:>8} {floor:>9.1f} {cold:>8.1f} {cold / floor:>6.2f}"
                    f" {warm:>8.1f} {warm / floor:>6.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
