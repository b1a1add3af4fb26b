"""Render a conversion: a line per module (created, merged, up to date), or the dry-run sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import echo, is_tty, rich_table

if TYPE_CHECKING:
    from stato.formats.drafts import Route
    from stato.ops.convert import ConvertReport, ModuleChange

_VERB = {"create": "create", "merge": "merge into", "unchanged": "up to date"}


def _note(change: ModuleChange) -> str:
    parts = []
    if change.action != "unchanged" and change.added:
        parts.append("adds " + ", ".join(change.added))
    if change.kept:
        whose = "the first file's" if change.action == "create" else "yours"
        parts.append(f"kept {whose}: " + ", ".join(change.kept))
    advice = [d.code for d in change.result.diagnostics if d.severity != "error"]
    if advice:
        parts.append(" ".join(sorted(set(advice))))
    return "; ".join(parts)


def _places(sections: tuple[Route, ...]) -> list[tuple[int, str, str]]:
    """Where each section went, one line a section: its modules and fields together."""
    out: dict[tuple[int, str], dict[str, list[str]]] = {}
    for p in sections:
        fields = out.setdefault((p.line, p.heading), {}).setdefault(p.module, [])
        if p.field not in fields:
            fields.append(p.field)
    return [
        (line, heading, "; ".join(f".stato/{m} {', '.join(f)}" for m, f in where.items()))
        for (line, heading), where in out.items()
    ]


def report(rep: ConvertReport) -> None:
    for source in rep.inputs:
        echo(f"Read {source.path} as {source.kind}")
        for problem in source.problems:
            echo(f"  note: {problem}")
        for line, heading, where in _places(source.sections):
            echo(f"  line {line}: {heading or '(before any heading)'} -> {where}")
    if rep.dry_run:
        for change in rep.modules:
            echo(f"\n# --- .stato/{change.rel} ({_VERB[change.action]}) ---")
            echo(change.source.rstrip("\n"))
        echo("\nDry run: nothing was written.")
        return
    rows = [[f".stato/{c.rel}", c.module_type, _VERB[c.action], _note(c)] for c in rep.modules]
    if is_tty():
        rich_table(("module", "type", "action", "notes"), rows)
    else:
        for row in rows:
            echo("  ".join(cell for cell in row if cell))
    written = rep.written
    if written:
        echo(f"Wrote {len(written)} module(s); previous versions are in .stato/.history/.")
    else:
        echo("Everything was already in the project; nothing was written.")
