"""Creating a project: the .stato/ folders, a .statoignore template, and the bundled example."""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from stato.adapters.fs import write_atomic
from stato.adapters.store import STATO_DIR, Store, format_errors
from stato.confine import check_within
from stato.core.compiler import compile_source
from stato.errors import ModuleInvalid, ProjectNotFound, StatoError
from stato.ops.project import ensure_writable, find_root, not_a_folder, resolved

STATOIGNORE = """\
# .statoignore: findings of the privacy scan to ignore (in `stato scan` and `stato snapshot`).
# One pattern per line, matched against the full text of a finding; * matches anything.
# test_api_key_*
# example_credentials
"""


GITIGNORE = """\
# Written by stato init: caches, the writers' lock and an import's journal and staged files
# are local to this machine (and stato ignores them when another user's copy arrives).
.cache/
.lock
.staging/
.transaction.json
.transaction.json.tmp
"""


@dataclass(frozen=True)
class InitResult:
    root: Path
    created: tuple[str, ...]
    example: tuple[str, ...]
    already: bool


def example_sources() -> dict[str, str]:
    """The bundled scRNA-seq example, as {path relative to .stato/: source}."""
    base = resources.files("stato.data") / "example"
    out: dict[str, str] = {}

    def walk(node: object, prefix: str) -> None:
        for child in node.iterdir():  # type: ignore[attr-defined]
            if child.is_dir() and not child.name.startswith("__"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".py") and child.name != "__init__.py":
                out[prefix + child.name] = child.read_text(encoding="utf-8")

    walk(base, "")
    return dict(sorted(out.items()))


def init_project(root: Path, *, example: bool = False) -> InitResult:
    """Create what is missing; never overwrite a file that exists (safe to run twice)."""
    root = Path(root)
    stato = root / STATO_DIR
    if root.exists() and not root.is_dir():
        raise StatoError(f"{root} is a file, not a folder; give --path a folder")
    if (stato.exists() or stato.is_symlink()) and not stato.is_dir():
        raise StatoError(not_a_folder(root.absolute() / STATO_DIR))
    check_within(root.absolute(), stato / ".gitignore", f"{STATO_DIR}/")  # `.stato -> ~/.ssh`
    already = stato.is_dir()
    if already:  # all or nothing: a folder that refuses files fails before anything is made
        wanted = [*(example_sources() if example else ()), ".gitignore"]
        missing = [rel for rel in wanted if not (stato / rel).is_file()]
        missing += [
            f"{sub}/x" for sub in ("skills", ".history", "prompts") if not (stato / sub).is_dir()
        ]
        if missing:
            ensure_writable(stato, missing)
    created: list[str] = []
    for sub in ("skills", ".history", "prompts"):
        folder = stato / sub
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            created.append(f"{STATO_DIR}/{sub}/")
    store = Store(root)
    if not (stato / ".gitignore").exists():
        write_atomic(stato / ".gitignore", GITIGNORE)
        created.append(f"{STATO_DIR}/.gitignore")
    # cli-guide: "Create a .statoignore file in your project root ... stato init creates a
    # .statoignore template automatically". One in .stato/ (projects made before) is read too,
    # and then none is added. lexists: a link planted there is never written through.
    if not any(os.path.lexists(p) for p in (root / ".statoignore", stato / ".statoignore")):
        write_atomic(root / ".statoignore", STATOIGNORE)
        created.append(".statoignore")
    written: list[str] = []
    if example:
        todo = {rel: src for rel, src in example_sources().items() if not store.exists(rel)}
        if todo:
            for rel, src in todo.items():  # stato's own examples: they compile clean
                result = compile_source(src, rel)
                if not result.valid:  # pragma: no cover - a broken release
                    raise ModuleInvalid(format_errors(result), [result])
                todo[rel] = result.corrected_source
            store.commit(todo)
            written = sorted(todo)
    return InitResult(root, tuple(created), tuple(written), already)


@dataclass(frozen=True)
class Target:
    """Where a command that brings modules in (import, convert, import-bundle, registry
    install) writes: a project, or a folder that becomes one on the first write."""

    root: Path
    fresh: bool  # no project there yet: ``create()`` makes it, and a dry run never calls it

    def create(self) -> None:
        """Make the project when there is none, right before the first write (cheap to repeat)."""
        if self.fresh and not (self.root / STATO_DIR).is_dir():
            init_project(self.root)


def write_target(path: Path | str | None) -> Target:
    """The project to bring modules into, and whether it must be created.

    An existing folder means its project (found from there up, as every command does), or a
    new project there. A folder that does not exist yet is a new project of its own, even when
    it would sit inside another project: ``--path ~/new-project`` never writes elsewhere.
    """
    folder = resolved(Path(path or "."))
    if not folder.exists():
        return Target(folder, True)
    try:
        return Target(find_root(folder), False)
    except ProjectNotFound:
        return Target(folder, True)
