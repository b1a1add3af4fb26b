"""JSON that gives back exactly the Python values it was given: tuples, sets, odd dict keys.

Plain JSON turns tuples into lists and non-string keys into strings, so a value read back from a
cache would differ from the one computed. Here a tuple, a set, a frozenset or a dict with
non-string keys is written as a one-key object whose key starts with NUL (no field name does),
and turned back on reading. Dataclasses are written field by field (reading gives plain dicts
for them: the caller rebuilds its own types). Anything else (bytes, complex, objects) raises
TypeError: such a value is simply not cached. Reading is plain JSON: it never runs anything.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

_TUPLE, _SET, _FROZEN, _DICT = "\x00t", "\x00s", "\x00f", "\x00d"


def encode(value: Any) -> Any:
    """``value`` as JSON-ready data; TypeError for a value that would not come back the same."""
    kind = type(value)
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value  # the common cases first, by exact type: this runs for every cached field
    if kind is list:
        return [encode(v) for v in value]
    if kind is tuple:
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, (str, int, float)):  # subclasses (bool is an int; inf/nan too)
        return value
    if is_dataclass(value) and not isinstance(value, type):
        return {name: encode(getattr(value, name)) for name in _names(kind)}
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, frozenset):
        return {_FROZEN: [encode(v) for v in value]}
    if isinstance(value, set):
        return {_SET: [encode(v) for v in value]}
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("\x00") for k in value):
            return {k: encode(v) for k, v in value.items()}
        return {_DICT: [[encode(k), encode(v)] for k, v in value.items()]}
    raise TypeError(type(value).__name__)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(cls: type) -> tuple[str, ...]:
    """A dataclass's field names, in order (``fields`` builds them anew on every call)."""
    names = _NAMES.get(cls)
    if names is None:
        names = _NAMES[cls] = tuple(f.name for f in fields(cls))
    return names


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((key, value),) = obj.items()
        if key == _TUPLE:
            return tuple(value)
        if key == _SET:
            return set(value)  # unhashable members raise TypeError: the caller's miss
        if key == _FROZEN:
            return frozenset(value)
        if key == _DICT:
            return {(tuple(k) if isinstance(k, list) else k): v for k, v in value}
    return obj


def dumps(value: Any) -> str:
    """One JSON document for ``value`` (TypeError when part of it cannot be written exactly)."""
    text = json.dumps(encode(value), ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a module: \ud800 escapes read back exactly
        text = json.dumps(encode(value), ensure_ascii=True, separators=(",", ":"))
    return text


# One decoder for every call: ``json.loads`` with a hook builds a decoder (and its scanner) per
# call, which costs more than reading a small entry (the result cache reads one per module)
_DECODER = json.JSONDecoder(object_hook=_hook)


def loads(text: str | bytes) -> Any:
    """The value ``dumps`` wrote; ValueError/TypeError on damaged input."""
    if not isinstance(text, str):
        text = text.decode(json.detect_encoding(text), "surrogatepass")  # as json.loads reads
    return _DECODER.decode(text)
