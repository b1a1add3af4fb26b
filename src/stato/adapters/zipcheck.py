"""Checks of a hostile zip's structure: member names, entry types, storage, and layout."""

from __future__ import annotations

import re
import stat
import struct
import zipfile
import zlib
from pathlib import Path

from stato.errors import ArchiveError

# Limits that no real archive of modules comes near; past them the archive is refused.
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
MAX_MEMBERS = 20_000
MAX_MEMBER_BYTES = 16 * 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
MAX_RATIO = 200  # uncompressed / compressed; text rarely passes 20, bombs reach 1000
RATIO_FLOOR_BYTES = 64 * 1024  # tiny members may compress absurdly well without harm
# Many members each under the floor add up: past 16 MB in all, the archive as a whole may not
# pass 50:1 either (1,000 padded 60 KB modules zip to 400 KB)
MAX_TOTAL_RATIO = 50
TOTAL_RATIO_FLOOR_BYTES = 16 * 1024 * 1024

FILE_MODE = 0o100644  # what stato writes: a plain file, rw-r--r--


def refuse(path: Path | str, why: str) -> ArchiveError:
    """The one-line error for an archive refused for ``why``."""
    return ArchiveError(f"refusing archive {Path(path).name}: {why}")


def show(name: str) -> str:
    """A member name for a message: quoted, escaped, and cut short when an attacker made it long."""
    text = repr(name)
    return text if len(text) <= 100 else f"{text[:70]}...{text[-20:]}"


# Compression methods zipfile (or others) can read that a .stato archive never uses.
_METHODS = {9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz", 98: "ppmd", 99: "AES"}
_ENCRYPTED = 0x1 | 0x40 | 0x2000  # traditional, strong, and masked-directory encryption
_DOS_DIR, _DOS_REPARSE = 0x10, 0x400  # MS-DOS attribute bits: folder, link (reparse point)


# A name of plain segments (no leading dot, so no '..'), as stato writes them.
_PLAIN_NAME = re.compile(r"(?:[A-Za-z0-9_][A-Za-z0-9_.-]*/)*[A-Za-z0-9_][A-Za-z0-9_.-]*")


def check_member(src: Path | str, info: zipfile.ZipInfo) -> None:
    """Refuse a member whose name, kind of entry or storage a .stato archive never has."""
    # The fast path, a stato-written member: a plain name and a plain 0644 file.
    plain = info.external_attr == FILE_MODE << 16 and _PLAIN_NAME.fullmatch(info.filename)
    if not plain or info.orig_filename != info.filename:
        _check_odd(src, info)
    _check_storage(src, info)


def _check_odd(src: Path | str, info: zipfile.ZipInfo) -> None:
    """The name and the kind of entry of a member that is not plainly what stato writes."""
    name = info.filename
    if not name:
        raise refuse(src, "a member has an empty name")
    if info.orig_filename != name:  # zipfile quietly cuts a name at its first NUL
        raise refuse(src, f"member {show(info.orig_filename)} has a NUL in its name")
    if not name.isprintable():
        raise refuse(src, f"member {show(name)} has control characters in its name")
    if name.startswith("/") or "\\" in name or (len(name) > 1 and name[1] == ":"):
        raise refuse(src, f"member {show(name)} has an absolute or Windows-style path")
    if ".." in name.split("/"):
        raise refuse(src, f"member {show(name)} climbs out with '..'")
    # Unix mode in the high bits whatever the host byte says: tools disagree on the host.
    mode, dos = info.external_attr >> 16, info.external_attr & 0xFFFF
    if stat.S_ISLNK(mode) or dos & _DOS_REPARSE:
        raise refuse(src, f"member {show(name)} is a symbolic link")
    if info.is_dir() or stat.S_ISDIR(mode) or dos & _DOS_DIR:
        raise refuse(src, f"member {show(name)} is a folder entry, not listed in the manifest")
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG):
        raise refuse(src, f"member {show(name)} is not a regular file (a device or pipe)")


def _check_storage(src: Path | str, info: zipfile.ZipInfo) -> None:
    """How a member is stored: no encryption, stored or deflate, sizes that are no bomb."""
    name = info.filename
    if info.flag_bits & _ENCRYPTED:
        raise refuse(src, f"member {show(name)} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        kind = _METHODS.get(info.compress_type, "unknown")
        raise refuse(
            src,
            f"member {show(name)} uses compression method {info.compress_type} ({kind}); "
            "stato archives are stored or deflated only",
        )
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise refuse(src, f"member {show(name)} is stored but its two sizes disagree")
    if info.file_size > MAX_MEMBER_BYTES:
        raise refuse(src, f"member {show(name)} would unpack to {info.file_size} bytes (zip bomb?)")
    if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        raise refuse(src, f"member {show(name)} has compression ratio {ratio}:1 (zip bomb?)")


_EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
_LOCAL = struct.Struct("<4s5H3L2H")  # local file header
_DESCRIPTOR_MAX = 24  # a data descriptor: signature, CRC, two 8-byte (zip64) sizes


def _end_record(src: Path, raw: bytes) -> tuple[int, ...]:
    """The end-of-central-directory record, found the way zipfile finds it."""
    end = len(raw) - _EOCD.size
    if raw[end : end + 4] != b"PK\x05\x06" or raw[-2:] != b"\0\0":
        end = raw.rfind(b"PK\x05\x06", max(0, len(raw) - _EOCD.size - 0xFFFF))
    if end < 0 or end + _EOCD.size > len(raw):
        raise refuse(src, "it is not a zip file (or its directory is damaged)")
    fields = _EOCD.unpack_from(raw, end)
    extra = len(raw) - (end + _EOCD.size + fields[-1])
    if extra > 0:
        raise refuse(src, f"it has {extra} bytes of other data after the zip (a polyglot?)")
    return fields


def check_layout(src: Path, raw: bytes, infos: list[zipfile.ZipInfo], start_dir: int) -> None:
    """Members tile the file from byte 0 to the central directory, nothing before or after.

    zipfile forgives a prepended stub, trailing bytes, members that overlap (one deflate
    stream counted many times: a zip bomb) and sizes that run into the next member; other
    readers see such files differently, so a .stato archive may have none of it.
    """
    count = _end_record(src, raw)[4]
    if count not in (len(infos), 0xFFFF):  # 0xFFFF: the count is in the zip64 record
        raise refuse(src, f"its end record counts {count} members, its directory {len(infos)}")
    at, slack = 0, 0  # where the next member starts; the previous one's data descriptor
    for info in sorted(infos, key=lambda i: i.header_offset):
        gap = info.header_offset - at
        if gap > 0 and not at:
            raise refuse(src, f"it has {gap} bytes before the zip (a self-extractor?)")
        if not 0 <= gap <= slack:
            raise refuse(src, f"member {show(info.filename)} overlaps another or lies apart")
        local = _LOCAL.unpack_from(raw, info.header_offset)
        if local[0] != b"PK\x03\x04" or local[3] != info.compress_type:
            raise refuse(src, f"member {show(info.filename)} has a local header that disagrees")
        at = info.header_offset + _LOCAL.size + local[-2] + local[-1] + info.compress_size
        slack = _DESCRIPTOR_MAX if info.flag_bits & 0x08 else 0
        if at > start_dir:
            raise refuse(src, f"member {show(info.filename)} runs past the end of the data")
    if not 0 <= start_dir - at <= slack:
        raise refuse(src, f"it has {start_dir - at} bytes of other data before its directory")


def inflates_past(raw: bytes, info: zipfile.ZipInfo) -> bool:
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
