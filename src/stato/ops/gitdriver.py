"""`stato git install|uninstall`: the merge driver in .gitattributes and this clone's git config."""

from __future__ import annotations

import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ATTRIBUTES = ".gitattributes"
PATTERN = ".stato/**/*.py"
LINE = f"{PATTERN} merge=stato"
NAME = "stato field-level merge of .stato modules"


def driver_command() -> str:
    """The driver git runs: this interpreter, by absolute path, so an inactive venv still works."""
    return f"{shlex.quote(sys.executable)} -m stato merge-file %O %A %B --path %P"


@dataclass(frozen=True)
class DriverChange:
    """What `stato git install` or `uninstall` changed (``changed`` is empty when nothing)."""

    repo: Path
    attributes: Path
    driver: str
    changed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "repo": str(self.repo),
            "attributes": str(self.attributes),
            "driver": self.driver,
            "changed": list(self.changed),
        }


def _lines(path: Path) -> list[str]:
    from stato.adapters.fs import read_text

    return read_text(path).splitlines() if path.is_file() else []


def _names_driver(line: str) -> bool:
    parts = line.split()
    return bool(parts) and not parts[0].startswith("#") and "merge=stato" in parts[1:]


def project_or_repo(path: Path) -> Path:
    """Where the driver goes: the stato project holding ``path``, else (no project yet, as
    before `stato init`) the top folder of the git repository holding it."""
    from stato.adapters import git
    from stato.errors import ProjectNotFound
    from stato.ops.project import find_root

    try:
        return find_root(path)
    except ProjectNotFound:
        return git.toplevel(path)


def install(root: Path) -> DriverChange:
    """Add the attribute line (once) next to .stato/ and set merge.stato.* in the local config."""
    from stato.adapters import git
    from stato.adapters.fs import write_atomic

    repo = git.toplevel(root)
    path = root / ATTRIBUTES
    changed: list[str] = []
    lines = _lines(path)
    if LINE not in (ln.strip() for ln in lines):
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        sep = "" if not text or text.endswith("\n") else "\n"
        write_atomic(path, f"{text}{sep}{LINE}\n")
        changed.append(f"{path}: added {LINE!r}")
    command = driver_command()
    for key, value in (("merge.stato.name", NAME), ("merge.stato.driver", command)):
        if git.config_get(repo, key) != value:
            git.config_set(repo, key, value)
            changed.append(f"git config --local {key}")
    return DriverChange(repo, path, command, tuple(changed))


def uninstall(root: Path) -> DriverChange:
    """Remove the attribute line stato added and the merge.stato.* keys; other lines stay."""
    from stato.adapters import git
    from stato.adapters.fs import write_atomic

    repo = git.toplevel(root)
    path = root / ATTRIBUTES
    changed: list[str] = []
    lines = _lines(path)
    kept = [ln for ln in lines if ln.strip() != LINE]
    if len(kept) != len(lines):
        if any(ln.strip() for ln in kept):
            write_atomic(path, "\n".join(kept) + "\n")
        else:
            path.unlink()
        changed.append(f"{path}: removed {LINE!r}")
    for key in ("merge.stato.driver", "merge.stato.name"):
        if git.config_unset(repo, key):
            changed.append(f"git config --local --unset {key}")
    return DriverChange(repo, path, driver_command(), tuple(changed))


def _attribute_files(root: Path) -> list[Path]:
    """The .gitattributes files from the project up to the repository's top (the folder with
    .git), without running git."""
    out = []
    for folder in (root, *root.parents):
        if (folder / ATTRIBUTES).is_file():
            out.append(folder / ATTRIBUTES)
        if (folder / ".git").exists():
            break
    return out


def missing_driver(root: Path) -> str | None:
    """A warning when .gitattributes names the stato driver but this clone's config lacks it.

    Git config does not travel with a clone, and git silently falls back to its line merge.
    Costs one file read when no .gitattributes names the driver (the usual case).
    """
    try:
        named = [f for f in _attribute_files(root) if any(_names_driver(ln) for ln in _lines(f))]
    except (OSError, UnicodeDecodeError):
        return None
    if not named:
        return None
    from stato.adapters import git  # (subprocess, shutil) only when the driver is named

    if not git.available():
        return None
    try:
        repo = git.toplevel(root)
        if git.config_get(repo, "merge.stato.driver"):
            return None
    except git.GitError:
        return None
    return (
        f"{named[0]} names the stato merge driver, but this clone's git config lacks "
        "it, so git merges modules line by line: run `stato git install`"
    )


def install_hint(root: Path) -> str | None:
    """For `stato init`: a line suggesting `stato git install` inside a git repository that
    does not name the driver yet (a look for .git folders only; git itself is not run)."""
    here = root.resolve()
    if not any((p / ".git").exists() for p in (here, *here.parents)):
        return None
    if any(_names_driver(ln) for f in _attribute_files(here) for ln in _lines(f)):
        return None
    return (
        "This is a git repository: run `stato git install` so git merges .stato/ modules "
        "field by field (branches, worktrees, parallel agents)."
    )
