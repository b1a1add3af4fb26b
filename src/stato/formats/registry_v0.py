"""The registry index of the earlier public stato (0.5-0.11): ``[packages.NAME]`` tables.

Read only (``registry publish`` writes stato's own ``[[packages]]`` format). Real indexes of that
line are untidy (entries without ``sha256``, ``modules`` or ``updated``), so an entry that cannot
be used is left out with one line saying why, and the rest of the index stays usable.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from stato.formats.registry_index import (
    FORMAT,
    NAME_RE,
    SHA256_RE,
    VERSION_RE,
    PackageEntry,
    RegistryIndex,
    fail,
)

STYLE = "stato-0.x"
# Where the earlier stato's community registry was served (opt-in: see the README).
COMMUNITY_INDEX = "https://raw.githubusercontent.com/genecell/stato/main/docs/registry/index.toml"
_CHECKSUM = re.compile(r"^(?:sha256:)?([0-9a-fA-F]{64})$")
_TEXT_LIMIT = 2000  # a description longer than this is no description


def _clean(value: str) -> str:
    """Index text reaches terminals: control characters become spaces, length is capped."""
    return "".join(c if c.isprintable() else " " for c in value[:_TEXT_LIMIT])


def _text(raw: dict[str, Any], key: str) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"its {key} is not a string")
    return _clean(value)


def _entry(name: str, raw: Any) -> PackageEntry:
    """One ``[packages.NAME]`` table; ValueError says why it cannot be used."""
    if not isinstance(raw, dict):
        raise ValueError("it is not a table")
    if not NAME_RE.match(name):
        raise ValueError("its name is not lowercase letters, digits, '.', '_' or '-'")
    url = raw.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ValueError("it has no url")
    version = raw.get("version", "0.0.0")  # a version is what NAME@VERSION picks; none is 0.0.0
    if not isinstance(version, str) or not VERSION_RE.match(version):
        raise ValueError(f"its version {str(version)[:40]!r} is not a semantic version")
    sha256 = ""
    if "sha256" in raw:
        match = _CHECKSUM.match(raw["sha256"]) if isinstance(raw["sha256"], str) else None
        if match is None:
            raise ValueError("its sha256 is not 'sha256:' and 64 hex digits")
        sha256 = match.group(1).lower()
        assert SHA256_RE.match(sha256)
    tags = raw.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ValueError("its tags are not a list of strings")
    modules = raw.get("modules")
    if modules is not None and (
        not isinstance(modules, int) or isinstance(modules, bool) or modules < 0
    ):
        raise ValueError("its modules is not a non-negative integer")
    updated = raw.get("updated", "")
    if isinstance(updated, (_dt.date, _dt.datetime)):
        updated = updated.isoformat()
    if not isinstance(updated, str):
        raise ValueError("its updated is not a date")
    return PackageEntry(
        name=name,
        description=_text(raw, "description"),
        author=_text(raw, "author"),
        version=version,
        tags=tuple(_clean(t) for t in tags[:50]),
        modules=modules,
        updated=updated,
        url=url.strip(),
        sha256=sha256,
    )


def parse_v0_index(doc: dict[str, Any], registry: str) -> RegistryIndex:
    """An index in the earlier stato's format; an unusable entry is one line of ``problems``."""
    meta = doc.get("meta", {})
    if not isinstance(meta, dict):
        raise fail(registry, "index.toml [meta] must be a table; fix the index")
    version = meta.get("version", FORMAT)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise fail(registry, f"index.toml [meta] version {str(version)[:40]!r} is not a version")
    if version > FORMAT:
        raise fail(
            registry,
            f"index.toml was made by a newer stato (meta version {version}), "
            f"this stato reads version {FORMAT}; upgrade stato",
        )
    raw_packages = doc.get("packages", {})
    if not isinstance(raw_packages, dict):
        raise fail(registry, "index.toml 'packages' must be [packages.NAME] tables")
    packages: list[PackageEntry] = []
    problems: list[str] = []
    for name, raw in raw_packages.items():
        try:
            packages.append(_entry(name, raw))
        except ValueError as exc:
            shown = "".join(c if c.isprintable() else "?" for c in name[:64])
            problems.append(f"registry {registry}: package {shown!r} left out: {exc}")
    title = meta.get("title")
    return RegistryIndex(
        tuple(packages), title if isinstance(title, str) else None, STYLE, tuple(problems)
    )
