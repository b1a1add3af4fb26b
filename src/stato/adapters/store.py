"""The .stato/ store: one gated write path, backups in .history/, a lock for concurrent writers."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from stato import confine
from stato.adapters.fs import kind_of, read_file, read_text, sweep_temp_files, write_atomic
from stato.errors import ModuleInvalid, StatoError, UsageError

if TYPE_CHECKING:  # the compiler is imported where a write compiles: reads answered from the
    # result cache never load it (ops.project.load_project)
    from stato.core.model import ValidationResult

STATO_DIR = ".stato"
SKIP_DIRS = frozenset({".history", "prompts", ".staging", "__pycache__"})
STALE_TEMP_SECONDS = 3600.0
_STAMP = re.compile(r"\.(\d{8}T\d{6}\d{6}Z)(?:-(\d+))?\.py$")


def check_rel(rel: str) -> str:
    """A module path relative to .stato/: posix, no absolute part, no '..', ends in .py."""
    p = PurePosixPath(rel.replace("\\", "/"))
    if p.is_absolute() or ".." in p.parts or not p.parts or rel.startswith("/"):
        raise UsageError(f"module path '{rel}' must be relative to .stato/ and stay inside it")
    if p.parts[0] in SKIP_DIRS:
        raise UsageError(
            f"module path '{rel}' is inside .stato/{p.parts[0]}/, which holds no modules"
        )
    text = str(p)
    return text if text.endswith(".py") else text + ".py"


def module_arg(arg: str) -> str:
    """A --module argument as a path relative to .stato/: skills/qc, .stato/skills/qc.py, ..."""
    rel = arg.replace("\\", "/").strip()
    while rel.startswith("./"):
        rel = rel[2:]
    if rel.startswith(".stato/"):
        rel = rel[len(".stato/") :]
    return rel if rel.endswith(".py") else rel + ".py"


def format_errors(result: ValidationResult) -> str:
    errs = "; ".join(map(str, result.errors))
    return f"{result.path} is invalid ({errs}); nothing was written"


LOCK_TIMEOUT = 60  # seconds a writer waits for another before it gives up
_REGISTRY = threading.Lock()
_PROCESS_LOCKS: dict[str, threading.RLock] = {}  # the lock file's real path -> this process's
_DEPTH: dict[str, int] = {}  # how deep the thread holding a process lock holds it


def _holding(key: str) -> Iterator[None]:
    """Count one more hold of the process lock ``key`` (its RLock taken) while the body runs."""
    _DEPTH[key] = _DEPTH.get(key, 0) + 1
    try:
        yield
    finally:
        _DEPTH[key] -= 1


class Store:
    """A project's .stato/ folder."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.stato_dir = self.root / STATO_DIR
        self.history_dir = self.stato_dir / ".history"

    # -- reading ------------------------------------------------------------------
    def module_paths(self) -> list[str]:
        """Every module file under .stato/, as sorted posix paths relative to it."""
        if not self.stato_dir.is_dir():
            return []
        out: list[str] = []
        base = str(self.stato_dir)
        for folder, dirs, files in os.walk(base):
            # Pruned in place: .history/ can hold far more files than the project itself.
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.startswith(".")]
            rel_dir = os.path.relpath(folder, base).replace(os.sep, "/")
            prefix = "" if rel_dir == "." else rel_dir + "/"
            out.extend(prefix + f for f in files if f.endswith(".py") and not f.startswith("."))
            if any(f.endswith(".tmp") for f in files) and confine.inside(base, folder):
                # A killed write's temp file; an hour old, so no live writer still needs it.
                sweep_temp_files(Path(folder), files, min_age=STALE_TEMP_SECONDS)
        return sorted(out)

    def path(self, rel: str) -> Path:
        return self.stato_dir / check_rel(rel)

    def exists(self, rel: str) -> bool:
        return self.path(rel).is_file()

    def read(self, rel: str) -> str:
        try:
            return read_text(self.path(rel))
        except UnicodeDecodeError as exc:
            raise StatoError(
                f".stato/{rel} is not UTF-8 text (invalid byte at offset {exc.start}); "
                f"save it as UTF-8, or restore it with `stato rollback {rel}`"
            ) from None

    def interrupted(self) -> bool:
        """A multi-file write was killed: a journal past its commit point, or staged files."""
        return (self.stato_dir / ".transaction.json").exists() or any(
            (self.stato_dir / ".staging").glob("*")
        )

    def recover(self) -> None:
        """Finish (or drop) an interrupted multi-file write; taking the lock does it."""
        if self.interrupted():
            with self.lock():
                pass

    # -- the lock -------------------------------------------------------------------
    @contextmanager
    def lock(self) -> Iterator[None]:
        """The store's lock; taken again in the same thread (a plan, then its write; a load of
        the project through another Store of the folder) it nests."""
        from filelock import FileLock, Timeout

        # A cloned project may hold `.stato -> ~/.ssh`: the lock (and every write after it)
        # would land there. Refused before anything is made, even a dangling link's folder.
        confine.check_within(self.root, self.stato_dir / ".lock", f"{STATO_DIR}/")
        self.stato_dir.mkdir(parents=True, exist_ok=True)
        lock = self.stato_dir / ".lock"
        if lock.is_symlink() or (lock.exists() and not lock.is_file()):
            # A cloned project may ship one; filelock refuses links, but say what to do.
            what = "a link" if lock.is_symlink() else kind_of(lock)
            raise StatoError(
                f"{lock} is {what}, not stato's lock file (not written by stato here); "
                "delete it and retry"
            )
        # Stores of one folder in one process share its lock: a command that holds it and then
        # loads the project (another Store) nests, instead of waiting for itself (a journal
        # stato leaves alone keeps every new Store recovering). Other threads wait their turn,
        # even on the same Store.
        key = os.path.realpath(lock)
        with _REGISTRY:
            shared = _PROCESS_LOCKS.setdefault(key, threading.RLock())
        if not shared.acquire(timeout=LOCK_TIMEOUT):
            raise StatoError(f"another stato task holds {lock}; retry when it ends")
        try:
            if _DEPTH.get(key):  # this thread holds it already, through this Store or another
                yield from _holding(key)
                return
            # One lock for the whole store: a backup name and the write it precedes must not
            # interleave with another writer's, or a version could be lost between them.
            with FileLock(str(lock), timeout=LOCK_TIMEOUT):
                # A writer killed after its commit point left a journal: finish it before
                # anyone reads or writes, so no command ever sees a half-imported project.
                if self.interrupted():
                    from stato.adapters import transaction

                    transaction.recover(self.stato_dir)
                yield from _holding(key)
        except Timeout:
            raise StatoError(
                f"another stato process holds {self.stato_dir / '.lock'}; retry when it ends"
            ) from None
        finally:
            shared.release()

    # -- history --------------------------------------------------------------------
    def _history_base(self, rel: str) -> tuple[Path, str]:
        p = PurePosixPath(check_rel(rel))
        return self.history_dir / p.parent, p.stem

    def history(self, rel: str) -> list[Path]:
        folder, stem = self._history_base(rel)
        if not folder.is_dir():
            return []
        found = []
        for path in folder.iterdir():
            if (
                path.name.startswith(stem + ".")
                and _STAMP.search(path.name)
                and path.name[len(stem) :].count(".") == 2
            ):
                found.append(path)
        return sorted(found, key=lambda p: _stamp_key(p.name))

    def backup(self, rel: str, text: str | bytes | None = None) -> Path | None:
        """Copy the current text of ``rel`` (or ``text``) into .history/ under a sortable name."""
        if text is None:
            target = self.path(rel)
            if not target.is_file():
                return None
            text = read_file(target)
        folder, stem = self._history_base(rel)
        self._confined(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        dest = folder / f"{stem}.{stamp}.py"
        n = 1
        while dest.exists():  # two saves in one microsecond: keep both versions
            dest = folder / f"{stem}.{stamp}-{n}.py"
            n += 1
        write_atomic(dest, text)
        return dest

    # -- writing ----------------------------------------------------------------------
    def save(
        self, rel: str, source: str | bytes, *, expected_type: str | None = None
    ) -> ValidationResult:
        """The write gate: compile, refuse on E-codes, back up the old text, replace atomically."""
        from stato.core.compiler import compile_source

        rel = check_rel(rel)
        if not self.exists(rel):
            from stato.formats.manifest import check_module_path

            # a new module gets a path that snapshot and import accept (not CON.py, a b.py, ...)
            problem = check_module_path(rel)
            if problem is not None:
                raise UsageError(
                    f"cannot create .stato/{rel}: {problem}; name it with letters, digits, _ "
                    "and -; nothing was written"
                )
        result = compile_source(source, rel, expected_type)
        if not result.valid:
            raise ModuleInvalid(format_errors(result), [result])
        from stato.adapters.gate import check_values

        check_values([result])  # a payload a field computes; commit's gate reads the text
        self.commit({rel: result.corrected_source})
        return result

    def update(
        self, rel: str, edit: Callable[[str], str], *, expected_type: str | None = None
    ) -> ValidationResult:
        """Read-modify-write under the lock, so no other writer's version is lost in between."""
        from stato.core.compiler import compile_source

        rel = check_rel(rel)
        with self.lock():
            if not self.path(rel).is_file():
                raise StatoError(f"no .stato/{rel} in {self.root}")
            text = self.read(rel)
            from stato.adapters import gate  # the scanner's tables load only when editing

            # The edit would be refused anyway; saying so here names no text of the module
            gate.check_existing(rel, text)
            result = compile_source(edit(text), rel, expected_type)
            if not result.valid:
                raise ModuleInvalid(format_errors(result), [result])
            self.commit({rel: result.corrected_source})
        return result

    def commit(
        self,
        files: Mapping[str, str | bytes],
        *,
        expect: Mapping[str, bytes | None] | None = None,
        state: Mapping[str, str] | None = None,
    ) -> Committed:
        """The one write path for modules: write ``files`` (trusted, already compiled text by
        path) all or nothing, each replaced module backed up in .history/ first.

        ``expect`` maps a path to the bytes the caller planned against (None: it must not
        exist); when another writer changed one since, nothing is written. Under the lock, so
        the check and the write are one step. Files whose bytes would not change are skipped.
        ``state`` is stato's own files that land with the modules (the lock file): no backup.
        """
        rels = {check_rel(r): t for r, t in files.items()}
        own = {_check_state(r): t for r, t in (state or {}).items()}
        # The inbound gate: a module with a high injection finding the user did not accept
        # (--accept-risk) is never written, whichever command brought it.
        from stato.adapters import gate  # here: the scanner's tables load only when writing

        gate.check(rels)
        with self.lock():
            olds: dict[str, bytes | None] = {}
            for rel in [*rels, *own]:
                target = self.stato_dir / rel
                olds[rel] = target.read_bytes() if target.is_file() else None
            if expect is not None:
                for rel, planned in expect.items():
                    if olds.get(rel, self.current_bytes(rel)) != planned:
                        raise Conflict(rel)
            wanted = {r: t.encode("utf-8") if isinstance(t, str) else t for r, t in rels.items()}
            todo = {rel: new for rel, new in wanted.items() if olds[rel] != new}
            if not todo:
                return Committed((), {})
            extra = {r: t.encode("utf-8") for r, t in own.items() if olds[r] != t.encode("utf-8")}
            backups: dict[str, Path] = {}
            folders: set[Path] = set()
            try:
                for rel in todo:
                    folders.update({(self.stato_dir / rel).parent, self._history_base(rel)[0]})
                if len(todo) == 1 and not extra:  # (the transaction checks several files)
                    from stato.adapters.transaction import check_paths

                    check_paths(self.stato_dir, todo)  # a folder in the way: one clear line
                    self._confined((self.stato_dir / next(iter(todo))).parent)
                for folder in folders:
                    if confine.inside(self.stato_dir, folder):
                        sweep_temp_files(folder)  # left by a killed write; we hold the lock
                for rel in sorted(todo):
                    old = olds[rel]
                    made = None if old is None else self.backup(rel, old)
                    if made is not None:
                        backups[rel] = made
                if len(todo) == 1 and not extra:  # one rename is atomic: no journal needed
                    ((rel, data),) = todo.items()
                    try:
                        write_atomic(self.stato_dir / rel, data)
                    except OSError as exc:  # an immutable file, a full disk, ...
                        raise StatoError(
                            f"cannot write .stato/{rel} ({exc.strerror or exc}); nothing was "
                            "changed (check its permissions)"
                        ) from None
                else:
                    from stato.adapters import transaction

                    transaction.commit(self.stato_dir, {**todo, **extra})
            except BaseException as exc:
                # An error (StatoError, OSError) means nothing landed: before the commit point,
                # or undone after it. Only an interrupt during the moves leaves a journal the
                # next command finishes, and then the backups are needed.
                interrupted = not isinstance(exc, Exception)
                if not (interrupted and (self.stato_dir / ".transaction.json").exists()):
                    for made in backups.values():
                        made.unlink(missing_ok=True)
                        if made.parent != self.history_dir:
                            with suppress(OSError):  # only when empty: made for this backup
                                made.parent.rmdir()
                raise
        return Committed(tuple(sorted(todo)), backups)

    def current_bytes(self, rel: str) -> bytes | None:
        """The module's bytes now, or None when there is no such file."""
        target = self.stato_dir / check_rel(rel)
        return target.read_bytes() if target.is_file() else None

    def _confined(self, folder: Path) -> None:
        """Refuse to write through a link that leads out of .stato/ (a cloned project may
        hold `.history -> ~/somewhere`)."""
        if not confine.inside(self.stato_dir, folder):
            raise StatoError(
                f"{folder} leads out of {self.stato_dir} (a link?); nothing was written "
                "(replace the link with a real folder)"
            )

    def backup_numbered(self, rel: str, to: int | None = None) -> Path:
        """Backup ``to`` of ``rel`` (1 is the oldest; None the latest), the one rollback takes."""
        rel = check_rel(rel)
        return self._numbered(rel, self.history(rel), to)

    def _numbered(self, rel: str, versions: list[Path], to: int | None) -> Path:
        if to is not None and to < 1:  # never a backup number, whatever the project holds
            raise UsageError(f"--to {to} is not a backup number: they start at 1")
        if not versions:
            raise StatoError(f"no backups of {rel} in {self.history_dir}")
        if to is None:
            return versions[-1]
        if to > len(versions):  # a backup that does not exist: exit 1, as a missing module
            raise StatoError(f"no backup {to} of {rel}: it has backups 1..{len(versions)}")
        return versions[to - 1]

    def rollback(self, rel: str, to: int | None = None) -> Path:
        """Put a backup's exact bytes back (a BOM, CRLF, even non-UTF-8 bytes as they are)."""
        rel = check_rel(rel)
        with self.lock():
            chosen = self._numbered(rel, self.history(rel), to)
            self.commit({rel: chosen.read_bytes()})  # bytes as they are: no decoding
        return chosen


@dataclass(frozen=True)
class Committed:
    """What a commit wrote (paths relative to .stato/) and each replaced module's backup."""

    written: tuple[str, ...]
    backups: Mapping[str, Path]


class Conflict(StatoError):
    """A module changed between the read a command planned from and its write."""

    def __init__(self, rel: str) -> None:
        super().__init__(
            f".stato/{rel} changed while stato was working (another stato command or an "
            "editor wrote it); nothing was written: run the command again"
        )
        self.rel = rel


def _check_state(rel: str) -> str:
    """A file of stato's own beside the modules (``stato.lock``): a plain name, never a module."""
    if not confine.safe_rel(rel) or "/" in rel or rel.endswith(".py") or rel.startswith("."):
        raise UsageError(f"internal: {rel!r} is not a name for stato's own state in .stato/")
    return rel


def _stamp_key(name: str) -> tuple[str, int]:
    m = _STAMP.search(name)
    return (m.group(1), int(m.group(2) or 0)) if m else ("", 0)
