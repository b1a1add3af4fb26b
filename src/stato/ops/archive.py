"""Archive steps that bring modules in: import an archive, graft one module."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from stato.adapters.archive import read_archive
from stato.adapters.fs import NotAFile, not_a_file, read_file
from stato.adapters.resultcache import ResultCache
from stato.adapters.store import Store, module_arg
from stato.core.compiler import compile_source
from stato.core.diff import ModuleDiff
from stato.core.model import ValidationResult
from stato.errors import StatoError, UsageError
from stato.formats.lockfile import Package
from stato.formats.manifest import Manifest, check_module_path
from stato.formats.manifest_v0 import notes as archive_notes
from stato.ops.batch import compile_many
from stato.ops.conflicts import POLICIES, Planned, plan_writes
from stato.ops.init import write_target
from stato.ops.lock import file_sha256, new_lock, relative_source
from stato.ops.project import ensure_writable, find_root
from stato.ops.trust import SignatureCheck

WRITES = ("add", "replace", "rename")
MAX_PY_BYTES = 16 * 1024 * 1024


def read_module(store: Store, rel: str) -> str:
    """A module's exact text (line endings kept), so archives round-trip byte for byte."""
    data = read_file(store.path(rel))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise StatoError(f".stato/{rel} is not UTF-8 text; fix or exclude it") from None


@dataclass(frozen=True)
class ImportResult:
    """What an import did (or, with ``dry_run``, would do)."""

    archive: str
    name: str
    root: str
    on_conflict: str
    dry_run: bool
    actions: tuple[Planned, ...] = ()
    invalid: tuple[ValidationResult, ...] = ()
    written: tuple[str, ...] = ()
    backups: tuple[str, ...] = ()
    checksums: bool | None = True  # False: a 0.5 archive, none to verify; None: a .py file
    notes: tuple[str, ...] = ()  # what the user must know (an archive's integrity unchecked)
    signature: SignatureCheck | None = None
    warnings: tuple[str, ...] = ()  # an unreadable lock file, allowed-signers lines, ...
    updates: tuple[ModuleDiff, ...] = ()  # field-level changes of modules an update replaces
    declined: bool = False  # the update was shown and not accepted: nothing written

    @property
    def conflicts(self) -> list[Planned]:
        return [a for a in self.actions if a.action == "conflict"]

    @property
    def stopped(self) -> bool:
        """True when something kept the modules out: an invalid one, a conflict, an update
        not accepted (the command exits 1). Every module already there, or skipped by
        --on-conflict skip, is not a failure (exit 0)."""
        return bool(self.invalid or self.conflicts or self.declined)

    @property
    def ok(self) -> bool:
        """True when something was (or would be) written and nothing stopped it."""
        return not self.stopped and any(a.action in WRITES for a in self.actions)

    def to_dict(self) -> dict[str, Any]:
        return {
            "archive": self.archive,
            "name": self.name,
            "root": self.root,
            "on_conflict": self.on_conflict,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "actions": [a.to_dict() for a in self.actions],
            "invalid": [r.to_dict() for r in self.invalid],
            "written": list(self.written),
            "backups": list(self.backups),
            "checksums": self.checksums,
            "notes": list(self.notes),
            "signature": self.signature.to_dict() if self.signature else None,
            "warnings": list(self.warnings),
            "updates": [d.to_dict() for d in self.updates],
            "declined": self.declined,
        }


def check_policy(on_conflict: str) -> None:
    """Refuse an --on-conflict value no plan knows (before anything is read or downloaded)."""
    if on_conflict not in POLICIES:
        raise UsageError(f"--on-conflict {on_conflict!r} is not one of {', '.join(POLICIES)}")


def _started(
    source: Path | str,
    name: str,
    project: Path,
    on_conflict: str,
    dry_run: bool,
    manifest: Manifest | None,
    checked: SignatureCheck | None,
) -> ImportResult:
    """An import or graft of ``source`` before anything is planned: what its archive says."""
    return ImportResult(
        archive=str(source),
        name=name,
        root=str(project),
        on_conflict=on_conflict,
        dry_run=dry_run,
        checksums=manifest.checksums if manifest else None,
        notes=archive_notes(manifest, Path(source).name) if manifest else (),
        signature=checked,
        warnings=checked.warnings if checked else (),
    )


def _installed(store: Store, package: Package) -> tuple[set[str], set[str]]:
    """The modules an earlier install of ``package`` wrote: (unedited since, edited since)."""
    from stato.ops.lock import read_lock

    lock, _ = read_lock(store.stato_dir)
    found = lock.find(package.kind, package.name, package.source)
    if found is None:
        return set(), set()
    same = {p for p, sha in found.modules.items() if file_sha256(store.stato_dir / p) == sha}
    return same, set(found.modules) - same


def _update_diffs(
    store: Store, actions: list[Planned], to_write: Mapping[str, str]
) -> tuple[ModuleDiff, ...]:
    from stato.core.diff import diff_modules

    return tuple(
        diff_modules(read_module(store, a.dest), to_write[a.dest], a.dest)
        for a in actions
        if a.reason == "update" and a.action == "replace"
    )


def import_archive(
    root: Path | str,
    archive_path: Path | str,
    modules: tuple[str, ...] | list[str] | None = None,
    on_conflict: str = "ask",
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
    *,
    registry: str | None = None,
    package: Package | None = None,
    confirm: Callable[[tuple[ModuleDiff, ...]], bool] | None = None,
) -> ImportResult:
    """Check the signature, then every module (checksum, then compiler), plan conflicts, then
    write all or nothing, the lock file with them.

    ``registry`` picks that registry's signature policy; ``package`` is what the lock records
    (default: this archive file). An earlier install of the same registry package, unedited
    since, is updated in place: ``confirm`` sees each module's field-level changes first and
    may decline (nothing is written).
    """
    from stato.adapters.signing import load_policy
    from stato.ops.snapshot import created_now
    from stato.ops.trust import check_signature

    check_policy(on_conflict)
    target = write_target(root)
    project, fresh = target.root, target.fresh
    store = Store(project)
    archive = read_archive(archive_path)
    shown = Path(archive_path).name if package is None else package.label
    checked = check_signature(archive, load_policy(project, registry), shown)
    if package is None:
        package = Package(
            "archive",
            archive.manifest.name,
            relative_source(project, archive_path),
            created_now(),
            sha256=file_sha256(archive_path),
        )
    package = replace(package, signer=checked.signer)
    texts = dict(archive.modules)
    if modules:
        wanted = [module_arg(m) for m in modules]
        missing = [m for m in wanted if m not in texts]
        if missing:
            have = ", ".join(texts) or "none"
            raise StatoError(f"{missing[0]} is not in {Path(archive_path).name} (it holds: {have})")
        texts = {p: texts[p] for p in wanted}
    if not texts:
        raise StatoError(f"{Path(archive_path).name} holds no modules; nothing to import")
    types = {e.path: e.type for e in archive.manifest.modules}
    cache = ResultCache.for_project(project)  # the modules it keeps are the project's now
    results = compile_many(texts, types, progress, cache)
    cache.save()
    manifest = archive.manifest
    base = _started(archive_path, manifest.name, project, on_conflict, dry_run, manifest, checked)
    invalid = tuple(r for r in results.values() if not r.valid)
    if invalid:
        return replace(base, invalid=invalid)
    from stato.adapters.gate import check_values

    check_values(results.values(), "import")
    if fresh:
        if dry_run:  # nothing exists yet, so nothing can conflict; and nothing is created
            actions, _ = plan_writes(store, texts, results, on_conflict)
            return replace(base, actions=tuple(actions))
        target.create()  # importing into a new folder makes it a project
    with store.lock():  # taking it finishes any import a kill interrupted
        same, edited = _installed(store, package) if package.kind == "registry" else (set(), set())
        actions, to_write = plan_writes(store, texts, results, on_conflict, same, edited)
        bad = _recheck(actions, to_write, types)
        if bad:
            return replace(base, actions=tuple(actions), invalid=bad)
        updates = _update_diffs(store, actions, to_write)
        base = replace(base, updates=updates)
        if dry_run or any(a.action == "conflict" for a in actions) or not to_write:
            return replace(base, actions=tuple(actions))
        if updates and confirm is not None and not confirm(updates):
            return replace(base, actions=tuple(actions), declined=True)
        unchanged = {a.dest: texts[a.path] for a in actions if a.action == "unchanged"}
        state, lock_warnings = new_lock(store.stato_dir, package, {**unchanged, **to_write})
        base = replace(base, warnings=base.warnings + lock_warnings)
        files = {k: v for k, v in to_write.items() if k not in unchanged}
        ensure_writable(store.stato_dir, [*files, *state])  # all or nothing: refuse first
        done = store.commit(files, state=state)
    return replace(
        base,
        actions=tuple(actions),
        written=done.written,
        backups=tuple(str(done.backups[r]) for r in sorted(done.backups)),
    )


def _recheck(
    actions: list[Planned], to_write: dict[str, str], types: Mapping[str, str | None]
) -> tuple[ValidationResult, ...]:
    """Renamed texts were edited (a new skill name); they must still compile clean."""
    out = []
    for a in actions:
        if a.action == "rename":
            r = compile_source(to_write[a.dest], a.dest, types.get(a.path))
            if not r.valid:
                out.append(r)
    return tuple(out)


def _graft_source(
    source: Path, module: str | None, project: Path
) -> tuple[str, str, str | None, Manifest | None, Package, SignatureCheck | None]:
    """(path in .stato/, text, expected type, the archive's manifest, lock entry, signature)
    of the module a graft adds."""
    from stato.ops.snapshot import created_now

    where = relative_source(project, source)
    if source.suffix == ".py":
        try:
            if source.stat().st_size > MAX_PY_BYTES:
                raise StatoError(f"{source} is larger than any module should be; refusing it")
            text = read_file(source).decode("utf-8")
        except FileNotFoundError:
            raise StatoError(f"no file at {source}; check the path") from None
        except NotAFile:
            raise StatoError(not_a_file(source, "give a module file or a .stato archive")) from None
        except UnicodeDecodeError:
            raise StatoError(f"{source} is not UTF-8 text") from None
        kind = compile_source(text, source.name).module_type
        default = f"skills/{source.name}" if kind in (None, "skill") else f"{kind}.py"
        dest = module_arg(module) if module else default
        problem = check_module_path(dest)
        if problem:
            how = "give a path inside .stato/" if module else "name it with --module skills/NAME"
            raise UsageError(f"cannot graft to {dest}: {problem}; {how}")
        package = Package("file", source.name, where, created_now(), sha256=file_sha256(source))
        return dest, text, None, None, package, None
    from stato.adapters.signing import load_policy
    from stato.ops.trust import check_signature

    archive = read_archive(source)
    checked = check_signature(archive, load_policy(project), source.name)
    if module is None:
        if len(archive.modules) != 1:
            listing = ", ".join(archive.modules) or "none"
            raise UsageError(
                f"{source.name} holds several modules; pick one with --module ({listing})"
            )
        module = next(iter(archive.modules))
    rel = module_arg(module)
    if rel not in archive.modules:
        raise StatoError(f"{rel} is not in {source.name} (it holds: {', '.join(archive.modules)})")
    entry = archive.manifest.entry(rel)
    package = Package(
        "archive",
        archive.manifest.name,
        where,
        created_now(),
        sha256=file_sha256(source),
        signer=checked.signer,
    )
    kind = entry.type if entry else None
    return rel, archive.modules[rel], kind, archive.manifest, package, checked


def graft(
    root: Path | str,
    source: Path | str,
    module: str | None = None,
    on_conflict: str = "ask",
    dry_run: bool = False,
) -> ImportResult:
    """Add one module from an archive or a .py file, through the compiler and the store's gate."""
    check_policy(on_conflict)
    project = find_root(root)
    store = Store(project)
    rel, text, kind, manifest, package, checked = _graft_source(Path(source), module, project)
    result = compile_source(text, rel, kind)
    base = _started(source, Path(source).stem, project, on_conflict, dry_run, manifest, checked)
    if not result.valid:
        return replace(base, invalid=(result,))
    from stato.adapters.gate import check_values

    check_values([result], "graft")
    # Planned and written under one hold of the lock: a module another command writes
    # meanwhile is seen by the plan (a conflict to ask about, never an "add" over it).
    # A dry run takes no lock (taking it would finish an interrupted import: a write).
    with contextlib.nullcontext() if dry_run else store.lock():
        actions, to_write = plan_writes(store, {rel: text}, {rel: result}, on_conflict)
        bad = _recheck(actions, to_write, {rel: kind})
        if dry_run or bad or not to_write or actions[0].action == "conflict":
            return replace(base, actions=tuple(actions), invalid=bad)
        ((dest, new_text),) = to_write.items()
        final = compile_source(new_text, dest, kind)  # the gate: what lands is what compiled
        if not final.valid:
            return replace(base, actions=tuple(actions), invalid=(final,))
        # The module and the lock entry that records where it came from land together.
        files = {dest: final.corrected_source}
        state, warnings = new_lock(store.stato_dir, package, files)
        ensure_writable(store.stato_dir, [*files, *state])
        done = store.commit(files, state=state)
    return replace(
        base,
        actions=tuple(actions),
        written=(dest,),
        backups=tuple(str(b) for b in done.backups.values()),
        warnings=base.warnings + warnings,
    )
