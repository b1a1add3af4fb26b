"""Write (or check) the instruction files each agent reads, from one parse of the project."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.fs import read_file
from stato.bridges import budget, render
from stato.bridges import platforms as platforms_mod
from stato.bridges.agent_table import limits_for
from stato.bridges.summary import Summary
from stato.core.tokens import estimate
from stato.errors import UsageError
from stato.formats import markers
from stato.ops.bridge_plan import (
    STALE,
    Exports,
    FilePlan,
    Tree,
    linked,
    long_skill,
    plan_files,
    run_warnings,
    stale_blocks,
    warning,
    with_linked,
)

CHANGED = ("created", "updated", "deleted")


@dataclass(frozen=True)
class BridgeFile:
    """One file a bridge run wrote, would write (``check``), left unchanged, or kept (not ours)."""

    path: str
    platforms: tuple[str, ...]
    status: str  # "created" | "updated" | "unchanged" | "kept" | "orphaned" | "deleted"
    chars: int
    note: str = ""
    warning: str = ""  # e.g. longer than the agent reads; the file is still written
    tokens: int = 0  # estimated size (stato.core.tokens.estimate)


@dataclass(frozen=True)
class BridgeResult:
    root: Path
    platforms: tuple[str, ...]
    files: tuple[BridgeFile, ...]
    check: bool
    body_chars: int
    skills: int
    invalid: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # run-level: an agent loading the block twice, a hidden file
    moved: tuple[str, ...] = ()  # what the budget moved out of the always-on block
    body_tokens: int = 0  # the block's size, by stato.core.tokens.estimate
    budget: int = 0
    withheld: tuple[str, ...] = ()  # left out: a high injection finding (status says which)

    @property
    def changed(self) -> tuple[BridgeFile, ...]:
        """Files written (or, with ``check``, stale: they would be written)."""
        return tuple(f for f in self.files if f.status in CHANGED)

    @property
    def written(self) -> tuple[str, ...]:
        return () if self.check else tuple(f.path for f in self.changed)

    @property
    def unchanged(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files if f.status == "unchanged")

    @property
    def stale(self) -> bool:
        """Files to write, or a copy of stato's block an agent loads twice (``--prune``)."""
        return bool(self.changed) or any(f.status == "stale" for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": str(self.root),
            "platforms": list(self.platforms),
            "check": self.check,
            "stale": self.stale,
            "body_tokens": self.body_tokens,
            "budget_tokens": self.budget,
            "skills": self.skills,
            "invalid": list(self.invalid),
            "warnings": list(self.warnings),
            "moved": list(self.moved),
            "withheld": list(self.withheld),
            "files": [
                {
                    "path": f.path,
                    "platforms": list(f.platforms),
                    "status": f.status,
                    "tokens": f.tokens,
                    "note": f.note,
                    "warning": f.warning,
                }
                for f in self.files
            ],
        }


def _write_all(root: Path, changes: list[tuple[str, str | None, str | None]]) -> None:
    """Write (or, for new text None, delete) every change or none: a failure restores the rest.

    All new texts go to disk in one batch (one sync, then the renames); deletions follow.
    """
    from stato import confine
    from stato.adapters.fs import write_atomic, write_many

    inside: set[str] = set()  # folders whose real path is in the project
    for rel, _, _ in changes:  # all checked first: a link out of the project writes nothing
        folder = os.path.dirname(rel)
        up = os.path.dirname(folder)
        if folder in inside:
            continue
        if up in inside and not os.path.islink(os.path.join(root, folder)):
            inside.add(folder)  # in a folder found inside, and no link: inside too
            continue
        confine.check_within(root, root / rel, rel)
        inside.add(folder)
        if up and up not in inside:  # the exports' common folder: resolved once, not per file
            confine.check_within(root, root / up / "-", rel)
            inside.add(up)
    old_of = {rel: old for rel, old, _ in changes}
    mode_of: dict[str, int] = {}  # an undone file gets its own permissions back, not 0644
    new_folders: set[Path] = set()  # made by this run: an undone run removes them again
    for rel, _, new in changes:
        parent = (root / rel).parent
        while new is not None and parent != root and parent not in new_folders:
            if parent.exists():
                break
            new_folders.add(parent)
            parent = parent.parent
    for rel, old, _ in changes:
        if old is not None:
            with contextlib.suppress(OSError):
                mode_of[rel] = stat.S_IMODE((root / rel).stat().st_mode)
    done: list[str] = []
    try:
        write_many(
            [(root / rel, new) for rel, _, new in changes if new is not None],
            lambda path: done.append(path.relative_to(root).as_posix()),
        )
        for rel, _, new in changes:
            if new is None:
                (root / rel).unlink()
                with contextlib.suppress(OSError):  # the folder only held our SKILL.md
                    (root / rel).parent.rmdir()
                done.append(rel)
    except BaseException:
        for rel in reversed(done):
            old = old_of[rel]
            with contextlib.suppress(OSError):
                if old is None:
                    (root / rel).unlink()
                else:
                    write_atomic(root / rel, old, mode_of.get(rel, 0o644))
        for made in sorted(new_folders, key=lambda f: len(f.parts), reverse=True):
            with contextlib.suppress(OSError):  # only empty ones: never a file we did not write
                made.rmdir()
        raise


def select(platforms: Iterable[str] | str, root: Path | None = None) -> platforms_mod.Selection:
    """What ``platforms`` stand for; with ``root``, as that project's agent settings say."""
    names = [platforms] if isinstance(platforms, str) else list(platforms)
    text_of = Tree(root).text_of if root is not None else None
    try:
        chosen = platforms_mod.select(names, text_of)
    except KeyError as exc:
        raise UsageError(
            f"unknown platform '{exc.args[0]}': choose from {', '.join(platforms_mod.ids())} or all"
        ) from None
    if not chosen.files and not chosen.skills and not chosen.unreachable:
        raise UsageError(f"no platform given: choose from {', '.join(platforms_mod.ids())} or all")
    return chosen


def _save_exports(root: Path, exports: Exports, files: list[BridgeFile]) -> None:
    """Remember each exported SKILL.md now on disk, so an unchanged rerun skips it."""
    from stato.adapters import exportcache

    written = {
        f.path: (exports.digests[f.path], f.chars, f.tokens)
        for f in files
        if f.path in exports.digests and f.status in ("created", "updated", "unchanged")
    }
    exportcache.save(root, written, exports.cached, exports.before)


def _hard_limits(
    root: Path, selection: platforms_mod.Selection, link: bool | None
) -> tuple[int | None, int | None]:
    """The most characters and bytes the block may take in every file written in full.

    Each file's documented limit (Codex 32 KiB, Windsurf 12,000 characters, Claude 40,000)
    minus what is already in it besides stato's block: the person's text, front matter, markers.
    """
    chars: list[int] = []
    size: list[int] = []
    paths = {f.path for f in selection.files}
    for file in selection.files:
        if linked(file, paths, root, link):
            continue  # holds the one line @AGENTS.md
        max_chars, max_bytes = limits_for(file.path)
        if max_chars is None and max_bytes is None:
            continue
        try:
            old = read_file(root / file.path).decode("utf-8")  # a FIFO is refused, not waited on
        except (OSError, UnicodeDecodeError):
            old = ""
        try:
            rest = render.render_file(file, "", old or None)  # everything but the body
        except markers.MarkerError:
            rest = old  # the plan refuses the file with the full message
        if max_chars is not None:
            chars.append(max_chars - len(rest))
        if max_bytes is not None:
            size.append(max_bytes - len(rest.encode("utf-8")))
    return (min(chars) if chars else None, min(size) if size else None)


def write_bridges(
    root: Path,
    platforms: Iterable[str] | str,
    *,
    check: bool = False,
    link: bool | None = None,
    prune: bool = False,
    summary: Summary | None = None,
) -> BridgeResult:
    """Render every chosen target from one parse of ``root``; write the files that changed.

    ``check`` writes nothing and reports which files are stale. ``link`` forces (True) or
    forbids (False) CLAUDE.md's one-line ``@AGENTS.md`` form; by default it is used when
    AGENTS.md is written in the same run or already carries stato's block. Exported skills
    whose skill is gone are deleted (only files stato generated, recognised by their
    metadata; ``check`` reports them as stale). ``prune`` removes stato's extra copies of its
    block.
    """
    root = Path(root)
    selection = with_linked(root, select(platforms, root), link)
    from stato.adapters.config import bridge_budget
    from stato.ops.resume import project_summary

    summary = summary if summary is not None else project_summary(root, save=not check)
    budget_tokens = bridge_budget(root, budget.DEFAULT_TOKENS, budget.MIN_TOKENS)
    fitted = budget.fit(summary, budget_tokens, *_hard_limits(root, selection, link))
    body = fitted.body
    exports = Exports()
    plan = plan_files(root, selection, summary, body, link, exports)
    for rel, (old, new, ids, note) in stale_blocks(root, selection, plan).items():
        plan[rel] = FilePlan(old, new if prune else old, ids, note)
    files: list[BridgeFile] = []
    changes: list[tuple[str, str | None, str | None]] = []
    sizes: dict[str, int] = {}  # each skill's two copies (.agents/, .claude/) are one text
    for rel, (old, new, ids, note) in plan.items():
        if note.startswith(STALE):
            status = "stale" if not prune else ("deleted" if new is None else "updated")
            note = note if not prune else "stato's block removed: " + note.split(": ", 1)[1]
        elif new is None:  # a SKILL.md stato wrote for a skill that is gone: agents would use it
            status = "deleted"
        elif note.startswith("skipped"):
            status = "skipped"
        elif note:
            status = "kept"
        elif old is None:
            status = "created"
        else:
            status = "unchanged" if old == new else "updated"
        if status in CHANGED:
            changes.append((rel, old, new))
        size = len(new) if new is not None else 0
        note = "" if status == "deleted" and not note.startswith("stato's block") else note
        tokens = 0
        if new and status != "kept":
            tokens = sizes[new] if new in sizes else sizes.setdefault(new, estimate(new))
        warned = warning(plan, rel) or long_skill(ids, tokens)
        files.append(BridgeFile(rel, tuple(ids), status, size, note, warned, tokens))
    for rel, entry in exports.cached.items():  # not rendered, not read: as the last run left it
        warned = long_skill(("skills",), entry[6])
        files.append(BridgeFile(rel, ("skills",), "unchanged", entry[5], "", warned, entry[6]))
    warnings = tuple(run_warnings(root, selection, plan))  # before writing: it compares
    if not check and changes:
        _write_all(root, changes)
    if not check and selection.skills:
        _save_exports(root, exports, files)
    return BridgeResult(
        root,
        tuple(
            dict.fromkeys(
                [
                    *(a.id for a in selection.agents),
                    *(f.id for f in selection.files),
                    *(["skills"] if selection.skills else []),
                ]
            )
        ),
        tuple(files),
        check,
        len(body),
        len(summary.skills),
        tuple(i.path for i in summary.invalid if i.codes[:1] != ("withheld",)),
        warnings,
        fitted.moved,
        fitted.tokens,
        budget_tokens,
        withheld=tuple(i.path for i in summary.invalid if i.codes[:1] == ("withheld",)),
    )
