"""`stato merge-file BASE OURS THEIRS`: the git merge-driver contract, one module three ways."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.core.merge3 import Merge3, merge3_module
from stato.errors import StatoError, UsageError

# A module is a few kilobytes; a 1,000-step plan is ~100 KB. Anything bigger is not merged field
# by field (the work is bounded), and git keeps its own version of the file as a conflict.
MAX_MERGE_BYTES = 2 * 1024 * 1024
BOM = "\ufeff"


@dataclass(frozen=True)
class MergeFileReport:
    """What merging one file did: the merge, whether OURS was rewritten, and what still fails."""

    ours: str
    name: str
    merge: Merge3
    written: bool
    errors: tuple[str, ...] = ()  # a merge without markers whose result does not validate

    @property
    def clean(self) -> bool:
        return self.merge.clean and not self.errors

    def to_dict(self) -> dict[str, Any]:
        return {
            "ours": self.ours,
            "name": self.name,
            "written": self.written,
            **self.merge.to_dict(),
            "clean": self.clean,
            "errors": list(self.errors),
        }


def _read(path: Path, role: str) -> tuple[str, bool]:
    """The text of one input, and whether it starts with a BOM; refuses what is not a module."""
    import os

    from stato.adapters.fs import NotAFile, read_file
    from stato.core.source import decode

    try:
        if os.stat(path).st_size > MAX_MERGE_BYTES:
            data = b" " * (MAX_MERGE_BYTES + 1)  # refused below, never read
        else:  # opened without blocking: a FIFO or a device is refused, never waited on
            data = read_file(path)
    except FileNotFoundError:
        raise StatoError(f"no {role} file at {path}; check the path") from None
    except IsADirectoryError:
        raise UsageError(f"{path} ({role}) is a folder; give a module file") from None
    except NotAFile as exc:
        if os.path.isdir(path):
            raise UsageError(f"{path} ({role}) is a folder; give a module file") from None
        raise StatoError(f"{path} ({role}) is {exc.strerror}; give a module file") from None
    if len(data) > MAX_MERGE_BYTES:
        raise StatoError(
            f"{path} ({role}) is over {MAX_MERGE_BYTES // (1024 * 1024)} MB, too big to merge "
            "field by field; merge it by hand"
        )
    text, problem = decode(data)
    if text is None:
        raise StatoError(f"{path} ({role}) is not a module: {problem}; merge it by hand")
    return text, data.startswith(BOM.encode("utf-8"))


def merge_file(base: Path, ours: Path, theirs: Path, name: str | None = None) -> MergeFileReport:
    """Merge THEIRS into OURS against BASE and write the result to OURS (git's %O %A %B).

    A clean result is compiled and written auto-corrected; a conflict is written with markers
    around the field (or the code) both sides changed differently. Nothing is run.
    """
    from stato.adapters.fs import write_atomic
    from stato.core.compiler import compile_source

    b, _ = _read(base, "base")
    o, bom = _read(ours, "ours")
    t, _ = _read(theirs, "theirs")
    label = name or ours.name
    merged = merge3_module(b, o, t, label)
    text, errors = merged.text, tuple[str, ...]()
    # One side's text as it is (the other changed nothing) is that side's commit: not re-checked.
    # Everything under .stato/ is a module, so a text merge (a side did not parse) is checked too.
    if merged.clean and text not in (o, t):
        result = compile_source(text, label)
        if result.valid:
            text = result.corrected_source
        else:
            errors = tuple(f"{d.code} {d.message}" for d in result.errors)
    written = text != o
    if written:
        write_atomic(ours, (BOM if bom else "") + text)
    return MergeFileReport(str(ours), label, merged, written, errors)
