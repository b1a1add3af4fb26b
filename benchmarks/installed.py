"""Benchmarks run stato as pip installs it: with its bytecode compiled.

pip compiles every installed module (click's .pyc files are there for the floor), while a dev
shell often sets PYTHONDONTWRITEBYTECODE: an editable stato then recompiles each of its modules
in every timed process, which the floor never pays (about 190 M instructions for the compiler
alone). ``as_installed()`` compiles stato's package once and lets the processes it starts read
the bytecode, so both sides of a ratio start the same way.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path


def as_installed() -> None:
    """Compile stato's modules now; child processes may read (and write) bytecode."""
    import stato

    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    compileall.compile_dir(str(Path(stato.__file__).parent), quiet=1)
