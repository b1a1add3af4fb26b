"""Write (or check) the instruction files each agent reads, from one parse of the project."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from stato.bridges import markers, render, skills, targets
from stato.bridges.summary import Summary
from stato.errors import StatoError, UsageError

CHANGED = ("created", "updated")


@dataclass(frozen=True)
class BridgeFile:
    """One file a bridge run wrote, would write (``check``), left unchanged, or kept (not ours)."""

    path: str
    platforms: tuple[str, ...]
    status: str  # "created" | "updated" | "unchanged" | "kept"
    chars: int
    note: str = ""

    @property
    def tokens(self) -> int:
        """Estimated size in tokens (characters / 4)."""
        return self.chars // 4


@dataclass(frozen=True)
class BridgeResult:
    root: Path
    platforms: tuple[str, ...]
    files: tuple[BridgeFile, ...]
    check: bool
    body_chars: int
    skills: int
    invalid: tuple[str, ...]

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
        return bool(self.changed)


def _read(path: Path, rel: str) -> str | None:
    if not path.exists():
        return None
    if not path.is_file():
        raise StatoError(f"{rel} exists but is not a file; move it away and rerun `stato bridge`")
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise StatoError(f"{rel} is not UTF-8 text; stato will not rewrite it") from None


def _check_parents(root: Path, rel: str) -> None:
    for parent in Path(rel).parents:
        if str(parent) != "." and (root / parent).exists() and not (root / parent).is_dir():
            raise StatoError(
                f"{parent.as_posix()} is a file, so {rel} cannot be written; "
                f"turn it into a folder (e.g. move it to {parent.as_posix()}/rules.md) and rerun"
            )


def _linked(target: targets.Target, chosen: set[str], root: Path, link: bool | None) -> bool:
    if target.link is None or link is False:
        return False
    if link is True or target.link in chosen:
        return True
    # Link to a file another run already filled with stato's block.
    path = root / target.link
    try:
        return path.is_file() and markers.find_block(path.read_text("utf-8")) is not None
    except (OSError, UnicodeDecodeError, markers.MarkerError):
        return False


def _plan(root: Path, chosen: tuple[targets.Target, ...], summary: Summary, body: str,
          link: bool | None) -> dict[str, tuple[str | None, str, list[str], str]]:
    """rel path -> (old text, new text, platform ids, note); nothing is written here."""
    out: dict[str, tuple[str | None, str, list[str], str]] = {}
    file_paths = {t.path for t in chosen if t.kind == "file"}
    for target in chosen:
        if target.kind == "skills":
            exports = skills.export(summary.skills)
            for base in target.paths:
                for item in exports:
                    rel = f"{base}/{item.folder}/{skills.SKILL_FILE}"
                    _check_parents(root, rel)
                    old = _read(root / rel, rel)
                    # only a differing file needs the (YAML) ownership check
                    if old is not None and old != item.text and not skills.generated_by_stato(old):
                        out[rel] = (old, old, [target.id], "kept: not written by stato")
                    else:
                        out[rel] = (old, item.text, [target.id], "")
            continue
        rel = target.path
        if rel in out:  # several agents read one file (AGENTS.md): render it once
            out[rel][2].append(target.id)
            continue
        _check_parents(root, rel)
        old = _read(root / rel, rel)
        try:
            new = render.render_file(target, body, old, _linked(target, file_paths, root, link))
        except markers.MarkerError as exc:
            raise StatoError(
                f"{rel}: {exc}; repair the markers by hand (nothing was written)"
            ) from None
        out[rel] = (old, new, [target.id], "")
    return out


def _write_all(root: Path, changes: list[tuple[str, str | None, str]]) -> None:
    """Write every change or none: on a failure, restore what was already replaced."""
    from stato.adapters.fs import write_atomic

    done: list[tuple[str, str | None]] = []
    try:
        for rel, old, new in changes:
            write_atomic(root / rel, new)
            done.append((rel, old))
    except BaseException:
        for rel, old in reversed(done):
            with contextlib.suppress(OSError):
                if old is None:
                    (root / rel).unlink()
                else:
                    write_atomic(root / rel, old)
        raise


def load_summary(root: Path, *, save: bool = True) -> Summary:
    from stato.ops.resume import project_summary

    return project_summary(root, save=save)


def select(platforms: Iterable[str] | str) -> tuple[targets.Target, ...]:
    names = [platforms] if isinstance(platforms, str) else list(platforms)
    try:
        chosen = targets.select(names)
    except KeyError as exc:
        raise UsageError(
            f"unknown platform '{exc.args[0]}': choose from {', '.join(targets.ids())} or all"
        ) from None
    if not chosen:
        raise UsageError(f"no platform given: choose from {', '.join(targets.ids())} or all")
    return chosen


def write_bridges(root: Path, platforms: Iterable[str] | str, *, check: bool = False,
                  link: bool | None = None, summary: Summary | None = None) -> BridgeResult:
    """Render every chosen target from one parse of ``root``; write the files that changed.

    ``check`` writes nothing and reports which files are stale. ``link`` forces (True) or
    forbids (False) CLAUDE.md's one-line ``@AGENTS.md`` form; by default it is used when
    AGENTS.md is written in the same run or already carries stato's block.
    """
    root = Path(root)
    chosen = select(platforms)
    summary = summary if summary is not None else load_summary(root, save=not check)
    body = render.render_body(summary)
    plan = _plan(root, chosen, summary, body, link)
    files: list[BridgeFile] = []
    changes: list[tuple[str, str | None, str]] = []
    for rel, (old, new, ids, note) in plan.items():
        if note:
            status = "kept"
        elif old is None:
            status = "created"
        else:
            status = "unchanged" if old == new else "updated"
        if status in CHANGED:
            changes.append((rel, old, new))
        files.append(BridgeFile(rel, tuple(ids), status, len(new), note))
    if not check and changes:
        _write_all(root, changes)
    return BridgeResult(
        root, tuple(t.id for t in chosen), tuple(files), check,
        len(body), len(summary.skills),
        tuple(i.path for i in summary.invalid),
    )
