"""One JSON emitter: any value stato reports becomes exactly one valid RFC 8259 document.

Values come from modules of any origin, so a report can hold what JSON cannot say. Each is
rendered the same way every time, never a crash:

- a float that is not finite (NaN, Infinity) becomes the string "NaN", "Infinity" or "-Infinity"
  (``allow_nan=False``: Python's bare NaN is not JSON);
- a dict key that is not a string: int, float, bool and None as JSON writes them ("1", "true",
  "null"), anything else (a tuple) as its Python repr, "(1, 2)"; insertion order is kept;
- a set becomes a list sorted by its items' repr; a tuple a list; bytes their repr;
- an int too long for Python to print (over 4,300 digits) becomes "<int of N digits>";
- a lone surrogate in a string becomes U+FFFD, so the output is valid UTF-8;
- nesting deeper than MAX_DEPTH becomes a string saying so;
- any other object its ``str()`` (or its type's name when even that fails).
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

MAX_DEPTH = 200  # far below Python's recursion limit, far above any real report
_SURROGATE = re.compile("[\ud800-\udfff]")


def _text(s: str) -> str:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", s)
    return s


def _int(n: int) -> int | str:
    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    if limit and n.bit_length() > limit * 3.32:  # log2(10) bits per digit: repr would refuse
        return f"<int of about {int(n.bit_length() / 3.3219280948873626) + 1} digits>"
    return n


def _key(k: object) -> str:
    if isinstance(k, str):
        return _text(k)
    if k is None or isinstance(k, (bool, int, float)):
        plain = plain_value(k, 0)
        return plain if isinstance(plain, str) else json.dumps(plain)
    return _text(_repr(k))


def _repr(value: object) -> str:
    try:
        return repr(value)
    except Exception:  # a repr that fails (a huge int inside): say what it was
        return f"<{type(value).__name__}>"


def plain_value(value: Any, depth: int = 0) -> Any:
    """``value`` as only what JSON holds: dict with str keys, list, str, finite number, bool,
    None; see the module docstring for each conversion."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, int):
        return _int(value)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if depth >= MAX_DEPTH:
        return f"<nested deeper than {MAX_DEPTH} levels>"
    if isinstance(value, dict):
        return {_key(k): plain_value(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_value(v, depth + 1) for v in value]
    if isinstance(value, (set, frozenset)):
        return [plain_value(v, depth + 1) for v in sorted(value, key=_repr)]
    if isinstance(value, (bytes, bytearray)):
        return _repr(bytes(value))
    try:
        return _text(str(value))
    except Exception:  # an object whose str() fails is still reported
        return f"<{type(value).__name__}>"


def dumps(value: Any, *, indent: int | None = 2, ascii_only: bool = False) -> str:
    """One JSON document for ``value``; never raises for what the value holds."""
    return json.dumps(plain_value(value), indent=indent, ensure_ascii=ascii_only, allow_nan=False)
