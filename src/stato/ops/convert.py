"""`stato convert`: turn instruction files and SKILL.md into modules, merged into the project."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from stato.core.model import ValidationResult
from stato.errors import UsageError
from stato.formats.drafts import Route
from stato.ops.convert_input import (
    ConvertError,
    NothingToConvert,
    check_not_linked_out,
    expand,
    read_input,
)
from stato.ops.convert_merge import free_path, merge_into, own_name


@dataclass(frozen=True)
class InputFile:
    path: str
    kind: str
    problems: tuple[str, ...]
    sections: tuple[Route, ...] = ()  # each ``module`` the final path, after renames


@dataclass(frozen=True)
class ModuleChange:
    """One module the conversion creates, merges into, or finds already up to date."""

    rel: str
    module_type: str
    action: str  # "create" | "merge" | "unchanged"
    origins: tuple[str, ...]
    added: tuple[str, ...]  # fields that gained something
    kept: tuple[str, ...]  # fields where the project's value differs and was kept
    source: str
    result: ValidationResult

    def to_dict(self, with_source: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "path": self.rel,
            "type": self.module_type,
            "action": self.action,
            "from": list(self.origins),
            "added": list(self.added),
            "kept": list(self.kept),
            "diagnostics": [d.to_dict() for d in self.result.diagnostics],
        }
        if with_source:
            out["source"] = self.source
        return out


@dataclass(frozen=True)
class ConvertReport:
    root: str
    inputs: tuple[InputFile, ...]
    modules: tuple[ModuleChange, ...]
    dry_run: bool

    @property
    def written(self) -> tuple[str, ...]:
        if self.dry_run:
            return ()
        return tuple(m.rel for m in self.modules if m.action != "unchanged")

    def to_dict(self) -> dict[str, Any]:
        return {
            "root": self.root,
            "dry_run": self.dry_run,
            "inputs": [
                {
                    "path": i.path,
                    "kind": i.kind,
                    "problems": list(i.problems),
                    "sections": [p.to_dict() for p in i.sections],
                }
                for i in self.inputs
            ],
            "modules": [m.to_dict(with_source=self.dry_run) for m in self.modules],
            "written": list(self.written),
        }


_SOURCE = re.compile(r"\.stato/(skills/[\w-]+(?:/[\w-]+)*\.py)")


def _own_export(text: str, skills: dict[str, str], store: Any) -> str:
    """The module a SKILL.md was exported from by `stato bridge`, when this project holds that
    skill there ("" otherwise: a skill exported by another project is converted like any other)."""
    from stato.formats.markdown import split_front_matter

    meta = split_front_matter(text)[0].get("metadata")
    if not isinstance(meta, dict) or meta.get("generated-by") != "stato":
        return ""
    name, source = str(meta.get("stato-name") or ""), str(meta.get("source") or "")
    found = _SOURCE.fullmatch(source)
    if not found or not store.exists(found.group(1)):
        return ""  # another project's skill; one of the same name here gets merged, not doubled
    return source if skills.get(name, found.group(1)) == found.group(1) else ""


def _nothing(origin: str, text: str) -> str:
    """Why a file gave no module, in one line."""
    imports = re.findall(r"^[ \t]*(?:[-*+][ \t]+)?(@[\w./~-]+)[ \t]*$", text, re.M)
    if imports:
        shown = ", ".join(imports[:3]) + (", ..." if len(imports) > 3 else "")
        return (
            f"{origin} has nothing stato can convert: it only imports other files ({shown}); "
            "convert those files instead"
        )
    return (
        f"{origin} has nothing stato can convert (headings with no text under them, "
        "comments, imports or stato's own block only)"
    )


def _label(path: Path, root: Path) -> str:
    try:
        # The folder resolved, the name kept: a CLAUDE.md linked to AGENTS.md is "CLAUDE.md".
        return (path.parent.resolve() / path.name).relative_to(root).as_posix()
    except ValueError:
        return path.name


def _kind(path: Path, kind: str | None) -> str:
    from stato.formats.convert import BY_KIND, converter_for

    if kind is not None:
        return kind
    found = converter_for(path.absolute())  # the folder a rule sits in can tell its kind
    if found is None:
        raise UsageError(
            f"cannot tell what kind of file {path.name} is; pass --kind ({', '.join(BY_KIND)})"
        )
    return found.kind


def _render(draft: Any) -> str:
    from stato.core.render import render_module

    return render_module(draft.class_name, draft.fields, draft.docstring, draft.methods_source)


def skill_paths(root: Path) -> dict[str, str]:
    """Skill name -> its path, for the project's valid skills (to merge instead of duplicating)."""
    from stato.ops.project import load_project

    out: dict[str, str] = {}
    for skill in load_project(root).skills:
        name = skill.fields.get("name")
        if isinstance(name, str):
            out.setdefault(name, skill.path)
    return out


@dataclass
class _Batch:
    """One run: each input's drafts folded into the project's modules, in memory."""

    root: Path
    store: Any
    kind: str | None
    skills: dict[str, str]  # the project's skill names -> their paths
    inputs: list[InputFile] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # rel -> text so far
    origins: dict[str, list[str]] = field(default_factory=dict)
    kept: dict[str, set[str]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)  # skill path -> its skill this run
    skipped: list[str] = field(default_factory=list)  # stato's own exports of our skills
    seen: dict[str, bytes | None] = field(default_factory=dict)  # bytes when read
    names: dict[str, str] = field(default_factory=dict)  # skill name -> input that gave it
    nothing: list[str] = field(default_factory=list)  # why an input gave no module

    def add(self, given: Path) -> None:
        """Read and convert one input; one with nothing to convert is said, not fatal."""
        from stato.formats.convert import convert_text

        try:
            file, text, notes = read_input(given)
        except NothingToConvert as exc:
            self.nothing.append(str(exc))
            self.inputs.append(InputFile(given.as_posix(), "?", (f"skipped: {exc}",)))
            return
        kind = _kind(file, self.kind)
        origin = _label(file, self.root)
        if kind == "skill" and (own := _own_export(text, self.skills, self.store)):
            self.skipped.append(f"{origin} is stato's own export of {own}")
            self.inputs.append(InputFile(origin, kind, (f"stato's own export of {own}; skipped",)))
            return
        hint = file.parent.name if kind == "skill" else self.root.name
        conversion = convert_text(text, origin, kind, hint)
        problems = list(notes + conversion.problems)
        if not conversion.drafts:
            self.nothing.append(_nothing(origin, text))
            problems.append(f"skipped: {self.nothing[-1]}")
        moved = {draft.rel: self.fold(draft, origin, problems) for draft in conversion.drafts}
        placed = tuple(replace(r, module=moved.get(r.module, r.module)) for r in conversion.routes)
        self.inputs.append(InputFile(origin, kind, tuple(problems), placed))

    def fold(self, draft: Any, origin: str, problems: list[str]) -> str:
        """Fold one draft into the module it belongs in; that module's path."""
        rel = draft.rel
        if draft.module_type == "skill":
            draft, note = own_name(draft, origin, self.names)
            problems += [note] if note else []
            name = str(draft.fields.get("name"))
            rel = self.skills.get(name) or free_path(draft.rel, name, self.store, self.owners)
            self.owners[rel] = name
        new = _render(draft)
        if rel not in self.texts and self.store.exists(rel):
            self.seen[rel] = self.store.current_bytes(rel)  # what the write checks is still there
            self.texts[rel] = self.store.read(rel)
        if rel in self.texts:
            kept = self.kept.setdefault(rel, set())
            self.texts[rel] = merge_into(rel, self.texts[rel], new, kept, origin)
        else:
            self.texts[rel] = new
        self.origins.setdefault(rel, []).append(origin)
        return str(rel)

    def refuse_empty(self) -> None:
        """One line when no input gave anything to write."""
        if self.texts:
            return
        if self.nothing and not self.skipped:
            raise ConvertError("; ".join(self.nothing))
        if self.skipped:
            many = f"all {len(self.skipped)} files are stato's own exports"
            what = self.skipped[0] if len(self.skipped) == 1 else many
            raise ConvertError(f"{what}, already in .stato/; there is nothing to convert")

    def change(self, rel: str, text: str) -> ModuleChange:
        from stato.core.compiler import compile_source

        result = compile_source(text, rel)
        raw = self.seen.get(rel)
        old = None if raw is None else raw.decode("utf-8-sig")  # decoded once already
        source = result.corrected_source
        action = "create" if old is None else "unchanged" if old == source else "merge"
        before = compile_source(old, rel).fields if old is not None else {}
        added = tuple(k for k, v in result.fields.items() if before.get(k) != v)
        kept = tuple(sorted(self.kept.get(rel, ())))
        origins = tuple(self.origins[rel])
        return ModuleChange(
            rel, result.module_type or "?", action, origins, added, kept, source, result
        )


def _write(batch: _Batch, target: Any, changes: list[ModuleChange]) -> None:
    """Every changed module in one journalled commit, with its lock entry; none when one is
    invalid or a file is not writable."""
    from stato.adapters.store import format_errors
    from stato.errors import ModuleInvalid
    from stato.formats.lockfile import Package
    from stato.ops.lock import file_sha256, lock_state
    from stato.ops.project import ensure_writable
    from stato.ops.snapshot import created_now

    pending = {c.rel: c.source for c in changes if c.action != "unchanged"}
    if not pending:
        return
    target.create()
    bad = [c.result for c in changes if c.rel in pending and not c.result.valid]
    if bad:
        raise ModuleInvalid("; ".join(format_errors(r) for r in bad), bad)
    store = batch.store
    ensure_writable(store.stato_dir, pending)  # all or nothing: refuse before any write
    names = sorted({o for c in changes for o in c.origins})
    single = batch.root / names[0] if len(names) == 1 else None
    package = Package(
        "convert",
        ", ".join(names)[:200],
        ", ".join(names)[:1000],
        created_now(),
        sha256=file_sha256(single) if single is not None else None,
    )
    state = lock_state(store.stato_dir, package, pending)  # lands with the modules
    store.commit(pending, expect={rel: batch.seen.get(rel) for rel in pending}, state=state)


def convert_files(
    files: list[Path], path: Path, kind: str | None = None, dry_run: bool = False
) -> ConvertReport:
    """Convert ``files`` into modules of the project at ``path``; all written or none.

    Conversion only adds: an existing module keeps every value it has, and gains the
    conventions, tasks, issues, lessons and parameters it lacks.
    """
    from stato.adapters.store import Store
    from stato.ops.init import write_target

    target = write_target(path)  # no project yet: made on the first write, as import does
    store = Store(target.root)
    batch = _Batch(target.root, store, kind, skill_paths(target.root))
    for given in expand(files):
        check_not_linked_out(given, target.root)
        batch.add(given)
    batch.refuse_empty()
    changes = [batch.change(rel, text) for rel, text in batch.texts.items()]
    if not dry_run:
        _write(batch, target, changes)
    return ConvertReport(str(target.root), tuple(batch.inputs), tuple(changes), dry_run)
