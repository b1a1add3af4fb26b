"""The one table of compiler diagnostics; every diagnostic is built from a row of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning", "advice"]


@dataclass(frozen=True)
class Code:
    """One diagnostic code: its severity, the pass that raises it, and its message template."""

    code: str
    severity: Severity
    pass_no: int
    pass_name: str
    template: str
    summary: str


@dataclass(frozen=True)
class Diagnostic:
    """A problem found in a module, tied to a line (1-based) when one applies."""

    code: str
    severity: Severity
    message: str
    line: int | None = None
    fixed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "line": self.line,
            "message": self.message,
            "fixed": self.fixed,
        }

    def __str__(self) -> str:
        """``E001 line 3: message``, without the line part when none applies."""
        where = f" line {self.line}" if self.line else ""
        return f"{self.code}{where}: {self.message}"


PASSES = {
    1: "Syntax",
    2: "Structure",
    3: "Type Inference",
    4: "Schema",
    5: "Type Check",
    6: "Execute",
    7: "Semantic",
    8: "Project",
}


def _row(code: str, severity: Severity, pass_no: int, template: str, summary: str) -> Code:
    return Code(code, severity, pass_no, PASSES[pass_no], template, summary)


TABLE: tuple[Code, ...] = (
    _row(
        "E001",
        "error",
        1,
        "Syntax error: {details}",
        "The file is not valid Python source (including binary and non-UTF-8 files).",
    ),
    _row(
        "E002",
        "error",
        2,
        "No class definition found",
        "The file has no class; every module holds exactly one class.",
    ),
    _row(
        "E003",
        "error",
        4,
        "Missing required field: '{field}'",
        "A field the module type requires is absent.",
    ),
    _row(
        "E004",
        "error",
        4,
        "Missing required method: '{method}()'",
        "A method the module type requires is absent (skills need run()).",
    ),
    _row(
        "E005",
        "error",
        6,
        "Runtime execution error: {error}",
        "Statically evaluating a field would raise (undefined name, 1/0, bad index).",
    ),
    _row(
        "E006",
        "error",
        6,
        "Required method '{method}()' is not callable",
        'The required method exists but is not a function (e.g. run = "text").',
    ),
    _row(
        "E007",
        "error",
        5,
        "Field '{field}' expects {expected}, got {actual}",
        "A field (or a plan step's field) has a wrong type that cannot be auto-corrected.",
    ),
    _row(
        "E008",
        "error",
        7,
        "{details}",
        "Duplicate plan step id, or depends_on references a nonexistent step.",
    ),
    _row(
        "E009",
        "error",
        7,
        "Circular dependency in plan step DAG: {cycle}",
        "The plan's steps form a cycle; the full path is reported.",
    ),
    _row(
        "E010",
        "error",
        7,
        "Invalid status '{status}' on step {step}",
        "A step status is not one of pending, running, complete, failed, blocked.",
    ),
    _row(
        "E011",
        "error",
        8,
        "Duplicate skill name '{name}': also defined in {other}",
        "Two skills in one project share a name (project-level check).",
    ),
    _row(
        "E012",
        "error",
        1,
        "Merge conflict in {where}: ours {ours}, theirs {theirs}; keep one side's lines (or "
        "combine them), delete the marker lines, then run `stato validate`",
        "An unresolved merge conflict: git-style markers (left by `stato merge-file`, the git "
        "merge driver, or git itself) around a field's assignment or a block of code, or inside a "
        "multi-line string (a docstring, a lesson), where Python would read them as text.",
    ),
    _row(
        "E013",
        "error",
        6,
        "Field '{field}' holds text that cannot be written as UTF-8 (a lone surrogate)",
        "A str in the field (or the docstring) holds a lone surrogate (written as a \\\\ud800 "
        "escape); no file, terminal or JSON output can carry it.",
    ),
    _row(
        "W001",
        "warning",
        5,
        "depends_on is string, auto-wrapping in list",
        'A skill\'s depends_on = "x" becomes ["x"].',
    ),
    _row(
        "W002",
        "warning",
        5,
        "depends_on is int, auto-wrapping in list",
        "A plan step's depends_on = 1 becomes [1].",
    ),
    _row(
        "W003",
        "warning",
        5,
        "Version missing patch number, auto-fixing: '{old}' -> '{new}'",
        'version = "1.0" becomes "1.0.0".',
    ),
    _row(
        "W004",
        "warning",
        7,
        "Missing status on step {step}, auto-set to 'pending'",
        'A plan step without a status gets status "pending".',
    ),
    _row(
        "W005",
        "warning",
        2,
        "Multiple classes found, using first ({name})",
        "Only the first class of the file is the module; the others are ignored.",
    ),
    _row(
        "W006",
        "warning",
        3,
        "Cannot confidently infer module type, defaulting to skill",
        "Neither the class name nor its fields identify a type; rename the class or pass --type.",
    ),
    _row(
        "I001",
        "advice",
        3,
        "Class naming convention: {type} classes should end with {suffix}",
        "Memory classes end with State, context with Context, protocol with Protocol.",
    ),
    _row(
        "I002",
        "advice",
        3,
        "No docstring on class",
        "Add a docstring that says what the module is for.",
    ),
    _row(
        "I003",
        "advice",
        7,
        "No lessons_learned on skill",
        "Skills benefit from lessons_learned capturing hard-won insights.",
    ),
    _row(
        "I004",
        "advice",
        7,
        "No decision_log on plan",
        "Plans benefit from a decision_log recording key choices.",
    ),
    _row(
        "I006",
        "advice",
        7,
        "run() has no type hints",
        "Type hints on run() help readers and tools.",
    ),
    _row(
        "I007",
        "advice",
        6,
        "Field '{field}' could not be checked statically ({reason})",
        "A field's value needs a call or an import to compute; it is never run, so unchecked.",
    ),
    _row(
        "I008",
        "advice",
        7,
        "Skill cannot be exported as an Agent Skill as-is: {reason}",
        "The skill's name or description breaks the Agent Skills rules; the export adapts it.",
    ),
)

BY_CODE: dict[str, Code] = {row.code: row for row in TABLE}


def make(code: str, line: int | None = None, *, fixed: bool = False, **params: Any) -> Diagnostic:
    """Build a diagnostic from its table row."""
    row = BY_CODE[code]
    shown = {k: _short(v) if isinstance(v, str) else v for k, v in params.items()}
    message = row.template.format(**shown)
    if not message.isascii():  # a lone surrogate from the module must not reach an output
        message = message.encode("utf-8", "backslashreplace").decode("utf-8")
    return Diagnostic(code, row.severity, message, line, fixed)


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:199] + "…"


def reference_markdown() -> str:
    """docs/error-codes.md, generated from the table (a test keeps the two equal)."""
    out = [
        "# stato diagnostic codes",
        "",
        "Generated from `src/stato/core/diagnostics.py`; do not edit by hand",
        '(regenerate with `python -c "from stato.core.diagnostics import reference_markdown as r; '
        "print(r(), end='')\" > docs/error-codes.md`).",
        "",
        "E-codes block a write, W-codes are auto-corrected (the fix is written back, the old text",
        "kept in `.stato/.history/`), I-codes are advice. I005 is unassigned; E011 (pass 8, the",
        "project-level check), E012 (merge-conflict markers), E013 (text that cannot be UTF-8),",
        "I007 and I008 are stato's additions after the spec's last codes.",
        "",
        "| Code | Severity | Pass | Message | Meaning |",
        "|---|---|---|---|---|",
    ]
    for row in TABLE:
        template = row.template.replace("|", "\\|")
        out.append(
            f"| {row.code} | {row.severity} | {row.pass_no} ({row.pass_name}) "
            f"| `{template}` | {row.summary} |"
        )
    return "\n".join(out) + "\n"
