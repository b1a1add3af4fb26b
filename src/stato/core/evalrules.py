"""What the static evaluator may do: the operators, builtins and methods it applies, each priced.

Every builtin and method comes with its *price*: an upper bound on the weight of what it returns
(see ``core/budget.py``), computed from its arguments before it is called. Anything without a
price is not applied at all.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stato.core.budget import Budget


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
Price = Callable[["Budget", list[Any], dict[str, Any]], int]
HUGE = 1 << 62  # a price no budget admits
REPR_FACTOR = 10  # a repr is at most 10 characters per unit of weight ("\U0001f600" for one)
MAX_ROUND_DIGITS = 4_300  # round(x, -n) builds 10**n on the way


def _weights(b: Budget, args: list[Any], kwargs: dict[str, Any]) -> int:
    return sum(b.weigh(a) for a in [*args, *kwargs.values()]) + 8


def _items(b: Budget, args: list[Any], kwargs: dict[str, Any]) -> int:
    return sum(b.iterated(a) for a in args) + sum(b.weigh(v) for v in kwargs.values()) + 8


_C_CODECS = frozenset({"utf-8", "utf8", "ascii", "latin-1", "latin1", "iso-8859-1"})


def _text(b: Budget, args: list[Any], kwargs: dict[str, Any]) -> int:
    encoding = args[1] if len(args) > 1 else kwargs.get("encoding")
    if isinstance(encoding, str) and encoding.lower().replace("_", "-") not in _C_CODECS:
        # str(b, "punycode") runs a codec written in Python, some of them slow on purpose-built
        # input: only the codecs implemented in C are applied.
        raise Unevaluable(f"decoding with {encoding[:20]!r} is not evaluated")
    return REPR_FACTOR * _weights(b, args, kwargs)


def _round(b: Budget, args: list[Any], kwargs: dict[str, Any]) -> int:
    digits = args[1] if len(args) > 1 else kwargs.get("ndigits")
    if type(digits) is int and abs(digits) > MAX_ROUND_DIGITS:
        return HUGE
    return _weights(b, args, kwargs)


def _sum(b: Budget, args: list[Any], kwargs: dict[str, Any]) -> int:
    total = _items(b, args, kwargs)
    items = args[0] if args else ()
    # Adding sequences copies the partial sum each time; a set or a dict (its keys) of tuples
    # is iterated the same way as a list of them.
    sized = (list, tuple, dict, set, frozenset)
    if isinstance(items, sized) and any(isinstance(x, (list, tuple)) for x in items):
        total *= max(1, len(items) // 2)
    return total


PURE_BUILTINS: dict[str, tuple[Callable[..., Any], Price]] = {
    "dict": (dict, _items),
    "list": (list, _items),
    "tuple": (tuple, _items),
    "set": (set, _items),
    "frozenset": (frozenset, _items),
    "sorted": (sorted, _items),
    "str": (str, _text),
    "int": (int, _weights),
    "float": (float, _weights),
    "bool": (bool, _weights),
    "len": (len, _weights),
    "min": (min, _items),
    "max": (max, _items),
    "sum": (sum, _sum),
    "abs": (abs, _weights),
    "round": (round, _round),
}


def _scaled(factor: int) -> Callable[[str, list[Any]], int]:
    return lambda owner, args: factor * len(owner) + 8


def _join(owner: str, args: list[Any]) -> int:
    parts = args[0] if args else ()
    count = len(parts) if isinstance(parts, (str, list, tuple, dict, set, frozenset)) else 0
    return sum(len(p) for p in parts if isinstance(p, str)) + len(owner) * count + 8 if count else 8


def _replace(owner: str, args: list[Any]) -> int:
    if len(args) < 2 or not isinstance(args[0], str) or not isinstance(args[1], str):
        return len(owner) + 8  # the call raises TypeError
    old, new = args[0], args[1]
    hits = len(owner) + 1 if not old else owner.count(old)
    if len(args) > 2 and type(args[2]) is int and args[2] >= 0:
        hits = min(hits, args[2])
    return len(owner) + hits * max(0, len(new) - len(old)) + 8


# str methods, priced from the str and the positional arguments; "format" is priced field by
# field as it is formatted (see the evaluator), so its entry only admits it.
STR_METHODS: dict[str, Callable[[str, list[Any]], int]] = {
    "join": _join,
    "format": _scaled(0),
    "upper": _scaled(3),  # "ß".upper() == "SS": case mappings grow a char to at most 3
    "lower": _scaled(3),
    "title": _scaled(3),
    "capitalize": _scaled(3),
    "casefold": _scaled(3),
    "strip": _scaled(1),
    "lstrip": _scaled(1),
    "rstrip": _scaled(1),
    "replace": _replace,
    "split": _scaled(5),  # a list of pieces: at worst one 1-char str per char
    "splitlines": _scaled(5),
    "startswith": _scaled(0),
    "endswith": _scaled(0),
}
DICT_METHODS = frozenset({"copy", "get", "keys", "values", "items"})  # priced at 3x the dict
PLAIN = (str, bytes, int, float, complex, bool, type(None), list, tuple, dict, set, frozenset)
