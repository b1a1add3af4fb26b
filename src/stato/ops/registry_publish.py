"""Publish an archive into a registry folder: validate, privacy-scan, copy, update index.toml."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from stato.adapters.fs import staged
from stato.errors import RegistryError, UsageError
from stato.formats.registry_index import (
    INDEX_FILE,
    NAME_RE,
    VERSION_RE,
    PackageEntry,
    RegistryIndex,
    dump_index,
    parse_index,
    upsert,
)

LOCK_FILE = ".index.lock"
MAX_TAGS = 12


@dataclass(frozen=True)
class PublishResult:
    """The entry now in the index, where the archive went, whether it replaced an entry, and
    where the archive it replaced (other bytes under the same name) is kept."""

    folder: Path
    entry: PackageEntry
    archive: Path
    replaced: bool
    backup: Path | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "archive": str(self.archive),
            "replaced": self.replaced,
            "backup": str(self.backup) if self.backup else None,
            "package": self.entry.to_dict(),
        }


def _check_modules(archive_path: Path, modules: dict[str, str], ignore: Sequence[str]) -> list[str]:
    """Refuse invalid modules and privacy findings; return the tags the skills declare."""
    from stato.core.compiler import compile_source
    from stato.core.computed import secret_findings
    from stato.core.privacy import Finding, scan_text

    tags: list[str] = []
    findings: list[Finding] = []
    for rel, text in sorted(modules.items()):
        result = compile_source(text, rel)
        if not result.valid:
            code = result.errors[0].code
            raise RegistryError(
                f"refusing to publish {archive_path.name}: {rel} does not "
                f"validate ({code}); fix it and snapshot again"
            )
        declared = result.fields.get("tags")
        if result.module_type == "skill" and isinstance(declared, list):
            tags.extend(t for t in declared if isinstance(t, str))
        findings.extend(scan_text(text, rel, ignore))
        findings.extend(secret_findings(result, ignore))  # "ghp_" + "...": no text holds it
    from stato.adapters import gate

    gate.check(modules, verb="publish")  # a registry never serves a poisoned module
    if findings:
        first = findings[0]  # named by pattern and place, never echoing the secret itself
        raise RegistryError(
            f"refusing to publish {archive_path.name}: the privacy scan found {len(findings)} "
            f"finding(s), first {first.label} ({first.pattern}) at {first.path}:{first.line}; "
            "snapshot with --sanitize or fix the modules"
        )
    return tags


def _load_index(folder: Path) -> RegistryIndex:
    path = folder / INDEX_FILE
    try:
        index = parse_index(path.read_bytes(), str(folder))
    except FileNotFoundError:
        return RegistryIndex()
    if index.style != RegistryIndex.style:  # rewriting it would drop what only it can say
        raise RegistryError(
            f"registry {folder}: index.toml is the earlier stato's [packages.NAME] index, "
            "which stato reads but does not write; publish to another folder"
        )
    return index


def publish(
    archive_path: Path,
    folder: Path,
    *,
    name: str | None = None,
    version: str | None = None,
    description: str | None = None,
    author: str | None = None,
    tags: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    now: datetime | None = None,
    sign: Path | str | None = None,
) -> PublishResult:
    """Copy ``archive_path`` into the registry ``folder`` and add or update its index entry.

    ``sign`` (an Ed25519 private key file) signs the manifest: the archive is repacked with
    its signature member, and the index's sha256 is of those bytes.
    """
    from filelock import FileLock

    from stato.adapters.archive import archive_bytes, read_archive
    from stato.formats.manifest import dumps, utc_iso
    from stato.ops.snapshot import created_now
    from stato.ops.trust import load_signing_key, sign_manifest

    key = load_signing_key(sign)  # a bad key fails before anything is read or written
    archive = read_archive(archive_path)  # hostile-safe: checks members and checksums
    name = (name or archive.manifest.name).lower()
    if not NAME_RE.match(name):
        raise UsageError(
            f"{name!r} is not a registry package name; pass --name with lowercase "
            "letters, digits, '.', '_' or '-'"
        )
    if version is not None and not VERSION_RE.match(version):
        raise UsageError(f"{version!r} is not a semantic version; use e.g. --version 1.2.0")
    declared = _check_modules(archive_path, archive.modules, ignore)
    data = archive_path.read_bytes()
    if key is not None:
        signature, _ = sign_manifest(key, dumps(archive.manifest))
        data = archive_bytes(archive.manifest, archive.modules, signature)
    if folder.exists() and not folder.is_dir():
        raise RegistryError(f"registry {folder}: not a folder; --to needs a folder")
    folder.mkdir(parents=True, exist_ok=True)
    # One publisher at a time per folder: two would each rewrite index.toml from a stale copy.
    with FileLock(str(folder / LOCK_FILE), timeout=30):
        index = _load_index(folder)
        previous = index.versions(name)
        version = version or (previous[0].version if previous else "1.0.0")
        same = next((p for p in previous if p.version == version), None)
        base = same or (previous[0] if previous else None)  # what a flag left out comes from
        skills = sorted(m.class_name for m in archive.manifest.modules if m.type == "skill")
        listed = f": {', '.join(skills)}" if skills else ""
        if description is None:
            made = f"{len(archive.modules)} stato module(s){listed}"
            description = base.description if base else made
        if author is None:
            author = base.author if base else "anonymous"
        if tags is None:
            tags = base.tags if base else tuple(dict.fromkeys(declared))[:MAX_TAGS]
        entry = PackageEntry(
            name=name,
            description=description,
            author=author,
            version=version,
            tags=tuple(tags),
            modules=len(archive.modules),
            updated=utc_iso(now) if now else created_now(),  # SOURCE_DATE_EPOCH honoured
            url=f"{name}-{version}.stato",
            sha256=hashlib.sha256(data).hexdigest(),
        )
        new_index, replaced = upsert(index, entry)
        target = folder / entry.url
        tmp_archive = staged(target, data)  # 0644: a static host must be able to serve it
        try:
            tmp_index = staged(folder / INDEX_FILE, dump_index(new_index))
        except BaseException:
            tmp_archive.unlink(missing_ok=True)
            raise
        try:
            backup = _keep_previous(target, data)
        except BaseException:
            tmp_archive.unlink(missing_ok=True)
            tmp_index.unlink(missing_ok=True)
            raise
        # Archive first, index second: an index never names an archive that is not there yet.
        # A crash between the two leaves the old index, whose checksum then refuses the new bytes.
        try:
            os.replace(tmp_archive, target)  # fails when a folder has the archive's name
            os.replace(tmp_index, folder / INDEX_FILE)
        except BaseException:
            tmp_archive.unlink(missing_ok=True)  # the temp files never outlive a failed publish
            tmp_index.unlink(missing_ok=True)
            raise
    return PublishResult(folder, entry, target, replaced, backup)


def _keep_previous(target: Path, data: bytes) -> Path | None:
    """Copy the archive a republish replaces (other bytes, same name) to a backup beside it.

    A copy, not a move, so the index never names a missing file; the same bytes need none.
    """
    import shutil

    from stato.ops.output import backup_path

    if not target.is_file() or target.is_symlink() or target.read_bytes() == data:
        return None
    backup = backup_path(target)
    if backup is not None:
        shutil.copy2(target, backup)
    return backup
