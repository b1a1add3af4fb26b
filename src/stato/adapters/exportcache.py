"""What the last bridge run wrote for each exported skill, so an unchanged rerun reads nothing.

One JSON file per project in the user's cache folder (adapters/cachedir.py, never inside the
project): rel path -> [input digest, size, mtime_ns, ctime_ns, inode, characters, tokens]. A
file whose skill (input digest) and whose size, times and inode are what the last run left is
unchanged without being rendered or read again; anything else is rendered and compared. A run
that changed nothing leaves the cache file as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from stato.adapters.cachedir import project_file, read_own, write_own

VERSION = 1
Entry = tuple[str, int, int, int, int, int, int]


def load(root: Path) -> dict[str, Entry]:
    path = project_file("exports", root)
    raw = read_own(path) if path is not None else None
    if raw is None:
        return {}
    try:
        data: Any = json.loads(raw)
    except ValueError:
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    files = data.get("files")
    if not isinstance(files, dict):
        return {}
    out: dict[str, Entry] = {}
    for rel, entry in files.items():
        if isinstance(entry, list) and len(entry) == 7:
            digest, *numbers = entry
            if isinstance(digest, str) and all(type(v) is int for v in numbers):
                size, mtime, ctime, inode, chars, tokens = numbers
                out[rel] = (digest, size, mtime, ctime, inode, chars, tokens)
    return out


def still(path: str, entry: Entry | None, digest: str) -> bool:
    """True when the file at ``path`` is the one the last run wrote for the same input."""
    if entry is None or entry[0] != digest:
        return False
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    # ctime and inode too: a copy or an edit that restores the old size and mtime still differs
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == entry[1:5]


def save(
    root: Path,
    written: dict[str, tuple[str, int, int]],
    kept: dict[str, Entry],
    before: dict[str, Entry],
) -> None:
    """Record each exported file now on disk; best effort.

    ``written``: rel -> (input digest, characters, tokens) of files rendered this run (stat'ed
    here); ``kept``: entries ``still`` confirmed this run, recorded as they are. Nothing is
    written when the result equals ``before``, what ``load`` gave at the start of the run.
    """
    path = project_file("exports", root)
    if path is None:  # caching is off: nothing to stat or write
        return
    files: dict[str, Entry] = dict(kept)
    base = os.fspath(root)
    for rel, (digest, chars, tokens) in written.items():
        try:
            st = os.stat(os.path.join(base, rel), follow_symlinks=False)
        except OSError:
            continue
        files[rel] = (digest, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, chars, tokens)
    if files == before:
        return
    data = {"version": VERSION, "files": {rel: list(e) for rel, e in files.items()}}
    write_own(path, json.dumps(data).encode("utf-8"))
