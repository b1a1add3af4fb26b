"""Render registry listings, installs and publishes for people; a progress bar for downloads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from stato.cli.console import console, echo, is_tty, warnings
from stato.cli.render.archive import notes

if TYPE_CHECKING:
    from stato.ops.archive import ImportResult
    from stato.ops.registry import InstallResult, Listing
    from stato.ops.registry_publish import PublishResult
    from stato.ops.trust import SignatureCheck


def listing(result: Listing) -> None:
    """A table of packages (rich on a terminal, aligned plain text in a pipe)."""
    warnings(result.failures)
    if not result.packages:
        what = f"matching {result.query!r} in" if result.query is not None else "in"
        echo(f"No packages {what} {', '.join(result.registries)}.")
        return
    several = len({f.registry for f in result.packages}) > 1
    rows = []
    for found in result.packages:
        e = found.entry
        modules = "?" if e.modules is None else str(e.modules)
        row = [e.name, e.version, modules, ", ".join(e.tags), e.description]
        rows.append(row + ([found.registry] if several else []))
    header = ["package", "version", "modules", "tags", "description"]
    header += ["registry"] if several else []
    if is_tty():
        from rich.table import Table

        con = console()
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for i, column in enumerate(header):
            longest = max(len(r[i]) for r in [header, *rows])
            table.add_column(
                column,
                justify="right" if column == "modules" else "left",
                overflow="fold",  # on a narrow terminal a cell folds, never loses its end
                # A name and version stay whole (to copy into install) on a wide terminal; on a
                # narrow one, rich would drop the last columns entirely to keep them so.
                min_width=min(longest, con.width // 3) if i < 2 and con.width >= 80 else None,
            )
        for row in rows:
            table.add_row(*row)
        con.print(table)
    else:
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header) - 1)]
        for r in [header, *rows]:
            cells = [c.ljust(w) for c, w in zip(r, widths, strict=False)] + [r[-1]]
            echo("  ".join(cells).rstrip())
    noun = "package" if len(rows) == 1 else "packages"
    echo(f"{len(rows)} {noun}. Install one with: stato registry install NAME")


class DownloadBar:
    """The progress callback of one download; ``stop()`` erases the bar for good, before a
    question (its redraws would land on the question's line and the answer being typed)."""

    def __init__(self, bar: Any, task: Any) -> None:
        self._bar, self._task = bar, task

    def __call__(self, done: int, total: int | None) -> None:
        self._bar.update(self._task, completed=done, total=total)

    def stop(self) -> None:
        self._bar.stop()


@contextmanager
def download_progress(label: str) -> Iterator[DownloadBar | None]:
    """A rich progress bar on stderr when it is a terminal; no callback otherwise."""
    if not is_tty(err=True):
        yield None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TransferSpeedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=console(err=True),
        transient=True,
    ) as bar:
        yield DownloadBar(bar, bar.add_task(f"downloading {label}", total=None))


def install(result: InstallResult) -> None:
    e = result.entry
    imported = result.imported
    if imported.ok:
        verb = "Would install" if result.dry_run else "Installed"
    elif imported.actions and all(a.action == "unchanged" for a in imported.actions):
        verb = "Already installed:"
    else:
        verb = "Did not install"
    checked = "verified" if result.verified else "not verified: the index gives none"
    echo(
        f"{verb} {e.spec} from {result.registry} ({result.size} bytes, "
        f"sha256 {result.sha256[:12]}… {checked})"
    )
    notes(result.notes)
    trust(imported)
    for action in imported.actions:
        dest = action.dest if action.dest == action.path else f"{action.path} -> {action.dest}"
        clash = action.existing and action.action in ("conflict", "replace", "rename")
        why = f" (clashes with {action.existing} by {action.reason})" if clash else ""
        if action.reason == "update":
            why = " (update of an unedited install)"
        elif action.reason == "edited":
            why = " (edited locally since installed)"
        echo(f"  {action.action:<9} {dest}{why}")
    if result.dry_run and imported.updates:
        from stato.cli.render.diff import updates

        updates(imported.updates, e.spec)
    for invalid in imported.invalid:
        codes = ", ".join(d.code for d in invalid.errors)
        echo(f"  invalid   {invalid.path} ({codes})")
    if imported.declined:
        echo("Update not accepted; nothing was written.")
    elif imported.conflicts:
        edited = [a.dest for a in imported.conflicts if a.reason == "edited"]
        if edited:
            echo(
                f"Edited locally since installed: {', '.join(edited)}; an install never "
                "replaces them silently (stato diff, then --on-conflict replace or rename)."
            )
        echo(
            "Modules already exist with other text; rerun with "
            "--on-conflict replace, rename or skip."
        )
    elif not imported.ok and not imported.invalid:
        echo("Nothing to install: every module is already there.")


def publish(result: PublishResult) -> None:
    e = result.entry
    verb = "Updated" if result.replaced else "Published"
    echo(f"{verb} {e.spec} in {result.folder} ({e.modules} modules, sha256 {e.sha256[:12]}…)")
    echo(f"  archive: {result.archive}")
    if result.backup is not None:
        echo(f"  the archive it replaced is kept as {result.backup}")
    echo("  Serve the folder from any static host; users add it with: stato registry add URL")


def trust(imported: ImportResult) -> None:
    """The archive's signature and any warnings about the lock or the allowed signers."""
    warnings(imported.warnings)
    if imported.signature is not None:
        echo(trust_line(imported.signature))


def trust_line(check: SignatureCheck) -> str:
    if not check.signed:
        return "  unsigned archive"
    if check.trusted:
        return f"  signed by {', '.join(check.principals)} ({check.fingerprint}), trusted"
    return f"  signed by an unknown key {check.fingerprint} (no allowed signer names it)"
