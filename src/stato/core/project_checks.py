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


def clashes(modules: Sequence[Named]) -> dict[int, list[Diagnostic]]:
    """By position in ``modules``, the modules that clash: E011 when another skill uses its
    ``name``, then I008 when another skill's export takes its exported Agent Skill name.
    Modules with no skill name may be left out of ``modules``: they never clash.

    Lean on purpose (a list or string per clash, not per module): validate and status call it
    once with every module of a large project.
    """
    first: dict[str, int] = {}  # name -> position of the first module using it
    shared: dict[str, list[int]] = {}  # name -> positions, for names two modules use
    for i, (_, name, _) in enumerate(modules):
        if name is None:
            continue
        if name in first:
            shared.setdefault(name, [first[name]]).append(i)
        else:
            first[name] = i
    by_name: dict[str, list[int]] = {}
    for name in sorted(shared, key=first.__getitem__):  # in the order names are first seen
        last = {modules[j][0]: j for j in shared[name]}  # a file given twice: its last place
        by_name[name] = [last[modules[j][0]] for j in shared[name]]
    out: dict[int, list[Diagnostic]] = {}
    for name, idxs in by_name.items():
        for i in idxs:
            others = ", ".join(modules[j][0] for j in idxs if j != i)
            out.setdefault(i, []).append(make("E011", modules[i][2], name=name, other=others))
    exported: dict[str, str] = {}  # export name -> the first name exported as it
    collide: dict[str, list[str]] = {}
    for name in first:
        as_dir = skill_dir_name(name)
        if as_dir in exported:
            collide.setdefault(as_dir, [exported[as_dir]]).append(name)
        else:
            exported[as_dir] = name
    for as_dir in sorted(collide, key=lambda e: first[exported[e]]):
        names = collide[as_dir]
        for name in names:
            others = ", ".join(repr(n) for n in names if n != name)
            reason = f"name {name!r} is exported as {as_dir!r}, as {others} also is"
            for i in by_name.get(name) or [first[name]]:
                out.setdefault(i, []).append(make("I008", modules[i][2], reason=reason))
    return out


def check_project(results: Sequence[ValidationResult]) -> list[ValidationResult]:
    """The results with E011 added to every skill whose ``name`` another skill also uses, and
    I008 to every skill whose exported Agent Skill name another skill's export also takes."""
    extra = clashes([named(r) for r in results])
    return [r.with_diagnostics(tuple(extra[i])) if i in extra else r for i, r in enumerate(results)]
