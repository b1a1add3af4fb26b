"""The one place that makes rich consoles and prints JSON; honours NO_COLOR and pipes."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console


def is_tty(err: bool = False) -> bool:
    stream = sys.stderr if err else sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def console(err: bool = False) -> Console:
    """A rich console for people: colour only on a terminal and never with NO_COLOR."""
    from rich.console import Console

    tty = is_tty(err)
    return Console(
        stderr=err,
        no_color=bool(os.environ.get("NO_COLOR")) or not tty,
        highlight=False,
        soft_wrap=not tty,
        width=None if tty else 120,
    )


def emit_json(data: Any) -> None:
    """Print exactly one JSON document on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def echo(text: str = "", err: bool = False) -> None:
    click.echo(text, err=err)
