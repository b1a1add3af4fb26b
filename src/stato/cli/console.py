"""The one place that makes rich consoles and prints JSON; honours NO_COLOR and pipes."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import click

if TYPE_CHECKING:
    from rich.console import Console


# Terminal controls: C0 but tab and newline, DEL, C1 (8-bit CSI, OSC...), and the bidi
# overrides that reorder what a reader sees. Text from projects, archives and registries may
# hold any of them (a tag that clears the screen, sets the window title or forges a link).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display(text: str) -> str:
    """Untrusted text made safe to show on a terminal: every control character that a
    terminal would act on is shown as its escape (ESC as \\x1b) instead."""
    return _CONTROL.sub(_visible, text) if _CONTROL.search(text) else text


def is_tty(err: bool = False) -> bool:
    stream = sys.stderr if err else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(err: bool = False) -> Console:
    """A rich console for people: colour only on a terminal and never with NO_COLOR."""

    tty = is_tty(err)
    # A terminal declared ASCII (PYTHONIOENCODING=ascii, LANG=C on old systems) gets the
    # UTF-8 writer click.echo uses, not a UnicodeEncodeError on the first check mark.
    name: Literal["stdout", "stderr"] = "stderr" if err else "stdout"
    file = None
    if _ascii(getattr(sys, name)):
        from typing import TextIO, cast

        from click.utils import get_text_stream  # typed as object by click's lazy exports

        file = cast("Callable[[str], TextIO]", get_text_stream)(name)
    return _console_class()(
        stderr=err,
        file=file,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        highlight=False,
        markup=False,  # text from modules is never read as rich markup ([link=...] etc.)
        emoji=False,
        soft_wrap=not tty,
        width=None if tty else 120,
    )


def _ascii(stream: object) -> bool:
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name == "ascii"
    except LookupError:
        return False


def _console_class() -> type[Console]:
    from rich.console import Console

    class _Console(Console):
        def render_str(self, text: str, **kwargs: Any) -> Any:
            # Every string a renderer prints (table cells, titles, panels) passes here.
            return super().render_str(display(text), **kwargs)

        def on_broken_pipe(self) -> None:
            # rich would exit 1 here; the CLI's boundary ends a closed pipe its own way.
            raise BrokenPipeError

    return _Console


def emit_json(data: Any) -> None:
    """Print exactly one JSON document on stdout (RFC 8259: no NaN, string keys, valid
    UTF-8, whatever a module held; see stato.formats.jsondoc)."""
    from stato.formats import jsondoc

    click.echo(jsondoc.dumps(data))


def emit(result: Any, as_json: bool, render: Callable[[Any], object]) -> None:
    """A command's result: under --json its ``to_dict()`` as one JSON document, else rendered."""
    if as_json:
        emit_json(result.to_dict())
    else:
        render(result)


def echo(text: str = "", err: bool = False, nl: bool = True) -> None:
    """Print text for people; control characters from untrusted text are shown, not sent."""
    click.echo(display(text), err=err, nl=nl)


def warnings(lines: Iterable[str]) -> None:
    """Each line as one ``warning:`` line on stderr."""
    for line in lines:
        echo(f"warning: {line}", err=True)


def rich_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Rows as a rich table with bold headers and folding cells (for a terminal; callers
    print their own plain lines when piped)."""
    from rich.table import Table

    table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    for row in rows:
        table.add_row(*row)
    console().print(table)


def titled_panel(con: Console, body: Any, title: str) -> Any:
    """A rich panel; a title too wide for its top border (rich would cut it with an
    ellipsis) becomes the panel's first, bold, wrapping line instead."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    head = Text(display(title), style="bold")
    if head.cell_len + 6 <= con.width:  # border corners, a dash and a space each side
        return Panel(body, title=head, title_align="left")
    return Panel(Group(head, body))


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A transient progress bar on stderr for long work (``report(done, total)``), shown from
    200 items.

    Yields None when stderr is not a terminal: pipes, CI logs and --json stay clean.
    """
    if not is_tty(err=True):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        console=console(err=True),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, visible=False)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= 200)

        yield report
