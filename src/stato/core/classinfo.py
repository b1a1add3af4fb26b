"""What a module's source holds at its top level and in its class body, read from the AST."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from stato.core.budget import MAX_DEPTH, SURROGATE, Budget
from stato.core.evalrules import EvalError, Unevaluable
from stato.core.evaluator import Evaluator, FunctionValue


@dataclass
class Binding:
    """The last statement in the class body that binds a name."""

    name: str
    line: int
    kind: str  # "def" | "assign"
    node: ast.AST  # the FunctionDef, or the value expression of the assignment
    value: Any = None
    error: str | None = None  # EvalError message (E005), or why it cannot be written (E013)
    unknown: str | None = None  # Unevaluable reason (I007)
    code: str = "E005"  # the code ``error`` is reported with


@dataclass
class ClassInfo:
    """The first class of a module, with its bindings evaluated statically, in order."""

    node: ast.ClassDef
    bindings: dict[str, Binding] = field(default_factory=dict)
    stmt_errors: list[tuple[int, str]] = field(default_factory=list)  # E005 from bare statements
    budget: Budget | None = None  # what evaluating the class body used

    @property
    def name(self) -> str:
        return self.node.name

    def has(self, name: str) -> bool:
        return name in self.bindings

    def field_value(self, name: str) -> Any:
        b = self.bindings.get(name)
        return None if b is None else b.value


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def bound_names(stmt: ast.AST) -> Iterator[tuple[str, int]]:
    """Every name a statement binds in the scope it runs in (nested scopes not entered)."""
    todo = [stmt]
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            yield node.name, node.lineno
            continue  # its body is its own scope (decorators and defaults are not bindings)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id, node.lineno
        elif isinstance(node, ast.alias):
            yield (node.asname or node.name).split(".")[0], getattr(node, "lineno", 0)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            yield node.name, node.lineno
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, _COMPREHENSIONS):
            # Only a walrus inside binds outside the comprehension (at class scope it is an error).
            continue
        todo.extend(ast.iter_child_nodes(node))


def _module_scope(
    tree: ast.Module, before: int
) -> tuple[dict[str, ast.expr], set[str], dict[str, FunctionValue]]:
    """Module-level names bound before the class: constants, plain functions, everything else."""
    constants: dict[str, ast.expr] = {}
    unknown: set[str] = set()
    functions: dict[str, FunctionValue] = {}
    for stmt in tree.body[:before]:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            name = stmt.targets[0].id
            constants[name] = stmt.value
            unknown.discard(name)
            functions.pop(name, None)
            continue
        if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            constants[stmt.target.id] = stmt.value
            unknown.discard(stmt.target.id)
            functions.pop(stmt.target.id, None)
            continue
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and not stmt.decorator_list:
            # A plain ``def`` at the top level is a function whatever its body does.
            functions[stmt.name] = FunctionValue(stmt.name, _annotated(stmt), stmt)
            constants.pop(stmt.name, None)
            unknown.discard(stmt.name)
            continue
        for name, _ in bound_names(stmt):
            # "*" is a star import (in a try: too): any name may come from it, so a name
            # found nowhere is unknown (I007), not undefined (E005).
            unknown.add(name)
            constants.pop(name, None)
            functions.pop(name, None)
    return constants, unknown, functions


def _targets(target: ast.expr) -> list[ast.Name]:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _targets(elt)]
    if isinstance(target, ast.Starred):
        return _targets(target.value)
    return []


def _base_name(target: ast.expr) -> str | None:
    """The name whose value ``x[0] = ...``, ``x.y = ...`` or ``del x[0]`` changes in place."""
    node: ast.expr = target
    for _ in range(MAX_DEPTH):
        if isinstance(node, (ast.Subscript, ast.Attribute, ast.Starred)):
            node = node.value
        else:
            break
    return node.id if isinstance(node, ast.Name) and node is not target else None


def _walrus_targets(node: ast.AST) -> list[tuple[str, int]]:
    out: list[tuple[str, int]] = []
    todo = [node]
    while todo:
        sub = todo.pop()
        if isinstance(sub, ast.NamedExpr) and isinstance(sub.target, ast.Name):
            out.append((sub.target.id, sub.lineno))
        if not isinstance(sub, (*_SCOPES, *_COMPREHENSIONS)):
            todo.extend(ast.iter_child_nodes(sub))
    return out


class _Reader:
    """Walks the class body statement by statement, binding names as Python would."""

    def __init__(self, tree: ast.Module, index: int, source_length: int) -> None:
        cls = tree.body[index]
        assert isinstance(cls, ast.ClassDef)
        self.info = ClassInfo(cls)
        self.failed = False  # whether the statement being read failed to evaluate
        self.info.budget = Budget(source_length)
        self.ev = Evaluator(*_module_scope(tree, index), budget=self.info.budget)

    def bind_value(
        self, name: str, line: int, node: ast.AST, value: Any, err: str | None, unk: str | None
    ) -> None:
        if not (err or unk):
            try:  # everything that reads the fields walks each one: their sum is bounded too
                self.ev.budget.spend(self.ev.budget.weigh(value))
            except Unevaluable as exc:
                value, unk = None, str(exc)
        self.keep_error(name, line)
        self.info.bindings[name] = Binding(name, line, "assign", node, value, err, unk)
        if err or unk:
            self.ev.bind_unknown(name, unk or "its value raises an error")
        else:
            self.ev.bind(name, value)

    def keep_error(self, name: str, line: int) -> None:
        """A binding about to be replaced or deleted that raised still failed the class body
        (``x = 1 / 0`` then ``x = 1``: Python stops at the first): keep its E005."""
        old = self.info.bindings.get(name)
        if old is not None and old.error and old.code == "E005" and old.line != line:
            self.info.stmt_errors.append((old.line, old.error))

    def mark_changed(self, target: ast.expr, line: int) -> None:
        name = _base_name(target)
        if name is None:
            return
        old = self.info.bindings.get(name)
        if old is not None and old.kind == "def":
            return  # an attribute set on a method leaves it a method
        reason = f"changed in place by the statement on line {line}"
        if name in self.ev.scope or old is not None:
            self.bind_value(name, line, target, None, None, reason)
        else:  # a module-level value changed from the class body: later uses see it unknown
            self.ev.bind_unknown(name, reason)

    def evaluate(self, node: ast.expr) -> tuple[Any, str | None, str | None]:
        self.ev.named.clear()
        self.failed = False
        try:
            return self.ev.eval(node), None, None
        except EvalError as exc:
            self.failed = True
            return None, str(exc), None
        except Unevaluable as exc:
            self.failed = True
            return None, None, str(exc)
        finally:
            if self.ev.named or self.failed:  # else no walrus bound a name: nothing to do
                self._walrus(node)

    def _walrus(self, node: ast.AST) -> None:
        """Bind the names ``(y := ...)`` set; those a failure left unset become unknown."""
        made = {name for name, _ in self.ev.named}
        for name, sub in self.ev.named:
            value = self.ev.scope.get(name)
            self.keep_error(name, sub.lineno)
            self.info.bindings[name] = Binding(name, sub.lineno, "assign", sub.value, value)
        self.ev.named.clear()
        if not self.failed:
            return  # what was not evaluated was skipped as Python skips it (``a or (y := 1)``)
        for name, line in _walrus_targets(node):
            if name not in made:
                self.bind_value(
                    name, line, node, None, None, "assigned inside an unevaluated expression"
                )

    def statement(self, stmt: ast.stmt) -> None:
        info, ev = self.info, self.ev
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            fn = FunctionValue(stmt.name, _annotated(stmt), stmt)
            self.keep_error(stmt.name, stmt.lineno)
            info.bindings[stmt.name] = Binding(stmt.name, stmt.lineno, "def", stmt, fn)
            ev.bind(stmt.name, fn)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            self.assignment(stmt)
        elif isinstance(stmt, ast.Delete):
            self.delete(stmt)
        elif isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Constant):
                return  # the docstring, or a stray literal
            _, err, _ = self.evaluate(stmt.value)
            if err:
                info.stmt_errors.append((stmt.lineno, err))
        else:
            if isinstance(stmt, ast.ImportFrom) and any(a.name == "*" for a in stmt.names):
                ev.star_import()  # compiling it fails, but names stay unknowable
            imported = isinstance(stmt, (ast.Import, ast.ImportFrom))
            reason = "bound by an import" if imported else "defined conditionally"
            if isinstance(stmt, ast.ClassDef):
                reason = "a nested class is not evaluated"
            for name, line in bound_names(stmt):
                if name == "*":
                    continue
                ev.bind_unknown(name, reason)
                info.bindings[name] = Binding(name, line, "assign", stmt, None, None, reason)

    def assignment(self, stmt: ast.Assign | ast.AnnAssign | ast.AugAssign) -> None:
        value_node = stmt.value
        if value_node is None:  # a bare annotation binds nothing
            return
        value, err, unk = self.evaluate(value_node)
        augmented = isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name)
        if augmented and not (err or unk):
            assert isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name)
            try:
                current = self.ev.lookup(stmt.target.id)
                extends = type(stmt.op) is ast.Add and type(current) is list
                if extends and isinstance(value, (str, tuple, dict)):  # list.__iadd__ extends
                    self.ev.budget.expect(8 * len(value) + 8)
                    value = list(value)
                value = self.ev.binop(type(stmt.op), current, value)
            except EvalError as exc:
                err = str(exc)
            except Unevaluable as exc:
                unk = str(exc)
        targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
        for target in targets:
            if isinstance(target, ast.Name):
                self.bind_value(target.id, stmt.lineno, value_node, value, err, unk)
                continue
            names = _targets(target)
            for n in names:
                reason = unk or "unpacking is not evaluated"
                self.bind_value(n.id, stmt.lineno, value_node, None, err, reason)
            if not names:
                self.mark_changed(target, stmt.lineno)

    def delete(self, stmt: ast.Delete) -> None:
        for target in stmt.targets:
            subs: list[ast.expr] = [*_targets(target)] or [target]
            for sub in subs:
                if not isinstance(sub, ast.Name):
                    self.mark_changed(sub, stmt.lineno)
                elif sub.id in self.ev.scope or sub.id in self.info.bindings:
                    self.ev.unbind(sub.id)  # later uses fall back to module names, as in Python
                    self.keep_error(sub.id, stmt.lineno)
                    self.info.bindings.pop(sub.id, None)
                else:
                    error = f"NameError: name '{sub.id}' is not defined"
                    self.info.stmt_errors.append((stmt.lineno, error))


def unwritable_text(value: Any, seen: dict[int, bool] | None = None) -> bool:
    """True when a str anywhere in ``value`` holds a lone surrogate (it cannot be UTF-8).

    ``seen`` remembers containers already answered, so values shared between fields are
    walked once; values are at most ``MAX_DEPTH`` deep (the evaluator's budget).
    """
    if isinstance(value, str):
        return not value.isascii() and SURROGATE.search(value) is not None
    if not isinstance(value, (dict, list, tuple, set, frozenset)):
        return False
    seen = {} if seen is None else seen
    known = seen.get(id(value))
    if known is None:
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)
        texts = [item for item in items if type(item) is str]
        joined = "".join(texts)  # one scan at C speed for the strs of this container
        known = not joined.isascii() and SURROGATE.search(joined) is not None
        if not known and len(texts) < len(items):
            distinct = dict(zip(map(id, items), items, strict=True)).values()  # [a] * n: a once
            known = any(unwritable_text(item, seen) for item in distinct if type(item) is not str)
        seen[id(value)] = known
    return known


def read_class(tree: ast.Module, index: int, source_length: int = 0) -> ClassInfo:
    """Evaluate the class body of ``tree.body[index]`` statically, statement by statement."""
    reader = _Reader(tree, index, source_length)
    for stmt in reader.info.node.body:
        reader.statement(stmt)
    seen: dict[int, bool] = {}
    searched = reader.ev.budget.surrogates  # else no str of any field can hold one
    for b in reader.info.bindings.values() if searched else ():
        if b.kind == "assign" and not (b.error or b.unknown) and unwritable_text(b.value, seen):
            b.error, b.code = "holds text that cannot be written as UTF-8", "E013"
    return reader.info


def _annotated(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    if args and args[0].arg in ("self", "cls"):
        args = args[1:]
    extra = [a for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
    return fn.returns is not None or any(a.annotation is not None for a in [*args, *extra])
