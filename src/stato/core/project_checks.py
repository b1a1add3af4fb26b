"""Checks across the modules of one project (pass 8): two skills must not share a name."""

from __future__ import annotations

from collections.abc import Sequence

from stato.core.diagnostics import make
from stato.core.model import ValidationResult


def check_project(results: Sequence[ValidationResult]) -> list[ValidationResult]:
    """The results with E011 added to every skill whose ``name`` another skill also uses."""
    by_name: dict[str, list[int]] = {}
    for i, r in enumerate(results):
        name = r.fields.get("name")
        if r.module_type == "skill" and isinstance(name, str):
            by_name.setdefault(name, []).append(i)
    out = list(results)
    for name, idxs in by_name.items():
        if len(idxs) < 2:
            continue
        for i in idxs:
            others = ", ".join(results[j].path for j in idxs if j != i)
            line = results[i].field_lines.get("name")
            out[i] = out[i].with_diagnostics((make("E011", line, name=name, other=others),))
    return out
