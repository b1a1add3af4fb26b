"""A cache of the project summary for the hook path, keyed by every module file's stat.

`stato resume --brief` and the agents' session-start hooks run at every session start. When
no module changed since the last run, the summary and the recap texts made from it (the
`--brief` paragraph, the `--raw` recap) are read from the user's cache folder instead of reading
and checking every module (docs/performance.md has what it saves). The cache folder is never
inside the project, where a cloned repository could plant one, and a file another user owns is
ignored (adapters/cachedir.py). Plain JSON: reading it never runs anything. Any change to a
module file, to the set of files, or to stato's own compiler invalidates the whole entry.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from stato import __version__
from stato.adapters.cachedir import open_own, project_file, sha256_hex, write_own
from stato.formats import taggedjson

if TYPE_CHECKING:  # imported when a summary is rebuilt: `resume --brief` on a hit needs none
    from stato.bridges.summary import Summary

KIND = "summary"  # the sub-folder of the cache folder
FORMAT = 2  # the file's layout (format 1: one JSON document holding the whole key)
# Same rule as stato.adapters.store (SKIP_DIRS and dot-folders hold no modules); not imported,
# because importing the store loads the compiler, which is what a cache hit avoids.
_SKIP = frozenset({".history", "prompts", ".staging", "__pycache__"})
# A file written within this window of the cache may change again in the same mtime tick;
# such a project is not cached (the "racy timestamp" problem).
_RACY_NS = 2_000_000_000


Stat = tuple[str, int, int, int, int]  # path, size, mtime_ns, ctime_ns, inode


def _walk(folder: Path, rel: str, out: list[Stat]) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name not in _SKIP and not entry.name.startswith("."):
                    _walk(Path(entry.path), f"{rel}{entry.name}/", out)
            elif entry.name.endswith(".py") and entry.is_file():
                st = entry.stat()
                # ctime and inode too: a copy that restores an old mtime and size still differs
                out.append(
                    (rel + entry.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                )


def fingerprint(root: Path) -> list[Any]:
    """Every module's (path, size, mtime, ctime, inode), stato's version, its code's mtimes."""
    files: list[Stat] = []
    stato_dir = Path(root) / ".stato"
    if stato_dir.is_dir():
        _walk(stato_dir, "", files)
    pkg = Path(__file__).resolve().parent.parent
    code = [p.stat().st_mtime_ns for p in sorted((pkg / "core").glob("*.py"))]
    code.append((pkg / "bridges" / "summary.py").stat().st_mtime_ns)
    code.append((pkg / "ops" / "resume.py").stat().st_mtime_ns)  # writes the cached paragraph
    code.append((pkg / "formats" / "recap.py").stat().st_mtime_ns)  # writes the cached raw recap
    code.append((pkg / "ops" / "project.py").stat().st_mtime_ns)  # types by place, withholds
    # The scanner's rules decide which modules a summary withholds from agents (trust gate).
    code += [p.stat().st_mtime_ns for p in (pkg / "core" / "privacy").glob("*.py")]
    return [__version__, max(code, default=0), sorted(files)]


def _digest(key: list[Any]) -> str:
    """The key as the file's first line holds it: the SHA-256 of its JSON (a 5,000-module key
    is about 400 KB of JSON; its digest is compared without reading the rest of the file)."""
    import json

    return sha256_hex(json.dumps(key, separators=(",", ":")).encode("ascii"))


def _json(value: Any, dump: Any) -> str:
    """``dump(value)`` as UTF-8-safe JSON: a lone surrogate from a module is written escaped."""
    text: str = dump(value)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = dump(value, ensure_ascii=True)
    return text


def dumps(key: list[Any], summary: Summary, texts: dict[str, str] | None = None) -> str:
    """The cache file, three lines: the key's digest; the recap texts made from the summary
    (``texts``: the `resume --brief` paragraph and the raw recap, so the hook path builds
    neither, and reads neither the summary nor more than the first line on a miss); the summary.
    JSON escapes every line break inside a value, so each part is one line."""
    return "".join(_pieces(key, summary, texts))


# Skills encoded at once: the whole summary's JSON-ready copy and the encoder's pieces took
# about 5 MB at 1,000 skills, each page of it a fault to fill
_SKILLS_AT_ONCE = 200


def _pieces(key: list[Any], summary: Summary, texts: dict[str, str] | None) -> Iterator[str]:
    """``dumps`` in pieces: the summary's skills a few hundred at a time, the same JSON (a
    chunk holding a lone surrogate escapes it, as ``taggedjson.dumps`` does)."""
    import json
    from dataclasses import replace
    from functools import partial

    head = json.dumps({"format": FORMAT, "key": _digest(key)})
    body = _json(texts or {}, partial(json.dumps, ensure_ascii=False, separators=(",", ":")))
    yield f"{head}\n{body}\n"
    rest = taggedjson.dumps(replace(summary, skills=()))
    start = rest.index("[") + 1  # {"skills":{"\u0000t":[ ... ]}, "plan": ...}
    yield rest[:start]
    skills = summary.skills
    for at in range(0, len(skills), _SKILLS_AT_ONCE):
        part = taggedjson.dumps(list(skills[at : at + _SKILLS_AT_ONCE]))
        yield ("," if at else "") + part[1:-1]
    yield rest[start:] + "\n"


def _open(root: Path, key: list[Any] | None) -> BinaryIO | None:
    """The cache file of ``root``, open after its first line, when that line holds the digest
    of ``key`` (the project's fingerprint when None); None on a miss or damage."""
    import json

    file = project_file(KIND, root)
    fh = None if file is None else open_own(file)
    if fh is None:
        return None
    try:
        head = json.loads(fh.readline(4096))
        if head.get("format") == FORMAT and head.get("key") == _digest(
            fingerprint(root) if key is None else key
        ):
            return fh
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        pass
    fh.close()
    return None


def load_texts(root: Path, key: list[Any] | None = None) -> dict[str, str]:
    """The recap texts stored with a summary that is still current (``{}`` on a miss).

    The hook path: plain JSON, a walk of .stato/ and two lines of the file, none of the
    summary's records built. ``key``: the project's fingerprint, when the caller has it.
    """
    import json

    fh = _open(root, key)
    if fh is None:
        return {}
    try:
        with fh:
            texts = json.loads(fh.readline())
    except (OSError, ValueError, TypeError, RecursionError):
        return {}
    if not isinstance(texts, dict):
        return {}
    return {k: v for k, v in texts.items() if isinstance(k, str) and isinstance(v, str)}


def load(root: Path, key: list[Any]) -> dict[str, Any] | None:
    """The cached summary's plain data when its key matches ``key``; None on a miss or damage.

    ``bridges.summary.from_dict`` rebuilds the records (and refuses data that does not fit).
    """
    fh = _open(root, key)
    if fh is None:
        return None
    try:
        with fh:
            fh.readline()  # the recap texts
            found = taggedjson.loads(fh.read())
    except (OSError, ValueError, TypeError, RecursionError):
        return None
    return found if isinstance(found, dict) else None


def save(root: Path, key: list[Any], summary: Summary, texts: dict[str, str] | None = None) -> bool:
    """Store the summary (and the recap ``texts`` made from it) unless a module changed too
    recently to trust its mtime."""
    newest = max((entry[2] for entry in key[2]), default=0)
    if time.time_ns() - newest < _RACY_NS:
        return False
    try:
        data = [piece.encode("utf-8") for piece in _pieces(key, summary, texts)]
    except (TypeError, UnicodeEncodeError):
        return False
    target = project_file(KIND, root)
    # A read-only cache folder still resumes, just without the cache.
    return target is not None and write_own(target, data)
