"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

MODULE_TYPES = ("skill", "plan", "memory", "context", "protocol")


def path_option(func: F) -> F:
    return click.option(
        "--path",
        "path",
        type=click.Path(file_okay=False, path_type=str),
        default=None,
        help="Project folder (default: the nearest folder with a .stato/ from here up).",
    )(func)


def json_option(func: F) -> F:
    return click.option(
        "--json", "as_json", is_flag=True, help="Print one JSON document instead of text."
    )(func)


def type_option(func: F) -> F:
    return click.option(
        "--type",
        "module_type",
        type=click.Choice(MODULE_TYPES),
        default=None,
        help="Override type inference for every module checked.",
    )(func)
