"""The 7-pass compiler: source text in, a ValidationResult with diagnostics out. Nothing is run."""

from __future__ import annotations

import ast
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from stato.core.classinfo import ClassInfo, read_class, unwritable_text
from stato.core.diagnostics import BY_CODE, Diagnostic, make
from stato.core.edits import Edit, Offsets, OverlappingEdits, apply_edits
from stato.core.evaluator import FunctionValue
from stato.core.model import MODULE_TYPES, ValidationResult
from stato.core.schemas import SCHEMAS
from stato.core.semantic import semantic_checks
from stato.core.source import source_text
from stato.core.typecheck import check_fields


def _conflicts(source: str) -> tuple[Diagnostic, ...]:
    """One E012 per block of git's conflict markers at the start of a line (free when none)."""
    if not (source.startswith("<<<<<<<") or "\n<<<<<<<" in source):
        return ()
    from stato.core.conflict_markers import conflict_diagnostics

    return conflict_diagnostics(source)


def _parse(source: str) -> tuple[ast.Module | None, Diagnostic | None]:
    try:
        return ast.parse(source), None
    except SyntaxError as exc:
        msg = exc.msg or "invalid syntax"
        return None, make("E001", exc.lineno, details=msg)
    except (ValueError, MemoryError, RecursionError) as exc:
        return None, make("E001", None, details=f"{type(exc).__name__}: {exc}"[:200])


def infer_type(info: ClassInfo) -> tuple[str, int]:
    """The nine inference rules in order; returns (type, rule number)."""
    name = info.name
    has = info.bindings.__contains__
    # Tried in order, each only when the ones before did not match (most modules match early).
    if name.endswith("Context"):
        return "context", 1
    if name.endswith("State"):
        return "memory", 2
    if name.endswith("Protocol"):
        return "protocol", 3
    if has("steps") and has("objective"):
        return "plan", 4
    if has("handoff_schema"):
        return "protocol", 5
    has_run = has("run")
    if has("phase") and not has_run:
        return "memory", 6
    if has("project") and has("description") and not has_run:
        return "context", 7
    if has_run:
        return "skill", 8
    return "skill", 9


FIX_CODES = frozenset({"W001", "W002", "W003", "W004"})


@dataclass
class _Checked:
    """Passes 3-7 over one text: what the module is, its diagnostics and the fixes it needs."""

    module_type: str
    info: ClassInfo
    docstring: str | None
    diags: list[Diagnostic]
    edits: list[Edit]


def compile_source(
    source: str | bytes,
    path: str = "<module>",
    expected_type: str | None = None,
    *,
    fix: bool = True,
) -> ValidationResult:
    """Run the seven passes over one module's source; never raises on bad input.

    With ``fix`` (the default) the auto-corrections are applied to ``corrected_source`` and the
    later passes read the corrected text; a fix is applied (and its diagnostic says ``fixed``)
    only when it changes the text and leaves no error the original did not have.
    """
    return compile_node(source, path, expected_type, fix=fix)[0]


def compile_node(
    source: str | bytes,
    path: str = "<module>",
    expected_type: str | None = None,
    *,
    fix: bool = True,
) -> tuple[ValidationResult, ast.ClassDef | None]:
    """``compile_source``, and the module's class as parsed from ``corrected_source`` (None when
    the module has no class the passes read): a merge edits that text from it, unparsed again."""
    if expected_type is not None and expected_type not in MODULE_TYPES:
        raise ValueError(f"unknown module type {expected_type!r}")
    text, problem = source_text(source)
    if text is None:
        return ValidationResult(
            path, "", "", None, None, diagnostics=(make("E001", None, details=problem),)
        ), None
    source = text

    # Pass 1: syntax. Conflict markers are a syntax error, or hide inside a multi-line string
    # (a docstring, a lesson) where Python parses them as text: either way, name the conflict
    # (E012) instead of compiling a half-merged module.
    tree, err = _parse(source)
    found = _conflicts(source)
    if found:
        return ValidationResult(path, source, source, None, None, diagnostics=found), None
    if tree is None:
        assert err is not None
        return ValidationResult(path, source, source, None, None, diagnostics=(err,)), None

    # Pass 2: structure.
    diags: list[Diagnostic] = []
    classes = [(i, s) for i, s in enumerate(tree.body) if isinstance(s, ast.ClassDef)]
    if not classes:
        no_class = (make("E002", 1),)
        return ValidationResult(path, source, source, None, None, diagnostics=no_class), None
    if len(classes) > 1:
        diags.append(make("W005", classes[1][1].lineno, name=classes[0][1].name))
    index = classes[0][0]

    # Passes 3-7, then again over the corrected text when pass 5 found something to fix.
    checked = _check(tree, index, source, expected_type)
    corrected = source
    if checked.edits:
        corrected, checked = _fixed(source, checked, index, expected_type, fix)
    diags.extend(checked.diags)
    diags.sort(key=lambda d: (BY_CODE[d.code].pass_no, d.line or 0))
    info = checked.info
    fields, methods = _materialized(info)
    result = ValidationResult(
        path=path,
        source=source,
        corrected_source=corrected,
        module_type=checked.module_type,
        class_name=info.name,
        docstring=checked.docstring,
        fields=fields,
        field_lines={n: b.line for n, b in info.bindings.items() if b.kind == "assign"},
        methods=methods,
        diagnostics=tuple(diags),
    )
    return result, info.node


def _check(tree: ast.Module, index: int, source: str, expected_type: str | None) -> _Checked:
    diags: list[Diagnostic] = []
    info = read_class(tree, index, len(source))

    # Pass 3: type inference.
    if expected_type is not None:
        module_type = expected_type
    else:
        module_type, rule = infer_type(info)
        if rule == 9:
            diags.append(make("W006", info.node.lineno))
    schema = SCHEMAS[module_type]
    if schema.suffix and not info.name.endswith(schema.suffix):
        diags.append(make("I001", info.node.lineno, type=module_type, suffix=schema.suffix))
    docstring = ast.get_docstring(info.node)
    if not docstring:
        diags.append(make("I002", info.node.lineno))
    elif unwritable_text(docstring):
        diags.append(make("E013", info.node.lineno, field="docstring"))
        docstring = None

    # Pass 4: schema.
    for name in schema.required_fields:
        if not info.has(name):
            diags.append(make("E003", info.node.lineno, field=name))
    for method in schema.required_methods:
        if not info.has(method):
            diags.append(make("E004", info.node.lineno, method=method))

    # Pass 5: type check, collecting auto-corrections as edits (applied by the caller).
    type_diags, edits = check_fields(info, module_type, Offsets(source))
    diags.extend(type_diags)

    # Pass 6: "execute", statically.
    diags.extend(_execute_pass(info, module_type))

    # Pass 7: semantic rules.
    diags.extend(semantic_checks(info, module_type))
    return _Checked(module_type, info, docstring, diags, edits)


def _unfixed(checked: _Checked) -> _Checked:
    diags = [replace(d, fixed=False) if d.fixed else d for d in checked.diags]
    return replace(checked, diags=diags, edits=[])


def _fixed(
    source: str, checked: _Checked, index: int, expected_type: str | None, fix: bool
) -> tuple[str, _Checked]:
    """Apply the fixes and check the corrected text; keep them only if they did good."""
    if not fix:
        return source, _unfixed(checked)
    try:
        corrected = apply_edits(source, checked.edits)
        tree = ast.parse(corrected)
    except (OverlappingEdits, SyntaxError, ValueError, RecursionError, MemoryError):
        return source, _unfixed(checked)
    if corrected == source:
        return source, _unfixed(checked)
    after = _check(tree, index, corrected, expected_type)
    before_errors = Counter((d.code, d.line) for d in checked.diags if d.severity == "error")
    after_errors = Counter((d.code, d.line) for d in after.diags if d.severity == "error")
    if after.module_type != checked.module_type or after_errors - before_errors:
        return source, _unfixed(checked)  # a fix that breaks the module is not applied
    remaining = {(d.code, d.line) for d in after.diags if d.code in FIX_CODES}
    fixes = [
        replace(d, fixed=d.fixed and (d.code, d.line) not in remaining)
        for d in checked.diags
        if d.code in FIX_CODES
    ]
    kept = [d for d in after.diags if d.code not in FIX_CODES]
    return corrected, replace(after, diags=kept + fixes, edits=[])


def _execute_pass(info: ClassInfo, module_type: str) -> list[Diagnostic]:
    diags = [make("E005", line, error=msg) for line, msg in info.stmt_errors]
    schema = SCHEMAS[module_type]
    for b in info.bindings.values():
        if b.error and b.code == "E013":
            diags.append(make("E013", b.line, field=b.name))
        elif b.error:
            diags.append(make("E005", b.line, error=b.error))
        elif b.unknown:
            diags.append(make("I007", b.line, field=b.name, reason=b.unknown))
    for method in schema.required_methods:
        found = info.bindings.get(method)
        if found is None or found.kind == "def" or found.error or found.unknown:
            continue
        if not isinstance(found.value, FunctionValue):
            diags.append(make("E006", found.line, method=method))
    return diags


def _materialized(info: ClassInfo) -> tuple[dict[str, Any], tuple[str, ...]]:
    fields: dict[str, Any] = {}
    methods: list[str] = []
    for name, b in info.bindings.items():
        if isinstance(b.value, FunctionValue):
            methods.append(name)
        elif b.kind == "assign" and not b.error and not b.unknown:
            fields[name] = b.value
    return fields, tuple(methods)
