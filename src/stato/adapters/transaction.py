"""Write several files under .stato/ all or nothing, even if the process is killed part-way."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stato import confine
from stato.errors import StatoError

JOURNAL = ".transaction.json"
STAGING = ".staging"  # one folder that every walker of .stato/ already skips
FORMAT = "stato-transaction/1"  # a journal without it is not one this stato wrote
MAX_JOURNAL = 64 * 1024 * 1024  # a million moves; anything larger is not ours
_STAGE = re.compile(r"[0-9a-f]{32}\Z")
_PART = re.compile(r"[0-9]{1,9}\.part\Z")
_OLD = re.compile(r"[0-9]{1,9}\.old\Z")  # a destination's previous file, kept for an undo
_CLEAR = "delete it if you did not start an import that was interrupted"


def _fsync_dir(folder: Path) -> None:
    # A rename is durable only once its folder entry is; not every platform lets us open a folder.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse
        pass
    finally:
        os.close(fd)


def _write(path: Path | str, data: bytes, durable: bool = True, exclusive: bool = False) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)
    if exclusive:  # never through a link, never into a file that is already there
        flags |= os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    with open(os.open(path, flags, 0o644), "wb") as fh:
        fh.write(data)
        if durable:
            fh.flush()
            os.fsync(fh.fileno())


def _flush_all(stage: Path, moves: list[list[str | None]]) -> None:
    """Make staged files durable before the journal names them (a power cut, not only a kill)."""
    if hasattr(os, "sync"):
        os.sync()  # one call instead of one fsync per file: 50x faster for thousands of files
        return
    for part, *_ in moves:  # pragma: no cover - platforms without sync(2)
        with open(stage / str(part), "rb+") as fh:
            os.fsync(fh.fileno())


def _plan(stato_dir: Path, journal: Path) -> dict[str, Any] | None:
    """The journal's plan when stato wrote it here: a plain file of this user, of our format,
    whose every move stays inside .stato/ with no link on the way; else None."""
    st = confine.plain_file(journal)
    if st is None or st.st_size > MAX_JOURNAL or not confine.inside(stato_dir, journal):
        return None
    try:
        plan = json.loads(journal.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(plan, dict) or plan.get("format") != FORMAT:
        return None
    stage, moves = plan.get("stage"), plan.get("moves")
    if not isinstance(stage, str) or not _STAGE.match(stage) or not isinstance(moves, list):
        return None
    folder = stato_dir / STAGING / stage
    # The staging folder may be gone: an earlier recovery moved every file, then was killed.
    present = folder.exists() or folder.is_symlink()
    if present and not (confine.plain_dir(stato_dir / STAGING) and confine.plain_dir(folder)):
        return None
    for move in moves:
        if not (isinstance(move, list) and len(move) in (2, 3)):
            return None
        part, rel, old = (*move, None)[:3]  # without a third: written before undo copies
        if not (isinstance(part, str) and isinstance(rel, str)):
            return None
        if old is not None and not (isinstance(old, str) and _OLD.match(old)):
            return None
        if not _PART.match(part) or not confine.safe_rel(rel) or rel.split("/")[0] in _SKIP:
            return None
        if not confine.no_links_between(stato_dir, rel):
            return None
        staged = folder / part
        if (staged.exists() or staged.is_symlink()) and confine.plain_file(staged) is None:
            return None
    return plan


# Where a journal may never write: stato's own state beside the modules.
_SKIP = frozenset({STAGING, ".history", ".cache", ".lock", JOURNAL, JOURNAL + ".tmp"})


def _roll_forward(stato_dir: Path, journal: Path, plan: dict[str, Any]) -> list[str]:
    stage = stato_dir / STAGING / plan["stage"]
    done: list[list[str | None]] = []
    made: list[str] = []
    base, staged = str(stato_dir), str(stage)  # plain strings: thousands of moves
    try:
        for move in plan["moves"]:
            part, rel, old = (*move, None)[:3]
            dest = os.path.join(base, rel)
            parent = os.path.dirname(dest)
            if not os.path.isdir(parent):
                _makedirs(parent, made)
            # Missing when an earlier attempt, interrupted by a kill, moved it already.
            with contextlib.suppress(FileNotFoundError):
                os.replace(os.path.join(staged, part), dest)
            done.append([rel, old])
    except OSError as exc:
        # A move the checks could not foresee failed (a full disk, an immutable file): put back
        # what was moved, so the project is byte for byte as it was, and end the transaction.
        _undo(base, staged, done, made)
        journal.unlink()
        _drop_stage(stage)
        rel = plan["moves"][len(done)][1]
        raise StatoError(
            f"cannot write .stato/{rel} ({exc.strerror or exc}); nothing was changed "
            "(check its permissions)"
        ) from None
    for folder in {os.path.dirname(os.path.join(base, str(r))) for r, _ in done}:
        _fsync_dir(Path(folder))  # the renames are durable once their folders are
    journal.unlink()  # after this the transaction is finished for good
    _drop_stage(stage)
    return [str(r) for r, _ in done]


def _drop_stage(stage: Path) -> None:
    """Remove a staging folder, and .staging/ itself once it is empty (as before the write)."""
    shutil.rmtree(stage, ignore_errors=True)
    with contextlib.suppress(OSError):
        stage.parent.rmdir()


def _makedirs(folder: str, made: list[str]) -> None:
    """``os.makedirs``, remembering each folder it made so an undo can remove it again."""
    missing = []
    while not os.path.isdir(folder):
        missing.append(folder)
        folder = os.path.dirname(folder)
    for path in reversed(missing):
        os.mkdir(path)
        made.append(path)


def _undo(base: str, staged: str, done: list[list[str | None]], made: list[str]) -> None:
    """Put back the previous file of every destination already moved, newest first."""
    for rel, old in reversed(done):
        dest = os.path.join(base, str(rel))
        with contextlib.suppress(OSError):
            if old is None:
                os.unlink(dest)  # it did not exist before this transaction
            else:
                os.replace(os.path.join(staged, old), dest)
    for folder in reversed(made):
        with contextlib.suppress(OSError):
            os.rmdir(folder)


def recover(stato_dir: Path) -> list[str]:
    """Finish a committed transaction a kill interrupted, and drop uncommitted staging folders.

    Returns the paths a roll-forward wrote (empty when there was nothing to finish). A journal
    or staging folder that stato did not write here (a link, another user's file, another
    format, a path leading out of .stato/) is left alone with one warning: it may come from a
    cloned repository, and following it could move any file the user can reach.
    Call it under the store's lock, so it never rolls back another writer's staging folder.
    """
    done: list[str] = []
    journal = stato_dir / JOURNAL
    if journal.exists() or journal.is_symlink():
        plan = _plan(stato_dir, journal)
        if plan is None:
            confine.ignored(f".stato/{JOURNAL}", _CLEAR)
            return done  # its staging folder stays too: it may be all that is left of an import
        done = _roll_forward(stato_dir, journal, plan)
    staging = stato_dir / STAGING
    if staging.is_dir() or staging.is_symlink():
        if not (confine.plain_dir(staging) and confine.inside(stato_dir, staging)):
            confine.ignored(f".stato/{STAGING}/", "delete it; stato makes it again when needed")
            return done
        strange = False
        for leftover in staging.iterdir():
            if _STAGE.match(leftover.name) and confine.plain_dir(leftover):
                shutil.rmtree(leftover, ignore_errors=True)  # staged, never committed: roll back
            else:
                strange = True
        if strange:
            confine.ignored(f"files in .stato/{STAGING}/", "delete them")
    tmp = stato_dir / (JOURNAL + ".tmp")
    if confine.plain_file(tmp) is not None:
        tmp.unlink(missing_ok=True)
    return done


def commit(stato_dir: Path, files: Mapping[str, str | bytes]) -> list[str]:
    """Write ``files`` (path relative to .stato/ -> text) so that all or none of them land.

    The texts are staged inside .stato/ (same file system, so renames are atomic), a journal
    naming every move is renamed into place (the commit point), then each staged file is
    renamed over its destination. A kill before the journal leaves the project as it was;
    a kill after it is finished by ``recover``. Call it under the store's lock.
    """
    recover(stato_dir)
    staging = stato_dir / STAGING
    if (staging.exists() or staging.is_symlink()) and not (
        confine.plain_dir(staging) and confine.inside(stato_dir, staging)
    ):
        raise StatoError(
            f"cannot write through {staging}: it is not a folder of yours inside .stato/ "
            "(a link?); delete it and retry"
        )
    check_paths(stato_dir, files)
    base = str(stato_dir)
    stage = stato_dir / STAGING / uuid.uuid4().hex
    stage.mkdir(parents=True)
    moves: list[list[str | None]] = []
    try:
        staged = str(stage)
        for i, (rel, text) in enumerate(sorted(files.items())):
            part = f"{i}.part"  # not *.py, so a leftover is never taken for a module
            data = text.encode("utf-8") if isinstance(text, str) else text
            _write(os.path.join(staged, part), data, durable=False)
            old = _keep_old(os.path.join(base, rel), os.path.join(staged, f"{i}.old"))
            moves.append([part, rel, old])
        _flush_all(stage, moves)
        _fsync_dir(stage)
        tmp = stato_dir / (JOURNAL + ".tmp")
        tmp.unlink(missing_ok=True)  # a link planted there must not be written through
        plan = {"format": FORMAT, "stage": stage.name, "moves": moves}
        _write(tmp, json.dumps(plan).encode("utf-8"), exclusive=True)
        os.replace(tmp, stato_dir / JOURNAL)  # the commit point
        _fsync_dir(stato_dir)
    except BaseException:
        _drop_stage(stage)  # before the commit point: roll back
        raise
    return _roll_forward(stato_dir, stato_dir / JOURNAL, plan)


def _keep_old(dest: str, keep: str) -> str | None:
    """A copy of ``dest`` as it is now, in the staging folder, for an undo; None if absent."""
    if not os.path.lexists(dest):
        return None
    try:
        os.link(dest, keep, follow_symlinks=False)  # the old inode survives the rename: no copy
    except (OSError, NotImplementedError):  # no hard links here, an immutable file, Windows
        shutil.copy2(dest, keep, follow_symlinks=False)
    return os.path.basename(keep)


def check_paths(stato_dir: Path, files: Iterable[str]) -> None:
    """Refuse, before anything is written, a destination a move could not reach: a file in the
    way of its folder, a folder in its place, a link on its way. (A roll-forward that cannot
    finish must never start; a single-file write checks the same.)"""
    checked: set[str] = set()
    base = str(stato_dir)
    for rel in files:
        folder = rel.rpartition("/")[0]
        while folder and folder not in checked:
            path = os.path.join(base, folder)
            if os.path.lexists(path) and not os.path.isdir(path):
                raise StatoError(
                    f"cannot write .stato/{rel}: a file is in the way of its folder; "
                    "nothing was changed"
                )
            checked.add(folder)
            folder = folder.rpartition("/")[0]
        if os.path.isdir(os.path.join(base, rel)):
            raise StatoError(
                f"cannot write .stato/{rel}: a folder is in the way; nothing was changed"
            )
        if not confine.no_links_between(stato_dir, rel):
            raise StatoError(
                f"cannot write .stato/{rel}: a folder on its way is a link (it could lead out of "
                ".stato/); replace the link with a real folder and retry"
            )
