"""The manifests of archives the earlier public stato (0.5-0.11) wrote, read into a Manifest.

Two shapes, told apart by ``format_version``: stato 0.11 writes the *string* ``"1"`` and a
``[checksums]`` table (``"sha256:<hex>"`` of each member's bytes); stato 0.5 writes neither, so
its archives carry no integrity data at all ("legacy"). Both list their members in
``included_modules`` and say nothing of each module's type or class: those come from the
module itself (``complete``), by the same layout both stato lines use (``context.py``,
``skills/qc.py``, ...). See docs/archive-format.md.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from stato.errors import ArchiveError
from stato.formats.manifest import (
    NAME_RE,
    ORIGIN_V0,
    Manifest,
    ModuleEntry,
    bad_manifest,
    check_created,
    check_module_path,
    newer_format,
)

V0_FORMAT = "1"  # the format_version string stato 0.11 writes
_KEYS = {
    "format_version",
    "name",
    "description",
    "author",
    "created",
    "stato_version",
    "partial",
    "template",
    "included_modules",
    "checksums",
}
_CHECKSUM = re.compile(r"^sha256:([0-9a-fA-F]{64})$")
# The layout both stato lines share: where a module lives says what it is.
_BY_PATH = {"context.py": "context", "memory.py": "memory", "plan.py": "plan"}
_BY_FOLDER = {"skills": "skill", "protocols": "protocol"}
_MAX_MODULES = 20_000  # as many as an archive may hold members


def is_v0(data: Mapping[str, Any]) -> bool:
    """Whether parsed manifest TOML is in a 0.x shape (``included_modules``, or a string
    format_version) rather than this stato's (an int format_version, ``[[modules]]``)."""
    if "included_modules" in data:
        return True
    return isinstance(data.get("format_version"), str) and "modules" not in data


def _text(data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str):
        raise bad_manifest(f"{key} must be a str")
    return value


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)  # 0.x always wrote both flags; a missing one means off
    if not isinstance(value, bool):
        raise bad_manifest(f"{key} must be a bool")
    return value


def _name(raw: str) -> str:
    """0.x names went unchecked; one that is no plain name is made into one, not refused."""
    if NAME_RE.match(raw):
        return raw
    if not raw.isprintable():
        raise bad_manifest("name holds control characters")
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-._")[:100]
    return plain if NAME_RE.match(plain) else "archive"


def _paths(data: Mapping[str, Any]) -> list[str]:
    raw = data.get("included_modules")
    if not isinstance(raw, list) or not all(isinstance(p, str) for p in raw):
        raise bad_manifest("included_modules must be a list of member paths")
    if len(raw) > _MAX_MODULES:
        raise bad_manifest(f"included_modules lists {len(raw)} modules")
    seen: set[str] = set()
    for path in raw:
        problem = check_module_path(path)
        if problem:
            raise bad_manifest(f"included_modules holds {problem}")
        # Compared without case: on macOS and Windows skills/QC.py and skills/qc.py are one file.
        if path.lower() in seen:
            raise bad_manifest(f"module {path!r} is listed twice (ignoring case)")
        seen.add(path.lower())
    return sorted(raw)


def _checksums(data: Mapping[str, Any], paths: list[str], version: str | None) -> dict[str, str]:
    """Each module's sha256 (hex) from a ``[checksums]`` table; {} for a legacy archive."""
    if "checksums" not in data:
        if version is not None:
            raise bad_manifest(f'a format_version "{version}" manifest has no [checksums]')
        return {}
    table = data["checksums"]
    if not isinstance(table, dict):
        raise bad_manifest("checksums must be a table of path = 'sha256:<hex>'")
    out: dict[str, str] = {}
    for path, value in table.items():
        match = _CHECKSUM.match(value) if isinstance(value, str) else None
        if match is None:
            raise bad_manifest(f"checksums[{path[:80]!r}] must be 'sha256:' and 64 hex digits")
        out[path] = match.group(1).lower()
    unlisted = sorted(set(out) - set(paths))
    if unlisted:
        raise bad_manifest(f"checksums names {unlisted[0][:80]!r}, which is not a listed module")
    missing = [p for p in paths if p not in out]
    if missing:
        raise bad_manifest(f"module {missing[0]!r} has no checksum")
    return out


def parse_v0(data: Mapping[str, Any]) -> Manifest:
    """A 0.x manifest as a Manifest whose entries lack type and class until ``complete``."""
    version = data.get("format_version")
    if version is not None and version != V0_FORMAT:
        if not isinstance(version, str) or not version.isprintable():
            raise bad_manifest("format_version is not a version")
        raise newer_format(version)
    unknown = set(data) - _KEYS
    if unknown:
        raise bad_manifest(f"unknown key {sorted(unknown)[0][:80]!r}")
    name = _name(_text(data, "name"))
    # Shown by inspect: control characters become spaces, as in a 0.x index, and 2,000 is enough.
    description, author = (
        "".join(c if c.isprintable() else " " for c in _text(data, key, "")[:2000])
        for key in ("description", "author")
    )
    created = check_created(_text(data, "created"))
    stato_version = _text(data, "stato_version")
    if len(stato_version) > 200 or not stato_version.isprintable():
        raise bad_manifest("stato_version holds control characters or is too long")
    paths = _paths(data)
    sums = _checksums(data, paths, version)
    entries = tuple(ModuleEntry(p, _BY_PATH.get(p, ""), "", sums.get(p, "")) for p in paths)
    return Manifest(
        name=name,
        created=created,
        stato_version=stato_version,
        template=_flag(data, "template"),
        partial=_flag(data, "partial"),
        modules=entries,
        origin=ORIGIN_V0,
        checksums=bool(sums) or not paths,
        description=description,
        author=author,
    )


def _kind(path: str) -> str | None:
    if path in _BY_PATH:
        return _BY_PATH[path]
    folder = path.partition("/")[0] if "/" in path else ""
    return _BY_FOLDER.get(folder)


def _describe(path: str, text: str) -> tuple[str, str, str | None]:
    """(type, class, version) of one module, read from its syntax tree; nothing is run.

    The layout decides the type where it can (as both stato lines do); elsewhere the
    compiler's inference rules do. A module that does not parse gets placeholders: the
    compiler refuses it (E001) before anything is written.
    """
    from stato.core.classinfo import read_class
    from stato.core.compiler import infer_type

    kind = _kind(path)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return kind or "skill", "Module", None
    index = next((i for i, s in enumerate(tree.body) if isinstance(s, ast.ClassDef)), None)
    if index is None:
        return kind or "skill", "Module", None
    node = tree.body[index]
    assert isinstance(node, ast.ClassDef)
    version = None
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "version" for t in stmt.targets)
            and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str)
        ):
            version = stmt.value.value
    if kind is None:
        kind, _ = infer_type(read_class(tree, index))
    return kind, node.name, version


def complete(manifest: Manifest, modules: Mapping[str, str]) -> Manifest:
    """The 0.x manifest with each entry's type, class, version and sha256 filled in from its
    (already checked) text, so the rest of stato reads it as any other archive."""
    if manifest.origin != ORIGIN_V0:
        raise ArchiveError("internal error: only a 0.x manifest needs completing")
    entries = tuple(
        ModuleEntry.for_text(e.path, modules[e.path], *_describe(e.path, modules[e.path]))
        for e in manifest.modules
    )
    return replace(manifest, modules=entries)


def notes(manifest: Manifest, label: str) -> tuple[str, ...]:
    """What a person must be told about an archive ``label`` of the earlier stato, if anything."""
    if manifest.origin != ORIGIN_V0 or manifest.checksums:
        return ()
    return (
        f"{label} was made by stato {manifest.stato_version} in the legacy format, which "
        "carries no checksums: its integrity cannot be checked",
    )
