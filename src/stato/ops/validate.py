"""`stato validate`: compile files or folders, apply suppressions and --strict, write auto-fixes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from stato.adapters.fs import not_a_file, read_file
from stato.adapters.resultcache import ResultCache
from stato.adapters.store import SKIP_DIRS, STATO_DIR
from stato.core.compiler import compile_source
from stato.core.diagnostics import BY_CODE, Diagnostic
from stato.core.model import ValidationResult
from stato.core.project_checks import Named, clashes, named
from stato.errors import StatoError, UsageError
from stato.ops.batch import CHUNK, compile_jobs, counter
from stato.ops.project import LOCATION_TYPES, location_type


@dataclass(frozen=True, slots=True)
class Checked:
    """One validated file as the report shows it. Small on purpose: validate keeps one per
    module until it reports (the cross-module checks need them all), never a text or a tree."""

    display: str
    module_type: str | None
    class_name: str | None
    diagnostics: tuple[Diagnostic, ...]
    valid: bool
    written: bool = False
    backup: Path | None = None

    def to_dict(self) -> dict[str, object]:
        diags = [d.to_dict() for d in self.diagnostics]
        if not self.written:  # "fixed" means the fix is on disk, not only possible
            for diag in diags:
                diag["fixed"] = False
        return {
            "path": self.display,
            "type": self.module_type,
            "class_name": self.class_name,
            "valid": self.valid,
            "diagnostics": diags,
        }


@dataclass(frozen=True)
class ValidateReport:
    modules: tuple[Checked, ...]

    @property
    def valid(self) -> bool:
        return all(m.valid for m in self.modules)

    def to_dict(self) -> dict[str, object]:
        return {"valid": self.valid, "modules": [m.to_dict() for m in self.modules]}


def collect(paths: list[Path]) -> list[tuple[str, str]]:
    """Module files under the given files/folders, with the name to show for each.

    Plain strings, not Path objects: validate keeps this list for every module it checks.
    """
    out: list[tuple[str, str]] = []
    for given in paths:
        if given.is_dir() and (given / STATO_DIR).is_dir():
            given = given / STATO_DIR  # a project folder: its modules, not its other Python files
        if given.is_file():
            out.append((str(given), given.as_posix()))
        elif given.is_dir():
            out.extend(sorted(_py_files(str(given)), key=lambda pair: pair[0]))
        else:
            raise StatoError(not_a_file(given, "give a module file or a folder such as .stato/"))
    return out


def _py_files(top: str) -> Iterator[tuple[str, str]]:
    """(file, shown) for every entry named *.py under ``top``, as ``Path.rglob("*.py")``
    finds them (links to folders are not entered), but folders that hold no modules (history,
    prompts, hidden ones) are not entered either, and no Path object is made: rglob keeps a
    set of every path it yielded, which grew by about 1 MB per 1,000 modules."""
    skip = 2 if top == "." else 0  # Path(".") / "x.py" is "x.py", not "./x.py"
    for folder, dirs, files in os.walk(top):
        for name in dirs + files:  # a folder named x.py too: rglob yields it, reading it fails
            if os.path.normcase(name).endswith(".py"):  # any case on Windows, as rglob
                file = os.path.join(folder, name)[skip:]
                yield file, file if os.sep == "/" else file.replace(os.sep, "/")
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and (d == STATO_DIR or d[0] != ".")]


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


@dataclass(frozen=True)
class _Rules:
    """How this run judges a module: the type it expects, the codes it hides, and --strict."""

    expected_type: str | None
    hidden: set[str]
    strict: bool

    def judged(self, c: Checked) -> Checked:
        """``c`` without the hidden codes, valid unless an error (or, with --strict, a warning)
        is left."""
        kept = c.diagnostics
        if self.hidden:
            kept = tuple(d for d in kept if d.code not in self.hidden)
        return replace(c, diagnostics=kept, valid=not any(self.fails(d) for d in kept))

    def type_of(self, file: str) -> str | None:
        """The type ``file`` is compiled as: --type, else the one its place in a project
        demands (.stato/plan.py is the plan), else None (inferred)."""
        if self.expected_type or os.path.basename(file) not in LOCATION_TYPES:
            return self.expected_type  # one dict look-up per module: no resolve() for most
        located = _project_of(Path(file))
        return location_type(located[1]) if located else None

    def fails(self, d: Diagnostic) -> bool:
        return d.severity == "error" or (self.strict and d.severity == "warning")

    def fixable(self, result: ValidationResult) -> bool:
        """Auto-fixes apply and no error is left once the hidden codes are taken out."""
        return result.changed and not any(
            d.severity == "error" and d.code not in self.hidden for d in result.diagnostics
        )

    def recompiled(self, c: Checked, now: bytes) -> tuple[Checked, str | None]:
        """A file that changed since it was compiled, compiled again: its report, and its
        corrected text when that is still a fix to write."""
        r = compile_source(now, c.display, self.type_of(c.display))
        fresh = self.judged(Checked(c.display, r.module_type, r.class_name, r.diagnostics, True))
        return fresh, (r.corrected_source if self.fixable(r) else None)


@dataclass(frozen=True)
class _Fix:
    """A module whose auto-fixes validate may write: the digest of the bytes it compiled (the
    write compiles again if the file holds other bytes by then) and the corrected text."""

    at: int  # its place in the report
    file: Path
    digest: bytes
    corrected: str


def validate_paths(
    paths: list[Path],
    *,
    expected_type: str | None = None,
    check: bool = False,
    strict: bool = False,
    suppress: tuple[str, ...] = (),
    progress: Callable[[int, int], None] | None = None,
) -> ValidateReport:
    """Compile every module, then the project checks across them, then write the fixes.

    Modules are read and compiled a chunk at a time, and each result is reduced at once to
    what the report and the cross-module checks need: memory stays flat in the number of
    modules, with no text kept but the corrected text of a module that has fixes to write.
    """
    unknown = [c for c in suppress if c.upper() not in BY_CODE]
    if unknown:
        raise UsageError(
            f"unknown diagnostic code for --suppress: {', '.join(unknown)} "
            "(see docs/error-codes.md)"
        )
    hard = [c for c in suppress if BY_CODE[c.upper()].severity == "error"]
    if hard:
        # error-codes.txt: hard errors block the write; hiding one would pass the module and
        # let its fixes be written. Warnings and advice may be hidden.
        raise UsageError(
            f"--suppress {', '.join(hard)}: E-codes are hard errors and cannot be suppressed "
            "(fix the module; only W- and I-codes can be hidden)"
        )
    rules = _Rules(expected_type, {c.upper() for c in suppress}, strict)
    files = collect(paths)
    cache = _cache_for(paths)
    tick = counter(progress, len(files))
    checked: list[Checked] = []
    skills: list[Named] = []  # only modules with a skill name can clash
    skill_at: list[int] = []
    pending: list[_Fix] = []
    while files:
        part = files[:CHUNK]
        del files[:CHUNK]  # what was compiled is not kept twice
        jobs = [(shown, read_file(file), rules.type_of(file)) for file, shown in part]
        for (file, shown), (_, raw, _), result in zip(
            part, jobs, compile_jobs(jobs, tick, cache), strict=True
        ):
            mine = named(result)
            if mine[1] is not None:
                skills.append(mine)
                skill_at.append(len(checked))
            if not check and rules.fixable(result):
                digest = hashlib.sha256(raw).digest()
                pending.append(_Fix(len(checked), Path(file), digest, result.corrected_source))
            found = Checked(shown, result.module_type, result.class_name, result.diagnostics, True)
            checked.append(rules.judged(found))
    if cache is not None:
        cache.save()
    for k, extra in clashes(skills).items():
        c = checked[skill_at[k]]
        checked[skill_at[k]] = rules.judged(replace(c, diagnostics=c.diagnostics + tuple(extra)))
    del skills, skill_at
    fixes = [f for f in pending if not _has_error(checked[f.at])]  # E011 keeps a fix unwritten
    _check_writable([f.file for f in fixes])  # all fixes or none: refuse before the first
    written = _write_fixes(fixes, checked, rules)
    for f in fixes:
        checked[f.at] = written[f.file]
    return ValidateReport(tuple(checked))


def _has_error(c: Checked) -> bool:
    return any(d.severity == "error" for d in c.diagnostics)


def _write_fixes(fixes: list[_Fix], checked: list[Checked], rules: _Rules) -> dict[Path, Checked]:
    """Write each fix; a project's fixes in one transaction, from text read under its lock.

    A file that changed since it was compiled (a `lesson add` that finished meanwhile, an
    interrupted import the lock finished) is compiled again from its new text: the fix written
    is always computed from what the file holds at the moment of writing.
    """
    from stato.adapters.store import Store

    out: dict[Path, Checked] = {}
    by_project: dict[Path, list[tuple[_Fix, str]]] = {}
    for f in fixes:
        located = _project_of(f.file)
        if located is None:
            out[f.file] = _write_loose_fix(f, checked[f.at], rules)
        else:
            by_project.setdefault(located[0], []).append((f, located[1]))
    for root, items in by_project.items():
        store = Store(root)
        with store.lock():
            files: dict[str, str] = {}
            fresh: dict[str, tuple[Path, Checked]] = {}
            for f, rel in items:
                c = checked[f.at]
                corrected: str | None = f.corrected
                now = store.current_bytes(rel)
                if now is not None and hashlib.sha256(now).digest() != f.digest:
                    c, corrected = rules.recompiled(c, now)
                fresh[rel] = (f.file, c)
                if now is not None and corrected is not None:
                    files[rel] = corrected
            done = store.commit(files)
        for rel, (file, c) in fresh.items():
            wrote = rel in done.written
            out[file] = replace(c, written=wrote, backup=done.backups.get(rel) if wrote else None)
    return out


def _write_loose_fix(f: _Fix, c: Checked, rules: _Rules) -> Checked:
    """A fix to a file outside any project: its previous text goes to a fresh X.py.bak beside it."""
    from stato.adapters.fs import fresh_name, write_atomic  # only when writing: --check stays light

    now = f.file.read_bytes()
    corrected: str | None = f.corrected
    if hashlib.sha256(now).digest() != f.digest:  # changed since it was compiled: fix what it holds
        c, corrected = rules.recompiled(c, now)
    if corrected is None:
        return c
    # Never over an older backup: X.py.bak, else X.py.bak.1, X.py.bak.2, ...
    backup = fresh_name(f.file.with_name(f.file.name + ".bak"))
    write_atomic(backup, now)
    write_atomic(f.file, corrected)
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
