"""Where stato keeps its caches: the user's cache folder, never inside a project.

A project folder may come from a stranger (a cloned repository), so nothing cached there could
be trusted; the user's own cache folder can, once a file is checked to be the user's own.
``$STATO_CACHE_DIR``, else ``$XDG_CACHE_HOME/stato`` (``%LOCALAPPDATA%`` on Windows), else
``~/.cache/stato``; ``STATO_NO_CACHE=1`` turns every cache off. Plain ``os`` and SHA-256 only:
the session-start hook imports this module.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

TYPE_CHECKING = False  # not typing's: the hook path imports no more than it needs
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any, BinaryIO


def _builtin_sha256() -> Any:
    """CPython's own SHA-256 (``_sha256``, ``_sha2`` from 3.12), else hashlib's: the same digest,
    without loading OpenSSL (about 2 ms, 11 M instructions) to name one file on the session-start
    path, where nothing else hashes."""
    for name in ("_sha256", "_sha2"):
        try:
            return importlib.import_module(name).sha256
        except (ImportError, AttributeError):
            continue
    import hashlib

    return hashlib.sha256


_sha256 = _builtin_sha256()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex, without loading OpenSSL (see _builtin_sha256)."""
    return str(_sha256(data).hexdigest())


def cache_home() -> Path | None:
    """stato's cache folder, or None when caching is off or there is no home to put it in."""
    if os.environ.get("STATO_NO_CACHE", "").strip().lower() not in ("", "0", "false", "no"):
        return None
    explicit = os.environ.get("STATO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    if base and os.path.isabs(base):  # the XDG spec: a relative value is to be ignored
        return Path(base) / "stato"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):  # no HOME and no password entry: no cache, never ./~/.cache
        return None
    return Path(home) / ".cache" / "stato"


def project_file(kind: str, root: Path | str) -> Path | None:
    """The cache file of ``kind`` (a sub-folder) for the project at ``root``, or None."""
    home = cache_home()
    if home is None:
        return None
    name = _sha256(os.path.realpath(root).encode("utf-8", "surrogateescape")).hexdigest()
    return home / kind / f"{name[:24]}.json"


def open_own(path: Path) -> BinaryIO | None:
    """``path`` opened for reading if it is a regular file this user owns; None otherwise.

    A shared or planted cache folder may hold another user's file: it is never trusted. The
    checks are made on the open descriptor, so the file read is the file checked.
    """
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    fh = os.fdopen(fd, "rb")
    st = os.fstat(fh.fileno())
    if not stat.S_ISREG(st.st_mode) or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        fh.close()
        return None
    return fh


def read_own(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file this user owns (see open_own); None
    otherwise."""
    fh = open_own(path)
    if fh is None:
        return None
    with fh:
        return fh.read()


def write_own(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Replace the cache file ``path`` with ``data`` (bytes, or pieces of it written as they
    come), readable by this user only; False when the cache folder refuses (a cache is never
    worth failing a command for).

    The folder is made 0700 and the temp file 0600 beside the target, then renamed over it.
    No fsync: after a crash a torn or empty cache file is only a miss.
    """
    import contextlib

    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = _new_temp(path.parent)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                for piece in data:
                    fh.write(piece)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False
    return True


_NEW = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
)


def _new_temp(folder: Path) -> tuple[int, str]:
    """A new file of this user only (0600) in ``folder``, as tempfile.mkstemp makes it; not
    tempfile itself, whose import (shutil, random, bz2, lzma) costs the hook ~3 ms."""
    for _ in range(100):
        name = os.path.join(folder, f".{os.urandom(8).hex()}.tmp")
        try:
            return os.open(name, _NEW, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")
