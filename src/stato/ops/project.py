"""Finding a project and loading every module in it through the compiler."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from stato.errors import ProjectNotFound

if TYPE_CHECKING:
    from stato.adapters.resultcache import ResultCache
    from stato.core.model import ValidationResult
    from stato.core.privacy import Finding

# Equal to stato.adapters.store.STATO_DIR; not imported from there because the store loads the
# compiler, and finding a project must stay cheap for the hook path (`stato resume --brief`).
STATO_DIR = ".stato"
# Where a module lives says what it is (module-format.txt, "File Location"): every command
# reads plan.py as the plan, memory.py as the memory and context.py as the context, so each is
# compiled as that type (a skill class in plan.py is E003 there, as `stato write` says).
LOCATION_TYPES = {"plan.py": "plan", "memory.py": "memory", "context.py": "context"}


def location_type(rel: str) -> str | None:
    """The type a module path relative to .stato/ must have; None where any type may live."""
    return LOCATION_TYPES.get(rel)


def find_root(path: Path | str | None = None, *, walk_up: bool = True) -> Path:
    """The folder holding .stato/: ``path`` itself or (by default) its nearest parent with one."""
    start = resolved(Path(path or "."))
    if start.name == STATO_DIR and start.is_dir():
        return start.parent
    candidates = [start, *start.parents] if walk_up else [start]
    for folder in candidates:
        if (folder / STATO_DIR).is_dir():
            return folder
    for folder in candidates:
        if (folder / STATO_DIR).exists():
            raise ProjectNotFound(not_a_folder(folder / STATO_DIR))
    raise ProjectNotFound(
        f"no {STATO_DIR}/ project in {start} (run `stato init` there to create one)"
    )


def resolved(path: Path) -> Path:
    """``path`` made absolute with links followed; a link loop is a clear error, not a crash."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):  # Python < 3.13 raises RuntimeError for a loop, later OSError
        raise ProjectNotFound(
            f"{path} is a symbolic link loop; give --path a real folder"
        ) from None


def not_a_folder(stato: Path) -> str:
    """The message for a .stato that is a file (or a broken link), not the project folder."""
    return f"{stato} is not a folder; move it away, then run `stato init` there"


@dataclass(frozen=True)
class Project:
    """Every module of a project, compiled; the views pick the valid ones."""

    root: Path
    modules: list[ValidationResult] = field(default_factory=list)

    @property
    def skills(self) -> list[ValidationResult]:
        return [m for m in self.modules if m.module_type == "skill" and m.valid]

    @property
    def invalid(self) -> list[ValidationResult]:
        return [m for m in self.modules if not m.valid]


def load_project(root: Path, cache: ResultCache | None = None) -> Project:
    """Compile every module under .stato/ (nothing is run), then the project-level checks.

    Texts compiled before come from the project's result cache (see adapters.resultcache); a
    ``cache`` the caller gives is left for the caller to save, after its own entries.
    """
    from stato.adapters.resultcache import ResultCache
    from stato.core.project_checks import check_project

    own = cache is None
    cache = ResultCache.for_project(root) if cache is None else cache
    results = [r for chunk in compiled_chunks(root, cache) for r in chunk]
    if own:
        cache.save()
    return Project(root, check_project(results))


def compiled_chunks(root: Path, cache: ResultCache) -> Iterator[list[ValidationResult]]:
    """Every module under .stato/ compiled, a chunk at a time in path order, without the
    project-level checks (which need them all): a caller that keeps only a little of each
    result stays flat in memory. An unreadable file is that file's E001."""
    from stato.adapters.fs import read_file
    from stato.adapters.store import Store
    from stato.core.diagnostics import make
    from stato.core.model import ValidationResult
    from stato.ops.batch import CHUNK, Job, compile_jobs

    store = Store(root)
    store.recover()  # one stat when nothing is pending
    paths = store.module_paths()
    # The store's own listing, each path relative and inside .stato/ (no check_rel per file)
    base = str(store.stato_dir) + os.sep
    for start in range(0, len(paths), CHUNK):
        part = paths[start : start + CHUNK]
        jobs: list[Job] = []
        unreadable: dict[str, ValidationResult] = {}
        for rel in part:
            try:
                jobs.append((rel, read_file(base + rel), LOCATION_TYPES.get(rel)))
            except OSError as exc:  # unreadable: its E001; the rest of the project still loads
                diag = make("E001", None, details=f"cannot read the file ({exc.strerror})")
                unreadable[rel] = ValidationResult(rel, "", "", None, None, diagnostics=(diag,))
        compiled = {r.path: r for r in compile_jobs(jobs, cache=cache)}
        yield [compiled.get(rel) or unreadable[rel] for rel in part]


def withheld(
    modules: Iterable[ValidationResult], cache: ResultCache | None = None
) -> dict[str, tuple[Finding, ...]]:
    """The valid modules no agent may read (a high injection finding in the text, or in the
    values its fields compute: ``gated``), with their findings; the caller saves ``cache``."""
    valid = {m.path: m for m in modules if m.valid}
    return gated(((m.path, m.source) for m in valid.values()), cache, results=valid)


def gated(
    texts: Iterable[tuple[str, str]],
    cache: ResultCache | None = None,
    accept: Collection[str] = (),
    results: Mapping[str, ValidationResult] | None = None,
) -> dict[str, tuple[Finding, ...]]:
    """Of (path, text) pairs, those the inbound gate stops, with the findings: a high injection
    finding whose rule ``accept`` does not name, in the text (``core.gate.withheld``) or, given
    ``results`` (each path's compile result), in the values its fields compute.

    A text ``cache`` found free of them before is not scanned again (a verdict only: a text with
    a finding is scanned every time), so an unchanged project loads no scanner; the texts found
    free are recorded there unless a rule was accepted (an accepted finding is still a finding).
    A verdict on a text alone never answers for its values. The caller saves ``cache``.
    """
    values = results is not None
    unknown = [
        (path, text)
        for path, text in texts
        if cache is None or not cache.no_high(text, values=values)
    ]
    if not unknown:
        return {}
    from stato.core.gate import value_findings
    from stato.core.gate import withheld as scan

    held = scan(unknown, accept)
    for path, _ in unknown:
        result = None if results is None or path in held else results.get(path)
        found = () if result is None else value_findings(result, accept)
        if found:
            held[path] = found
    if cache is not None and not accept:
        for path, text in unknown:
            if path not in held and path.endswith(".py"):
                cache.put_no_high(text, values=values)
    return held


def ensure_writable(stato_dir: Path, rels: Iterable[str]) -> None:
    """Refuse before anything is written when a folder these files (or their backups) go to
    does not take new files, so a write of several files fails whole, not half-way."""
    import tempfile

    from stato.errors import StatoError

    folders = {stato_dir, stato_dir / ".history"}
    parents = {rel.rpartition("/")[0] for rel in rels}  # thousands of modules, a few folders
    for parent in parents:
        for base in (stato_dir, stato_dir / ".history"):
            folder = base / parent if parent else base
            while not folder.is_dir() and folder != stato_dir:  # made on write: its parent takes it
                folder = folder.parent
            folders.add(folder)
    for folder in sorted(f for f in folders if f.is_dir()):
        try:
            fd, probe = tempfile.mkstemp(prefix=".probe-", dir=folder)
        except OSError as exc:
            raise StatoError(
                f"cannot write in {folder} ({exc.strerror or exc}); nothing was changed "
                "(check its permissions)"
            ) from None
        os.close(fd)
        os.unlink(probe)
