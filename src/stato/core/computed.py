"""Secrets a module's fields compute but its text never spells, where a text scan cannot look."""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from stato.core.gate import field_strings

if TYPE_CHECKING:
    from stato.core.model import ValidationResult
    from stato.core.privacy import Finding


# Literals of an unevaluated field joined in runs of up to _RUN neighbours, of its first
# _PIECES: a key split in a few parts is found, and the work stays bounded.
_RUN = 8
_PIECES = 64


def computed_strings(result: ValidationResult) -> list[tuple[int, str]]:
    """(line, text) for every string a field builds that the module's text does not hold as
    it is: the values the evaluator computed (``"ghp_" + "..."``, ``"...".join([...])``,
    adjacent literals), kept for invalid modules too; and, for a field it could not evaluate
    (a call, an E005), that field's string literals, alone and joined with their neighbours."""
    out: dict[str, int] = {}
    for name, value in result.fields.items():
        line = result.field_lines.get(name, 1)
        for text in field_strings(value):
            out.setdefault(text, line)
    for line, text in _unevaluated(result):
        out.setdefault(text, line)
    return [(line, text) for text, line in out.items() if text and text not in result.source]


def _unevaluated(result: ValidationResult) -> Iterator[tuple[int, str]]:
    lines = {line for name, line in result.field_lines.items() if name not in result.fields}
    if not lines:
        return
    try:
        tree = ast.parse(result.source)  # parsed, never run
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.lineno in lines and node.value:
            pieces = sorted(
                (c for c in ast.walk(node.value) if isinstance(c, ast.Constant)),
                key=lambda c: (c.lineno, c.col_offset),
            )
            texts = [c.value for c in pieces if isinstance(c.value, str)][:_PIECES]
            for i in range(len(texts)):  # each run of neighbouring literals, as + would join them
                for j in range(i + 1, min(len(texts), i + _RUN) + 1):
                    yield node.lineno, "".join(texts[i:j])


def secret_findings(result: ValidationResult, ignore: Sequence[str] = ()) -> list[Finding]:
    """The privacy findings in ``computed_strings``, placed at their field's line. No span in
    the text holds them, so a --sanitize cannot replace them: a caller refuses on them."""
    from stato.core.privacy import scan_text

    out: list[Finding] = []
    for line, text in computed_strings(result):
        for f in scan_text(text, result.path, ignore):
            out.append(replace(f, line=line, column=0, end_line=line, end_column=0))
    return out
