"""Read and write .stato archives; every archive read is treated as hostile input."""

from __future__ import annotations

import io
import os
import re
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


def _refuse(path: Path | str, why: str) -> ArchiveError:
    return ArchiveError(f"refusing archive {Path(path).name}: {why}")


def _show(name: str) -> str:
    """A member name for a message: quoted, escaped, and cut short when an attacker made it long."""
    text = repr(name)
    return text if len(text) <= 100 else f"{text[:70]}...{text[-20:]}"


# Compression methods zipfile (or others) can read that a .stato archive never uses.
_METHODS = {9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz", 98: "ppmd", 99: "AES"}
_ENCRYPTED = 0x1 | 0x40 | 0x2000  # traditional, strong, and masked-directory encryption
_DOS_DIR, _DOS_REPARSE = 0x10, 0x400  # MS-DOS attribute bits: folder, link (reparse point)


# A name of plain segments (no leading dot, so no '..'), as stato writes them.
_PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _check_info(src: Path | str, info: zipfile.ZipInfo) -> None:
    # The fast path, a stato-written member: a plain name and a plain 0644 file.
    plain = info.external_attr == _FILE_MODE << 16 and _PLAIN_NAME.fullmatch(info.filename)
    if not plain or info.orig_filename != info.filename:
        _check_odd(src, info)
    _check_storage(src, info)


def _check_odd(src: Path | str, info: zipfile.ZipInfo) -> None:
    """The name and the kind of entry of a member that is not plainly what stato writes."""
    name = info.filename
    if not name:
        raise _refuse(src, "a member has an empty name")
    if info.orig_filename != name:  # zipfile quietly cuts a name at its first NUL
        raise _refuse(src, f"member {_show(info.orig_filename)} has a NUL in its name")
    if not name.isprintable():
        raise _refuse(src, f"member {_show(name)} has control characters in its name")
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise _refuse(src, f"member {_show(name)} has an absolute or Windows-style path")
    if ".." in name.split("/"):
        raise _refuse(src, f"member {_show(name)} climbs out with '..'")
    # Unix mode in the high bits whatever the host byte says: tools disagree on the host.
    mode, dos = info.external_attr >> 16, info.external_attr & 0xFFFF
    if stat.S_ISLNK(mode) or dos & _DOS_REPARSE:
        raise _refuse(src, f"member {_show(name)} is a symbolic link")
    if info.is_dir() or stat.S_ISDIR(mode) or dos & _DOS_DIR:
        raise _refuse(src, f"member {_show(name)} is a folder entry, not listed in the manifest")
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise _refuse(src, f"member {_show(name)} is not a regular file (a device or pipe)")


def _check_storage(src: Path | str, info: zipfile.ZipInfo) -> None:
    """How a member is stored: no encryption, stored or deflate, sizes that are no bomb."""
    name = info.filename
    if info.flag_bits & _ENCRYPTED:
        raise _refuse(src, f"member {_show(name)} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        kind = _METHODS.get(info.compress_type, "unknown")
        raise _refuse(
            src,
            f"member {_show(name)} uses compression method {info.compress_type} ({kind}); "
            "stato archives are stored or deflated only",
        )
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise _refuse(src, f"member {_show(name)} is stored but its two sizes disagree")
    if info.file_size > MAX_MEMBER_BYTES:
        raise _refuse(
            src, f"member {_show(name)} would unpack to {info.file_size} bytes (zip bomb?)"
        )
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _refuse(src, f"member {_show(name)} has compression ratio {ratio}:1 (zip bomb?)")


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_DESCRIPTOR_MAX = 24  # a data descriptor: signature, CRC, two 8-byte (zip64) sizes


def _end_record(src: Path, raw: bytes) -> tuple[int, ...]:
    """The end-of-central-directory record, found the way zipfile finds it."""
    end = len(raw) - _EOCD.size
    if raw[end : end + 4] != b"PK\x05\x06" or raw[-2:] != b"\0\0":
        end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - _EOCD.size - 0xFFFF))
    if end < 0 or end + _EOCD.size > len(raw):
        raise _refuse(src, "it is not a zip file (or its directory is damaged)")
    fields = _EOCD.unpack_from(raw, end)
    extra = len(raw) - (end + _EOCD.size + fields[-1])
    if extra > 0:
        raise _refuse(src, f"it has {extra} bytes of other data after the zip (a polyglot?)")
    return fields


def _check_layout(src: Path, raw: bytes, infos: list[zipfile.ZipInfo], start_dir: int) -> None:
    """Members tile the file from byte 0 to the central directory, nothing before or after.

    zipfile forgives a prepended stub, trailing bytes, members that overlap (one deflate
    stream counted many times: a zip bomb) and sizes that run into the next member; other
    readers see such files differently, so a .stato archive may have none of it.
    """
    count = _end_record(src, raw)[4]
    if count not in (len(infos), 0xFFFF):  # 0xFFFF: the count is in the zip64 record
        raise _refuse(src, f"its end record counts {count} members, its directory {len(infos)}")
    at, slack = 0, 0  # where the next member starts; the previous one's data descriptor
    for info in sorted(infos, key=lambda i: i.header_offset):
        gap = info.header_offset - at
        if gap > 0 and not at:
            raise _refuse(src, f"it has {gap} bytes before the zip (a self-extractor?)")
        if not 0 <= gap <= slack:
            raise _refuse(src, f"member {_show(info.filename)} overlaps another or lies apart")
        local = _LOCAL.unpack_from(raw, info.header_offset)
        if local[0] != b"PK\x03\x04" or local[3] != info.compress_type:
            raise _refuse(src, f"member {_show(info.filename)} has a local header that disagrees")
        at = info.header_offset + _LOCAL.size + local[-2] + local[-1] + info.compress_size
        slack = _DESCRIPTOR_MAX if info.flag_bits & 0x08 else 0
        if at > start_dir:
            raise _refuse(src, f"member {_show(info.filename)} runs past the end of the data")
    if not 0 <= start_dir - at <= slack:
        raise _refuse(src, f"it has {start_dir - at} bytes of other data before its directory")


def _read_member(
    src: Path | str, zf: zipfile.ZipFile, raw: bytes, info: zipfile.ZipInfo, limit: int
) -> str:
    try:
        with zf.open(info) as fh:
            # Read at most one byte past the limit: a lying header cannot make us inflate more.
            data = fh.read(limit + 1)
    except _ZIP_ERRORS as exc:
        if _inflates_past(raw, info):
            why = f"inflates past the {info.file_size} bytes its header declares (zip bomb?)"
            raise _refuse(src, f"member {_show(info.filename)} {why}") from None
        why = str(exc).replace("\n", " ")[:120]
        raise _refuse(src, f"member {_show(info.filename)} is corrupt ({why})") from None
    if len(data) > limit:
        raise _refuse(src, f"member {_show(info.filename)} unpacks past {limit} bytes (zip bomb?)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(src, f"member {_show(info.filename)} is not UTF-8 text") from None


def _inflates_past(raw: bytes, info: zipfile.ZipInfo) -> bool:
    """Whether a member that failed its CRC under-reports its size; one byte past is enough."""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        return False
    try:
        local = _LOCAL.unpack_from(raw, info.header_offset)
        start = info.header_offset + _LOCAL.size + local[-2] + local[-1]
        data = raw[start : start + info.compress_size]
        return len(zlib.decompressobj(-15).decompress(data, info.file_size + 1)) > info.file_size
    except (struct.error, zlib.error):
        return False


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
        raise _refuse(src, "it is over 256 MB, more than any module archive needs")
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
    except UnicodeDecodeError:
        raise _refuse(src, "a member name is marked UTF-8 but is not") from None
    except _ZIP_ERRORS:
        raise _refuse(src, "it is not a zip file (or its directory is damaged)") from None
    with zf:
        try:
            return _read(src, raw, zf)
        except _ZIP_ERRORS as exc:
            why = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:160]
            raise _refuse(src, f"it is damaged ({why})") from None


def _no_manifest(src: Path, names: list[str]) -> ArchiveError:
    near = next((n for n in names if n.lower().rsplit("/", 1)[-1] == mf.MANIFEST_NAME), None)
    if near is None:
        return _refuse(src, f"it has no {mf.MANIFEST_NAME}")
    return _refuse(src, f"it has no {mf.MANIFEST_NAME} at its top, only {_show(near)}")


def _read(src: Path, raw: bytes, zf: zipfile.ZipFile) -> Archive:
    """The checks, in order: members, layout, sizes, manifest, listing, checksums."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(src, f"it holds {len(infos)} members")
    for info in infos:
        _check_info(src, info)
    by_name = {i.filename: i for i in infos}
    if len(by_name) != len(infos):
        seen: set[str] = set()
        for info in infos:  # a set, not list.count: 20,000 names must not take n² time
            if info.filename in seen:
                raise _refuse(src, f"member {_show(info.filename)} appears twice")
            seen.add(info.filename)
    _check_layout(src, raw, infos, zf.start_dir)
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise _refuse(src, "its members would unpack to more than 512 MB (zip bomb?)")
    if mf.MANIFEST_NAME not in by_name:
        raise _no_manifest(src, list(by_name))
    text = _read_member(src, zf, raw, by_name.pop(mf.MANIFEST_NAME), MAX_MANIFEST_BYTES)
    try:
        manifest = mf.loads(text)
    except ArchiveError as exc:
        raise _refuse(src, str(exc)) from None
    listed = set(manifest.paths)
    for name in sorted(by_name):
        if name not in listed:
            raise _refuse(src, f"member {_show(name)} is not listed in the manifest")
    modules: dict[str, str] = {}
    budget = MAX_TOTAL_BYTES - len(text)  # counted as read, whatever the headers claim
    for entry in manifest.modules:
        member = by_name.get(entry.path)
        if member is None:
            raise _refuse(src, f"module {entry.path!r} is in the manifest but not in the archive")
        body = _read_member(src, zf, raw, member, min(MAX_MEMBER_BYTES, budget))
        budget -= len(body)
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
