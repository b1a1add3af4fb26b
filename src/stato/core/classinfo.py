"""What a module's source holds at its top level and in its class body, read from the AST."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

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
    error: str | None = None  # EvalError message (E005)
    unknown: str | None = None  # Unevaluable reason (I007)


@dataclass
class ClassInfo:
    """The first class of a module, with its bindings evaluated statically, in order."""

    node: ast.ClassDef
    bindings: dict[str, Binding] = field(default_factory=dict)
    stmt_errors: list[tuple[int, str]] = field(default_factory=list)  # E005 from bare statements

    @property
    def name(self) -> str:
        return self.node.name

    def has(self, name: str) -> bool:
        return name in self.bindings

    def field_value(self, name: str) -> Any:
        b = self.bindings.get(name)
        return None if b is None else b.value

    def is_field(self, name: str) -> bool:
        b = self.bindings.get(name)
        return b is not None and b.kind == "assign"


def _module_scope(tree: ast.Module, before: int) -> tuple[dict[str, ast.expr], set[str]]:
    """Module-level names bound before the class: simple constants, and everything else."""
    constants: dict[str, ast.expr] = {}
    unknown: set[str] = set()
    for stmt in tree.body[:before]:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            constants[stmt.targets[0].id] = stmt.value
            unknown.discard(stmt.targets[0].id)
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.value:
            constants[stmt.target.id] = stmt.value
        else:
            for node in (
                ast.walk(stmt)
                if not isinstance(stmt, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef))
                else [stmt]
            ):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    unknown.add(node.name)
                elif isinstance(node, ast.alias):
                    unknown.add((node.asname or node.name).split(".")[0])
                elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    unknown.add(node.id)
                    constants.pop(node.id, None)
    return constants, unknown


def _targets(target: ast.expr) -> list[ast.Name]:
    if isinstance(target, ast.Name):
        return [target]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _targets(elt)]
    return []


def read_class(tree: ast.Module, index: int) -> ClassInfo:
    """Evaluate the class body of ``tree.body[index]`` statically, statement by statement."""
    cls = tree.body[index]
    assert isinstance(cls, ast.ClassDef)
    info = ClassInfo(cls)
    ev = Evaluator(*_module_scope(tree, index))

    def bind_value(
        name: str, line: int, node: ast.AST, value: Any, err: str | None, unk: str | None
    ) -> None:
        info.bindings[name] = Binding(name, line, "assign", node, value, err, unk)
        if err or unk:
            ev.bind_unknown(name)
        else:
            ev.bind(name, value)

    for stmt in cls.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            annotated = _annotated(stmt)
            fn = FunctionValue(stmt.name, annotated, stmt)
            info.bindings[stmt.name] = Binding(stmt.name, stmt.lineno, "def", stmt, fn)
            ev.bind(stmt.name, fn)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            value_node = stmt.value
            if value_node is None:  # a bare annotation binds nothing
                continue
            err = unk = None
            value: Any = None
            try:
                value = ev.eval(value_node)
                if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
                    from stato.core.evalrules import BINOPS

                    current, op = ev.lookup(stmt.target.id), BINOPS[type(stmt.op)]
                    value = Evaluator._safe(lambda c=current, v=value, f=op: f(c, v))  # type: ignore[misc]
            except EvalError as exc:
                err = str(exc)
            except Unevaluable as exc:
                unk = str(exc)
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                names = _targets(target)
                if isinstance(target, ast.Name):
                    bind_value(target.id, stmt.lineno, value_node, value, err, unk)
                else:
                    for n in names:
                        bind_value(
                            n.id,
                            stmt.lineno,
                            value_node,
                            None,
                            err,
                            unk or "unpacking is not evaluated",
                        )
        elif isinstance(stmt, ast.Expr):
            if isinstance(stmt.value, ast.Constant):
                continue  # the docstring, or a stray literal
            try:
                ev.eval(stmt.value)
            except EvalError as exc:
                info.stmt_errors.append((stmt.lineno, str(exc)))
            except Unevaluable:
                pass  # a call or the like in the class body: never run, nothing to check
        else:
            for node in ast.walk(stmt):
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                    ev.bind_unknown(node.id)
                elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    ev.bind_unknown(node.name)
                    info.bindings[node.name] = Binding(
                        node.name, node.lineno, "assign", node, None, None, "defined conditionally"
                    )
    return info


def _annotated(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    args = [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]
    if args and args[0].arg in ("self", "cls"):
        args = args[1:]
    extra = [a for a in (fn.args.vararg, fn.args.kwarg) if a is not None]
    return fn.returns is not None or any(a.annotation is not None for a in [*args, *extra])
