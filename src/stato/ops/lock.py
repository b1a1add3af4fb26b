"""The lock file's steps: read it safely, record an install in it, and `stato verify` it."""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from stato.formats.lockfile import (
    LOCK_NAME,
    MAX_LOCK_BYTES,
    Lock,
    LockInvalid,
    Package,
    dumps,
    loads,
)
from stato.formats.manifest import sha256_text


def read_lock(stato_dir: Path) -> tuple[Lock, tuple[str, ...]]:
    """The project's lock, or an empty one and a warning when it is absent, odd or invalid.

    The folder may be hostile (a clone, an unpacked tarball): a link, a huge file, bad UTF-8 or
    a wrong key is ignored with a warning and never followed or trusted.
    """
    path = stato_dir / LOCK_NAME
    try:
        info = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return Lock(), ()
    except OSError as exc:
        return Lock(), (f"ignored .stato/{LOCK_NAME}: cannot read it ({exc.strerror or exc})",)

    def bad(why: str) -> tuple[Lock, tuple[str, ...]]:
        return Lock(), (
            f"ignored .stato/{LOCK_NAME}: {why}; the next install writes a new one "
            "(git has the old one)",
        )

    if not stat.S_ISREG(info.st_mode):
        return bad("it is not a regular file (a link or a folder)")
    if info.st_size > MAX_LOCK_BYTES:
        return bad("it is larger than any lock file should be")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_LOCK_BYTES + 1)
    except OSError as exc:
        return bad(f"cannot read it ({exc.strerror or exc})")
    try:
        return loads(data.decode("utf-8")), ()
    except UnicodeDecodeError:
        return bad("it is not UTF-8 text")
    except LockInvalid as exc:
        return bad(str(exc))


def relative_source(root: Path, source: Path | str) -> str:
    """An archive's path as the lock keeps it: relative to the project when inside it."""
    path = Path(os.path.abspath(source))
    try:
        return path.relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        return str(path)


def file_sha256(path: Path | str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()  # type: ignore[attr-defined,unused-ignore]
    except AttributeError:  # pragma: no cover - Python 3.10 has no file_digest
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def new_lock(
    stato_dir: Path, package: Package, written: Mapping[str, str]
) -> tuple[dict[str, str], tuple[str, ...]]:
    """The lock file recording ``package`` as the source of ``written``, as ``Store.commit``'s
    ``state`` (it lands in the same all-or-nothing write as the modules), and any warning
    reading the old one. ``package.modules`` is filled from ``written``'s texts (their sha256
    as installed)."""
    lock, warnings = read_lock(stato_dir)
    modules = {**package.modules, **{p: sha256_text(t) for p, t in written.items()}}
    return {LOCK_NAME: dumps(lock.record(replace(package, modules=modules)))}, warnings


@dataclass(frozen=True)
class Problem:
    """One thing `stato verify` found: ``kind`` is modified, missing or source."""

    kind: str
    package: str
    path: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class VerifyResult:
    """The lock checked against the project (and, unless offline, against its sources)."""

    root: str
    packages: int
    modules: int
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    locked: bool = True  # False: no (usable) lock file
    sources_checked: bool = True
    details: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "ok": self.ok,
            "locked": self.locked,
            "packages": self.packages,
            "modules": self.modules,
            "sources_checked": self.sources_checked,
            "problems": [p.to_dict() for p in self.problems],
            "notes": list(self.notes),
            "warnings": list(self.warnings),
            "lock": list(self.details),
        }


def _module_problems(stato_dir: Path, package: Package) -> list[Problem]:
    out = []
    for rel, want in sorted(package.modules.items()):
        path = stato_dir / rel
        if path.is_symlink() or not path.is_file():
            out.append(Problem("missing", package.label, rel, "not in .stato/ any more"))
            continue
        have = file_sha256(path)
        if have != want:
            out.append(
                Problem("modified", package.label, rel, "changed locally since it was installed")
            )
    return out


def _source_problem(root: Path, package: Package) -> tuple[Problem | None, str | None]:
    """A source that no longer matches the lock (a problem), or could not be checked (a note)."""
    from stato.errors import StatoError

    def moved(detail: str) -> tuple[Problem, None]:
        return Problem("source", package.label, "", detail), None

    if package.kind == "registry":
        from stato.ops.registry import find_package

        where = package.source
        if "://" not in where and where != "builtin" and not Path(where).is_absolute():
            where = str(root / where)  # a registry folder is kept relative to the project
        try:
            _, entry = find_package(root, f"{package.name}@{package.version}", where)
        except StatoError as exc:
            if "not found" in str(exc):
                return moved(f"{package.source} no longer offers it")
            return None, f"{package.label}: could not check {package.source} ({exc})"
        if package.sha256 and entry.sha256 != package.sha256:
            return moved(
                f"{package.source} now serves different bytes for it (sha256 "
                f"{entry.sha256[:12]}…, locked {package.sha256[:12]}…)"
            )
        return None, None
    path = Path(package.source)
    path = path if path.is_absolute() else root / path
    if not path.is_file():
        return None, f"{package.label}: {package.source} is not there to check (fine if removed)"
    digest = file_sha256(path)
    if package.sha256 and digest != package.sha256:
        return moved(f"{package.source} is not the file that was installed (sha256 differs)")
    return None, None


def verify(path: Path | str, offline: bool = False) -> VerifyResult:
    """Modules changed or gone since install, and sources that no longer match the lock."""
    from stato.ops.project import find_root

    root = find_root(path)
    stato_dir = root / ".stato"
    lock, warnings = read_lock(stato_dir)
    # A lock that cannot be read cannot vouch for anything: that alone fails the check.
    problems = [Problem("lock", "", LOCK_NAME, w) for w in warnings]
    notes: list[str] = []
    for package in lock.packages:
        problems.extend(_module_problems(stato_dir, package))
        if not offline:
            problem, note = _source_problem(root, package)
            if problem is not None:
                problems.append(problem)
            if note is not None:
                notes.append(note)
    present = (stato_dir / LOCK_NAME).is_file() and not warnings
    return VerifyResult(
        root=str(root),
        packages=len(lock.packages),
        modules=sum(len(p.modules) for p in lock.packages),
        problems=tuple(problems),
        notes=tuple(notes),
        warnings=warnings,
        locked=present,
        sources_checked=not offline,
        details=tuple(p.to_dict() for p in lock.packages),
    )


def lock_state(stato_dir: Path, package: Package, files: Mapping[str, str]) -> dict[str, str]:
    """``new_lock``, its warnings issued as StatoWarnings (the command shows each as one line)."""
    import warnings as py_warnings

    from stato.errors import StatoWarning

    state, warnings = new_lock(stato_dir, package, files)
    for line in warnings:  # one `warning:` line on stderr, as for other state read back
        py_warnings.warn(line, StatoWarning, stacklevel=2)
    return state
