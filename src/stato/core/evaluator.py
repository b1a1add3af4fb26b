"""A static evaluator that materializes a class body from its AST without running any of it.

It understands literals, containers, arithmetic, comparisons, string formatting, a few
pure builtins and str methods, names bound earlier in the class or as module-level
constants, and ``def``/``lambda``/``staticmethod``. Anything else is *unevaluable*:
reported as advice, never executed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from stato.core.evalrules import (
    BINOPS,
    CMP,
    DICT_METHODS,
    MAX_EXPONENT,
    MAX_ITEMS,
    PLAIN,
    PURE_BUILTINS,
    STR_METHODS,
    UNARY,
    EvalError,
    Unevaluable,
    check_size,
    guard_spec,
    guard_str_call,
    size,
)


@dataclass(frozen=True)
class FunctionValue:
    """A function defined in the class (def, lambda, staticmethod(...)); never called."""

    name: str
    annotated: bool = False
    node: ast.AST | None = None


_UNKNOWN = object()


class Evaluator:
    """Evaluates expressions against the class scope, then module-level constants."""

    def __init__(self, module_constants: dict[str, ast.expr], module_unknown: set[str]) -> None:
        self._module_nodes = module_constants
        self._module_unknown = module_unknown
        self._module_cache: dict[str, Any] = {}
        self._resolving: set[str] = set()
        self.scope: dict[str, Any] = {}

    # -- names ------------------------------------------------------------------
    def lookup(self, name: str) -> Any:
        if name in self.scope:
            value = self.scope[name]
            if value is _UNKNOWN:
                raise Unevaluable(f"'{name}' is not a constant")
            return value
        if name in self._module_cache:
            return self._module_cache[name]
        if name in self._module_nodes and name not in self._resolving:
            self._resolving.add(name)
            try:
                value = self.eval(self._module_nodes[name])
            finally:
                self._resolving.discard(name)
            self._module_cache[name] = value
            return value
        if name in self._module_unknown or name in PURE_BUILTINS:
            raise Unevaluable(f"'{name}' is not a constant")
        if name in ("__name__", "__qualname__", "__module__", "__file__"):
            raise Unevaluable(f"'{name}' depends on how the module is loaded")
        raise EvalError(f"NameError: name '{name}' is not defined")

    def bind(self, name: str, value: Any) -> None:
        self.scope[name] = value

    def bind_unknown(self, name: str) -> None:
        self.scope[name] = _UNKNOWN

    # -- expressions --------------------------------------------------------------
    def eval(self, node: ast.AST) -> Any:
        try:
            return self._eval(node)
        except RecursionError:
            raise Unevaluable("expression too deeply nested") from None

    def _eval(self, node: ast.AST) -> Any:
        kind = type(node)
        if kind is ast.Constant:  # the common case, without a dispatch
            return node.value  # type: ignore[attr-defined]
        method = getattr(self, "_" + kind.__name__, None)
        if method is None:
            raise Unevaluable(f"{kind.__name__.lower()} expressions are not evaluated")
        return method(node)

    def _Constant(self, node: ast.Constant) -> Any:
        return node.value

    def _List(self, node: ast.List) -> Any:
        return self._elements(node.elts)

    def _Tuple(self, node: ast.Tuple) -> Any:
        return tuple(self._elements(node.elts))

    def _Set(self, node: ast.Set) -> Any:
        return self._safe(lambda: set(self._elements(node.elts)))

    def _elements(self, elts: list[ast.expr]) -> list[Any]:
        # A literal's size is bounded by the source; only unpacking (*x) can make it explode.
        out: list[Any] = []
        for elt in elts:
            if isinstance(elt, ast.Starred):
                out.extend(self._safe(lambda e=elt: list(self._eval(e.value))))  # type: ignore[misc]
                check_size(out)
            else:
                out.append(self._eval(elt))
        return out

    def _Dict(self, node: ast.Dict) -> Any:
        result: dict[Any, Any] = {}
        for key, value in zip(node.keys, node.values, strict=False):
            if key is None:
                self._safe(lambda v=value: result.update(self._eval(v)))  # type: ignore[misc]
                check_size(result)
                continue
            k = self._eval(key)
            v = self._eval(value)
            try:
                result[k] = v
            except TypeError as exc:  # an unhashable key raises when the class body runs
                raise EvalError(f"TypeError: {exc}") from None
        return result

    def _Name(self, node: ast.Name) -> Any:
        return self.lookup(node.id)

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self._eval(node.left), self._eval(node.right)
        op = type(node.op)
        if op not in BINOPS:
            raise Unevaluable("matrix multiplication is not evaluated")
        if (
            op in (ast.Pow, ast.LShift)
            and isinstance(right, (int, float))
            and abs(right) > MAX_EXPONENT
        ):
            raise Unevaluable("exponent too large to check")
        if op is ast.Mult:
            for seq, n in ((left, right), (right, left)):
                if size(seq) and isinstance(n, int) and size(seq) * n > MAX_ITEMS:
                    raise Unevaluable("value too large to check")
        return check_size(self._safe(lambda: BINOPS[op](left, right)))

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        value = self._eval(node.operand)
        return self._safe(lambda: UNARY[type(node.op)](value))

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
            if not self._safe(lambda a=left, b=right, o=op: CMP[type(o)](a, b)):  # type: ignore[misc]
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp) -> Any:
        return self._eval(node.body) if self._eval(node.test) else self._eval(node.orelse)

    def _Subscript(self, node: ast.Subscript) -> Any:
        value = self._eval(node.value)
        index = self._eval(node.slice)
        return self._safe(lambda: value[index])

    def _Slice(self, node: ast.Slice) -> Any:
        parts = [None if p is None else self._eval(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def _JoinedStr(self, node: ast.JoinedStr) -> Any:
        return "".join(str(self._eval(v)) for v in node.values)

    def _FormattedValue(self, node: ast.FormattedValue) -> Any:
        value = self._eval(node.value)
        if not isinstance(value, PLAIN):
            raise Unevaluable("formatting of this value is not evaluated")
        conversions: dict[int, Callable[[Any], Any]] = {
            -1: lambda v: v,
            115: str,
            114: repr,
            97: ascii,
        }
        conv = conversions[node.conversion]
        spec = "" if node.format_spec is None else self._eval(node.format_spec)
        guard_spec(spec)
        return self._safe(lambda: format(conv(value), spec))

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
            builtin = PURE_BUILTINS[wrapper]
            return check_size(self._safe(lambda: builtin(*args, **kwargs)))
        if isinstance(func, ast.Attribute):
            owner = self._eval(func.value)
            allowed = (
                STR_METHODS
                if isinstance(owner, str)
                else (DICT_METHODS if isinstance(owner, dict) else frozenset())
            )
            if func.attr in allowed:
                guard_str_call(owner, func.attr, args, kwargs)
                result = self._safe(lambda: getattr(owner, func.attr)(*args, **kwargs))
                if func.attr in ("keys", "values", "items"):
                    result = list(result)
                return check_size(result)
        raise Unevaluable(f"the call {ast.unparse(func)[:40]}(...) is not run")

    def _Attribute(self, node: ast.Attribute) -> Any:
        raise Unevaluable(f"attribute '{ast.unparse(node)[:40]}' is not evaluated")

    @staticmethod
    def _safe(thunk: Callable[[], Any]) -> Any:
        try:
            return thunk()
        except (Unevaluable, EvalError):
            raise
        except RecursionError:
            raise Unevaluable("expression too deeply nested") from None
        except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
            raise EvalError(f"{type(exc).__name__}: {exc}") from None
