"""`stato slice`: archive chosen modules, following or warning about their dependencies."""

from __future__ import annotations

from pathlib import Path

from stato.core.model import ValidationResult
from stato.core.skillindex import SkillIndex
from stato.ops.output import output_path
from stato.ops.project import find_root
from stato.ops.snapshot import SnapshotResult, archive_project, select


def dependencies(
    results: dict[str, ValidationResult], start: list[str]
) -> tuple[list[str], list[str]]:
    """Project modules the chosen skills depend on, transitively; and warnings for those left out.

    A ``depends_on`` entry names another skill as core.skillindex says (``name``, then file
    stem); entries naming nothing in the project (packages such as "scanpy") are ignored.
    """
    index = SkillIndex.build((p, r) for p, r in sorted(results.items()) if r.module_type == "skill")

    def deps_of(path: str) -> list[tuple[str, str]]:
        deps = results[path].fields.get("depends_on")
        found = [
            (d, target)
            for d in (deps if isinstance(deps, list) else [])
            if isinstance(d, str) and (target := index.find(d)) is not None
        ]
        return [(d, target) for d, target in found if target != path]

    closure, queue = list(start), list(start)
    while queue:
        for _, target in deps_of(queue.pop(0)):
            if target not in closure:
                closure.append(target)
                queue.append(target)
    warnings = [
        f"{p} depends on {d!r} ({target}), which is not in the slice; add --with-deps to include it"
        for p in start
        for d, target in deps_of(p)
        if target not in start
    ]
    return sorted(closure), warnings


def slice_project(
    path: Path | str,
    modules: tuple[str, ...],
    *,
    with_deps: bool = False,
    name: str | None = None,
    output: Path | str | None = None,
    sanitize: bool = False,
    force: bool = False,
) -> SnapshotResult:
    """Archive chosen modules; depends_on on other project skills is followed or warned about."""
    if output is not None:
        output_path(output)  # refused before any module is read
    root = find_root(path)

    def choose(results: dict[str, ValidationResult]) -> tuple[list[str], str, tuple[str, ...]]:
        chosen = select(results, modules)
        closure, missing = dependencies(results, chosen)
        if with_deps:
            chosen = closure
        default = Path(output).stem if output else f"{Path(chosen[0]).stem}-slice"
        return chosen, default if name is None else name, () if with_deps else tuple(missing)

    return archive_project(
        root, choose, output=output, partial=True, sanitize=sanitize, force=force
    )
