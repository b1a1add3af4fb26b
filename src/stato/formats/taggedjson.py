"""JSON that gives back exactly the Python values it was given: tuples, sets, odd dict keys.

Plain JSON turns tuples into lists and non-string keys into strings, so a value read back from a
cache would differ from the one computed. Here a tuple, a set or a dict with non-string keys is
written as a one-key object whose key starts with NUL (no field name does), and turned back on
reading. Dataclasses are written field by field (``decode`` returns plain dicts for them: the
caller rebuilds its own types). Anything else (bytes, complex, objects) raises TypeError: such
a value is simply not cached. Reading is plain ``json.loads``: it never runs anything.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

_TUPLE, _SET, _DICT = "\x00t", "\x00s", "\x00d"


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data; TypeError for a value that would not come back the same."""
    if value is None or isinstance(value, (str, int, float)):  # bool is an int; inf/nan too
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: encode(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, (set, frozenset)):
        return {_SET: [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("\x00") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {_DICT: [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(type(value).__name__)


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key == _TUPLE:
            return tuple(value)
        if key == _SET:
            return set(value)  # unhashable members raise TypeError: the caller's miss
        if key == _DICT:
            return {(tuple(k) if isinstance(k, list) else k): v for k, v in value}
    return obj


def dumps(value: Any) -> str:
    """One JSON document for ``value`` (TypeError when part of it cannot be written exactly)."""
    return json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The value ``dumps`` wrote; ValueError/TypeError on damaged input."""
    return json.loads(text, object_hook=_hook)
