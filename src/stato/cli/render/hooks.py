"""Rendering `stato hooks` and `stato mcp install`: what changed where, and doctor's checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from stato.cli.console import console, echo, emit_json, is_tty

if TYPE_CHECKING:
    from stato.adapters.jsonconfig import ConfigChange
    from stato.ops.hooks_doctor import HookCheck


def _verb(change: ConfigChange, action: str) -> str:
    if not change.changed:
        return "already installed" if action == "install" else "not installed"
    if change.deleted:
        return "removed (file deleted, stato's only)"
    if action == "install":
        return "created" if change.created else "added"
    return "removed"


def changes(items: Sequence[ConfigChange], action: str, as_json: bool) -> None:
    """One line (or row) per file: what happened and where the backup is."""
    if as_json:
        emit_json(
            [
                {
                    "path": str(c.path),
                    "changed": c.changed,
                    "created": c.created,
                    "deleted": c.deleted,
                    "backup": str(c.backup) if c.backup else None,
                }
                for c in items
            ]
        )
        return
    if is_tty():
        from rich.table import Table

        table = Table(title=f"stato {action}")
        for col in ("File", "Result", "Backup"):
            table.add_column(col, overflow="fold")
        for c in items:
            backup = str(c.backup) if c.backup else "-"
            table.add_row(str(c.path), _verb(c, action), backup)
        console().print(table)
        return
    for c in items:
        backup = f" (backup: {c.backup})" if c.backup else ""
        echo(f"{c.path}: {_verb(c, action)}{backup}")


def doctor(checks: Sequence[HookCheck], as_json: bool) -> None:
    if as_json:
        emit_json(
            [
                {
                    "agent": c.agent,
                    "path": str(c.path),
                    "command": c.command,
                    "ok": c.ok,
                    "stato_entry": c.ours,
                    "problems": list(c.problems),
                    "seconds": None if c.seconds is None else round(c.seconds, 3),
                    "reaches_model": c.reaches or ("no" if c.problems else ""),
                }
                for c in checks
            ]
        )
        return
    if not checks:
        echo("No stato hooks installed here: run `stato hooks install --agent claude` (or all).")
        return
    for c in checks:
        took = "" if c.seconds is None else f" in {c.seconds:.2f} s"
        mark = "ok" if c.ok else "BROKEN"
        echo(f"{mark}\t{c.agent}\t{c.path}\t{c.command}{took}")
        for problem in c.problems:
            echo(f"\t- {problem}")
        if c.reaches:
            echo(f"\trecap reaches the model: {c.reaches}")
