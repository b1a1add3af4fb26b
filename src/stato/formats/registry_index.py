"""Reader and writer of a registry's index.toml: the packages a registry folder offers."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from typing import Any

from stato.errors import RegistryError

# A registry is a folder (local, file:// or any static HTTP host) holding index.toml and archives:
#
#   format = 1                      # optional; a higher number needs a newer stato
#   title = "Team registry"         # optional
#   [[packages]]                    # one table per published version, all fields required
#   name = "scrna-qc"               # lowercase letters, digits, . _ -
#   description = "..."
#   author = "..."
#   version = "1.0.0"               # semantic version; NAME without @VERSION installs the highest
#   tags = ["qc", "scrna-seq"]
#   modules = 3                     # number of modules in the archive
#   updated = "2026-11-23T00:00:00Z"
#   url = "scrna-qc-1.0.0.stato"    # relative to the folder, or an absolute http(s) URL
#   sha256 = "<64 hex digits>"      # of the archive file; a mismatch refuses the install
#
# Unknown keys are ignored so that newer indexes stay readable by older clients.
#
# The index of the earlier public stato (0.5-0.11, its community registry) is read too: an
# optional [meta] table (version = 1, updated), then one [packages.NAME] table per package with
# url and, optionally, description, author, version, tags, modules, updated and
# sha256 = "sha256:<hex>". Without sha256 an install cannot check the download's integrity and
# says so. An entry that cannot be used is left out with one line in ``problems``; the others
# stay usable (formats.registry_v0).
INDEX_FILE = "index.toml"
FORMAT = 1

# A package name becomes part of a file name when published, so it is kept to a safe alphabet.
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
VERSION_RE = re.compile(r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")

FIELDS: tuple[str, ...] = (
    "name",
    "description",
    "author",
    "version",
    "tags",
    "modules",
    "updated",
    "url",
    "sha256",
)


@dataclass(frozen=True)
class PackageEntry:
    """One published version of one package."""

    name: str
    description: str
    author: str
    version: str
    tags: tuple[str, ...]
    modules: int | None  # None: the earlier stato's index did not say
    updated: str
    url: str
    sha256: str  # "": the earlier stato's index gave none, so the download cannot be checked

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    def to_dict(self) -> dict[str, Any]:
        return {
            field: list(v) if isinstance(v := getattr(self, field), tuple) else v
            for field in FIELDS
        }


@dataclass(frozen=True)
class RegistryIndex:
    """A parsed index.toml; ``packages`` keeps the file's order."""

    packages: tuple[PackageEntry, ...] = ()
    title: str | None = None
    style: str = "stato"  # "stato-0.x": the earlier stato's [packages.NAME] index
    problems: tuple[str, ...] = ()  # one line per entry of a 0.x index that was left out

    def versions(self, name: str) -> list[PackageEntry]:
        """Every entry of a package, highest version first."""
        return sorted(
            (p for p in self.packages if p.name == name),
            key=lambda p: version_key(p.version),
            reverse=True,
        )


def version_key(version: str) -> tuple[tuple[int, int, int], int, str]:
    """Order semantic versions: numbers first, a pre-release sorts before its release."""
    core, sep, rest = _split_version(version)
    major, minor, patch = (int(x) for x in core.split("."))
    prerelease = sep == "-"
    return (major, minor, patch), 0 if prerelease else 1, rest


def _split_version(version: str) -> tuple[str, str, str]:
    match = re.match(r"^(\d+\.\d+\.\d+)([-+]?)(.*)$", version)
    if not match:
        return "0.0.0", "-", version
    return match.group(1), match.group(2), match.group(3)


def fail(registry: str, message: str) -> RegistryError:
    """The one shape of an unusable index: ``registry NAME: what is wrong``."""
    return RegistryError(f"registry {registry}: {message}")


def _entry(raw: Any, position: int, registry: str) -> PackageEntry:
    label = f"package #{position}"
    if not isinstance(raw, dict):
        raise fail(registry, f"index.toml {label} is not a table; fix the index")
    if isinstance(raw.get("name"), str) and raw["name"]:
        label = f"package {raw['name']!r}"
    missing = [f for f in FIELDS if f not in raw]
    if missing:
        raise fail(registry, f"index.toml {label} is missing {', '.join(missing)}; fix the index")

    def bad(field: str, expected: str) -> RegistryError:
        return fail(
            registry,
            f"index.toml {label} has an invalid {field} ({raw[field]!r}); expected {expected}",
        )

    for field in ("name", "description", "author", "version", "url", "sha256"):
        if not isinstance(raw[field], str):
            raise bad(field, "a string")
    if not NAME_RE.match(raw["name"]):
        raise bad("name", "lowercase letters, digits, '.', '_' or '-'")
    if not VERSION_RE.match(raw["version"]):
        raise bad("version", "a semantic version such as 1.2.0")
    if not SHA256_RE.match(raw["sha256"]):
        raise bad("sha256", "64 lowercase hex digits")
    if not raw["url"].strip():
        raise bad("url", "the archive's address")
    tags = raw["tags"]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise bad("tags", "a list of strings")
    modules = raw["modules"]
    if not isinstance(modules, int) or isinstance(modules, bool) or modules < 0:
        raise bad("modules", "a non-negative integer")
    updated = raw["updated"]
    if isinstance(updated, (_dt.date, _dt.datetime)):
        updated = updated.isoformat()
    if not isinstance(updated, str):
        raise bad("updated", "a date")
    return PackageEntry(
        name=raw["name"],
        description=raw["description"],
        author=raw["author"],
        version=raw["version"],
        tags=tuple(tags),
        modules=modules,
        updated=updated,
        url=raw["url"],
        sha256=raw["sha256"],
    )


def parse_index(data: str | bytes, registry: str) -> RegistryIndex:
    """Parse index.toml strictly; every problem is one RegistryError naming the registry."""
    from stato.formats.tomltext import loads

    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        doc = loads(text)
    except ValueError as exc:  # not UTF-8 (UnicodeDecodeError), or not TOML (TomlProblem)
        raise fail(registry, f"index.toml is not valid TOML ({exc}); fix the index") from None
    if isinstance(doc.get("packages"), dict) or ("meta" in doc and "packages" not in doc):
        from stato.formats.registry_v0 import parse_v0_index  # it builds on this module

        return parse_v0_index(doc, registry)
    fmt = doc.get("format", FORMAT)
    if fmt != FORMAT:
        raise fail(
            registry,
            f"index.toml has format {fmt!r}, this stato reads format {FORMAT}; upgrade stato",
        )
    raw_packages = doc.get("packages", [])
    if not isinstance(raw_packages, list):
        raise fail(registry, "index.toml 'packages' must be an array of tables ([[packages]])")
    packages = tuple(_entry(raw, i, registry) for i, raw in enumerate(raw_packages, 1))
    seen: set[tuple[str, str]] = set()
    for p in packages:
        if (p.name, p.version) in seen:
            raise fail(registry, f"index.toml lists {p.spec} twice; keep one entry")
        seen.add((p.name, p.version))
    title = doc.get("title")
    return RegistryIndex(packages, title if isinstance(title, str) else None)


def dump_index(index: RegistryIndex) -> str:
    """Write an index as TOML, packages sorted by name then version."""
    import tomli_w

    doc: dict[str, Any] = {"format": FORMAT}
    if index.title:
        doc["title"] = index.title
    ordered = sorted(index.packages, key=lambda p: (p.name, version_key(p.version)))
    doc["packages"] = [p.to_dict() for p in ordered]
    header = "# stato registry index: one [[packages]] table per published version.\n"
    return header + tomli_w.dumps(doc)


def upsert(index: RegistryIndex, entry: PackageEntry) -> tuple[RegistryIndex, bool]:
    """Add ``entry`` or replace the entry with the same name and version; True when replaced."""
    kept = tuple(p for p in index.packages if (p.name, p.version) != (entry.name, entry.version))
    return RegistryIndex(kept + (entry,), index.title), len(kept) != len(index.packages)
