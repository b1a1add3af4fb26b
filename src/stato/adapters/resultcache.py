"""A per-project cache of compile and privacy-scan results, keyed by each text's SHA-256.

Compiling and scanning are pure functions of a module's text (and, for the scan, the ignore
globs), so a text seen before needs neither again: snapshot, import and validate of a large
project whose modules mostly did not change cost little more than reading them.

Where: the user's cache folder (``$STATO_CACHE_DIR``, else ``$XDG_CACHE_HOME/stato``, else
``~/.cache/stato``), one file per project; never inside the project, so a cloned repository
cannot ship forged results, and a file another user owns is ignored. ``STATO_NO_CACHE=1`` turns
it off. Each file is stamped with a fingerprint of this stato (its version and the size and
mtime of every compiler and scanner source file): another stato, or an edited one, sees an empty
cache. Reading is plain JSON, never pickle: a damaged file or entry is a miss, never an error.
Findings are kept as (start, end, rule) only, so the cache never holds a secret. Results whose
values JSON cannot give back exactly are not cached. Writes are atomic (temp file + rename);
two processes racing only lose entries.

Layout: JSON Lines, so that memory stays flat in the number of modules. The first line is
``{"format":2,"fingerprint":...}``; each other line is ``SECTION<tab>KEY<tab>ENTRY`` (section
``c`` compile, ``s`` scan; ENTRY one JSON value), the entries used last first. A run keeps only
the offset of each line, reads an entry when it is asked for, sends the entries it adds to an
unnamed temporary file, and writes the new file a line at a time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from stato import __version__
from stato.adapters.cachedir import cache_home, open_own, project_file, write_own
from stato.core.diagnostics import Diagnostic
from stato.core.model import ValidationResult
from stato.core.source import source_text
from stato.formats import taggedjson

FORMAT = 2
_LONG = 1 << 24  # a line this long or longer (16 MB) is not cached
# Entries kept per project besides the ones the last run used (renamed or deleted modules).
SPARE_ENTRIES = 2_000
# The pseudo-globs under which the scan section holds the texts with no high injection finding:
# in the text (the archive gate), and in the text and the values its fields compute (the withheld
# rule of the read path, which a verdict on the text alone must never answer).
_NO_HIGH = ("\0withheld rule: no high injection finding as a .py module",)
_NO_HIGH_VALUES = ("\0withheld rule: no high injection finding as a .py module, nor in its values",)
# Files of projects not touched for this long are deleted when another project's file is saved.
STALE_SECONDS = 30 * 24 * 3600
_PREAD: Callable[[int, int, int], bytes] | None = getattr(os, "pread", None)  # not on Windows


def cache_dir() -> Path | None:
    """The folder holding the result files, or None when caching is off."""
    home = cache_home()
    return None if home is None else home / "results"


@lru_cache(maxsize=1)
def fingerprint() -> str:
    """This stato's version and the size and mtime of every compiler and scanner source file."""
    core = Path(__file__).resolve().parent.parent / "core"
    parts = [__version__, str(FORMAT)]
    for path in sorted(core.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(core).as_posix()}:{st.st_size}:{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def text_key(source: str | bytes) -> str | None:
    """SHA-256 of the exact text (None for text that cannot be encoded, which is not cached)."""
    try:
        data = source if isinstance(source, bytes) else source.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return hashlib.sha256(data).hexdigest()


def _encode_result(r: ValidationResult) -> list[Any]:
    return [
        r.module_type,
        r.class_name,
        r.docstring,
        taggedjson.encode(r.fields),  # TypeError for a value that would not come back the same
        r.field_lines,
        list(r.methods),
        [[d.code, d.severity, d.message, d.line, d.fixed] for d in r.diagnostics],
        None if r.corrected_source == r.source else r.corrected_source,
    ]


def _decode_result(entry: list[Any], path: str, source: str) -> ValidationResult:
    """The result an entry holds; the entry was read with ``taggedjson.loads``, so its fields
    are decoded already (the other parts hold no tagged value: field names start no key with
    NUL)."""
    mtype, cls, doc, fields, lines, methods, diags, corrected = entry
    if not (isinstance(fields, dict) and isinstance(lines, dict) and isinstance(methods, list)):
        raise TypeError("damaged entry")
    return ValidationResult(
        path,
        source,
        source if corrected is None else corrected,
        mtype,
        cls,
        doc,
        fields,
        lines,
        tuple(methods),
        tuple(Diagnostic(c, s, m, ln, fx) for c, s, m, ln, fx in diags),
    )


def _where(offset: int, length: int, section: bytes) -> int:
    """Where a line is, in one int: offset, section (bit 24: scan), length (24 bits)."""
    return offset << 25 | (section == b"s") << 24 | length


class ResultCache:
    """The results cached for one project; ``save`` writes back what this run used and added."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._loaded = False
        self._old: BinaryIO | None = None  # the file as this run found it, open
        # hash(section + key) -> where its line is in the old file (see _where), ~that once
        # this run used it. Hashes, not the keys: two ints per entry; a line read is checked to
        # hold the very key asked for, so two keys with one hash are only a miss.
        self._index: dict[int, int] = {}
        self._new: BinaryIO | None = None  # the lines this run added
        self._new_at: dict[int, int] = {}  # hash(section + key) -> where in self._new
        self._added = False

    @classmethod
    def for_project(cls, root: Path | str) -> ResultCache:
        return cls(project_file("results", root))

    @property
    def enabled(self) -> bool:
        return self.file is not None

    def _load(self) -> None:
        self._loaded = True
        if self.file is None:
            return
        fh = open_own(self.file)  # another user's file (a shared STATO_CACHE_DIR): untrusted
        if fh is None:
            return
        try:
            head = json.loads(fh.readline(4096))
            if head.get("format") != FORMAT or head.get("fingerprint") != fingerprint():
                fh.close()
                return
            offset = fh.tell()
            for line in fh:
                tab = line.find(b"\t", 2)
                if line[1:2] == b"\t" and tab > 0 and line.endswith(b"\n") and len(line) < _LONG:
                    where = _where(offset, len(line), line[:1])
                    self._index.setdefault(hash(line[:1] + line[2:tab]), where)
                offset += len(line)
        except (OSError, ValueError, AttributeError):
            fh.close()
            self._index.clear()
            return  # damaged: an empty cache
        self._old = fh
        weakref.finalize(self, fh.close)

    @staticmethod
    def _key(section: str, key: str) -> bytes | None:
        """The key as its line spells it ("c" compile, "s" scan); None: not cached."""
        if not key.isascii() or "\t" in key or "\n" in key:
            return None
        return (section[:1] + key).encode("ascii")

    def _read(self, fh: BinaryIO, where: int, k: bytes) -> bytes:
        line = self._line(fh, where)
        tab = line.index(b"\t", 2)
        if line[:1] + line[2:tab] != k:
            raise ValueError("another key")  # two keys with one hash
        return line[tab + 1 :]

    def _get(self, section: str, key: str, loads: Any = json.loads) -> Any:
        """The entry of ``key``, read with ``loads`` (given the entry's JSON bytes), or None."""
        if not self._loaded:
            self._load()
        k = self._key(section, key)
        if k is None:
            return None
        h = hash(k)
        try:
            if h in self._new_at and self._new is not None:
                return loads(self._read(self._new, self._new_at[h], k))
            where = self._index.get(h)
            if where is None or self._old is None:
                return None
            entry = loads(self._read(self._old, ~where if where < 0 else where, k))
        except (OSError, ValueError, TypeError, RecursionError):  # damaged: a miss, never kept
            self._index.pop(h, None)
            return None
        if where >= 0:
            self._index[h] = ~where
        return entry

    def _drop(self, section: str, key: str) -> None:
        """Forget an entry that was found damaged: it is not written again."""
        k = self._key(section, key)
        if k is not None:
            self._index.pop(hash(k), None)
            self._new_at.pop(hash(k), None)

    def _put(self, section: str, key: str, entry: Any) -> None:
        k = self._key(section, key)
        if k is None:
            return
        body = json.dumps(entry, ensure_ascii=False, separators=(",", ":"))
        try:
            data = k[:1] + b"\t" + k[1:] + b"\t" + body.encode("utf-8") + b"\n"
        except UnicodeEncodeError:  # a lone surrogate from a module: escape it instead
            body = json.dumps(entry, ensure_ascii=True, separators=(",", ":"))
            data = k[:1] + b"\t" + k[1:] + b"\t" + body.encode("ascii") + b"\n"
        if len(data) >= _LONG or not self._spill(hash(k), data):
            return
        self._index.pop(hash(k), None)  # the new line replaces an old one
        self._added = True

    def _spill(self, h: int, data: bytes) -> bool:
        """Append a new line to the unnamed file of this run's additions."""
        import tempfile

        try:
            if self._new is None:
                assert self.file is not None
                self.file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                # mode 0600, no name; open until save (or the finalizer) closes it
                self._new = tempfile.TemporaryFile(dir=self.file.parent)  # noqa: SIM115
                weakref.finalize(self, self._new.close)
            end = self._new.seek(0, os.SEEK_END)
            self._new.write(data)
        except OSError:
            return False  # a cache folder that takes no file: nothing is kept, as save would fail
        self._new_at[h] = _where(end, len(data), data[:1])
        return True

    # Compile results --------------------------------------------------------------------------

    @staticmethod
    def _compile_key(source: str | bytes, expected: str | None) -> str | None:
        digest = text_key(source)
        return None if digest is None else f"{digest}:{expected or ''}"

    def get_result(
        self, path: str, source: str | bytes, expected: str | None
    ) -> ValidationResult | None:
        """The cached compile result of ``source`` (labelled ``path``), or None."""
        key = self._compile_key(source, expected) if self.enabled else None
        entry = self._get("compile", key, taggedjson.loads) if key else None
        if entry is None:
            return None
        text, _ = source_text(source)
        try:
            return None if text is None else _decode_result(entry, path, text)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError):  # a damaged entry
            self._drop("compile", key or "")
            return None

    def put_result(self, source: str | bytes, expected: str | None, r: ValidationResult) -> None:
        key = self._compile_key(source, expected) if self.enabled else None
        if key is None or not r.source and r.module_type is None:
            return  # not text, or unparsable bytes: the compiler answers those at once anyway
        try:
            self._put("compile", key, _encode_result(r))
        except TypeError:
            return  # a value JSON cannot give back exactly: compile it each time

    # Privacy findings -------------------------------------------------------------------------

    @staticmethod
    def _scan_key(text: str, ignore: Sequence[str]) -> str | None:
        digest = text_key(text)
        if digest is None:
            return None
        return f"{digest}:{_globs_key(tuple(ignore))}"

    def get_findings(self, path: str, text: str, ignore: Sequence[str]) -> list[Any] | None:
        """The findings of ``text`` under ``ignore`` (labelled ``path``), or None."""
        from stato.core.privacy import findings_at

        key = self._scan_key(text, ignore) if self.enabled else None
        spans = self._get("scan", key) if key else None
        if spans is None:
            return None
        try:
            found = findings_at(text, path, [(s, e, rule) for s, e, rule in spans])
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # a damaged entry
            return None
        if any(not 0 <= f.start <= f.end <= len(text) for f in found):
            return None
        return found

    def put_findings(self, text: str, ignore: Sequence[str], findings: Sequence[Any]) -> None:
        key = self._scan_key(text, ignore) if self.enabled else None
        if key is not None:
            self._put("scan", key, [[f.start, f.end, f.pattern] for f in findings])

    # The withheld rule's verdict ---------------------------------------------------------------

    def no_high(self, text: str, values: bool = True) -> bool:
        """Whether ``text``, scanned before as a module (``core.gate.high_findings`` of a ``.py``
        path, no rule accepted), had no high injection finding, nor (``values``) the values its
        fields compute: it is not withheld from agents (``ops.project.gated``).

        Only that verdict is kept (an empty span list under a pseudo-glob of its own); a text
        with any high finding is never recorded, so it is scanned again every time.
        """
        if not self.enabled:
            return False
        for globs in (_NO_HIGH_VALUES,) if values else (_NO_HIGH_VALUES, _NO_HIGH):
            key = self._scan_key(text, globs)
            if key is not None and self._get("scan", key, _is_empty_list) is True:
                return True
        return False

    def put_no_high(self, text: str, values: bool = True) -> None:
        """Record that ``text`` has no high injection finding as a module, nor (``values``) in
        the values its fields compute (see ``no_high``)."""
        globs = _NO_HIGH_VALUES if values else _NO_HIGH
        key = self._scan_key(text, globs) if self.enabled else None
        if key is not None:
            self._put("scan", key, [])

    # Writing ----------------------------------------------------------------------------------

    def save(self) -> None:
        """Write this run's entries, and a few spare older ones, if anything was added."""
        if self.file is None or not self._added:
            return
        ok = write_own(self.file, self._lines())
        self._close()
        if not ok:
            return  # a read-only home still works, without the cache
        self._added = False
        _drop_stale(self.file.parent)

    def _lines(self) -> Iterator[bytes]:
        """The new file, a line at a time: what this run added, what it used, then up to
        SPARE_ENTRIES other entries of each section (renamed or deleted modules)."""
        yield json.dumps({"format": FORMAT, "fingerprint": fingerprint()}).encode() + b"\n"
        if self._new is not None:
            for where in self._new_at.values():
                yield self._line(self._new, where)
        if self._old is None:
            return
        for where in self._index.values():
            if where < 0:
                yield self._line(self._old, ~where)
        spare = [SPARE_ENTRIES, SPARE_ENTRIES]  # compile, scan
        for where in self._index.values():
            if where >= 0 and spare[where >> 24 & 1] > 0:
                spare[where >> 24 & 1] -= 1
                yield self._line(self._old, where)
        self._old.close()  # before the rename: Windows replaces no file that is open

    def _line(self, fh: BinaryIO, where: int) -> bytes:
        if fh is self._old and _PREAD is not None:  # one call, not a seek and a read
            return _PREAD(fh.fileno(), where & (_LONG - 1), where >> 25)
        fh.seek(where >> 25)  # this run's additions, partly in the writer's buffer
        return fh.read(where & (_LONG - 1))

    def _close(self) -> None:
        for fh in (self._old, self._new):
            if fh is not None:
                with contextlib.suppress(OSError):  # a full disk: the run works, uncached
                    fh.close()
        self._old = self._new = None
        self._index.clear()
        self._new_at.clear()
        self._loaded = False


@lru_cache(maxsize=16)
def _globs_key(ignore: tuple[str, ...]) -> str:
    """The part of a scan key naming the ``.statoignore`` globs: hashed once per set of globs,
    not once per text (the withheld verdict is asked for every module of a recap)."""
    return hashlib.sha256("\n".join(ignore).encode("utf-8", "replace")).hexdigest()[:16]


def _is_empty_list(entry: bytes) -> bool:
    """Whether an entry's JSON is ``[]`` (what ``put_no_high`` writes), without parsing it; any
    other bytes, damaged or not, are no verdict."""
    return entry == b"[]\n"


def _drop_stale(folder: Path) -> None:
    cutoff = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            with contextlib.suppress(OSError):
                if entry.name.endswith((".json", ".tmp")) and entry.stat().st_mtime < cutoff:
                    os.unlink(entry.path)
