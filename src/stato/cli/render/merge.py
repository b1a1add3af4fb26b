"""Render a merge report for people: one line per module, then every conflict with both values."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stato.cli.console import echo, is_tty, rich_table

if TYPE_CHECKING:
    from stato.ops.merge import MergeReport
    from stato.ops.merge_file import MergeFileReport

_ORIGIN = {
    "left": "only in left",
    "right": "only in right",
    "both": "identical",
    "merged": "merged",
}


def short(value: Any, width: int = 60) -> str:
    """A one-line preview of a value (code shows its first line)."""
    from stato.core.diff import Code
    from stato.core.merge_values import ABSENT

    if value is ABSENT:
        return "(deleted)"
    text = value.text.split("\n")[0] + " ..." if isinstance(value, Code) else repr(value)
    text = text.replace("\n", "\\n")
    return text if len(text) <= width else text[: width - 3] + "..."


def _rows(rep: MergeReport) -> list[list[str]]:
    rows = []
    for o in rep.result.outcomes:
        origin = _ORIGIN.get(o.origin, o.origin)
        if o.origin in ("left", "right") and o.conflicts:
            origin = f"took {o.origin} (types differ)"
        note = f"{len(o.conflicts)} conflict(s)" if o.conflicts else ""
        if o.fields:
            note = ", ".join(filter(None, [note, "fields: " + ", ".join(o.fields)]))
        elif o.origin == "merged" and not o.conflicts:
            note = f"{rep.result.strategy.winner} already holds all of it"
        rows.append([o.path, o.module_type or "?", origin, note])
    return rows


def report(rep: MergeReport) -> None:
    from stato.cli.render.archive import notes

    notes(rep.notes)
    strat = rep.result.strategy
    echo(f"Merge {rep.left} + {rep.right} (strategy {strat.id}: {strat.help}):")
    rows = _rows(rep)
    if is_tty():
        rich_table(("module", "type", "result", "notes"), rows)
    else:
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        for r in rows:
            echo(
                "  "
                + "  ".join(c.ljust(w) for c, w in zip(r[:3], widths, strict=True))
                + "  "
                + r[3]
            )
    conflicts = rep.result.conflicts
    if conflicts:
        how = "unresolved, kept" if not strat.resolved else "resolved, took"
        echo(f"Conflicts ({len(conflicts)}):")
        for c in conflicts:
            echo(
                f"  {c.path} {c.where}: left {short(c.left)} | right {short(c.right)}"
                f" -> {how} {c.kept}" + (f" ({c.why})" if c.why else "")
            )
    n = len(rep.result.outcomes)
    modules = f"{n} module{'s' if n != 1 else ''}"
    tail = f", {len(conflicts)} conflict(s)" if conflicts else ", no conflicts"
    if rep.dry_run:
        echo(f"Dry run: would write {rep.output} ({modules}{tail}); nothing written.")
    else:
        echo(f"Wrote {rep.output} as {rep.manifest.name!r} ({modules}{tail}).")
        if rep.backup is not None:
            echo(f"The file it replaced is kept as {rep.backup}.")
    if conflicts and not strat.resolved:
        echo("Review the conflicts, or merge again with --strategy prefer-left or prefer-right.")


def merge_file_report(rep: MergeFileReport) -> None:
    """One line when clean; each conflict on stderr (git shows both to the user)."""
    m = rep.merge
    for note in m.notes:
        echo(f"stato: {rep.name}: {note}")
    if rep.clean:
        took = f" (from theirs or both: {', '.join(m.taken)})" if m.taken and not m.as_text else ""
        echo(f"stato: merged {rep.name} cleanly{took}")
        return
    for c in m.conflicts:
        if c.where in ("code", "text"):
            echo(f"CONFLICT (stato): {rep.name}: {c.why}", err=True)
        else:
            echo(
                f"CONFLICT (stato): {rep.name} field {c.where}: ours {short(c.left)} | "
                f"theirs {short(c.right)} ({c.why})",
                err=True,
            )
    for e in rep.errors:
        echo(f"CONFLICT (stato): {rep.name} merged but does not validate: {e}", err=True)
    echo(
        f"stato: resolve {rep.name} (keep one side between the markers), check it with "
        "`stato validate`, then `git add` it",
        err=True,
    )
