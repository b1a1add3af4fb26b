"""Compiling many modules at once: on every core for large projects, in order for small ones."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from stato.adapters.resultcache import ResultCache
from stato.core.compiler import compile_source
from stato.core.model import ValidationResult

# Below this many modules a worker process costs more than it saves.
PARALLEL_FROM = 800

Job = tuple[str, "str | bytes", "str | None"]


def _compile_chunk(jobs: Sequence[Job]) -> list[ValidationResult]:
    return [compile_source(source, path, expected) for path, source, expected in jobs]


def _workers(count: int) -> int:
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
    # Chunks: a few per worker even out the load, and give a progress bar something to count.
    size = max(1, -(-len(jobs) // (workers * 4))) if workers > 1 else 200
    chunks = [jobs[i : i + size] for i in range(0, len(jobs), size)]
    results: list[ValidationResult] = []
    if workers == 1:
        parts = map(_compile_chunk, chunks)
        for part in parts:
            results.extend(part)
            if progress:
                progress(len(part))
        return results
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for part in pool.imap(_compile_chunk, chunks):  # imap keeps the jobs' order
            results.extend(part)
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


def _scan_chunk(args: tuple[dict[str, str], tuple[str, ...]]) -> list[Any]:
    from stato.core.privacy import scan_many

    texts, ignore = args
    return scan_many(texts, ignore)


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
    items = list(texts.items())
    workers = _workers(len(items))
    if workers == 1:
        from stato.core.privacy import scan_many

        return scan_many(dict(items), ignore)
    import multiprocessing

    size = -(-len(items) // (workers * 4))
    chunks = [(dict(items[i : i + size]), tuple(ignore)) for i in range(0, len(items), size)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return [f for part in pool.map(_scan_chunk, chunks) for f in part]
