"""Render snapshot, slice, inspect, import and graft results for people (plain when piped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stato.cli.console import echo, emit, is_tty, rich_table, warnings

if TYPE_CHECKING:
    from stato.core.model import ValidationResult
    from stato.core.privacy.scanner import Finding
    from stato.ops.archive import ImportResult
    from stato.ops.inspect import InspectResult
    from stato.ops.snapshot import SnapshotResult


def table(headers: Sequence[str], rows: list[list[str]]) -> None:
    """A rich table on a terminal, aligned plain text in a pipe."""
    if not rows:
        return
    if is_tty():
        rich_table(headers, rows)
        return
    widths = [max(len(r[i]) for r in [list(headers), *rows]) for i in range(len(headers))]
    for r in [list(headers), *rows]:
        echo("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def diagnostics(results: Sequence[ValidationResult]) -> None:
    for r in results:
        echo(f"  {r.path} ({r.module_type or 'unknown type'}):")
        for d in r.diagnostics:
            if d.severity == "error":
                echo(f"    {d}")


def findings(found: Sequence[Finding]) -> None:
    for f in found:
        echo(f"  {f.path}:{f.line}:{f.column}: {f.category} ({f.pattern}): {f.preview}")


def show(res: SnapshotResult, as_json: bool, verb: str = "snapshot") -> int:
    """Render an archive snapshot or slice wrote; the exit code (1 when nothing was written)."""
    emit(res, as_json, lambda r: snapshot(r, verb))
    return 0 if res.written else 1


def snapshot(res: SnapshotResult, verb: str = "snapshot") -> None:
    warnings(res.warnings)
    if res.invalid:
        what = "after the --template/--sanitize edits" if res.edited else ""
        echo(
            f"Refusing the {verb}: {len(res.invalid)} module(s) do not validate {what}".rstrip()
            + "; fix them (stato validate) or leave them out with --exclude:"
        )
        diagnostics(res.invalid)
    elif res.findings:
        if res.sanitized:
            echo(
                f"Refusing the {verb}: findings survived --sanitize in {', '.join(res.sanitized)}:"
            )
        else:
            echo(f"Refusing the {verb}: the privacy scan found {len(res.findings)} item(s):")
        findings(res.findings)
        echo(
            "Remove them, list false positives in .statoignore, or rerun with --sanitize "
            "(or --force to skip the scan)."
        )
    if not res.written or res.manifest is None:
        echo(f"No archive written; {res.output} is unchanged.")
        return
    m = res.manifest
    flags = ", ".join(f for f, on in (("template", m.template), ("partial", m.partial)) if on)
    echo(f"Wrote {res.output} ({len(m.modules)} module(s){', ' + flags if flags else ''}).")
    if res.backup is not None:
        echo(f"The file it replaced is kept as {res.backup}.")
    if res.signer:
        echo(f"Signed by {res.signer} (namespace stato).")
    if res.sanitized:
        echo(f"Sanitized in the archive only: {', '.join(res.sanitized)}.")
    if not res.scanned:
        echo("The privacy scan was skipped (--force).")


def inspect(res: InspectResult) -> None:
    m = res.manifest
    echo(f"Archive {res.path}")
    echo(f"  name: {m.name}\n  created: {m.created}\n  stato: {m.stato_version}")
    echo(f"  template: {str(m.template).lower()}\n  partial: {str(m.partial).lower()}")
    if m.origin != "stato":
        kind = 'format "1" (0.11)' if m.checksums else "legacy, no format_version (0.5)"
        echo(f"  format: the earlier stato's, {kind}")
        echo(f"  checksums: {'verified' if m.checksums else 'none, integrity cannot be checked'}")
        for label, text in (("description", m.description), ("author", m.author)):
            if text:
                echo(f"  {label}: {text}")
    by_path = {r.path: r for r in res.modules}
    rows = []
    for e in m.modules:
        r = by_path[e.path]
        status = "valid" if r.valid else "INVALID " + ",".join(d.code for d in r.errors)
        rows.append([e.path, e.type, e.class_name, e.version or "-", status])
    table(["module", "type", "class", "version", "status"], rows)
    bad = [r for r in res.modules if not r.valid]
    if bad:
        echo(f"{len(bad)} of {len(res.modules)} module(s) would be refused on import:")
        diagnostics(bad)
    else:
        echo(f"{len(res.modules)} module(s), all valid.")
    notes(res.notes)
    if res.signature_error:
        echo(f"Signature refused: {res.signature_error}")
    elif res.signature is not None:
        from stato.cli.render.registry import trust_line

        echo(trust_line(res.signature).strip())
    if res.blocked:
        from stato.core.gate import span

        echo(f"{len(res.blocked)} module(s) hold high injection findings; import refuses them:")
        for b in res.blocked:
            for f in b.findings:
                echo(f"  {span(f)}")


def notes(lines: tuple[str, ...]) -> None:
    """What the user must know about an archive read (0.5: no checksums), one line each."""
    for line in lines:
        echo(f"note: {line}.")


def imported(res: ImportResult, verb: str = "import") -> None:
    notes(res.notes)
    from stato.cli.render.registry import trust

    trust(res)
    if res.invalid:
        echo(f"Refusing the {verb}: {len(res.invalid)} module(s) have errors; nothing was written:")
        diagnostics(res.invalid)
        return
    rows = []
    for a in res.actions:
        note = ""
        if a.existing and a.action in ("conflict", "skip", "replace"):
            if a.reason == "name":
                note = f"its skill name is taken by {a.existing}"
            elif a.reason == "edited":
                note = "edited locally since it was installed"
            elif a.reason == "update":
                note = "update of an unedited install"
            else:
                note = "exists with different text"
            if a.action == "replace":
                note += (
                    "; old text backed up" if not res.dry_run else "; old text would be backed up"
                )
        if a.action == "rename":
            note = f"as {a.dest}" + (f", name {a.new_name!r}" if a.new_name else "")
        rows.append([a.path, "CONFLICT" if a.action == "conflict" else a.action, note])
    table(["module", "action", "notes"], rows)
    conflicts = res.conflicts
    written = sum(a.action in ("add", "replace", "rename") for a in res.actions)
    if conflicts and res.on_conflict == "replace":  # a skill name held at another path
        echo(
            f"{len(conflicts)} conflict(s) replace cannot settle (the module's path is taken "
            "and its skill name is another module's); nothing was written. Choose "
            "--on-conflict rename or skip."
        )
    elif conflicts:
        echo(
            f"{len(conflicts)} conflict(s); nothing was written. Choose --on-conflict "
            "replace, rename or skip."
        )
    elif res.dry_run:
        echo(f"Dry run: would write {written} module(s); nothing was written.")
    elif not written:
        echo(f"Nothing to {verb}: every module is unchanged or skipped.")
    else:
        echo(f"Wrote {len(res.written)} module(s) into {res.root}/.stato/.")
        if res.backups:
            echo(f"Previous text of {len(res.backups)} module(s) kept in .stato/.history/.")
