"""The ``manifest.toml`` of a .stato archive: frozen records, strict parsing, stable dumping."""

from __future__ import annotations

import hashlib
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from stato.core.model import MODULE_TYPES
from stato.errors import ArchiveError
from stato.formats.manifest_toml import dump_toml, fast_parse

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on Python 3.10
    import tomli as tomllib

FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.toml"
# Who wrote an archive's manifest: this stato, or the earlier public stato (0.5-0.11), whose
# manifests formats.manifest_v0 reads.
ORIGIN = "stato"
ORIGIN_V0 = "stato-0.x"

# An archive name doubles as the default file name, so it stays file-name safe.
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
# A module path is a relative posix path of plain segments ending in .py.
_SEGMENT_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
# Room for the project's own folder under Windows' 260-character limit.
MAX_PATH_CHARS = 200
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
# Names Windows keeps for devices, with any extension (con.py opens the console there).
_DEVICE_RE = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$")
_TOP_KEYS = {"format_version", "name", "created", "stato_version", "template", "partial", "modules"}
_ENTRY_KEYS = {"path", "type", "class", "version", "sha256"}


def sha256_text(text: str) -> str:
    """The checksum recorded for a module: sha256 of its UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def windows_device(segment: str) -> bool:
    """Whether Windows keeps this path segment's name for a device (``con.py``, ``Com1``)."""
    return _DEVICE_RE.match(segment.split(".")[0].casefold()) is not None


def check_created(created: str) -> str:
    """``created`` when it is an ISO-8601 time (``Z`` for UTC allowed); else the archive is bad."""
    try:
        datetime.fromisoformat(created.replace("Z", "+00:00"))
    except ValueError:
        raise bad_manifest(f"created {created[:40]!r} is not an ISO-8601 time") from None
    return created


def check_module_path(path: str) -> str | None:
    """Why ``path`` is not an acceptable module path inside an archive, or None when it is."""
    if not path:
        return "an empty path"
    if path.startswith("/") or "\\" in path or re.match(r"^[A-Za-z]:", path):
        return f"an absolute path {path!r}"
    parts = path.split("/")
    if ".." in parts:
        return f"a path with '..' {path!r}"
    if len(path) > MAX_PATH_CHARS:
        return (
            f"a path too long for every system ({len(path)} characters, at most {MAX_PATH_CHARS})"
        )
    # Windows drops a trailing dot, so skills./qc.py and skills/qc.py would be one file there.
    if any(not _SEGMENT_RE.match(p) or p.endswith(".") for p in parts) or not path.endswith(".py"):
        return f"an unusual module path {path!r} (want plain names like skills/qc.py)"
    if any(windows_device(p) for p in parts):
        return f"a name Windows keeps for a device in {path!r} (CON, NUL, COM1, ...)"
    if parts[0] in {".history", "prompts"}:
        return f"a path in a reserved folder {path!r}"
    return None


def path_clash(paths: Iterable[str]) -> str | None:
    """Why these module paths cannot all be files of one folder tree, or None when they can.

    ``a.py`` beside ``a.py/b.py`` needs one name to be a file and a folder at once; ``QC.py``
    beside ``qc.py`` is one file on macOS and Windows, where the second would replace the first.
    """
    files: dict[str, str] = {}
    for path in paths:
        key = path.casefold()
        if key in files:
            return f"{files[key]!r} and {path!r} differ only in case (one file on many systems)"
        files[key] = path
    for path in files.values():
        parts = path.split("/")
        for i in range(1, len(parts)):
            folder = "/".join(parts[:i]).casefold()
            if folder in files:
                return f"{files[folder]!r} is a file, but {path!r} needs it to be a folder"
    return None


def utc_iso(moment: datetime) -> str:
    """``moment`` as UTC ISO-8601 with seconds and a trailing Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ModuleEntry:
    """One module listed in the manifest."""

    path: str
    type: str
    class_name: str
    sha256: str
    version: str | None = None

    @classmethod
    def for_text(
        cls, path: str, text: str, type: str, class_name: str, version: str | None = None
    ) -> ModuleEntry:
        """An entry for ``text``; a version a reader would refuse (control codes) is dropped."""
        plain = version is not None and len(version) <= 200 and version.isprintable()
        return cls(path, type, class_name, sha256_text(text), version if plain else None)

    def to_toml(self) -> dict[str, Any]:
        data: dict[str, Any] = {"path": self.path, "type": self.type, "class": self.class_name}
        if self.version is not None:
            data["version"] = self.version
        data["sha256"] = self.sha256
        return data


@dataclass(frozen=True)
class Manifest:
    """What an archive says about itself; modules are sorted by path."""

    name: str
    created: str
    stato_version: str
    template: bool = False
    partial: bool = False
    modules: tuple[ModuleEntry, ...] = field(default_factory=tuple)
    format_version: int = FORMAT_VERSION
    origin: str = ORIGIN  # ORIGIN_V0: read from an archive of the earlier stato
    checksums: bool = True  # False: a 0.5 archive, which carries none; nothing could be verified
    # Only a 0.x manifest has these (stato's own format has no such keys): shown by inspect.
    description: str = ""
    author: str = ""

    def entry(self, path: str) -> ModuleEntry | None:
        return next((m for m in self.modules if m.path == path), None)

    @property
    def paths(self) -> list[str]:
        return [m.path for m in self.modules]

    def to_toml(self) -> dict[str, Any]:
        return {
            "format_version": self.format_version,
            "name": self.name,
            "created": self.created,
            "stato_version": self.stato_version,
            "template": self.template,
            "partial": self.partial,
            "modules": [m.to_toml() for m in sorted(self.modules, key=lambda m: m.path)],
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.to_toml()
        data["modules"] = [{**m, "version": m.get("version")} for m in data["modules"]]
        return data


def dumps(manifest: Manifest) -> str:
    """The manifest as TOML text; the same manifest always gives the same bytes.

    Written directly, not through tomli_w, and byte-identical to it: see ``manifest_toml``.
    """
    return dump_toml(manifest.to_toml())


def bad_manifest(why: str) -> ArchiveError:
    return ArchiveError(f"invalid manifest: {why}; the archive is damaged or was not made by stato")


def newer_format(version: object) -> ArchiveError:
    """The refusal of a format this reader does not know: a newer stato made it, not damage."""
    shown = f'"{version}"' if isinstance(version, str) else str(version)
    return ArchiveError(
        f"it was made by a newer stato (format {shown[:40]}), which this stato "
        f"(format {FORMAT_VERSION}) cannot read; upgrade stato"
    )


def _want(data: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = data.get(key)
    # bool is an int subclass; a format_version of `true` is still wrong.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise bad_manifest(f"{where}{key} must be {'an' if kind is int else 'a'} {kind.__name__}")
    if isinstance(value, str):
        _plain(value, where + key)
    return value


def _plain(value: str, what: str) -> None:
    # Manifest text reaches terminals (inspect): no escape sequences, no absurd lengths.
    if len(value) > 200 or not value.isprintable():
        raise bad_manifest(f"{what} holds control characters or is too long")


def _entry(i: int, raw: Any) -> ModuleEntry:
    where = f"modules[{i}]."
    if not isinstance(raw, dict):
        raise bad_manifest(f"modules[{i}] must be a table")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise bad_manifest(f"{where} has unknown key {sorted(unknown)[0]!r}")
    path = _want(raw, "path", str, where)
    problem = check_module_path(path)
    if problem:
        raise bad_manifest(f"{where}path is {problem}")
    mtype = _want(raw, "type", str, where)
    if mtype not in MODULE_TYPES:
        raise bad_manifest(f"{where}type {mtype!r} is not one of {', '.join(MODULE_TYPES)}")
    class_name = _want(raw, "class", str, where)
    if not class_name.isidentifier():
        raise bad_manifest(f"{where}class {class_name!r} is not a Python class name")
    sha = _want(raw, "sha256", str, where)
    if not _SHA_RE.match(sha):
        raise bad_manifest(f"{where}sha256 must be 64 lowercase hex digits")
    version = raw.get("version")
    if version is not None and not isinstance(version, str):
        raise bad_manifest(f"{where}version must be a str")
    if version is not None:
        _plain(version, where + "version")
    return ModuleEntry(path, mtype, class_name, sha, version)


def loads(text: str) -> Manifest:
    """Parse and validate manifest text; any problem is one ArchiveError line."""
    data = fast_parse(text) if text.endswith("\n") else None
    if data is None:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise bad_manifest(f"not TOML ({exc})") from None
        except RecursionError:
            raise bad_manifest("not TOML (nested too deeply)") from None
        except ValueError:  # an integer past Python's digit limit
            raise bad_manifest("not TOML (a number too long to read)") from None
    # The version first: a newer format may add keys this reader would call unknown.
    from stato.formats.manifest_v0 import is_v0, parse_v0  # it builds on this module

    if is_v0(data):
        return parse_v0(data)
    version = _want(data, "format_version", int, "")
    if version > FORMAT_VERSION:
        raise newer_format(version)
    if version < 1:
        raise bad_manifest(f"format_version {version} is not a version")
    unknown = set(data) - _TOP_KEYS
    if unknown:
        raise bad_manifest(f"unknown key {sorted(unknown)[0]!r}")
    name = _want(data, "name", str, "")
    if not NAME_RE.match(name):
        raise bad_manifest(f"name {name[:40]!r} is not a plain archive name")
    created = check_created(_want(data, "created", str, ""))
    stato_version = _want(data, "stato_version", str, "")
    template = _want(data, "template", bool, "")
    partial = _want(data, "partial", bool, "")
    raw_modules = data.get("modules", [])
    if not isinstance(raw_modules, list):
        raise bad_manifest("modules must be an array of tables")
    entries = [_entry(i, raw) for i, raw in enumerate(raw_modules)]
    seen: set[str] = set()
    for e in entries:
        # Compared without case: on macOS and Windows skills/QC.py and skills/qc.py are one file.
        if e.path.lower() in seen:
            raise bad_manifest(f"module {e.path!r} is listed twice (ignoring case)")
        seen.add(e.path.lower())
    entries.sort(key=lambda e: e.path)
    return Manifest(name, created, stato_version, template, partial, tuple(entries), version)
