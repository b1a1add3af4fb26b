"""Read and write .stato archives; every archive read is treated as hostile input."""

from __future__ import annotations

import io
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from stato.errors import ArchiveError
from stato.formats import manifest as mf
from stato.formats.manifest import Manifest

# Limits that no real archive of modules comes near; past them the archive is refused.
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text rarely passes 20, bombs reach 1000
RATIO_FLOOR_BYTES = 64 * 1024  # tiny members may compress absurdly well without harm

# Fixed metadata so the same modules always give the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FILE_MODE = 0o100644
_LEVEL = 6
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
)  # zlib's default: level 9 is much slower for a few percent


@dataclass(frozen=True)
class Archive:
    """A checked archive: its manifest and each module's text by project-relative path."""

    manifest: Manifest
    modules: dict[str, str]


def _refuse(path: Path | str, why: str) -> ArchiveError:
    return ArchiveError(f"refusing archive {Path(path).name}: {why}")


def _check_info(src: Path | str, info: zipfile.ZipInfo) -> None:
    name = info.filename
    if not name:
        raise _refuse(src, "a member has an empty name")
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise _refuse(src, f"member {name!r} has an absolute or Windows-style path")
    if ".." in name.split("/"):
        raise _refuse(src, f"member {name!r} climbs out with '..'")
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise _refuse(src, f"member {name!r} is a symbolic link")
    if info.is_dir():
        raise _refuse(src, f"member {name!r} is a folder entry, not listed in the manifest")
    if info.flag_bits & 0x1:
        raise _refuse(src, f"member {name!r} is encrypted")
    if info.file_size > MAX_MEMBER_BYTES:
        raise _refuse(src, f"member {name!r} would unpack to {info.file_size} bytes (zip bomb?)")
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _refuse(src, f"member {name!r} has compression ratio {ratio}:1 (zip bomb?)")


def _read_member(src: Path | str, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> str:
    try:
        with zf.open(info) as fh:
            # Read at most one byte past the limit: a lying header cannot make us inflate more.
            data = fh.read(limit + 1)
    except _ZIP_ERRORS as exc:
        raise _refuse(src, f"member {info.filename!r} is corrupt ({exc})") from None
    if len(data) > limit:
        raise _refuse(src, f"member {info.filename!r} unpacks past {limit} bytes (zip bomb?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(src, f"member {info.filename!r} is not UTF-8 text") from None


def read_archive(path: Path | str) -> Archive:
    """Open ``path`` in memory, check every member against the manifest, and return the modules.

    Nothing is extracted to disk and nothing is executed.
    """
    src = Path(path)
    try:
        size = src.stat().st_size
    except FileNotFoundError:
        raise ArchiveError(f"no archive at {src}; check the path") from None
    if not src.is_file():
        raise ArchiveError(f"{src} is not a file; give the path of a .stato archive")
    if size > MAX_ARCHIVE_BYTES:
        raise _refuse(src, f"it is {size} bytes, more than any module archive needs")
    raw = src.read_bytes()
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except _ZIP_ERRORS:
        raise _refuse(src, "it is not a zip file (or its directory is damaged)") from None
    with zf:
        try:
            return _read(src, zf)
        except _ZIP_ERRORS as exc:
            why = f"{type(exc).__name__}: {exc}".replace("\n", " ")
            raise _refuse(src, f"it is damaged ({why})") from None


def _read(src: Path, zf: zipfile.ZipFile) -> Archive:
    """The checks, in order: members, sizes, manifest, listing, checksums."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(src, f"it holds {len(infos)} members")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise _refuse(src, f"member {dup!r} appears twice")
    for info in infos:
        _check_info(src, info)
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise _refuse(src, "its members would unpack to more than 512 MB (zip bomb?)")
    by_name = {i.filename: i for i in infos}
    if mf.MANIFEST_NAME not in by_name:
        raise _refuse(src, f"it has no {mf.MANIFEST_NAME}")
    text = _read_member(src, zf, by_name.pop(mf.MANIFEST_NAME), MAX_MANIFEST_BYTES)
    try:
        manifest = mf.loads(text)
    except ArchiveError as exc:
        raise _refuse(src, str(exc)) from None
    listed = set(manifest.paths)
    for name in sorted(by_name):
        if name not in listed:
            raise _refuse(src, f"member {name!r} is not listed in the manifest")
    modules: dict[str, str] = {}
    for entry in manifest.modules:
        member = by_name.get(entry.path)
        if member is None:
            raise _refuse(src, f"module {entry.path!r} is in the manifest but not in the archive")
        body = _read_member(src, zf, member, MAX_MEMBER_BYTES)
        if mf.sha256_text(body) != entry.sha256:
            raise _refuse(src, f"checksum mismatch for {entry.path!r}; it was altered")
        modules[entry.path] = body
    return Archive(manifest, modules)


def archive_bytes(manifest: Manifest, modules: dict[str, str]) -> bytes:
    """The archive as bytes: manifest first, then modules sorted by path, fixed metadata."""
    if set(manifest.paths) != set(modules):
        raise ArchiveError("internal error: the manifest and the modules to archive disagree")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        members = [(mf.MANIFEST_NAME, mf.dumps(manifest))]
        members += [(p, modules[p]) for p in sorted(modules)]
        sums = {e.path: e.sha256 for e in manifest.modules}
        for name, text in members:
            if name != mf.MANIFEST_NAME and sums[name] != mf.sha256_text(text):
                raise ArchiveError(f"internal error: checksum of {name!r} does not match")
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # unix, so the permission bits below mean what they say
            info.external_attr = _FILE_MODE << 16
            zf.writestr(info, text.encode("utf-8"), compresslevel=_LEVEL)
    return buf.getvalue()


def write_archive(path: Path | str, manifest: Manifest, modules: dict[str, str]) -> Path:
    """Write the archive to a temp file beside ``path`` and rename it into place."""
    dest = Path(path)
    data = archive_bytes(manifest, modules)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())  # the bytes are on disk before the name points at them
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)  # atomic: a killed snapshot leaves the previous archive intact
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return dest
