"""Archive steps that send modules out: snapshot a project, slice chosen modules."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato import __version__
from stato.adapters.archive import write_archive
from stato.adapters.resultcache import ResultCache
from stato.adapters.store import Store, module_arg
from stato.core.compiler import compile_source
from stato.core.model import MODULE_TYPES, ValidationResult
from stato.core.project_checks import check_project
from stato.core.template import TemplateError, template_source
from stato.errors import StatoError, UsageError
from stato.formats.manifest import NAME_RE, Manifest, ModuleEntry, check_module_path, utc_iso
from stato.ops.archive import read_module
from stato.ops.batch import CHUNK, Job, compile_jobs, compile_many, counter, scan_texts
from stato.ops.output import backup_path, output_path
from stato.ops.project import find_root, location_type

if TYPE_CHECKING:
    from stato.core.privacy.scanner import Finding

SCAN_CHUNK = 1000  # modules the privacy scanner reads in one pass


@dataclass(frozen=True)
class SnapshotResult:
    """What a snapshot or slice did; ``written`` is False when it refused, and the rest says why."""

    output: Path
    written: bool
    manifest: Manifest | None = None
    invalid: tuple[ValidationResult, ...] = ()
    findings: tuple[Finding, ...] = ()  # privacy findings that stopped it (or survived --sanitize)
    sanitized: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    scanned: bool = True
    edited: bool = False  # the invalid modules broke under --template or --sanitize edits
    signer: str | None = None  # the signing key's fingerprint, with --sign
    backup: Path | None = None  # where the file the archive replaced was kept

    def to_dict(self) -> dict[str, Any]:
        return {
            "output": str(self.output),
            "written": self.written,
            "manifest": self.manifest.to_dict() if self.manifest else None,
            "invalid": [r.to_dict() for r in self.invalid],
            "findings": [f.to_dict() for f in self.findings],
            "sanitized": list(self.sanitized),
            "warnings": list(self.warnings),
            "scanned": self.scanned,
            "edited": self.edited,
            "signer": self.signer,
            "backup": None if self.backup is None else str(self.backup),
        }


def created_now() -> str:
    """Now in UTC, or SOURCE_DATE_EPOCH when set, for reproducible archives."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return utc_iso(datetime.fromtimestamp(int(epoch), tz=timezone.utc))
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds"
            ) from None
    return utc_iso(datetime.now(timezone.utc))


def select(
    results: dict[str, ValidationResult],
    modules: tuple[str, ...] = (),
    types: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
) -> list[str]:
    """Paths chosen by the filters: (--module and --type together) or everything, minus --exclude.

    A filter that matches nothing is an error, so a typo never yields a quietly smaller archive.
    """
    for t in types:
        if t not in MODULE_TYPES:
            raise UsageError(f"--type {t!r} is not one of {', '.join(MODULE_TYPES)}")
    chosen: set[str] = set()
    for arg in modules:
        rel = module_arg(arg)
        if rel not in results:
            raise StatoError(f"--module {arg} matches no module in .stato/; nothing was written")
        chosen.add(rel)
    for t in types:
        of_type = {p for p, r in results.items() if r.module_type == t}
        if not of_type:
            raise StatoError(f"--type {t} matches no module in .stato/; nothing was written")
        chosen |= of_type
    if not modules and not types:
        chosen = set(results)
    for ex in excludes:
        if ex in MODULE_TYPES:
            hit = {p for p in chosen if results[p].module_type == ex}
        else:
            hit = {module_arg(ex)} & chosen
        if not hit:
            raise StatoError(
                f"--exclude {ex} matches no module being archived; nothing was written"
            )
        chosen -= hit
    if not chosen:
        raise StatoError("the filters leave no module to archive; nothing was written")
    return sorted(chosen)


def load_modules(
    root: Path,
    progress: Callable[[int, int], None] | None = None,
    cache: ResultCache | None = None,
    keep: Collection[str] | None = None,
) -> tuple[dict[str, str], dict[str, ValidationResult]]:
    """Every module's exact text and its compile result (nothing is run).

    With ``keep``, each result holds only those fields, and no text (the texts are returned
    beside them): compiled a chunk at a time, a large project never has every full result in
    memory at once.
    """
    store = Store(root)
    store.recover()  # an import killed after its commit point is finished first
    texts = {rel: read_module(store, rel) for rel in store.module_paths()}
    if not texts:
        raise StatoError(f"no modules in {store.stato_dir}; nothing to archive")
    if keep is None:
        types = {rel: location_type(rel) for rel in texts}  # plan.py is the plan, as validate
        return texts, compile_many(texts, types, progress=progress, cache=cache)
    jobs: list[Job] = [(rel, text, location_type(rel)) for rel, text in texts.items()]
    tick = counter(progress, len(jobs))
    results: dict[str, ValidationResult] = {}
    for start in range(0, len(jobs), CHUNK):
        for r in compile_jobs(jobs[start : start + CHUNK], tick, cache):
            results[r.path] = replace(
                r,
                source="",
                corrected_source="",
                fields={k: v for k, v in r.fields.items() if k in keep},
                field_lines={k: v for k, v in r.field_lines.items() if k in keep},
            )
    return texts, results


def _scan(
    root: Path, texts: dict[str, str], sanitize: bool, cache: ResultCache | None = None
) -> tuple[dict[str, str], list[Finding], list[str]]:
    """Scan each text; with ``sanitize`` replace the findings' spans.

    Returns the texts to archive, the findings left, and the paths that were sanitized.
    """
    from stato.ops.scan import load_ignore, sanitize_text

    ignore = load_ignore(root)
    out = dict(texts)
    findings: list[Finding] = []
    changed: list[str] = []
    # One pass of each rule over a thousand modules at a time (same findings as one scan per
    # module, faster; a pass over every module at once held ~2 MB per 1,000 modules more).
    first: dict[str, list[Finding]] = {f".stato/{rel}": [] for rel in texts}
    labelled = list(first)
    for start in range(0, len(labelled), SCAN_CHUNK):
        part = {shown: texts[shown[7:]] for shown in labelled[start : start + SCAN_CHUNK]}
        for finding in scan_texts(part, ignore, cache):
            first[finding.path].append(finding)
    for rel in texts:
        shown = f".stato/{rel}"
        found = first[shown]
        if found and sanitize:
            changed.append(rel)
            out[rel], found = sanitize_text(out[rel], shown, found, ignore)
        findings.extend(found)  # fail closed: anything left refuses the snapshot
    findings.extend(_computed_secrets(out, ignore, cache))
    return out, findings, changed


# The result cache's scan section holds, under this pseudo-glob (the real globs after it), the
# texts whose fields compute no secret; only that verdict is kept (a finding has no span).
_NO_COMPUTED_SECRET = "\0computed secrets: none"


def _computed_secrets(
    texts: dict[str, str], ignore: Sequence[str], cache: ResultCache | None
) -> list[Finding]:
    """Secrets the modules' fields compute but no text spells (``"ghp_" + "..."``): no span
    holds them, so --sanitize cannot replace them and they always refuse the snapshot. The
    results come from the cache the compile just filled."""
    from stato.core.computed import secret_findings

    quiet = (_NO_COMPUTED_SECRET, *ignore)
    found: list[Finding] = []
    jobs: list[Job] = [
        (f".stato/{rel}", text, location_type(rel))
        for rel, text in texts.items()
        if cache is None or cache.get_findings(rel, text, quiet) != []  # none before: none now
    ]
    for start in range(0, len(jobs), CHUNK):
        part = jobs[start : start + CHUNK]
        for (_, text, _), r in zip(part, compile_jobs(part, cache=cache), strict=True):
            more = secret_findings(r, ignore)
            found.extend(more)
            if not more and cache is not None and isinstance(text, str):
                cache.put_findings(text, quiet, [])
    return found


def _gate(texts: dict[str, str], cache: ResultCache | None) -> None:
    """Refuse (InjectionRefused) to archive a module with a high injection finding that
    --accept-risk did not name, in its text or in the values its fields compute: every
    importer's gate would refuse it, agents never see it, and a registry never serves one.
    A text the cache knows holds none is neither compiled nor scanned again
    (``ops.project.gated``); the others are compiled whole (the project's results may keep only
    a few fields), answered from the result cache where it can."""
    from stato.adapters.gate import InjectionRefused, accepted
    from stato.core.gate import Blocked
    from stato.ops.project import gated

    modules = [(path, text) for path, text in sorted(texts.items()) if path.endswith(".py")]
    jobs: list[Job] = [
        (path, text, location_type(path))
        for path, text in modules
        if cache is None or not cache.no_high(text)
    ]
    results = {r.path: r for r in compile_jobs(jobs, cache=cache)}
    held = gated(modules, cache, accepted(), results)
    if held:
        raise InjectionRefused([Blocked(path, found) for path, found in held.items()], "archive")


def _reset(rel: str, text: str, result: ValidationResult) -> str:
    try:
        return template_source(text, result.module_type, result.fields)
    except TemplateError as exc:
        raise StatoError(
            f"--template: .stato/{rel}: {exc}; or leave it out with --exclude"
        ) from None


def build_archive(
    root: Path,
    texts: dict[str, str],
    results: dict[str, ValidationResult],
    chosen: list[str],
    *,
    name: str,
    output: Path | str | None,
    template: bool = False,
    partial: bool = False,
    sanitize: bool = False,
    force: bool = False,
    warnings: tuple[str, ...] = (),
    cache: ResultCache | None = None,
    sign: object | None = None,
) -> SnapshotResult:
    """Check, reset, scan, then write the chosen modules as one archive (or refuse and say why).

    The archive goes to ``output``, or to NAME.stato in the project folder; ``sign`` (a key from
    ``load_signing_key``) signs its manifest.
    """
    if sanitize and force:
        raise UsageError(
            "--sanitize and --force contradict each other (--force skips the scan that "
            "--sanitize cleans with); give one"
        )
    for rel in chosen:  # the reader's own rule: an archive import would refuse is never written
        problem = check_module_path(rel)
        if problem:
            raise StatoError(
                f"cannot archive .stato/{rel}: {problem}; rename it (letters, digits, _ and -) "
                "or leave it out with --exclude; nothing was written"
            )
    dest = output_path(output) if output else root / f"{name}.stato"
    texts = {p: texts[p] for p in chosen}
    results = {p: results[p] for p in chosen}
    refuse = SnapshotResult(dest, False, warnings=warnings, scanned=not force)
    # Checks across the chosen modules too (E011: two skills named alike).
    results = {r.path: r for r in check_project(list(results.values()))}
    invalid = tuple(r for r in results.values() if not r.valid)
    if invalid:
        return replace(refuse, invalid=invalid)
    original = texts
    if template:
        texts = {p: _reset(p, t, results[p]) for p, t in texts.items()}
    changed: list[str] = []
    if not force:
        texts, findings, changed = _scan(root, texts, sanitize, cache)
        if findings:
            return replace(refuse, findings=tuple(findings), sanitized=tuple(changed))
    _gate(texts, cache)
    entries, broken = [], []
    for rel, text in sorted(texts.items()):
        r = results[rel]
        if text != original[rel]:  # an edited copy must still compile clean, as the same type
            r = compile_source(text, rel)
            if not r.valid or r.module_type != results[rel].module_type:
                broken.append(r)
                continue
        version = r.fields.get("version")
        entries.append(
            ModuleEntry.for_text(
                rel,
                text,
                r.module_type or "skill",
                r.class_name or "Module",
                version if isinstance(version, str) else None,
            )
        )
    if broken:
        return replace(refuse, invalid=tuple(broken), sanitized=tuple(changed), edited=True)
    manifest = Manifest(name, created_now(), __version__, template, partial, tuple(entries))
    signature = signer = None
    if sign is not None:
        from stato.formats.manifest import dumps
        from stato.ops.trust import sign_manifest

        signature, signer = sign_manifest(sign, dumps(manifest))
    keep = backup_path(dest)
    write_archive(dest, manifest, texts, signature, keep_as=keep)
    return SnapshotResult(
        dest,
        True,
        manifest,
        backup=keep if keep is not None and os.path.lexists(keep) else None,
        sanitized=tuple(changed),
        warnings=warnings,
        scanned=not force,
        signer=signer,
    )


# What to archive, from every module's result: the chosen paths, the name, warnings.
Choice = Callable[[dict[str, ValidationResult]], tuple[list[str], str, tuple[str, ...]]]


def archive_project(
    root: Path,
    choose: Choice,
    progress: Callable[[int, int], None] | None = None,
    keep: Collection[str] | None = None,
    **options: Any,
) -> SnapshotResult:
    """Compile every module, let ``choose`` pick, then ``build_archive`` with ``options``
    (snapshot and slice differ only in how they choose). ``keep``: the only fields ``choose``
    and the archive read (see load_modules); None keeps them all."""
    cache = ResultCache.for_project(root)
    try:
        texts, results = load_modules(root, progress, cache, keep)
        chosen, name, warnings = choose(results)
        check_name(name)
        return build_archive(
            root, texts, results, chosen, name=name, warnings=warnings, cache=cache, **options
        )
    finally:
        cache.save()  # what was compiled and scanned serves the next run, refused or not


def check_name(name: str) -> None:
    if not NAME_RE.match(name):
        raise UsageError(
            f"--name {name!r}: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit"
        )


def snapshot(
    path: Path | str,
    name: str,
    *,
    template: bool = False,
    types: tuple[str, ...] = (),
    modules: tuple[str, ...] = (),
    excludes: tuple[str, ...] = (),
    sanitize: bool = False,
    force: bool = False,
    output: Path | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    sign: Path | str | None = None,
) -> SnapshotResult:
    """Archive a project's modules (filtered, optionally as a template), privacy-scanned first.

    ``sign`` is an Ed25519 private key file (OpenSSH or PEM) that signs the manifest.
    """
    from stato.ops.trust import load_signing_key

    check_name(name)
    root = find_root(path)
    key = load_signing_key(sign)
    return archive_project(
        root,
        lambda results: (select(results, modules, types, excludes), name, ()),
        progress,
        # select reads types and paths, the archive each skill's name (E011) and version; a
        # template resets from every field
        keep=None if template else ("name", "version"),
        output=output,
        template=template,
        partial=bool(modules or types or excludes),
        sanitize=sanitize,
        force=force,
        sign=key,
    )
