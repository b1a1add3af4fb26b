"""`stato import-bundle`: validate each module a web AI's bundle carries, write the valid ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stato.adapters.fs import not_a_file, read_file
from stato.core.model import ValidationResult
from stato.formats.bundle import MAX_BUNDLE_BYTES, BundleError, BundleProblem, parse_bundle

DEFAULT_PLATFORMS = ("claude",)


@dataclass(frozen=True)
class BundleModule:
    """One module of the bundle and what became of it."""

    key: str  # PLAN, SKILLS['qc']
    rel: str
    status: str  # "created" | "updated" | "unchanged" | "refused"; "would ..." on a dry run
    result: ValidationResult

    def to_dict(self) -> dict[str, Any]:
        return {"key": self.key, "status": self.status, **self.result.to_dict(), "path": self.rel}


@dataclass(frozen=True)
class BundleImport:
    bundle: str
    root: str
    dry_run: bool
    modules: tuple[BundleModule, ...]
    problems: tuple[BundleProblem, ...]
    bridges: tuple[str, ...] = ()  # bridge files written
    bridge_note: str = ""  # why no bridge was written, when none was

    @property
    def refused(self) -> tuple[BundleModule, ...]:
        return tuple(m for m in self.modules if m.status == "refused")

    @property
    def ok(self) -> bool:
        """True when every module was taken and something usable was imported."""
        taken = [m for m in self.modules if m.status != "refused"]
        return (
            bool(taken)
            and not self.refused
            and not any(p.severity == "error" for p in self.problems)
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "root": self.root,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "modules": [m.to_dict() for m in self.modules],
            "problems": [p.to_dict() for p in self.problems],
            "bridges": list(self.bridges),
            "bridge_note": self.bridge_note,
        }


def _read(path: Path) -> bytes:
    if not path.is_file():
        raise BundleError(not_a_file(path, "save the web AI's output as stato_bundle.py"))
    if path.stat().st_size > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"{path} is larger than {MAX_BUNDLE_BYTES // 2**20} MiB; "
            "a bundle holds a few text modules"
        )
    return read_file(path)


def _bridges(root: Path, platforms: Sequence[str], check_only: bool) -> tuple[tuple[str, ...], str]:
    """Write the bridge files (or, with ``check_only``, only check the platform names)."""
    from stato.ops.bridge import select, write_bridges

    if check_only:
        select(list(platforms))  # a typo fails before any module is written
        return (), ""
    result = write_bridges(root, list(platforms))
    return tuple(result.written), "" if result.written else "bridge files already up to date"


def import_bundle(
    file: Path, path: Path, platforms: Sequence[str] = DEFAULT_PLATFORMS, dry_run: bool = False
) -> BundleImport:
    """Parse ``file`` (never run it), write its valid modules in one transaction, then the bridges.

    A module with E-codes is refused and reported; the others are written through the store,
    all of them or (when a write fails) none.
    """
    from stato.adapters.gate import check_values
    from stato.adapters.store import Store
    from stato.core.compiler import compile_source
    from stato.core.diagnostics import make
    from stato.ops.convert import skill_paths
    from stato.ops.convert_merge import free_path
    from stato.ops.init import write_target
    from stato.ops.project import ensure_writable

    target = write_target(path)  # no project yet: made on the first write, as import does
    root = target.root
    bundle = parse_bundle(_read(file), file.name)
    if platforms:
        _bridges(root, platforms, check_only=True)
    store = Store(root)
    if not dry_run:  # a folder that refuses files fails the import whole, before any write
        ensure_writable(store.stato_dir, [e.rel for e in bundle.entries])
    skills = skill_paths(root)
    owners: dict[str, str] = {}  # skill path -> the name this run writes there
    named: dict[str, str] = {}  # skill name -> the bundle key that brought it
    modules: list[BundleModule] = []
    pending: dict[str, str] = {}  # path -> text this import writes
    planned: dict[str, bytes | None] = {}  # path -> its bytes when read (None: absent)
    for entry in bundle.entries:
        result = compile_source(entry.source, entry.rel, entry.module_type)
        if not result.valid:
            modules.append(BundleModule(entry.key, entry.rel, "refused", result))
            continue
        check_values([result], "import")  # a payload a field computes, as the commit's text gate
        name = result.fields.get("name")
        if entry.module_type == "skill" and isinstance(name, str):
            if name in named:  # two skills of one name would make the project invalid (E011)
                clash = make("E011", result.field_lines.get("name"), name=name, other=named[name])
                modules.append(
                    BundleModule(entry.key, entry.rel, "refused", result.with_diagnostics((clash,)))
                )
                continue
            named[name] = entry.key
            # The project's skill of that name is updated where it is; another skill's file is
            # never overwritten.
            rel = skills.get(name) or free_path(entry.rel, name, store, owners)
            owners[rel] = name
            entry = replace(entry, rel=rel)
        raw = store.current_bytes(entry.rel)
        old = None if raw is None else store.read(entry.rel)
        status = "created" if old is None else "updated"
        if old == result.corrected_source:
            status = "unchanged"
        if not dry_run and status != "unchanged":
            pending[entry.rel] = result.corrected_source
            planned[entry.rel] = raw
        modules.append(
            BundleModule(entry.key, entry.rel, f"would be {status}" if dry_run else status, result)
        )
    if pending:  # every taken module lands, or none does, with the lock entry recording them
        from stato.formats.lockfile import Package
        from stato.ops.lock import file_sha256, lock_state, relative_source
        from stato.ops.snapshot import created_now

        package = Package(
            "bundle",
            file.name,
            relative_source(root, file),
            created_now(),
            sha256=file_sha256(file),
        )
        target.create()
        state = lock_state(store.stato_dir, package, pending)
        store.commit(pending, expect=planned, state=state)
    bridges: tuple[str, ...] = ()
    note = ""
    taken = [m for m in modules if m.status != "refused"]
    if dry_run:
        note = "dry run: no bridge written"
    elif not platforms:
        note = "no platform chosen: no bridge written"
    elif not taken:
        note = "no module imported: no bridge written"
    else:
        bridges, note = _bridges(root, platforms, check_only=False)
    return BundleImport(
        str(file), str(root), dry_run, tuple(modules), bundle.problems, bridges, note
    )
