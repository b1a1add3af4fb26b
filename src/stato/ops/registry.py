"""Registry steps: list and search packages, install one (checksum first), publish an archive."""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato.adapters.config import RegistrySource, registry_deadline, registry_sources
from stato.adapters.http import redact
from stato.adapters.registry import DEFAULT_TIMEOUT, Progress, RegistryClient
from stato.adapters.registry_location import locate
from stato.errors import RegistryError, UsageError
from stato.formats.registry_index import NAME_RE, VERSION_RE, PackageEntry, RegistryIndex
from stato.formats.registry_v0 import COMMUNITY_INDEX

if TYPE_CHECKING:
    from stato.core.diff import ModuleDiff
    from stato.ops.archive import ImportResult


@dataclass(frozen=True)
class Found:
    """A package's newest version in one registry, with every version that registry offers."""

    registry: str
    entry: PackageEntry
    versions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"registry": self.registry, **self.entry.to_dict(), "versions": list(self.versions)}


@dataclass(frozen=True)
class Listing:
    """What the reachable registries offer; ``failures`` has one line per registry that failed."""

    registries: tuple[str, ...]
    packages: tuple[Found, ...]
    failures: tuple[str, ...] = ()
    query: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "registries": list(self.registries),
            "packages": [f.to_dict() for f in self.packages],
            "failures": list(self.failures),
        }
        if self.query is not None:
            data["query"] = self.query
        return data


def _clients(
    root: Path | None, registry: str | None, timeout: float, deadline: float | None
) -> list[tuple[str, Callable[[], RegistryClient]]]:
    """Each configured registry's label (credentials hidden) and a maker of its client.

    ``timeout`` bounds connecting and each read; ``deadline`` (default: STATO_REGISTRY_TIMEOUT,
    then the config's registry.timeout) bounds each whole download.
    """
    sources = registry_sources(root, registry)
    seconds = registry_deadline(root) if deadline is None else deadline

    def maker(source: RegistrySource) -> Callable[[], RegistryClient]:
        # Built on use, so an unusable address fails as that registry's failure, not the call's.
        return lambda: RegistryClient(locate(source.address, source.base), timeout, seconds)

    return [(redact(s.address), maker(s)) for s in sources]


def _open(
    make: Callable[[], RegistryClient], failures: list[str]
) -> tuple[RegistryClient, RegistryIndex] | None:
    """A registry's client and index; None (and its one line in ``failures``) when it fails."""
    try:
        client = make()
        return client, client.index()
    except RegistryError as exc:
        failures.append(str(exc))
        return None


def _indexes(
    root: Path | None,
    registry: str | None,
    timeout: float,
    deadline: float | None,
) -> tuple[list[tuple[RegistryClient, RegistryIndex]], list[str], list[str]]:
    loaded: list[tuple[RegistryClient, RegistryIndex]] = []
    failures: list[str] = []
    labels: list[str] = []
    for label, make in _clients(root, registry, timeout, deadline):
        labels.append(label)
        opened = _open(make, failures)
        if opened is None:
            continue
        loaded.append(opened)
        failures.extend(opened[1].problems)  # entries of a 0.x index left out, one line each
    if not loaded and failures:  # (problems only come with a loaded index)
        more = f" (and {len(failures) - 1} more registries failed)" if len(failures) > 1 else ""
        raise RegistryError(failures[0] + more)
    return loaded, failures, labels


def _newest(label: str, index: RegistryIndex) -> list[Found]:
    found = []
    for name in dict.fromkeys(p.name for p in index.packages):
        versions = index.versions(name)
        found.append(Found(label, versions[0], tuple(v.version for v in versions)))
    return found


def list_packages(
    root: Path | None,
    registry: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> Listing:
    loaded, failures, labels = _indexes(root, registry, timeout, deadline)
    packages = [f for client, index in loaded for f in _newest(client.location.label, index)]
    return Listing(tuple(labels), tuple(packages), tuple(failures))


# Tiers keep the order name > tags > description for every single term.
_NAME_EXACT, _NAME_PREFIX, _NAME_PART = 1000, 800, 600
_TAG_EXACT, _TAG_PART = 300, 200
_DESCRIPTION_WORD, _DESCRIPTION_PART = 100, 50


def _terms(query: str) -> list[tuple[str, re.Pattern[str]]]:
    return [(t, re.compile(rf"\b{re.escape(t)}\b")) for t in query.lower().split()]


def _term_score(
    name: str, tags: list[str], description: str, term: str, word: re.Pattern[str]
) -> int:
    if term == name:
        return _NAME_EXACT
    if name.startswith(term):
        return _NAME_PREFIX
    if term in name:
        return _NAME_PART
    if term in tags:
        return _TAG_EXACT
    if any(term in t for t in tags):
        return _TAG_PART
    if term not in description:  # cheap test first: most packages miss most terms
        return 0
    return _DESCRIPTION_WORD if word.search(description) else _DESCRIPTION_PART


def _score(entry: PackageEntry, terms: list[tuple[str, re.Pattern[str]]]) -> int:
    if not terms:
        return 0
    name, description = entry.name.lower(), entry.description.lower()
    tags = [t.lower() for t in entry.tags]
    total = 0
    for term, word in terms:
        points = _term_score(name, tags, description, term, word)
        if not points:
            return 0  # every term must match somewhere
        total += points
    return total


def rank(found: list[Found], query: str) -> list[Found]:
    """The packages matching ``query``, best first (ties by name, then registry order)."""
    terms = _terms(query)
    matches = []
    for i, f in enumerate(found):
        points = _score(f.entry, terms)
        if points:
            matches.append((-points, f.entry.name, i, f))
    return [m[3] for m in sorted(matches, key=lambda m: m[:3])]


def search(
    root: Path | None,
    query: str,
    registry: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> Listing:
    if not query.strip():
        raise UsageError("search needs a keyword, e.g. stato registry search scrna")
    listing = list_packages(root, registry, timeout, deadline)
    return Listing(
        listing.registries, tuple(rank(list(listing.packages), query)), listing.failures, query
    )


def parse_spec(spec: str) -> tuple[str, str | None]:
    """NAME or NAME@VERSION, checked."""
    name, _, version = spec.strip().partition("@")
    if not NAME_RE.match(name):
        raise UsageError(f"{spec!r} is not a package name; use NAME or NAME@VERSION")
    if version and not VERSION_RE.match(version):
        raise UsageError(f"{version!r} is not a version; use NAME@1.2.0")
    return name, version or None


def find_package(
    root: Path | None,
    spec: str,
    registry: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
) -> tuple[RegistryClient, PackageEntry]:
    """The first registry (in search order) that offers ``spec``, and its entry."""
    name, version = parse_spec(spec)
    failures: list[str] = []
    others: list[str] = []
    sources = _clients(root, registry, timeout, deadline)
    for _, make in sources:
        opened = _open(make, failures)
        if opened is None:
            continue
        client, index = opened
        versions = index.versions(name)
        # A 0.x index entry of that name left out as unusable: say why, not "not found".
        failures.extend(p for p in index.problems if f"package {name!r} " in p)
        for entry in versions:
            if version is None or entry.version == version:
                return client, entry
        others.extend(v.version for v in versions)
    if (len(sources) == 1 and failures) or any(f"package {name!r} " in f for f in failures):
        raise RegistryError(next((f for f in failures if f"package {name!r} " in f), failures[0]))
    where = ", ".join(label for label, _ in sources)
    hint = (
        f"; available versions: {', '.join(others)}"
        if others
        else f"; try: stato registry search {name}"
    )
    down = f" ({len(failures)} registries could not be read: {failures[0]})" if failures else ""
    if not others and not any(COMMUNITY_INDEX.rpartition("/")[0] in label for label, _ in sources):
        # The spec's packages (scrna-expert) lived there; it is opt-in, so say how to add it.
        hint += (
            f", or add the earlier stato's community registry: stato registry add {COMMUNITY_INDEX}"
        )
    raise RegistryError(f"package {spec} not found in {where}{hint}{down}")


@dataclass(frozen=True)
class InstallResult:
    """A verified download and what importing it did."""

    registry: str
    entry: PackageEntry
    sha256: str
    size: int
    imported: ImportResult
    dry_run: bool
    source: str = ""  # where the archive was downloaded from
    verified: bool = True  # False: the index gave no sha256, so the download was not checked

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user must know: an integrity that could not be checked, at either level."""
        if self.verified:
            return self.imported.notes
        return (
            f"the index of {self.registry} gives no sha256 for {self.entry.spec}: the "
            "download's integrity cannot be checked",
            *self.imported.notes,
        )

    def to_dict(self) -> dict[str, Any]:
        imported = self.imported.to_dict()
        imported["archive"] = self.source  # not the temp file, which no longer exists
        return {
            "registry": self.registry,
            "package": self.entry.to_dict(),
            "source": self.source,
            "sha256": self.sha256,
            "verified": self.verified,
            "size": self.size,
            "dry_run": self.dry_run,
            "ok": self.imported.ok,
            "notes": list(self.notes),
            "import": imported,
        }


def install(
    root: Path,
    spec: str,
    registry: str | None = None,
    on_conflict: str = "ask",
    dry_run: bool = False,
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    deadline: float | None = None,
    confirm: Callable[[tuple[ModuleDiff, ...]], bool] | None = None,
) -> InstallResult:
    """Download a package, refuse it unless its sha256 matches the index, then import it.

    The archive's signature is checked against this registry's policy, and the lock file
    records the package. Installing a newer version over an unedited older one shows
    ``confirm`` each module's field-level changes first (None: accept).
    """
    from stato.formats.lockfile import Package
    from stato.ops.archive import check_policy, import_archive
    from stato.ops.lock import relative_source
    from stato.ops.snapshot import created_now

    check_policy(on_conflict)
    client, entry = find_package(root, spec, registry, timeout, deadline)
    data = client.download(entry, progress)
    digest = hashlib.sha256(data).hexdigest()
    if entry.sha256 and digest != entry.sha256:  # no sha256 (a 0.x index): said, not checked
        page = data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html"))
        raise RegistryError(
            f"registry {client.location.label}: checksum mismatch for {entry.spec} "
            f"(index {entry.sha256[:12]}…, download {digest[:12]}…"
            f"{', an HTML page, not an archive' if page else ''}); nothing was installed"
        )
    # Verified bytes go to a private temp folder, never into the project, for the importer to read.
    with tempfile.TemporaryDirectory(prefix="stato-install-") as tmp:
        path = Path(tmp) / f"{entry.name}-{entry.version}.stato"
        path.write_bytes(data)
        where = client.location.label
        if client.location.kind == "folder" and client.location.spec != "builtin":
            where = relative_source(root, client.location.base)  # valid from any folder
        package = Package(
            "registry",
            entry.name,
            where,
            created_now(),
            version=entry.version,
            sha256=digest,
        )
        imported = import_archive(
            root,
            path,
            on_conflict=on_conflict,
            dry_run=dry_run,
            registry=client.location.spec,
            package=package,
            confirm=confirm,
        )
    source = redact(client.archive_address(entry))
    return InstallResult(
        client.location.label,
        entry,
        digest,
        len(data),
        imported,
        dry_run,
        source,
        verified=bool(entry.sha256),
    )
