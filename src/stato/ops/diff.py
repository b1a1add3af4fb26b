"""What `stato diff` compares (a module and its backup, two files, two archives), diffed."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.fs import NotAFile, not_a_file, read_file
from stato.core.diff import ModuleDiff, SetDiff, diff_modules, diff_sets
from stato.errors import StatoError, UsageError


@dataclass(frozen=True)
class DiffReport:
    """Two things compared: ``kind`` is "backup", "modules" or "archives"; old first."""

    kind: str
    old: str
    new: str
    diff: SetDiff
    notes: tuple[str, ...] = ()  # what the user must know about an archive (0.5: no checksums)

    @property
    def same(self) -> bool:
        return self.diff.same

    def to_dict(self, brief: bool = False) -> dict[str, Any]:
        """The report as JSON data; ``brief`` leaves out the old and new values."""
        from stato.core.merge_values import plain

        data = {
            "kind": self.kind,
            "old": self.old,
            "new": self.new,
            "same": self.same,
            "notes": list(self.notes),
        }
        body = self.diff.to_dict()
        for module in body["changed"]:
            for change in module["changes"]:
                if brief:
                    del change["old"], change["new"]
                else:
                    change["old"], change["new"] = plain(change["old"]), plain(change["new"])
        return {**data, **body}


def is_archive(path: Path) -> bool:
    """A .stato file, or any zip (inspecting the magic bytes only, never extracting)."""
    return path.suffix == ".stato" or (path.is_file() and zipfile.is_zipfile(path))


def _module_text(path: Path) -> str:
    from stato.core.source import decode

    try:
        data = read_file(path)
    except FileNotFoundError:
        raise StatoError(f"no file at {path}; check the path") from None
    except (IsADirectoryError, NotAFile):
        raise UsageError(not_a_file(path, "give a module file or a .stato archive")) from None
    text, problem = decode(data)
    if text is None:
        raise StatoError(f"{path} is not a module: {problem}")
    return text


def _against_backup(target: Path, project: Path | None) -> DiffReport:
    from stato.adapters.store import STATO_DIR, Store, check_rel
    from stato.ops.project import find_root

    if target.is_file():
        root = find_root(project or target.resolve().parent)
        try:
            rel = target.resolve().relative_to((root / STATO_DIR).resolve()).as_posix()
        except ValueError:
            raise UsageError(
                f"{target} is not a module of {root / STATO_DIR}; to compare two files give both"
            ) from None
    else:
        root = find_root(project)
        rel = target.as_posix()
        rel = rel[len(STATO_DIR) + 1 :] if rel.startswith(STATO_DIR + "/") else rel
    store = Store(root)
    rel = check_rel(rel)
    if not store.exists(rel):
        raise StatoError(f"no module {rel} in {store.stato_dir}; check the path")
    backups = store.history(rel)
    if not backups:
        raise StatoError(
            f"{rel} has no backup in .stato/.history/ yet; there is nothing to compare"
        )
    last = backups[-1]
    old = _module_text(last)
    diff = diff_modules(old, store.read(rel), rel)
    label = last.relative_to(store.stato_dir).as_posix()
    return DiffReport("backup", label, rel, _as_set(rel, diff))


def _as_set(path: str, diff: ModuleDiff) -> SetDiff:
    return SetDiff(unchanged=(path,)) if diff.same else SetDiff(changed=(diff,))


def diff_paths(a: Path, b: Path | None = None, project: Path | None = None) -> DiffReport:
    """Diff one module against its last backup, two module files, or two archives."""
    if b is None:
        if is_archive(a):
            raise UsageError(f"{a} is an archive; give a second archive to compare it with")
        return _against_backup(a, project)
    if is_archive(a) != is_archive(b):
        raise UsageError("compare two module files or two .stato archives, not one of each")
    if is_archive(a):
        from stato.adapters.archive import read_archive
        from stato.formats.manifest_v0 import notes

        old_arch, new_arch = read_archive(a), read_archive(b)
        said = notes(old_arch.manifest, a.name) + notes(new_arch.manifest, b.name)
        changes = diff_sets(old_arch.modules, new_arch.modules)
        return DiffReport("archives", str(a), str(b), changes, said)
    a, b = _in_project(a, project), _in_project(b, project)
    old = _module_text(a)
    diff = diff_modules(old, _module_text(b), str(b))
    return DiffReport("modules", str(a), str(b), _as_set(str(b), diff))


def _in_project(path: Path, project: Path | None) -> Path:
    """``path`` as given; else, for a relative path with nothing there, the module of that
    path in the project's .stato/ (`stato diff skills/qc_v1.py skills/qc_v2.py`, as the
    one-argument form takes it)."""
    import os

    from stato.adapters.store import STATO_DIR
    from stato.ops.project import find_root

    if path.is_absolute() or os.path.lexists(path):
        return path
    try:
        root = find_root(project)
    except StatoError:  # no project here: the path stays as given ("no file at ...")
        return path
    rel = path.as_posix()
    rel = rel[len(STATO_DIR) + 1 :] if rel.startswith(STATO_DIR + "/") else rel
    inside = root / STATO_DIR / rel
    return inside if os.path.lexists(inside) else path
