"""A cache of the project summary for the hook path, keyed by every module file's size and mtime.

`stato resume --brief` runs at every agent session start; compiling every module each time
costs ~0.3 ms per module. When no module changed since the last run, the summary is read from
.stato/.cache/summary.json instead (plain JSON: reading it never runs anything). Any change to a
module file, to the set of files, or to stato's own compiler invalidates the whole entry.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato import __version__, confine
from stato.formats import taggedjson

if TYPE_CHECKING:  # imported when a summary is rebuilt: `resume --brief` on a hit needs none
    from stato.bridges.summary import Summary
    from stato.core.plan import PlanView, StepView

CACHE = Path(".stato") / ".cache" / "summary.json"
# Same rule as stato.adapters.store (SKIP_DIRS and dot-folders hold no modules); not imported,
# because importing the store loads the compiler, which is what a cache hit avoids.
_SKIP = frozenset({".history", "prompts", ".staging", "__pycache__"})
# A file written within this window of the cache may change again in the same mtime tick;
# such a project is not cached (the "racy timestamp" problem).
_RACY_NS = 2_000_000_000
MAX_BYTES = 64 * 1024 * 1024  # far above any project's summary; a bigger file is not ours


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
    return [__version__, max(code, default=0), sorted(files)]


def _step(d: dict[str, Any] | None) -> StepView | None:
    from stato.core.plan import StepView

    return None if d is None else StepView(**d)


def _plan(d: dict[str, Any] | None) -> PlanView | None:
    from stato.core.plan import PlanView, StepView

    if d is None:
        return None
    steps = tuple(StepView(**s) for s in d["steps"])
    return PlanView(
        **{**d, "current": _step(d["current"]), "next": _step(d["next"]), "steps": steps}
    )


def from_dict(d: dict[str, Any]) -> Summary:
    """The summary ``taggedjson`` decoded: its records rebuilt from their plain dicts."""
    from stato.bridges.summary import ContextView, InvalidView, MemoryView, SkillView, Summary

    plan = _plan(d["plan"])
    return Summary(
        skills=tuple(SkillView(**s) for s in d["skills"]),
        plan=plan,
        memory=None if d["memory"] is None else MemoryView(**d["memory"]),
        context=None if d["context"] is None else ContextView(**d["context"]),
        protocols=d["protocols"],
        invalid=tuple(InvalidView(**i) for i in d["invalid"]),
    )


def dumps(key: list[Any], summary: Summary, brief: str | None = None) -> str:
    return taggedjson.dumps({"key": key, "summary": summary, "brief": brief})


def _readable(root: Path) -> Path | None:
    """The cache file when stato could have written it: a plain file of this user inside
    .stato/ (a link, a FIFO or another user's file is ignored, with one warning)."""
    path = Path(root) / CACHE
    if not (path.exists() or path.is_symlink()):
        return None
    st = confine.plain_file(path)
    if st is None or not confine.inside(Path(root) / ".stato", path):
        confine.ignored(f".stato/{CACHE.relative_to('.stato')}", "delete .stato/.cache/")
        return None
    return path if st.st_size <= MAX_BYTES else None


def load_brief(root: Path) -> str | None:
    """The `resume --brief` paragraph stored with a summary that is still current, else None.

    The hook path: plain JSON and a walk of .stato/, none of the summary's records built.
    """
    import json

    path = _readable(root)
    if path is None:
        return None
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("key") != taggedjson.encode(fingerprint(root)):
            return None
        brief = data.get("brief")
    except (OSError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    return brief if isinstance(brief, str) else None


def load(root: Path, key: list[Any]) -> Summary | None:
    """The cached summary when its key matches ``key``; None on a miss or any damage."""
    path = _readable(root)
    if path is None:
        return None
    try:
        data = taggedjson.loads(path.read_text("utf-8"))
        if data.get("key") != key:
            return None
        return from_dict(data["summary"])
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def save(root: Path, key: list[Any], summary: Summary, brief: str | None = None) -> bool:
    """Store the summary (and the `resume --brief` paragraph made from it) unless a module
    changed too recently to trust its mtime."""
    newest = max((entry[2] for entry in key[2]), default=0)
    if time.time_ns() - newest < _RACY_NS:
        return False
    try:
        text = dumps(key, summary, brief)
    except TypeError:
        return False
    target = Path(root) / CACHE
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Only into a real folder of .stato/: a .cache planted as a link would lead out of it.
        if not (confine.plain_dir(target.parent) and confine.inside(target.parent.parent, target)):
            return False
        tmp.unlink(missing_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        with open(os.open(tmp, flags, 0o644), "w", encoding="utf-8") as fh:
            fh.write(text)
        # Atomic for readers; no fsync: after a crash a torn or empty cache is only a miss.
        os.replace(tmp, target)
    except OSError:  # a read-only project still resumes, just without the cache
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True
