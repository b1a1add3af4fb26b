"""`stato validate`: compile files or folders, apply suppressions and --strict, write auto-fixes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from stato.adapters.fs import not_a_file, read_file
from stato.adapters.resultcache import ResultCache
from stato.adapters.store import SKIP_DIRS, STATO_DIR
from stato.core.compiler import compile_source
from stato.core.diagnostics import BY_CODE, Diagnostic
from stato.core.model import ValidationResult
from stato.core.project_checks import check_project
from stato.errors import StatoError, UsageError
from stato.ops.batch import compile_jobs, counter


@dataclass(frozen=True)
class Checked:
    """One validated file: its result, where it is, and whether its fixes were written."""

    file: Path
    display: str
    result: ValidationResult
    valid: bool
    written: bool = False
    backup: Path | None = None


@dataclass(frozen=True)
class ValidateReport:
    modules: tuple[Checked, ...]

    @property
    def valid(self) -> bool:
        return all(m.valid for m in self.modules)

    def to_dict(self) -> dict[str, object]:
        mods = []
        for m in self.modules:
            d = m.result.to_dict()
            if not m.written:  # "fixed" means the fix is on disk, not only possible
                for diag in d["diagnostics"]:
                    diag["fixed"] = False
            d["path"] = m.display
            d["valid"] = m.valid
            mods.append(d)
        return {"valid": self.valid, "modules": mods}


def collect(paths: list[Path]) -> list[tuple[Path, str]]:
    """Module files under the given files/folders, with the name to show for each."""
    out: list[tuple[Path, str]] = []
    for given in paths:
        if given.is_dir() and (given / STATO_DIR).is_dir():
            given = given / STATO_DIR  # a project folder: its modules, not its other Python files
        if given.is_file():
            out.append((given, given.as_posix()))
        elif given.is_dir():
            for f in sorted(given.rglob("*.py"), key=str):
                rel = f.relative_to(given)
                if any(
                    p in SKIP_DIRS or (p.startswith(".") and p != STATO_DIR) for p in rel.parts[:-1]
                ):
                    continue
                out.append((f, (given / rel).as_posix()))
        else:
            raise StatoError(not_a_file(given, "give a module file or a folder such as .stato/"))
    return out


def _project_of(file: Path) -> tuple[Path, str] | None:
    """(project root, module path relative to .stato/) when ``file`` lives in a .stato/ folder."""
    resolved = file.resolve()
    for parent in resolved.parents:
        if parent.name == STATO_DIR:
            return parent.parent, resolved.relative_to(parent).as_posix()
    return None


def _cache_for(paths: list[Path]) -> ResultCache | None:
    """The result cache of the one project every given path lies in (None for loose files)."""
    roots = set()
    for given in paths:
        resolved = given.resolve()
        if resolved.name == STATO_DIR and resolved.is_dir():
            roots.add(resolved.parent)
            continue
        located = _project_of(given)
        if located is None:
            return None
        roots.add(located[0])
    return ResultCache.for_project(roots.pop()) if len(roots) == 1 else None


def validate_paths(
    paths: list[Path],
    *,
    expected_type: str | None = None,
    check: bool = False,
    strict: bool = False,
    suppress: tuple[str, ...] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ValidateReport:
    unknown = [c for c in suppress if c.upper() not in BY_CODE]
    if unknown:
        raise UsageError(
            f"unknown diagnostic code for --suppress: {', '.join(unknown)} "
            "(see docs/error-codes.md)"
        )
    hidden = {c.upper() for c in suppress}
    files = collect(paths)
    jobs = [(shown, read_file(f), expected_type) for f, shown in files]
    cache = _cache_for(paths)
    results = check_project(compile_jobs(jobs, counter(progress, len(jobs)), cache))
    if cache is not None:
        cache.save()
    checked = [
        _checked(file, shown, result, hidden, strict)
        for (file, shown), result in zip(files, results, strict=False)
    ]
    fixes = [i for i, c in enumerate(checked) if c.result.changed and c.result.valid and not check]
    _check_writable([checked[i].file for i in fixes])  # all fixes or none: refuse before the first
    read = {checked[i].file: jobs[i][1] for i in fixes}
    written = _write_fixes([checked[i] for i in fixes], read, expected_type, hidden, strict)
    for i in fixes:
        checked[i] = written[checked[i].file]
    return ValidateReport(tuple(checked))


def _checked(
    file: Path, shown: str, result: ValidationResult, hidden: set[str], strict: bool
) -> Checked:
    kept = result.diagnostics
    if hidden:
        kept = tuple(d for d in kept if d.code not in hidden)
        result = replace(result, diagnostics=kept)
    return Checked(file, shown, result, not any(_fails(d, strict) for d in kept))


def _write_fixes(
    fixes: list[Checked],
    read: dict[Path, bytes],
    expected_type: str | None,
    hidden: set[str],
    strict: bool,
) -> dict[Path, Checked]:
    """Write each fix; a project's fixes in one transaction, from text read under its lock.

    A file that changed since it was compiled (a `lesson add` that finished meanwhile, an
    interrupted import the lock finished) is compiled again from its new text: the fix written
    is always computed from what the file holds at the moment of writing.
    """
    from stato.adapters.store import Store

    out: dict[Path, Checked] = {}
    by_project: dict[Path, list[tuple[Checked, str]]] = {}
    for c in fixes:
        located = _project_of(c.file)
        if located is None:
            out[c.file] = _write_loose_fix(c, read[c.file], expected_type, hidden, strict)
        else:
            by_project.setdefault(located[0], []).append((c, located[1]))
    for root, items in by_project.items():
        store = Store(root)
        with store.lock():
            files: dict[str, str] = {}
            fresh: dict[str, Checked] = {}
            for c, rel in items:
                now = store.current_bytes(rel)
                if now is not None and now != read[c.file]:  # changed since: compile again
                    c = _checked(
                        c.file,
                        c.display,
                        compile_source(now, c.display, expected_type),
                        hidden,
                        strict,
                    )
                fresh[rel] = c
                if now is not None and c.result.changed and c.result.valid:
                    files[rel] = c.result.corrected_source
            done = store.commit(files)
        for rel, c in fresh.items():
            wrote = rel in done.written
            out[c.file] = replace(c, written=wrote, backup=done.backups.get(rel) if wrote else None)
    return out


def _write_loose_fix(
    c: Checked, read: bytes, expected_type: str | None, hidden: set[str], strict: bool
) -> Checked:
    """A fix to a file outside any project: its previous text goes to a fresh X.py.bak beside it."""
    from stato.adapters.fs import fresh_name, write_atomic  # only when writing: --check stays light

    now = c.file.read_bytes()
    if now != read:  # changed since it was compiled: fix what it holds now
        c = _checked(
            c.file, c.display, compile_source(now, c.display, expected_type), hidden, strict
        )
        if not (c.result.changed and c.result.valid):
            return c
    # Never over an older backup: X.py.bak, else X.py.bak.1, X.py.bak.2, ...
    backup = fresh_name(c.file.with_name(c.file.name + ".bak"))
    write_atomic(backup, now)
    write_atomic(c.file, c.result.corrected_source)
    return replace(c, written=True, backup=backup)


def _check_writable(files: list[Path]) -> None:
    """Fail before any fix is written when a folder a fix (or its backup) goes to refuses files."""
    from stato.ops.project import ensure_writable

    by_folder: dict[Path, list[str]] = {}
    for file in files:
        located = _project_of(file)
        folder, rel = (located[0] / ".stato", located[1]) if located else (file.parent, file.name)
        by_folder.setdefault(folder, []).append(rel)
    for folder, rels in by_folder.items():
        ensure_writable(folder, rels)


def _fails(d: Diagnostic, strict: bool) -> bool:
    return d.severity == "error" or (strict and d.severity == "warning")
