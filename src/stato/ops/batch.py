"""Compiling and scanning many modules at once, answering texts seen before from the result cache.

In one process: a fork pool was measured here (benchmarks/validate.py, STATO_JOBS=1 against the
pool in alternating rounds on the 2-core CI-like VM) and was slower at 1,000 and 5,000 modules,
so it was removed (docs/performance.md has the figures).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from stato.adapters.resultcache import ResultCache
from stato.core.model import ValidationResult

Job = tuple[str, "str | bytes", "str | None"]
CHUNK = 200  # modules compiled between two progress ticks


def compile_jobs(
    jobs: Sequence[Job],
    progress: Callable[[int], None] | None = None,
    cache: ResultCache | None = None,
) -> list[ValidationResult]:
    """Compile (path, source, expected type) jobs; results in the same order as the jobs.

    The compiler is pure, so a text compiled before is answered from ``cache``; results are
    identical to compiling each text (tests hold them equal).
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
    if not jobs:
        return []  # the cache answered all: the compiler is not even loaded
    from stato.core.compiler import compile_source

    results: list[ValidationResult] = []
    for i in range(0, len(jobs), CHUNK):
        chunk = jobs[i : i + CHUNK]
        results.extend(compile_source(source, path, expected) for path, source, expected in chunk)
        if progress:
            progress(len(chunk))
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
    """The privacy scanner over many texts (path -> text), in one pass of each rule.

    Findings are per text, so a text scanned before (with the same ignore globs) is answered
    from ``cache``; the order is the texts' order.
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
    from stato.core.privacy import scan_many

    return scan_many(texts, ignore)


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
