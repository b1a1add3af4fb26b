"""What the static evaluator may do: the operators, builtins and methods it applies, and limits.

The limits keep one field from exhausting memory or CPU (``'a' * 10**9``, ``2 ** 10**8``, a
format width of a billion): such a value is *unevaluable* (advice), never computed.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import Any

MAX_ITEMS = 1_000_000  # bound on the size of any built sequence or string (no memory bombs)
MAX_EXPONENT = 10_000  # bound on ** and << so a field cannot burn the CPU


class Unevaluable(Exception):
    """The value needs something we refuse to do statically (a call, an import, ...)."""


class EvalError(Exception):
    """Evaluating the value would raise at class-creation time (E005)."""


BINOPS: dict[type, Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
    ast.LShift: operator.lshift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}
UNARY: dict[type, Callable[[Any], Any]] = {
    ast.UAdd: operator.pos,
    ast.USub: operator.neg,
    ast.Not: operator.not_,
    ast.Invert: operator.invert,
}
CMP: dict[type, Callable[[Any, Any], Any]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}
PURE_BUILTINS: dict[str, Callable[..., Any]] = {
    "dict": dict,
    "list": list,
    "tuple": tuple,
    "set": set,
    "frozenset": frozenset,
    "str": str,
    "int": int,
    "float": float,
    "bool": bool,
    "len": len,
    "sorted": sorted,
    "min": min,
    "max": max,
    "sum": sum,
    "abs": abs,
    "round": round,
}
STR_METHODS = frozenset(
    {
        "join",
        "format",
        "upper",
        "lower",
        "strip",
        "lstrip",
        "rstrip",
        "replace",
        "split",
        "splitlines",
        "title",
        "capitalize",
        "startswith",
        "endswith",
        "casefold",
    }
)
DICT_METHODS = frozenset({"copy", "get", "keys", "values", "items"})
PLAIN = (str, bytes, int, float, complex, bool, type(None), list, tuple, dict, set, frozenset)


def size(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)) else 0


def check_size(value: Any) -> Any:
    if size(value) > MAX_ITEMS:
        raise Unevaluable("value too large to check")
    return value


def guard_spec(spec: Any) -> None:
    import re

    if isinstance(spec, str) and re.search(r"\d{7,}", spec):
        raise Unevaluable("format width too large to check")


def guard_str_call(owner: Any, attr: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Refuse str calls whose result could be absurdly large before making them."""
    if not isinstance(owner, str):
        return
    if attr == "join" and args:
        parts = args[0]
        total = sum(size(p) for p in parts) if isinstance(parts, (list, tuple)) else 0
        if total + len(owner) * size(parts) > MAX_ITEMS:
            raise Unevaluable("value too large to check")
    elif attr == "replace" and len(args) >= 2 and isinstance(args[1], str):
        if len(owner) * (len(args[1]) + 1) > MAX_ITEMS:
            raise Unevaluable("value too large to check")
    elif attr == "format":
        for value in [owner, *args, *kwargs.values()]:
            if isinstance(value, str):
                guard_spec(value)
