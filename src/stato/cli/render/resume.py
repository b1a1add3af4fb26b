"""Render a resume recap for people: rich panels on a terminal, the plain recap otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stato.cli.console import console, display, echo, is_tty, titled_panel
from stato.formats.recap import context_lines, memory_lines, plan_lines, raw, skills_lines

if TYPE_CHECKING:
    from stato.ops.resume import ResumeResult


def show(result: ResumeResult) -> None:
    """Rich panels on a terminal, the plain recap otherwise."""
    if not is_tty():
        echo(raw(result).rstrip("\n"))
        return
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    con = console()
    s = result.summary
    for lines in (context_lines(s), plan_lines(s), skills_lines(s), memory_lines(s)):
        # Each line keeps its indentation when it wraps (a hanging indent per line).
        rows = [
            Padding(
                Text(display(line.strip())), (0, 0, 0, max(0, len(line) - len(line.lstrip()) - 2))
            )
            for line in lines[1:]
        ]
        body = Group(*rows) if rows else Text("-")
        con.print(titled_panel(con, body, lines[0]))
    for note in result.notes:
        con.print(Text(display(f"note: {note}"), style="yellow"))
