"""Checks across the modules of one project (pass 8): skill names must not clash."""

from __future__ import annotations

from collections.abc import Sequence

from stato.core.agentskills import skill_dir_name
from stato.core.diagnostics import make
from stato.core.model import ValidationResult
from stato.core.skillindex import SkillIndex


def check_project(results: Sequence[ValidationResult]) -> list[ValidationResult]:
    """The results with E011 added to every skill whose ``name`` another skill also uses, and
    I008 to every skill whose exported Agent Skill name another skill's export also takes."""
    index = SkillIndex.build((r.path, r) for r in results)  # one project: distinct paths
    at = {r.path: i for i, r in enumerate(results)}
    by_name = {name: [at[p] for p in index.paths_named(name)] for name in index.names()}
    out = list(results)
    for name, idxs in by_name.items():
        if len(idxs) < 2:
            continue
        for i in idxs:
            others = ", ".join(results[j].path for j in idxs if j != i)
            line = results[i].field_lines.get("name")
            out[i] = out[i].with_diagnostics((make("E011", line, name=name, other=others),))
    by_export: dict[str, list[str]] = {}
    for name in by_name:
        by_export.setdefault(skill_dir_name(name), []).append(name)
    for exported, names in by_export.items():
        if len(names) < 2:
            continue
        for name in names:
            others = ", ".join(repr(n) for n in names if n != name)
            reason = f"name {name!r} is exported as {exported!r}, as {others} also is"
            for i in by_name[name]:
                line = results[i].field_lines.get("name")
                out[i] = out[i].with_diagnostics((make("I008", line, reason=reason),))
    return out
