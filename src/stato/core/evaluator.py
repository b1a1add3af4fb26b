"""A static evaluator that materializes a class body from its AST without running any of it.

It understands literals, containers, arithmetic, comparisons, string formatting, a few
pure builtins and str methods, names bound earlier in the class or as module-level
constants, and ``def``/``lambda``/``staticmethod``. Anything else is *unevaluable*:
reported as advice, never executed. Every step is charged to the module's ``Budget``
(core/budget.py) before it runs, so no input can make it slow or large.
"""

from __future__ import annotations

import ast
import builtins
import re
import string
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

from stato.core.budget import (
    FIELD_COST,
    MAX_DEPTH,
    MAX_INT_BITS,
    MAX_INT_DIGITS,
    MAX_STEPS,
    Budget,
    OverBudget,
    formatted,
    int_power_bits,
    printf,
    repeated,
)
from stato.core.evalrules import (
    BINOPS,
    CMP,
    DICT_METHODS,
    PLAIN,
    PURE_BUILTINS,
    STR_METHODS,
    UNARY,
    EvalError,
    Unevaluable,
)


@dataclass(frozen=True)
class FunctionValue:
    """A function defined in the class (def, lambda, staticmethod(...)); never called."""

    name: str
    annotated: bool = False
    node: ast.AST | None = None


@dataclass(frozen=True)
class _Unknown:
    """A class-scope name whose value could not be checked, and the first reason why."""

    reason: str


_SPREAD = object()  # marks a ``**mapping`` entry of a dict display
_PREFIX = re.compile(r"'[^']*' could not be checked: ")
_BUILTIN_NAMES = frozenset(vars(builtins))
_INT_TOO_BIG = f"integer too large to check (over {MAX_INT_DIGITS:,} digits)"
_CONVERSIONS: dict[int, Callable[[Any], Any]] = {-1: lambda v: v, 115: str, 114: repr, 97: ascii}


def describe(node: ast.AST) -> str:
    """A short text for a callee or an attribute, without unparsing a deep tree."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute) and len(parts) < 8:
        parts.append(node.attr)
        node = node.value
    head = node.id if isinstance(node, ast.Name) else "(...)"
    return ".".join([head, *reversed(parts)])[:40]


class Evaluator:
    """Evaluates expressions against the class scope, then module-level constants."""

    def __init__(
        self,
        module_constants: dict[str, ast.expr],
        module_unknown: set[str],
        module_functions: Mapping[str, FunctionValue] | None = None,
        budget: Budget | None = None,
    ) -> None:
        self._module_nodes = module_constants
        self._module_unknown = module_unknown
        self._module_functions = module_functions or {}
        self._module_cache: dict[str, Any] = {}
        self._resolving: set[str] = set()
        self.budget = budget or Budget()
        self.scope: dict[str, Any] = {}
        self.named: list[tuple[str, ast.NamedExpr]] = []  # walrus bindings made, in order

    # -- names ------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        if name in self.scope:
            value = self.scope[name]
            if isinstance(value, _Unknown):
                raise Unevaluable(f"'{name}' could not be checked: {value.reason}")
            return value
        if name in self._module_cache:
            cached = self._module_cache[name]
            if isinstance(cached, (Unevaluable, EvalError)):
                raise cached
            return cached
        if name in self._module_nodes and name not in self._resolving:
            self._resolving.add(name)
            try:
                value = self.eval(self._module_nodes[name])
            except (Unevaluable, EvalError) as exc:
                self._module_cache[name] = exc  # each use fails the same way, at no new cost
                raise
            finally:
                self._resolving.discard(name)
            self._module_cache[name] = value
            return value
        if name in self._module_functions:
            return self._module_functions[name]
        if name in self._module_unknown or name in PURE_BUILTINS:
            raise Unevaluable(f"'{name}' is not a constant")
        if name in ("__name__", "__qualname__", "__module__", "__file__"):
            raise Unevaluable(f"'{name}' depends on how the module is loaded")
        if name in _BUILTIN_NAMES:
            raise Unevaluable(f"'{name}' is a builtin, not a constant")
        if "*" in self._module_unknown:
            raise Unevaluable(f"'{name}' may come from a 'from ... import *'")
        raise EvalError(f"NameError: name '{name}' is not defined")

    def bind(self, name: str, value: Any) -> None:
        self.scope[name] = value

    def bind_unknown(self, name: str, reason: str = "not a constant") -> None:
        # Keep the first reason of a chain (c = b, b = a, a = 'x' * 10**9): "value too large".
        self.scope[name] = _Unknown(_PREFIX.sub("", reason, count=1))

    def star_import(self) -> None:
        self._module_unknown.add("*")

    def unbind(self, name: str) -> None:
        self.scope.pop(name, None)

    # -- expressions --------------------------------------------------------------
    def eval(self, node: ast.AST) -> Any:
        try:
            return self._eval(node)
        except RecursionError:
            raise OverBudget("expression too deeply nested") from None

    def _eval(self, node: ast.AST) -> Any:
        budget = self.budget
        budget.steps += 1  # one step per node evaluated
        if budget.steps > MAX_STEPS:
            raise OverBudget("the module takes too many steps to check")
        kind = type(node)
        if kind is ast.Constant:  # the common case, without a dispatch
            value = node.value  # type: ignore[attr-defined]
            vkind = type(value)
            if vkind is str:
                if not value.isascii():
                    budget.note_text(value)
            elif vkind is int and value.bit_length() > MAX_INT_BITS:
                raise OverBudget(_INT_TOO_BIG)  # a hex literal has no digit limit
            return value
        method = _DISPATCH.get(kind)
        if method is None:
            raise Unevaluable(f"{kind.__name__.lower()} expressions are not evaluated")
        budget.depth += 1
        try:
            if budget.depth > MAX_DEPTH:
                raise OverBudget("expression too deeply nested")
            return method(self, node)
        finally:
            budget.depth -= 1

    def _List(self, node: ast.List) -> Any:
        return self.budget.admit(self._elements(node.elts))

    def _Tuple(self, node: ast.Tuple) -> Any:
        return self.budget.admit(tuple(self._elements(node.elts)))

    def _Set(self, node: ast.Set) -> Any:
        elements = self._elements(node.elts)
        self._safe(lambda: self.budget.hashing(elements))
        return self.budget.admit(self._safe(lambda: set(elements)))

    def _elements(self, elts: list[ast.expr]) -> list[Any]:
        budget = self.budget
        out: list[Any] = []
        total = 2
        for elt in elts:
            if isinstance(elt, ast.Starred):
                value = self._eval(elt.value)
                total += budget.iterated(value)
                budget.expect(total)  # before the items are laid out
                out.extend(self._safe(lambda v=value: list(v)))  # type: ignore[misc]
            else:
                # One pointer per element written in the source; the caller weighs the whole.
                out.append(self._eval(elt))
        return out

    def _Dict(self, node: ast.Dict) -> Any:
        budget = self.budget
        result: dict[Any, Any] = {}
        total = 2
        parts: list[tuple[Any, Any]] = []  # (key, value), or (_SPREAD, the mapping of **mapping)
        keys: list[Any] = []
        for key, value in zip(node.keys, node.values, strict=False):
            if key is None:
                other = self._eval(value)
                total += budget.weigh(other)
                budget.expect(total)
                if not isinstance(other, dict):  # {**[("a", 1)]}: Python's TypeError
                    raise EvalError(f"TypeError: '{type(other).__name__}' object is not a mapping")
                parts.append((_SPREAD, other))
                keys.extend(other)
                continue
            k = self._eval(key)
            parts.append((k, self._eval(value)))
            keys.append(k)
        # Keys sharing a hash are priced before any is inserted; an unhashable key raises here
        # as it does when the class body runs (E005).
        self._safe(lambda: budget.hashing(keys))
        for k, v in parts:
            if k is _SPREAD:
                self._safe(lambda o=v: result.update(o))  # type: ignore[misc]
            else:
                result[k] = v  # one entry per entry in the source; admit() weighs the whole
        return budget.admit(result)

    def _Name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def _NamedExpr(self, node: ast.NamedExpr) -> Any:
        # At class scope ``(y := 3)`` binds y in the class namespace, like ``y = 3``.
        value = self._eval(node.value)
        if isinstance(node.target, ast.Name):
            self.bind(node.target.id, value)
            self.named.append((node.target.id, node))
        return value

    def _BinOp(self, node: ast.BinOp) -> Any:
        return self.binop(type(node.op), self._eval(node.left), self._eval(node.right))

    def binop(self, op: type, left: Any, right: Any) -> Any:
        """``left <op> right``, priced before it runs (also used for ``x += ...``)."""
        func = BINOPS.get(op)
        if func is None:
            raise Unevaluable("matrix multiplication is not evaluated")
        self._price(op, left, right)
        return self.budget.admit(self._safe(lambda: func(left, right)))

    def _price(self, op: type, left: Any, right: Any) -> None:
        budget = self.budget
        ints = type(left) in (int, bool) and type(right) in (int, bool)
        if ints and op is ast.Pow:
            if int_power_bits(left, right) > MAX_INT_BITS:
                raise OverBudget(_INT_TOO_BIG)
        elif ints and op is ast.LShift:
            if left and right > 0 and left.bit_length() + right > MAX_INT_BITS:
                raise OverBudget(_INT_TOO_BIG)
        elif ints and op is ast.Mult:
            if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
                raise OverBudget(_INT_TOO_BIG)
        elif op is ast.Mult:
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, bytes, list, tuple)) and type(times) in (int, bool):
                    budget.expect(repeated(budget, seq, times))
        elif op is ast.Mod and isinstance(left, (str, bytes)):
            budget.expect(printf(budget, left, right))
        elif op in (ast.Add, ast.BitOr, ast.BitAnd, ast.BitXor, ast.Sub) and not ints:
            budget.expect(budget.weigh(left) + budget.weigh(right))

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self._eval(node.operand)
        return self.budget.admit(self._safe(lambda: UNARY[type(node.op)](value)))

    def _BoolOp(self, node: ast.BoolOp) -> Any:
        value: Any = None
        for sub in node.values:
            value = self._eval(sub)
            if isinstance(node.op, ast.And) and not value:
                return value
            if isinstance(node.op, ast.Or) and value:
                return value
        return value

    def _Compare(self, node: ast.Compare) -> Any:
        left = self._eval(node.left)
        for op, comp in zip(node.ops, node.comparators, strict=False):
            right = self._eval(comp)
            self.budget.spend(self.budget.weigh(left) + self.budget.weigh(right))
            if not self._safe(lambda a=left, b=right, o=op: CMP[type(o)](a, b)):  # type: ignore[misc]
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self._eval(node.body) if self._eval(node.test) else self._eval(node.orelse)

    def _Subscript(self, node: ast.Subscript) -> Any:
        value = self._eval(node.value)
        index = self._eval(node.slice)
        return self.budget.admit(self._safe(lambda: value[index]))

    def _Slice(self, node: ast.Slice) -> Any:
        parts = [None if p is None else self._eval(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def _JoinedStr(self, node: ast.JoinedStr) -> Any:
        parts: list[str] = []
        total = 2
        for sub in node.values:
            part = str(self._eval(sub))
            total += len(part)
            self.budget.expect(total)
            parts.append(part)
        return self.budget.admit("".join(parts))

    def _FormattedValue(self, node: ast.FormattedValue) -> Any:
        value = self._eval(node.value)
        if not isinstance(value, PLAIN):
            raise Unevaluable("formatting of this value is not evaluated")
        conv = _CONVERSIONS[node.conversion]
        spec = "" if node.format_spec is None else self._eval(node.format_spec)
        self.budget.expect(formatted(self.budget, value, spec if isinstance(spec, str) else ""))
        return self.budget.admit(self._safe(lambda: format(conv(value), spec)))

    def _Lambda(self, node: ast.Lambda) -> Any:
        return FunctionValue("<lambda>", False, node)

    def _Call(self, node: ast.Call) -> Any:
        func = node.func
        wrapper = func.id if isinstance(func, ast.Name) else None
        single = len(node.args) == 1 and not node.keywords
        wraps = wrapper in ("staticmethod", "classmethod", "property") and wrapper not in self.scope
        if wraps and single:
            inner = self._eval(node.args[0])
            if isinstance(inner, FunctionValue):
                return inner
        if wrapper is not None:
            self._defined(wrapper)  # Python looks the callee up first: undefined is E005
        args = [self._eval(a) for a in node.args if not isinstance(a, ast.Starred)]
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise Unevaluable("calls with *args are not evaluated")
        if any(k.arg is None for k in node.keywords):
            raise Unevaluable("calls with **kwargs are not evaluated")
        kwargs = {k.arg: self._eval(k.value) for k in node.keywords if k.arg}
        if not all(isinstance(a, PLAIN) for a in [*args, *kwargs.values()]):
            raise Unevaluable("call arguments are not plain values")
        shadowed = wrapper in self.scope or wrapper in self._module_nodes
        if wrapper in PURE_BUILTINS and not shadowed and wrapper not in self._module_unknown:
            builtin, price = PURE_BUILTINS[wrapper]
            self.budget.expect(price(self.budget, args, kwargs))
            if wrapper in ("set", "frozenset", "dict") and args:
                self._safe(lambda: self.budget.hashing(_keys(wrapper, args[0])))
            return self.budget.admit(self._safe(lambda: builtin(*args, **kwargs)))
        if isinstance(func, ast.Attribute):
            try:
                owner = self._eval(func.value)
            except Unevaluable:
                raise Unevaluable(f"the call {describe(func)}(...) is not run") from None
            if isinstance(owner, str) and func.attr in STR_METHODS:
                return self._str_method(owner, func.attr, args, kwargs)
            if isinstance(owner, dict) and func.attr in DICT_METHODS:
                self.budget.expect(3 * self.budget.weigh(owner) + 8)
                result = self._safe(lambda: getattr(owner, func.attr)(*args, **kwargs))
                if func.attr in ("keys", "values", "items"):
                    result = list(result)
                return self.budget.admit(result)
        raise Unevaluable(f"the call {describe(func)}(...) is not run")

    def _str_method(self, owner: str, attr: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if attr == "format":
            # string.Formatter is Python code: each replacement field costs far more than a char.
            self.budget.spend(FIELD_COST * owner.count("{"))
            formatter = _Formatter(self.budget)
            return self.budget.admit(self._safe(lambda: formatter.vformat(owner, args, kwargs)))
        self.budget.expect(STR_METHODS[attr](owner, args))
        return self.budget.admit(self._safe(lambda: getattr(owner, attr)(*args, **kwargs)))

    def _Attribute(self, node: ast.Attribute) -> Any:
        root: ast.expr = node
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name):
            self._defined(root.id)  # `undefined.attr` raises NameError in Python too (E005)
        raise Unevaluable(f"attribute '{describe(node)}' is not evaluated")

    def _defined(self, name: str) -> None:
        """Raise EvalError (E005) when ``name`` is bound nowhere; an unknown value is fine."""
        with suppress(Unevaluable):
            self.lookup(name)

    @staticmethod
    def _safe(thunk: Callable[[], Any]) -> Any:
        """Run one priced builtin operation; whatever it raises, Python would raise too (E005)."""
        try:
            return thunk()
        except (Unevaluable, EvalError):
            raise
        except RecursionError:
            raise OverBudget("expression too deeply nested") from None
        except MemoryError:
            raise OverBudget("value too large to check") from None
        except Exception as exc:  # noqa: BLE001 - a builtin's error is the module's error (E005)
            raise EvalError(error_text(exc)) from None


# One method per node type the evaluator understands (``_List`` for ast.List, ...).
_DISPATCH: dict[type, Callable[[Evaluator, Any], Any]] = {
    getattr(ast, name[1:]): method
    for name, method in vars(Evaluator).items()
    if name[:2] != "__" and name[0] == "_" and name[1].isupper() and hasattr(ast, name[1:])
}


def _keys(kind: str, items: Any) -> list[Any]:
    """The keys ``set(items)``, ``frozenset(items)`` or ``dict(items)`` would hash."""
    if not isinstance(items, (str, bytes, list, tuple, dict, set, frozenset)):
        return []  # the call raises TypeError by itself
    if kind != "dict" or isinstance(items, dict):
        return list(items)
    return [p[0] for p in items if isinstance(p, (list, tuple)) and len(p) == 2]


def error_text(exc: BaseException) -> str:
    """``Type: message``, short; the message of an exception is never trusted to print."""
    try:
        message = str(exc)
    except Exception:  # noqa: BLE001 - a message that cannot be built is left out
        message = ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= 200 else text[:199] + "…"


_BRACKETS = re.compile(r"\[[^\]]*\]")


class _Formatter(string.Formatter):
    """``str.format`` with each replacement field priced before it is formatted."""

    def __init__(self, budget: Budget) -> None:
        self.budget = budget
        self.total = 0

    def get_field(self, field_name: str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if "." in _BRACKETS.sub("", field_name):
            raise Unevaluable("attribute access in a format string is not evaluated")
        return super().get_field(field_name, args, kwargs)

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if conversion:
            self.budget.expect(formatted(self.budget, value, ""))
        return self.budget.admit(super().convert_field(value, conversion))

    def format_field(self, value: Any, format_spec: str) -> Any:
        self.budget.expect(self.total + formatted(self.budget, value, format_spec))
        out = format(value, format_spec)
        self.total += len(out)
        return out
