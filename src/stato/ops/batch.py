"""Compiling many modules at once: on every core for large projects, in order for small ones."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from stato.adapters.resultcache import ResultCache
from stato.core.compiler import compile_source, source_text
from stato.core.model import ValidationResult

# Below this many modules a worker process costs more than it saves.
PARALLEL_FROM = 800

Job = tuple[str, "str | bytes", "str | None"]

# The work of a forked pool: set just before the fork, so workers read it from their copy of
# memory and only (start, end) bounds travel to them, never the texts.
_FORKED: Sequence[Any] = ()
_IGNORE: Sequence[str] = ()


def _compile_chunk(jobs: Sequence[Job]) -> list[ValidationResult]:
    return [compile_source(source, path, expected) for path, source, expected in jobs]


def _compile_range(bounds: tuple[int, int]) -> list[tuple[ValidationResult, bool]]:
    """Compile a slice of the forked jobs; the texts are left out of what goes back."""
    out = []
    for result in _compile_chunk(_FORKED[bounds[0] : bounds[1]]):
        changed = result.changed
        kept = result.corrected_source if changed else ""
        out.append((replace(result, source="", corrected_source=kept), changed))
    return out


def _scan_range(bounds: tuple[int, int]) -> list[Any]:
    from stato.core.privacy import scan_many

    return scan_many(dict(_FORKED[bounds[0] : bounds[1]]), _IGNORE)


def _forked_map(
    fn: Callable[[tuple[int, int]], list[Any]],
    work: Sequence[Any],
    workers: int,
    ignore: Sequence[str] = (),
) -> Iterator[tuple[int, list[Any]]]:
    """(start, fn's answer) for slices of ``work``, in order, from ``workers`` forked processes.

    A few slices per worker even out the load, and give a progress bar something to count.
    """
    import multiprocessing

    global _FORKED, _IGNORE
    size = max(1, -(-len(work) // (workers * 4)))
    bounds = [(i, min(i + size, len(work))) for i in range(0, len(work), size)]
    _FORKED, _IGNORE = work, ignore
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (start, _), part in zip(bounds, pool.imap(fn, bounds), strict=True):
                yield start, part
    finally:
        _FORKED, _IGNORE = (), ()


def _workers(count: int) -> int:
    """How many processes to compile ``count`` modules with: 1 unless it clearly pays."""
    if count < PARALLEL_FROM or os.environ.get("STATO_JOBS") == "1":
        return 1
    if not sys.platform.startswith("linux"):  # fork is the cheap start; elsewhere stay serial
        return 1
    import threading

    if threading.active_count() > 1:  # forking a threaded process (an MCP server) can deadlock
        return 1
    wanted = os.environ.get("STATO_JOBS")
    cores = len(os.sched_getaffinity(0))
    return max(1, min(int(wanted) if wanted and wanted.isdigit() else cores, 8))


def compile_jobs(
    jobs: Sequence[Job],
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
) -> list[ValidationResult]:
    """Compile (path, source, expected type) jobs; results in the same order as the jobs.

    The compiler is pure and never runs module code, so the work splits cleanly across
    processes, and a text compiled before is answered from ``cache``; results are identical
    to compiling one by one (tests hold them equal).
    """
    if cache is None or not cache.enabled:
        return _compile_all(jobs, progress)
    found = [cache.get_result(path, source, expected) for path, source, expected in jobs]
    missing = [i for i, r in enumerate(found) if r is None]
    if progress and len(missing) < len(jobs):
        progress(len(jobs) - len(missing))
    fresh = _compile_all([jobs[i] for i in missing], progress)
    out: list[ValidationResult] = []
    fresh_at = dict(zip(missing, fresh, strict=True))
    for i, (_, source, expected) in enumerate(jobs):
        result = found[i]
        if result is None:
            result = fresh_at[i]
            cache.put_result(source, expected, result)
        out.append(result)
    return out


def _compile_all(
    jobs: Sequence[Job], progress: Callable[[int], None] | None
) -> list[ValidationResult]:
    workers = _workers(len(jobs))
    results: list[ValidationResult] = []
    if workers == 1:
        for i in range(0, len(jobs), 200):
            results.extend(_compile_chunk(jobs[i : i + 200]))
            if progress:
                progress(len(jobs[i : i + 200]))
        return results
    for start, part in _forked_map(_compile_range, jobs, workers):
        for offset, (result, changed) in enumerate(part):  # the parent still has the texts
            text = source_text(jobs[start + offset][1])[0] or ""
            corrected = result.corrected_source if changed else text
            results.append(replace(result, source=text, corrected_source=corrected))
        if progress:
            progress(len(part))
    return results


def compile_many(
    sources: Mapping[str, str | bytes],
    types: Mapping[str, str | None] | None = None,
    progress: Callable[[int, int], None] | None = None,
    cache: ResultCache | None = None,
) -> dict[str, ValidationResult]:
    """Compile every source (path -> text) into {path: result}; ``progress(done, total)``."""
    jobs: list[Job] = [(p, s, (types or {}).get(p)) for p, s in sources.items()]
    return {r.path: r for r in compile_jobs(jobs, counter(progress, len(jobs)), cache)}


def counter(
    progress: Callable[[int, int], None] | None, total: int
) -> Callable[[int], None] | None:
    """Turn ``progress(done, total)`` into the per-chunk ``tick(n)`` that compile_jobs calls."""
    if progress is None:
        return None
    report = progress
    report(0, total)
    done = [0]

    def tick(n: int) -> None:
        done[0] += n
        report(done[0], total)

    return tick


def scan_texts(
    texts: Mapping[str, str], ignore: Sequence[str] = (), cache: ResultCache | None = None
) -> list[Any]:
    """The privacy scanner over many texts (path -> text), split across cores when large.

    Findings are per text, so chunks scan independently, and a text scanned before (with the
    same ignore globs) is answered from ``cache``; the order is the texts' order.
    """
    if cache is None or not cache.enabled:
        return _scan_all(texts, ignore)
    per_text: dict[str, list[Any] | None] = {
        path: cache.get_findings(path, text, ignore) for path, text in texts.items()
    }
    missing = {path: texts[path] for path, found in per_text.items() if found is None}
    if missing:
        fresh: dict[str, list[Any]] = {path: [] for path in missing}
        for finding in _scan_all(missing, ignore):
            fresh[finding.path].append(finding)
        for path, found in fresh.items():
            cache.put_findings(missing[path], ignore, found)
        per_text.update(fresh)
    return [f for found in per_text.values() for f in found or ()]


def _scan_all(texts: Mapping[str, str], ignore: Sequence[str]) -> list[Any]:
    workers = _workers(len(texts))
    if workers == 1:
        from stato.core.privacy import scan_many

        return scan_many(texts, ignore)
    items = list(texts.items())
    return [f for _, part in _forked_map(_scan_range, items, workers, ignore) for f in part]


# The result cache's scan section holds, under this pseudo-glob, the texts the inbound gate
# found free of any high injection finding; only that verdict is kept (an empty span list).
_GATE_CLEAN = ("\0inbound-gate: no high finding",)


def gate_texts(
    texts: Mapping[str, str | bytes], verb: str = "write", cache: ResultCache | None = None
) -> None:
    """The inbound gate (adapters/gate.check) over many texts; a text the gate passed before
    with no high finding at all is answered from ``cache``, and such texts are remembered."""
    from stato.adapters import gate

    if cache is None or not cache.enabled:
        gate.check(texts, verb=verb)
        return
    unknown = {
        path: text
        for path, text in texts.items()
        if not isinstance(text, str) or cache.get_findings(path, text, _GATE_CLEAN) != []
    }
    gate.check(unknown, verb=verb)  # raises InjectionRefused, as without the cache
    if gate.accepted():
        return  # a text may have passed on an accepted rule: not a clean verdict
    for text in unknown.values():
        if isinstance(text, str):
            cache.put_findings(text, _GATE_CLEAN, [])
