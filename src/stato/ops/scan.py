"""Scan files and folders with the privacy and injection scanners, honouring ``.statoignore``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.fs import not_a_file, read_file
from stato.adapters.resultcache import ResultCache
from stato.core.privacy import Finding, sanitize, scan_injection_many, scan_text
from stato.errors import StatoError

IGNORE_FILES = (".stato/.statoignore", ".statoignore")
SKIP_DIRS = frozenset({".history", "__pycache__", ".git", ".pending", ".staging", ".cache"})


@dataclass(frozen=True)
class ScanReport:
    """The findings of one scan, in file then position order, and the files it read."""

    findings: tuple[Finding, ...]
    files: tuple[str, ...]

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def failed(self) -> bool:
        """A finding that should stop the user: any but a ``warn`` one."""
        return any(f.severity != "warn" for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"findings": [f.to_dict() for f in self.findings]}


def load_ignore(root: Path) -> list[str]:
    """The globs of ``.stato/.statoignore`` then ``./.statoignore`` under ``root``."""
    globs: list[str] = []
    for rel in IGNORE_FILES:
        path = Path(root) / rel
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if line and not line.startswith("#") and line not in globs:
                globs.append(line)
    return globs


def _display(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (already resolved), else as given."""
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise StatoError(not_a_file(path, "pass files or folders to scan"))
    out = []
    for child in sorted(path.rglob("*")):
        rel_parts = child.relative_to(path).parts
        if child.is_file() and not any(part in SKIP_DIRS for part in rel_parts[:-1]):
            out.append(child)
    return out


def _read_text(path: Path) -> str | None:
    """The text of a file, or None for a binary file (a NUL byte). UTF-16 with its BOM (as
    Windows editors save CLAUDE.md) is read as such, and text that is not UTF-8 as Latin-1:
    a password in a cp1252 file is still a password."""
    import codecs

    data = read_file(path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# The result cache's scan section holds, under this pseudo-glob (with the real globs after it),
# the texts the injection scanner found nothing in; only that verdict is kept (no spans).
_NO_INJECTION = "\0injection: none"


def scan_sources(
    sources: Mapping[str, str],
    ignore: Sequence[str] = (),
    cache: ResultCache | None = None,
) -> ScanReport:
    """Scan texts keyed by the path to report for each: privacy, then instructions aimed at an
    agent; findings in path then position order. A text scanned before is answered from
    ``cache`` (the one snapshot's scan uses)."""
    from stato.ops.batch import scan_texts

    found = scan_texts(sources, ignore, cache)
    order = {path: i for i, path in enumerate(sources)}
    quiet = (_NO_INJECTION, *ignore)
    unknown = {
        path: text
        for path, text in sources.items()
        if cache is None or cache.get_findings(path, text, quiet) != []
    }
    for path, more in scan_injection_many(unknown, ignore).items():  # one keyword search
        if not more and cache is not None:
            cache.put_findings(unknown[path], quiet, [])
        found.extend(more)
    found.extend(_computed(sources, ignore, cache))
    found.sort(key=lambda f: (order[f.path], f.start, f.end))
    if cache is not None:
        cache.save()
    return ScanReport(tuple(found), tuple(sources))


def _computed(
    sources: Mapping[str, str], ignore: Sequence[str], cache: ResultCache | None
) -> list[Finding]:
    """Findings in the values a stato module's fields compute but its text never spells: high
    injection findings (``"...erongI"[::-1]``, what the gate withholds, so the scan a person is
    sent to shows it) and secrets (``"ghp_" + "..."``, what snapshot and publish refuse)."""
    from stato.core.computed import secret_findings
    from stato.core.gate import value_findings
    from stato.ops.batch import compile_many

    modules = {
        path: text
        for path, text in sources.items()
        if path.endswith(".py") and (path.startswith(".stato/") or "/.stato/" in path)
    }
    if not modules:
        return []
    results = compile_many(modules, cache=cache).values()
    return [f for r in results for f in (*secret_findings(r, ignore), *value_findings(r))]


def scan_paths(paths: Sequence[Path], root: Path) -> ScanReport:
    """Scan every text file of ``paths`` (folders recursively, backups skipped)."""
    root = Path(root)
    ignore = load_ignore(root)
    resolved = root.resolve()  # once, not once per file
    sources: dict[str, str] = {}
    for path in paths:
        for file in _files(Path(path)):
            text = _read_text(file)
            if text is not None:
                sources.setdefault(_display(file, resolved), text)
    return scan_sources(sources, ignore, cache=ResultCache.for_project(root))


def sanitize_text(
    text: str, path: str, found: list[Finding], ignore: Sequence[str] = ()
) -> tuple[str, list[Finding]]:
    """``text`` with ``found`` replaced by placeholders, rescanned; and the findings left (the
    caller fails closed on them). A replacement can expose a neighbour an overlap had hidden,
    so up to three rounds."""
    for _ in range(3):
        text = sanitize(text, found)
        found = scan_text(text, path, ignore)
        if not found:
            break
    return text, found
