"""Checks across the modules of one project (pass 8): skill names must not clash."""

from __future__ import annotations

from collections.abc import Sequence

from stato.core.agentskills import skill_dir_name
from stato.core.diagnostics import Diagnostic, make
from stato.core.model import ValidationResult
from stato.core.skillindex import skill_name

# What the checks need of one module: its path, its skill ``name`` (None when it is no skill
# or the name is not a string) and the line of that name. Callers that stream many modules
# keep only this, never the results.
Named = tuple[str, "str | None", "int | None"]


def named(result: ValidationResult) -> Named:
    """The part of a result the project checks read."""
    return result.path, skill_name(result), result.field_lines.get("name")


def clashes(modules: Sequence[Named]) -> list[list[Diagnostic]]:
    """For each module, in order: E011 when another skill uses its ``name``, then I008 when
    another skill's export takes its exported Agent Skill name (empty lists elsewhere)."""
    by_path: dict[str, list[str]] = {}  # name -> paths, in the order first seen (SkillIndex)
    for path, name, _ in modules:
        if name is not None:
            by_path.setdefault(name, []).append(path)
    at = {path: i for i, (path, _, _) in enumerate(modules)}
    by_name = {name: [at[p] for p in paths] for name, paths in by_path.items()}
    out: list[list[Diagnostic]] = [[] for _ in modules]
    for name, idxs in by_name.items():
        if len(idxs) < 2:
            continue
        for i in idxs:
            others = ", ".join(modules[j][0] for j in idxs if j != i)
            out[i].append(make("E011", modules[i][2], name=name, other=others))
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
                out[i].append(make("I008", modules[i][2], reason=reason))
    return out


def check_project(results: Sequence[ValidationResult]) -> list[ValidationResult]:
    """The results with E011 added to every skill whose ``name`` another skill also uses, and
    I008 to every skill whose exported Agent Skill name another skill's export also takes."""
    extra = clashes([named(r) for r in results])
    return [
        r.with_diagnostics(tuple(more)) if more else r
        for r, more in zip(results, extra, strict=True)
    ]
