"""`stato validate`: compile files or folders, apply suppressions and --strict, write auto-fixes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from stato.adapters.fs import not_a_file, read_file
from stato.adapters.resultcache import ResultCache
from stato.adapters.store import SKIP_DIRS, STATO_DIR
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
    checked: list[Checked] = []
    for (file, shown), result in zip(files, results, strict=False):
        kept = result.diagnostics
        if hidden:
            kept = tuple(d for d in kept if d.code not in hidden)
            result = replace(result, diagnostics=kept)
        valid = not any(_fails(d, strict) for d in kept)
        checked.append(Checked(file, shown, result, valid))
    fixes = [i for i, c in enumerate(checked) if c.result.changed and c.result.valid and not check]
    _check_writable([checked[i].file for i in fixes])  # all fixes or none: refuse before the first
    for i in fixes:
        c = checked[i]
        checked[i] = replace(c, written=True, backup=_write_fix(c.file, c.result))
    return ValidateReport(tuple(checked))


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


def _write_fix(file: Path, result: ValidationResult) -> Path | None:
    """Write the auto-corrected source, the previous text backed up first."""
    from stato.adapters.fs import write_atomic  # only when writing: --check stays light
    from stato.adapters.store import Store

    located = _project_of(file)
    if located is not None:
        root, rel = located
        return Store(root).write_raw(rel, result.corrected_source)
    # Outside a project there is no .history/: keep the previous text beside the file.
    backup = file.with_name(file.name + ".bak")
    write_atomic(backup, file.read_bytes())
    write_atomic(file, result.corrected_source)
    return backup
