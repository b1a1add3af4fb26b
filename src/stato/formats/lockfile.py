"""``.stato/stato.lock``: where every module that came from outside came from, and as what.

    # stato.lock: written by stato; commit it with the project. `stato verify` checks it.
    lock_version = 1

    [[package]]
    kind = "registry"                  # registry | archive | bundle | convert | file
    name = "scrna-qc"                  # package, archive or file name
    version = "1.2.0"                  # registry packages only
    source = "https://host/registry"   # the registry, or the archive/bundle/file as given
    sha256 = "<64 hex>"                # of the archive (bundle, file) as downloaded or read
    signer = "ana@lab.org SHA256:…"     # who signed the archive, when signed
    installed = "2026-12-04T23:00:00Z"

    [package.modules]                  # each module as written, by path in .stato/
    "skills/qc.py" = "<64 hex>"

A module belongs to the last package that wrote it. The file is read back from a folder that may
be hostile: every key and type is checked, and a bad file is ignored with a warning, never trusted.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from stato.formats.manifest import check_module_path

LOCK_NAME = "stato.lock"
LOCK_VERSION = 1
KINDS = ("registry", "archive", "bundle", "convert", "file")
MAX_LOCK_BYTES = 8 * 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
_KEYS = {"kind", "name", "version", "source", "sha256", "signer", "installed", "modules"}
_HEADER = (
    "# stato.lock: where the modules that came from outside came from, and their sha256 as\n"
    "# installed. Written by stato; commit it with the project. `stato verify` checks it.\n"
)


@dataclass(frozen=True)
class Package:
    """One package, archive, bundle or file that modules were installed from."""

    kind: str
    name: str
    source: str
    installed: str
    modules: dict[str, str] = field(default_factory=dict)  # path in .stato/ -> sha256
    version: str | None = None
    sha256: str | None = None
    signer: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """A newer install of the same thing replaces this entry."""
        where = self.source if self.kind != "registry" else self.source.rstrip("/")
        return (self.kind, self.name, where if self.kind == "registry" else "")

    @property
    def label(self) -> str:
        return f"{self.name}@{self.version}" if self.version else self.name

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "name": self.name}
        if self.version is not None:
            data["version"] = self.version
        data["source"] = self.source
        if self.sha256 is not None:
            data["sha256"] = self.sha256
        if self.signer is not None:
            data["signer"] = self.signer
        data["installed"] = self.installed
        data["modules"] = dict(sorted(self.modules.items()))
        return data


@dataclass(frozen=True)
class Lock:
    """Every package the project installed from, in the order they were first installed."""

    packages: tuple[Package, ...] = ()

    def find(self, kind: str, name: str, source: str) -> Package | None:
        probe = Package(kind, name, source, "")
        return next((p for p in self.packages if p.key == probe.key), None)

    def record(self, new: Package) -> Lock:
        """``new`` added, or replacing the entry for the same package; each path it wrote moves
        to it from any other entry, and entries left with no module are dropped."""
        out: list[Package] = []
        placed = False
        for p in self.packages:
            if p.key == new.key:
                # Modules the old version had and the new one did not write stay recorded.
                kept = {k: v for k, v in p.modules.items() if k not in new.modules}
                out.append(replace(new, modules={**kept, **new.modules}))
                placed = True
                continue
            rest = {k: v for k, v in p.modules.items() if k not in new.modules}
            if rest:
                out.append(replace(p, modules=rest))
        if not placed:
            out.append(new)
        return Lock(tuple(out))

    def to_dict(self) -> dict[str, Any]:
        return {"lock_version": LOCK_VERSION, "package": [p.to_dict() for p in self.packages]}


def dumps(lock: Lock) -> str:
    import tomli_w

    return _HEADER + tomli_w.dumps(lock.to_dict())


class LockInvalid(ValueError):
    """The lock file cannot be trusted; the message says why (one line)."""


def _str(raw: dict[str, Any], key: str, where: str, required: bool = True) -> str | None:
    value = raw.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value or len(value) > 4096:
        raise LockInvalid(f"{where}: {key} must be a non-empty string")
    if any(ord(c) < 32 or c == "\x7f" for c in value):
        raise LockInvalid(f"{where}: {key} holds control characters")
    return value


def _package(raw: Any, n: int) -> Package:
    where = f"package #{n}"
    if not isinstance(raw, dict):
        raise LockInvalid(f"{where} is not a table")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise LockInvalid(f"{where}: unknown key {unknown[0]!r}")
    kind = _str(raw, "kind", where)
    if kind not in KINDS:
        raise LockInvalid(f"{where}: kind must be one of {', '.join(KINDS)}")
    digest = _str(raw, "sha256", where, required=False)
    if digest is not None and not _SHA.match(digest):
        raise LockInvalid(f"{where}: sha256 must be 64 lowercase hex digits")
    modules = raw.get("modules")
    if not isinstance(modules, dict):
        raise LockInvalid(f"{where}: modules must be a table of path = sha256")
    for path, value in modules.items():
        problem = check_module_path(path)
        if problem:
            raise LockInvalid(f"{where}: {problem}")
        if not isinstance(value, str) or not _SHA.match(value):
            raise LockInvalid(f"{where}: the sha256 of {path!r} is not 64 lowercase hex digits")
    return Package(
        kind=str(kind),
        name=str(_str(raw, "name", where)),
        source=str(_str(raw, "source", where)),
        installed=str(_str(raw, "installed", where)),
        modules=dict(modules),
        version=_str(raw, "version", where, required=False),
        sha256=digest,
        signer=_str(raw, "signer", where, required=False),
    )


def loads(text: str) -> Lock:
    """Parse and check a lock file; any problem is one LockInvalid."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
        import tomli as tomllib

    if len(text) > MAX_LOCK_BYTES:
        raise LockInvalid("it is larger than any lock file should be")
    try:
        doc = tomllib.loads(text)
    except (ValueError, RecursionError) as exc:  # ValueError: also a number past 4,300 digits
        raise LockInvalid(f"it is not valid TOML ({str(exc)[:120]})") from None
    version = doc.get("lock_version")
    if version != LOCK_VERSION:
        if isinstance(version, int) and not isinstance(version, bool) and version > LOCK_VERSION:
            raise LockInvalid(f"lock_version {version} is newer than this stato; upgrade stato")
        raise LockInvalid(f"lock_version must be {LOCK_VERSION}")
    unknown = sorted(set(doc) - {"lock_version", "package"})
    if unknown:
        raise LockInvalid(f"unknown key {unknown[0]!r}")
    raw = doc.get("package", [])
    if not isinstance(raw, list):
        raise LockInvalid("package must be an array of tables ([[package]])")
    packages = tuple(_package(p, n) for n, p in enumerate(raw, 1))
    owners: dict[str, int] = {}
    for n, p in enumerate(packages, 1):
        for path in p.modules:
            if path.lower() in owners:
                raise LockInvalid(f"{path!r} is listed by package #{owners[path.lower()]} and #{n}")
            owners[path.lower()] = n
    return Lock(packages)
