"""Checks on what stato reads back from a project folder (journal, staging, caches).

A project folder may come from anyone (a cloned repository, an unpacked archive), so a file in
.stato/ that stato itself writes and later reads back is trusted only when it is where stato
puts it (no link leads out of .stato/), is a plain file or folder, and belongs to the user
running stato. Anything else is ignored with one warning that says how to clear it.
"""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path, PurePosixPath

from stato.errors import StatoError, StatoWarning


def stato_home(stato_dir: Path | str) -> str:
    """The real path .stato/ must have: its project folder resolved, then `.stato` as named.

    A `.stato` that is itself a link therefore never counts as inside the project.
    """
    stato_dir = os.path.abspath(stato_dir)
    return os.path.join(os.path.realpath(os.path.dirname(stato_dir)), os.path.basename(stato_dir))


def inside(stato_dir: Path | str, path: Path | str) -> bool:
    """True when ``path`` with every link followed is ``stato_dir`` or lies under it."""
    home = stato_home(stato_dir)
    real = os.path.realpath(path)
    return real == home or real.startswith(home + os.sep)


def check_within(root: Path | str, path: Path | str, shown: str | None = None) -> None:
    """Refuse (StatoError) to write ``path`` when its folder, links followed, is outside the
    project ``root``: a cloned project may hold `.claude -> ~/.ssh`. The file itself may be
    a link: stato replaces links, never writes through them."""
    base = os.path.realpath(root)
    folder = os.path.realpath(os.path.dirname(os.path.abspath(path)))
    if folder != base and not folder.startswith(base.rstrip(os.sep) + os.sep):
        raise StatoError(
            f"{shown or path} leads out of {root} (through a link); nothing was written "
            "(replace the link with a real folder, or remove it)"
        )


def owned(st: os.stat_result) -> bool:
    """Made by the user running stato (every file is, where there are no user ids)."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or st.st_uid == getuid()


def plain_file(path: Path | str) -> os.stat_result | None:
    """The stat of a regular file (not a link, FIFO or device) owned by this user, else None."""
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return st if stat.S_ISREG(st.st_mode) and owned(st) else None


def plain_dir(path: Path | str) -> bool:
    """A real folder (not a link to one) owned by this user."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and owned(st)


def safe_rel(rel: object) -> bool:
    """A relative posix path that stays inside its base: no absolute part, '..', '\\' or NUL."""
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel:
        return False
    p = PurePosixPath(rel)
    return not p.is_absolute() and ".." not in p.parts and "." not in rel.split("/")


def no_links_between(stato_dir: Path | str, rel: str) -> bool:
    """No folder on the way from .stato/ to ``rel`` is a link or other than a folder."""
    if not inside(stato_dir, stato_dir):
        return False
    folder = str(stato_dir)
    for part in rel.split("/")[:-1]:
        folder = os.path.join(folder, part)
        try:
            st = os.lstat(folder)
        except FileNotFoundError:
            return True  # made on write, as a real folder
        except OSError:
            return False
        if not stat.S_ISDIR(st.st_mode):
            return False
    return True


def ignored(what: str, how: str) -> None:
    """Say once that ``what`` (a path shown relative to the project) was not used."""
    warnings.warn(f"ignored {what} (not written by stato here): {how}", StatoWarning, stacklevel=2)
