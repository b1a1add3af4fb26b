"""Read TOML that anyone may have written: every way it can fail is one ValueError that says why."""

from __future__ import annotations

import sys
from typing import Any


class TomlProblem(ValueError):
    """Why a text is not TOML stato can use; its message is one short clause."""


def loads(text: str) -> dict[str, Any]:
    """``tomllib.loads``, with its other failures (a huge number, deep nesting) as TomlProblem."""
    # here, not at the top: a command whose project has no config.toml never loads the parser
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TomlProblem("it is nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise TomlProblem(str(exc)[:160]) from None
    except ValueError as exc:  # int() past Python's digit limit, and kin
        if "digits" in str(exc):
            raise TomlProblem("a number has more digits than any setting needs") from None
        raise TomlProblem(str(exc)[:160]) from None
