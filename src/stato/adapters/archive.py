"""Read and write .stato archives; every archive read is treated as hostile input."""

from __future__ import annotations

import io
import os
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from stato.adapters.zipcheck import (
    FILE_MODE,
    MAX_ARCHIVE_BYTES,
    MAX_MANIFEST_BYTES,
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    MAX_TOTAL_RATIO,
    TOTAL_RATIO_FLOOR_BYTES,
    check_layout,
    check_member,
    inflates_past,
    refuse,
    show,
)
from stato.errors import ArchiveError
from stato.formats import manifest as mf
from stato.formats.manifest import Manifest
from stato.formats.manifest_v0 import complete
from stato.formats.sshsig import MAX_ARMOR_CHARS

SIGNATURE_NAME = "manifest.toml.sig"  # the SSHSIG of manifest.toml, which lists every sha256


# Fixed metadata so the same modules always give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_LEVEL = 6  # zlib's default: level 9 is much slower for a few percent
# What zipfile and zlib raise on damaged input; all of it means "corrupt archive" to us.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    ValueError,
    OSError,
    struct.error,
    OverflowError,
    IndexError,
    KeyError,
    UnicodeDecodeError,
)


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest and each module's text by project-relative path."""

    manifest: Manifest
    modules: dict[str, str]
    manifest_text: str = ""  # the manifest exactly as stored: what a signature covers
    signature: str | None = None  # the armored SSHSIG of manifest_text, when signed


def _read_member(
    src: Path | str, zf: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo, limit: int
) -> str:
    try:
        with zf.open(info) as fh:
            # Read at most one byte past the limit: a lying header cannot make us inflate more.
            data = fh.read(limit + 1)
    except _ZIP_ERRORS as exc:
        if inflates_past(raw, info):
            why = f"inflates past the {info.file_size} bytes its header declares (zip bomb?)"
            raise refuse(src, f"member {show(info.filename)} {why}") from None
        why = str(exc).replace("\n", " ")[:120]
        raise refuse(src, f"member {show(info.filename)} is corrupt ({why})") from None
    if len(data) > limit:
        raise refuse(src, f"member {show(info.filename)} unpacks past {limit} bytes (zip bomb?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise refuse(src, f"member {show(info.filename)} is not UTF-8 text") from None


def read_archive(path: Path | str) -> Archive:
    """Open ``path`` in memory, check every member against the manifest, and return the modules.

    Nothing is extracted to disk and nothing is executed.
    """
    src = Path(path)
    try:
        if not src.is_file():
            if src.exists():
                raise ArchiveError(f"{src} is not a file; give the path of a .stato archive")
            raise ArchiveError(f"no archive at {src}; check the path")
        with src.open("rb") as fh:
            too_big = os.fstat(fh.fileno()).st_size > MAX_ARCHIVE_BYTES
            raw = b"" if too_big else fh.read(MAX_ARCHIVE_BYTES + 1)  # bounded: it may grow
    except OSError as exc:
        raise ArchiveError(f"cannot read archive {src}: {exc.strerror or exc}") from None
    if too_big or len(raw) > MAX_ARCHIVE_BYTES:
        raise refuse(src, "it is over 256 MB, more than any module archive needs")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except UnicodeDecodeError:
        raise refuse(src, "a member name is marked UTF-8 but is not") from None
    except _ZIP_ERRORS:
        raise refuse(src, "it is not a zip file (or its directory is damaged)") from None
    with zf:
        try:
            return _read(src, raw, zf)
        except _ZIP_ERRORS as exc:
            why = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:160]
            raise refuse(src, f"it is damaged ({why})") from None


def _no_manifest(src: Path, names: list[str]) -> ArchiveError:
    near = next((n for n in names if n.lower().rsplit("/", 1)[-1] == mf.MANIFEST_NAME), None)
    if near is None:
        return refuse(src, f"it has no {mf.MANIFEST_NAME}")
    return refuse(src, f"it has no {mf.MANIFEST_NAME} at its top, only {show(near)}")


def _read(src: Path, raw: bytes, zf: zipfile.ZipFile) -> Archive:
    """The checks, in order: members, layout, sizes, manifest, listing, checksums."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise refuse(src, f"it holds {len(infos)} members")
    for info in infos:
        check_member(src, info)
    by_name = {i.filename: i for i in infos}
    if len(by_name) != len(infos):
        seen: set[str] = set()
        for info in infos:  # a set, not list.count: 20,000 names must not take n² time
            if info.filename in seen:
                raise refuse(src, f"member {show(info.filename)} appears twice")
            seen.add(info.filename)
    check_layout(src, raw, infos, zf.start_dir)
    total = sum(i.file_size for i in infos)
    if total > MAX_TOTAL_BYTES:
        raise refuse(src, "its members would unpack to more than 512 MB (zip bomb?)")
    if total > TOTAL_RATIO_FLOOR_BYTES and total > MAX_TOTAL_RATIO * len(raw):
        raise refuse(
            src,
            f"its members would unpack to {total // 2**20} MB from {len(raw) // 1024} KB, "
            f"more than {MAX_TOTAL_RATIO}:1 (zip bomb?)",
        )
    if mf.MANIFEST_NAME not in by_name:
        raise _no_manifest(src, list(by_name))
    text = _read_member(src, zf, raw, by_name.pop(mf.MANIFEST_NAME), MAX_MANIFEST_BYTES)
    try:
        manifest = mf.loads(text)
    except ArchiveError as exc:
        raise refuse(src, str(exc)) from None
    signature = None
    # The earlier stato never signed, and a 0.5 manifest lists no checksums a signature could
    # bind: there a signature is an unlisted member like any other, refused below.
    if SIGNATURE_NAME in by_name and manifest.origin == mf.ORIGIN:
        limit = MAX_ARMOR_CHARS
        signature = _read_member(src, zf, raw, by_name.pop(SIGNATURE_NAME), limit)
    listed = set(manifest.paths)
    clash = mf.path_clash(manifest.paths)
    if clash:  # refused before anything is extracted: an import could write only half of it
        raise refuse(src, clash)
    for name in sorted(by_name):
        if name not in listed:
            raise refuse(src, f"member {show(name)} is not listed in the manifest")
    modules: dict[str, str] = {}
    budget = MAX_TOTAL_BYTES - len(text)  # counted as read, whatever the headers claim
    for entry in manifest.modules:
        member = by_name.get(entry.path)
        if member is None:
            raise refuse(src, f"module {entry.path!r} is in the manifest but not in the archive")
        body = _read_member(src, zf, raw, member, min(MAX_MEMBER_BYTES, budget))
        budget -= len(body)
        # Only a 0.5 archive has no checksum to compare (manifest.checksums says so).
        if (entry.sha256 or manifest.checksums) and mf.sha256_text(body) != entry.sha256:
            raise refuse(src, f"checksum mismatch for {entry.path!r}; it was altered")
        modules[entry.path] = body
    if manifest.origin == mf.ORIGIN_V0:  # its manifest names no types or classes: read them
        manifest = complete(manifest, modules)
    return Archive(manifest, modules, text, signature)


def archive_bytes(
    manifest: Manifest, modules: dict[str, str], signature: str | None = None
) -> bytes:
    """The archive as bytes: manifest first, its signature if any, then modules sorted by path,
    fixed metadata. ``signature`` must sign ``mf.dumps(manifest)``."""
    buf = io.BytesIO()
    _write_zip(buf, manifest, modules, signature)
    return buf.getvalue()


def _write_zip(
    fh: IO[bytes], manifest: Manifest, modules: dict[str, str], signature: str | None
) -> None:
    """The archive (see archive_bytes) written into ``fh``, a member at a time."""
    if set(manifest.paths) != set(modules):
        raise ArchiveError("internal error: the manifest and the modules to archive disagree")
    with zipfile.ZipFile(fh, "w") as zf:
        members = [(mf.MANIFEST_NAME, mf.dumps(manifest))]
        if signature is not None:
            members.append((SIGNATURE_NAME, signature))
        members += [(p, modules[p]) for p in sorted(modules)]
        sums = {e.path: e.sha256 for e in manifest.modules}
        for name, text in members:
            if name not in (mf.MANIFEST_NAME, SIGNATURE_NAME) and sums[name] != mf.sha256_text(
                text
            ):
                raise ArchiveError(f"internal error: checksum of {name!r} does not match")
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permission bits below mean what they say
            info.external_attr = FILE_MODE << 16
            zf.writestr(info, text.encode("utf-8"), compresslevel=_LEVEL)


def write_archive(
    path: Path | str,
    manifest: Manifest,
    modules: dict[str, str],
    signature: str | None = None,
    keep_as: Path | None = None,
) -> Path:
    """Write the archive to a temp file beside ``path`` and rename it into place; the file it
    replaces, if any, is kept as ``keep_as`` first (when given). Written straight into the temp
    file, never whole in memory."""
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    kept = False
    try:
        with os.fdopen(fd, "w+b") as fh:
            _write_zip(fh, manifest, modules, signature)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        os.chmod(tmp, 0o644)
        if keep_as is not None and os.path.lexists(dest) and not _same_file_bytes(dest, tmp):
            kept = not os.path.lexists(keep_as)  # made here, so removed if the write fails
            _keep(dest, keep_as)
        os.replace(tmp, dest)  # atomic: a killed snapshot leaves the previous archive intact
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if kept and keep_as is not None:  # the old file is still in place: no backup needed
            keep_as.unlink(missing_ok=True)
        raise
    return dest


def _same_file_bytes(dest: Path, new: str) -> bool:
    """``dest`` is a file holding exactly the bytes of ``new`` (replacing it loses nothing);
    compared a block at a time."""
    try:
        if not dest.is_file() or dest.stat().st_size != os.path.getsize(new):
            return False
        with dest.open("rb") as a, open(new, "rb") as b:
            while True:
                block = a.read(1 << 16)
                if block != b.read(1 << 16):
                    return False
                if not block:
                    return True
    except OSError:
        return False


def _keep(dest: Path, keep_as: Path) -> None:
    """``dest``'s current file under the name ``keep_as`` (a hard link, else a copy), replacing
    what is there (the caller chose ``keep_as``: a free name, or stato's own older backup)."""
    import shutil

    fd, tmp = tempfile.mkstemp(prefix=f".{keep_as.name}.", suffix=".tmp", dir=keep_as.parent)
    os.close(fd)
    os.unlink(tmp)  # only the name is wanted: a link cannot be made over a file
    try:
        try:
            os.link(dest, tmp, follow_symlinks=False)
        except (OSError, NotImplementedError):  # no hard links here (FAT, Windows, ...)
            shutil.copy2(dest, tmp, follow_symlinks=False)
        os.replace(tmp, keep_as)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
