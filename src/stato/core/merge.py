"""The merge strategies, and merging two sets of modules; one module's merge is merge_module.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from stato.core.compiler import compile_source
from stato.core.merge_module import Compile, ModuleMerge, Strategy, Viewed, merge_module, taken
from stato.core.merge_values import Conflict
from stato.errors import ModuleInvalid


@dataclass(frozen=True)
class MergeResult:
    """Two module sets merged: the merged texts by path and what happened to each module."""

    strategy: Strategy
    modules: dict[str, str]
    outcomes: tuple[ModuleMerge, ...]

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for o in self.outcomes for c in o.conflicts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy.id,
            "resolved": self.strategy.resolved,
            "modules": [o.to_dict() for o in self.outcomes],
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


def _pair_by_name(
    left_only: dict[str, ModuleMerge], right_only: dict[str, ModuleMerge]
) -> list[tuple[str, str]]:
    """One-sided skills at different paths with the same ``name``: the same skill, moved.

    Its own rule, not core.skillindex's lookup: a pair needs a unique ``name`` match on the
    left, and a file stem never pairs two skills.
    """
    by_name: dict[str, list[str]] = {}  # one look-up per skill, not a pass over the left
    for path, o in left_only.items():
        if o.skill_name is not None:
            by_name.setdefault(o.skill_name, []).append(path)
    pairs: list[tuple[str, str]] = []
    paired: set[str] = set()
    for r_path, r in right_only.items():
        same_name = by_name.get(r.skill_name, []) if r.skill_name is not None else []
        if len(same_name) == 1 and same_name[0] not in paired:
            pairs.append((same_name[0], r_path))
            paired.add(same_name[0])
    return pairs


def merge_sets(
    left: Mapping[str, str],
    right: Mapping[str, str],
    strat: Strategy,
    compiled: Compile = compile_source,
    viewed: Viewed | None = None,
) -> MergeResult:
    """Merge two module sets {path: text}: one-sided modules are taken, shared ones merged.

    A skill found under different paths on the two sides (same ``name``) is merged too, at the
    winner's path, and the path is reported as a conflict. ``compiled`` answers (text, path)
    with its compile result (by default it compiles); ``viewed``, when given, each side of a
    module both hold (merge_module).
    """
    c = compiled
    left_only = {p: taken(p, "left", t, c) for p, t in sorted(left.items()) if p not in right}
    right_only = {p: taken(p, "right", t, c) for p, t in sorted(right.items()) if p not in left}
    shared = sorted(set(left) & set(right))
    outcomes = [merge_module(p, left[p], right[p], strat, c, viewed) for p in shared]
    for lp, rp in _pair_by_name(left_only, right_only):
        del left_only[lp], right_only[rp]
        path = lp if strat.winner == "left" else rp
        out = merge_module(path, left[lp], right[rp], strat, c, viewed)
        moved = Conflict(path, "path", lp, rp, strat.winner, "the same skill at two paths")
        outcomes.append(replace(out, origin="merged", conflicts=(moved, *out.conflicts)))
    outcomes += [*left_only.values(), *right_only.values()]
    outcomes.sort(key=lambda o: o.path)
    _unique_skill_names(outcomes)
    return MergeResult(strat, {o.path: o.text for o in outcomes}, tuple(outcomes))


def _unique_skill_names(outcomes: list[ModuleMerge]) -> None:
    """Refuse a merge that would hold two skills with one name (E011 on import)."""
    seen: dict[str, str] = {}
    for o in outcomes:
        if o.skill_name is None:
            continue
        if o.skill_name in seen:
            raise ModuleInvalid(
                f"the merge would hold two skills named {o.skill_name!r} ({seen[o.skill_name]} "
                f"and {o.path}); rename one of them in its archive first"
            )
        seen[o.skill_name] = o.path
