"""Render a bridge run: one row per file with its status and estimated size in tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import console, echo, is_tty, warnings

if TYPE_CHECKING:
    from stato.ops.bridge import BridgeResult

_CHECK_WORDS = {
    "created": "missing",
    "updated": "stale",
    "unchanged": "current",
    "kept": "kept",
    "deleted": "to delete",
    "orphaned": "orphaned",
    "skipped": "skipped",
    "stale": "duplicate",
}


def _status(result: BridgeResult, status: str) -> str:
    return _CHECK_WORDS.get(status, status) if result.check else status


def _summary(result: BridgeResult) -> str:
    n_changed, n_same = len(result.changed), len(result.unchanged)
    size = (
        f"block ~{result.body_tokens} tokens of a {result.budget}-token budget "
        f"({result.skills} skills)"
    )
    if result.check:
        if result.stale:
            return f"{n_changed} file(s) out of date; run `stato bridge` to update them. {size}"
        return f"All {n_same} file(s) are current. {size}"
    if not n_changed:
        return f"Nothing to write: all {n_same} file(s) are current. {size}"
    return f"Changed {n_changed} file(s), {n_same} already current. {size}"


def show(result: BridgeResult) -> None:
    lines = [
        (f.path, ",".join(f.platforms), _status(result, f.status), str(f.tokens), f.note)
        for f in result.files
    ]
    if is_tty():
        from rich.table import Table

        table = Table(box=None, pad_edge=False)
        for col in ("file", "platforms", "status", "~tokens", ""):
            table.add_column(col, justify="right" if col == "~tokens" else "left", overflow="fold")
        for row in lines:
            table.add_row(*row)
        con = console()
        con.print(table)
        con.print(_summary(result))
    else:
        rows = [  # one write for 10,000 exported skills, not one per line
            f"{status:9} {path}  [{platforms}] ~{tokens} tokens{'  ' + note if note else ''}"
            for path, platforms, status, tokens, note in lines
        ]
        echo("\n".join([*rows, _summary(result)]))
    for f in result.files:
        if f.warning:
            echo(f"warning: {f.path}: {f.warning}", err=True)
    for moved in result.moved:
        echo(f"moved: {moved}", err=True)
    warnings(result.warnings)
    if result.withheld:
        echo(
            f"note: {len(result.withheld)} module(s) withheld from agents: "
            f"{', '.join(result.withheld)} hold high injection findings (stato status shows where)",
            err=True,
        )
    if result.invalid:
        echo(
            f"note: {len(result.invalid)} invalid module(s) left out: {', '.join(result.invalid)}"
            " (run `stato validate .stato/`)",
            err=True,
        )
