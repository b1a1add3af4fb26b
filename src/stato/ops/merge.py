"""Merge two .stato archives into a third: read both (hostile-safe), merge, write atomically."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from stato.adapters.resultcache import ResultCache
from stato.core.compiler import compile_node
from stato.core.diff import ModuleView, view
from stato.core.merge import MergeResult, merge_sets
from stato.core.merge_module import Compile, Viewed, strategy
from stato.core.model import ValidationResult
from stato.errors import StatoError
from stato.formats.manifest import NAME_RE, Manifest, ModuleEntry, utc_iso
from stato.ops.batch import Job, compile_jobs, gate_texts


@dataclass(frozen=True)
class MergeReport:
    """What a merge did (or, with ``dry_run``, would do)."""

    left: str
    right: str
    output: str
    dry_run: bool
    written: bool
    manifest: Manifest
    result: MergeResult
    notes: tuple[str, ...] = ()  # what the user must know about an input (0.5: no checksums)
    backup: str | None = None  # where the file the merged archive replaced was kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "output": self.output,
            "dry_run": self.dry_run,
            "written": self.written,
            "name": self.manifest.name,
            "created": self.manifest.created,
            "template": self.manifest.template,
            "partial": self.manifest.partial,
            **self.result.to_dict(),
            "notes": list(self.notes),
            "backup": self.backup,
        }


def _name(output: Path, left: Manifest, right: Manifest) -> str:
    """The merged archive's name: the output file's stem, or both input names joined."""
    stem = output.name[: -len(".stato")] if output.name.endswith(".stato") else output.stem
    if NAME_RE.match(stem):
        return stem
    joined = left.name if left.name == right.name else f"{left.name}-{right.name}"
    return joined[:100]


def _created(left: Manifest, right: Manifest) -> str:
    """The later of the two inputs' times: deterministic, and no older than what it holds.

    A time without an offset (the reader accepts any ISO-8601 time) is taken as UTC: compared
    with an aware one it raised TypeError, and converted as local time it depended on the
    machine's time zone.
    """
    moments = [datetime.fromisoformat(m.created.replace("Z", "+00:00")) for m in (left, right)]
    return utc_iso(max(t if t.tzinfo else t.replace(tzinfo=timezone.utc) for t in moments))


def merged_manifest(output: Path, left: Manifest, right: Manifest, result: MergeResult) -> Manifest:
    """The manifest of the merged archive; the same inputs always give the same manifest."""
    from stato import __version__

    entries = tuple(
        ModuleEntry.for_text(
            o.path, o.text, o.module_type or "skill", o.class_name or "Module", o.version
        )
        for o in result.outcomes
    )
    return Manifest(
        name=_name(output, left, right),
        created=_created(left, right),
        stato_version=__version__,
        template=left.template and right.template,
        partial=left.partial or right.partial,
        modules=entries,
    )


def _compiled_both(
    left: dict[str, str], right: dict[str, str], cache: ResultCache
) -> tuple[Compile, Viewed]:
    """Compile every distinct module text of both sides once, in one batch (the result cache
    answers texts seen before); the merge asks for them by (text, path) instead of compiling
    again, and a text it makes (a merged module) is compiled once and cached too. A result
    depends on the text alone: the same text at another path only takes that path's name.

    The two sides of a module both hold with different texts are compiled when the merge views
    them (``Viewed``), so the class their compile parsed is its view's, not parsed again."""
    apart = {t for p, t in left.items() if p in right and right[p] != t}
    apart |= {right[p] for p in left if p in right and right[p] != left[p]}
    jobs: list[Job] = list(
        {t: (p, t, None) for s in (left, right) for p, t in s.items() if t not in apart}.values()
    )
    done = {(j[1], j[2]): r for j, r in zip(jobs, compile_jobs(jobs, cache=cache), strict=True)}

    def compiled(text: str, path: str, expected: str | None) -> ValidationResult:
        found = done.get((text, expected))
        if found is None:
            found = done[(text, expected)] = compile_jobs([(path, text, expected)], cache=cache)[0]
        return found if found.path == path else replace(found, path=path)

    def viewed(text: str, path: str) -> ModuleView:
        node = None
        found = done.get((text, None))
        if found is None:
            found = cache.get_result(path, text, None)  # a warm cache: parsed once, for the view
        if found is None:
            found, node = compile_node(text, path)
            cache.put_result(text, None, found)
        done[(text, None)] = found
        found = found if found.path == path else replace(found, path=path)
        return view(text, path, result=found, node=node)

    return compiled, viewed


def merge_archives(
    left: Path, right: Path, output: Path, strategy_id: str = "union", dry_run: bool = False
) -> MergeReport:
    """Merge ``left`` and ``right`` into ``output``; nothing is written on any error or dry run."""
    from stato.adapters.archive import read_archive, write_archive
    from stato.formats.manifest_v0 import notes
    from stato.ops.output import backup_path, output_path

    output = output_path(output)  # never over a module or anything else in .stato/
    strat = strategy(strategy_id)
    a, b = read_archive(left), read_archive(right)
    cache = ResultCache.for_project(output.resolve().parent)
    compiled, viewed = _compiled_both(a.modules, b.modules, cache)
    result = merge_sets(a.modules, b.modules, strat, compiled, viewed)
    if not result.modules:
        raise StatoError(f"{left} and {right} hold no modules; there is nothing to merge")
    manifest = merged_manifest(output, a.manifest, b.manifest, result)
    try:  # a poisoned side never travels on in the merge
        gate_texts(result.modules, verb="merge", cache=cache)
    finally:
        cache.save()
    kept = None
    if not dry_run:
        keep = backup_path(output)
        write_archive(output, manifest, result.modules, keep_as=keep)
        kept = str(keep) if keep is not None and os.path.lexists(keep) else None
    said = notes(a.manifest, left.name) + notes(b.manifest, right.name)
    return MergeReport(
        str(left), str(right), str(output), dry_run, not dry_run, manifest, result, said, kept
    )
