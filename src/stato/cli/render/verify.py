"""Render `stato verify`: one line per problem, then a summary."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import echo

if TYPE_CHECKING:
    from stato.ops.lock import VerifyResult

_WHAT = {
    "modified": "changed locally since installed",
    "missing": "gone since installed",
    "source": "source no longer matches",
    "lock": "lock file not usable",
}


def render(result: VerifyResult) -> None:
    for problem in result.problems:
        where = " ".join(x for x in (problem.package, problem.path) if x)
        echo(f"{problem.kind.upper():<9} {where}: {problem.detail}")
    for note in result.notes:
        echo(f"note: {note}")
    if not result.locked and not result.problems:
        echo("No .stato/stato.lock: nothing was installed from outside yet.")
        return
    checked = "modules and sources" if result.sources_checked else "modules (offline)"
    if result.ok:
        echo(
            f"OK: {result.modules} module(s) from {result.packages} package(s) match "
            f"stato.lock ({checked})."
        )
    else:
        kinds = sorted({_WHAT[p.kind] for p in result.problems})
        echo(f"{len(result.problems)} problem(s): {'; '.join(kinds)}.")
