"""`stato convert`: turn instruction files and SKILL.md into modules, merged into the project."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.core.model import ValidationResult
from stato.errors import UsageError
from stato.ops.convert_input import ConvertError, NothingToConvert, expand, read_input

# Module text the merge may differ in without it being worth a line in the report.
_QUIET = frozenset({"class", "docstring", "run()"})
# Free text where a second file's prose is appended line by line instead of kept out.
_APPEND_TEXT = ("notes",)


@dataclass(frozen=True)
class Placed:
    """Where one section of an input went (``module`` the final path, after renames)."""

    heading: str
    line: int
    module: str
    field: str
    signals: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "line": self.line,
            "module": self.module,
            "field": self.field,
            "signals": list(self.signals),
        }


@dataclass(frozen=True)
class InputFile:
    path: str
    kind: str
    problems: tuple[str, ...]
    sections: tuple[Placed, ...] = ()


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
        f"{origin} has nothing stato can convert (no headings, lists, "
        "tables or prose outside imports and stato's own block)"
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
        if kind not in BY_KIND:
            raise UsageError(f"unknown --kind {kind!r}; use one of {', '.join(BY_KIND)}")
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


def _merge(rel: str, old: str, new: str, kept: set[str], origin: str = "") -> str:
    """``new`` folded into ``old``: lists and dicts gain entries, every value ``old`` has stays."""
    from stato.core.compiler import compile_source
    from stato.core.merge import merge_module, strategy
    from stato.core.render import set_field
    from stato.formats.instructions import is_placeholder

    before = compile_source(old, rel)
    if not before.valid:
        codes = ", ".join(d.code for d in before.errors)
        raise ConvertError(
            f".stato/{rel} has errors ({codes}); fix it with `stato validate` "
            "before converting into it"
        )
    merged = merge_module(rel, old, new, strategy("union"))
    text = merged.text
    after = compile_source(new, rel)
    for name in _APPEND_TEXT:
        mine, theirs = before.fields.get(name), after.fields.get(name)
        if after.module_type == "context":
            theirs = _set_aside(before.fields, after.fields, theirs)
        if isinstance(theirs, str) and (mine is None or isinstance(mine, str)):
            mine = mine or ""
            blocks = [
                b.strip() for b in theirs.split("\n\n") if b.strip() and b.strip() not in mine
            ]
            if blocks:
                # Under a heading of its own, so another file's text never reads as part of the
                # last section of the one before it.
                head = [f"# From {origin}"] if origin and f"# From {origin}" not in mine else []
                joined = "\n\n".join([*([mine.rstrip()] if mine.strip() else []), *head, *blocks])
                text = set_field(text, name, joined)
    replaced = set()
    for name, value in after.fields.items():
        mine = before.fields.get(name)
        if is_placeholder(name, mine) and not is_placeholder(name, value):
            text = set_field(text, name, value)  # stato's own stand-in gives way to real text
            replaced.add(name)
        elif is_placeholder(name, mine) or is_placeholder(name, value):
            replaced.add(name)  # a stand-in lost to nothing a person wrote: not worth a line
    kept.update(
        c.where.split(".")[0].split("[")[0]
        for c in merged.conflicts
        if c.where not in _QUIET and c.where not in _APPEND_TEXT and c.where not in replaced
    )
    return text


def _set_aside(mine: dict[str, Any], theirs: dict[str, Any], notes: Any) -> Any:
    """Their notes, opened by their description when the project keeps its own: the second
    file's intro is not lost to the first one's."""
    from stato.formats.instructions import is_placeholder

    said, kept = theirs.get("description"), mine.get("description")
    if not isinstance(said, str) or is_placeholder("description", said) or said == kept:
        return notes
    if is_placeholder("description", kept) or said in str(mine.get("notes") or ""):
        return notes
    return "\n\n".join(n for n in (said, notes if isinstance(notes, str) else "") if n)


def free_path(rel: str, name: str, store: Any, owners: dict[str, str]) -> str:
    """``rel``, or ``rel`` with a number, so a skill never lands in another skill's file."""
    stem, n = rel[: -len(".py")], 1
    while (owners.get(rel, name) != name) or (rel not in owners and store.exists(rel)):
        n += 1
        rel = f"{stem}_{n}.py"
    return rel


def _own_name(draft: Any, origin: str, names: dict[str, str]) -> tuple[Any, str]:
    """``draft``, renamed when another input of this run already gave a skill its name: both
    are kept ("deploy" and "deploy-2"), and the note says so."""
    from dataclasses import replace

    from stato.formats.skillmd import class_name_for
    from stato.formats.stems import safe_stem

    name = str(draft.fields.get("name"))
    first = names.setdefault(name, origin)
    if first == origin:
        return draft, ""
    sep = "_" if "_" in name and "-" not in name else "-"
    n = 2
    while f"{name}{sep}{n}" in names and names[f"{name}{sep}{n}"] != origin:
        n += 1
    new = f"{name}{sep}{n}"
    names[new] = origin
    cls = class_name_for(new)
    run = (draft.methods_source or "").replace(f"{draft.class_name}.", f"{cls}.")
    fields = {**draft.fields, "name": new}
    renamed = replace(
        draft,
        rel=f"skills/{safe_stem(new)}.py",
        class_name=cls,
        fields=fields,
        methods_source=run or None,
    )
    return renamed, f"skill {name!r} is also in {first}: this one is kept as {new!r}"


def convert_files(
    files: list[Path], path: Path, kind: str | None = None, dry_run: bool = False
) -> ConvertReport:
    """Convert ``files`` into modules of the project at ``path``; all written or none.

    Conversion only adds: an existing module keeps every value it has, and gains the
    conventions, tasks, issues, lessons and parameters it lacks.
    """
    from stato.adapters.store import Store, format_errors
    from stato.core.compiler import compile_source
    from stato.errors import ModuleInvalid
    from stato.formats.convert import convert_text
    from stato.ops.init import write_target

    target = write_target(path)  # no project yet: made on the first write, as import does
    root = target.root
    store = Store(root)
    skills = skill_paths(root)
    inputs: list[InputFile] = []
    texts: dict[str, str] = {}  # rel -> text so far (existing, then each draft folded in)
    origins: dict[str, list[str]] = {}
    kept: dict[str, set[str]] = {}
    owners: dict[str, str] = {}  # skill path -> the name of the skill this run puts there
    skipped: list[str] = []  # stato's own skill exports of skills the project has
    seen: dict[str, bytes | None] = {}  # each existing module's bytes when it was read
    given_names: dict[str, str] = {}  # skill name -> the input that gave it, in this run
    nothing: list[str] = []  # why an input gave no module
    for given in expand(files):
        try:
            file, text, notes = read_input(given)
        except NothingToConvert as exc:
            nothing.append(str(exc))  # one empty file does not stop the batch
            inputs.append(InputFile(given.as_posix(), "?", (f"skipped: {exc}",)))
            continue
        file_kind = _kind(file, kind)
        origin = _label(file, root)
        if file_kind == "skill" and (own := _own_export(text, skills, store)):
            skipped.append(f"{origin} is stato's own export of {own}")
            inputs.append(InputFile(origin, file_kind, (f"stato's own export of {own}; skipped",)))
            continue
        hint = file.parent.name if file_kind == "skill" else root.name
        conversion = convert_text(text, origin, file_kind, hint)
        problems = list(notes + conversion.problems)
        if not conversion.drafts:
            nothing.append(_nothing(origin, text))
            problems.append(f"skipped: {nothing[-1]}")
        moved: dict[str, str] = {}  # a draft's path -> where it went
        for draft in conversion.drafts:
            first_rel = rel = draft.rel
            if draft.module_type == "skill":
                draft, note = _own_name(draft, origin, given_names)
                problems += [note] if note else []
                name = str(draft.fields.get("name"))
                rel = skills.get(name) or free_path(draft.rel, name, store, owners)
                owners[rel] = name
            moved[first_rel] = rel
            new = _render(draft)
            if rel not in texts and store.exists(rel):
                seen[rel] = store.current_bytes(rel)  # what the write checks is still there
                texts[rel] = store.read(rel)
            if rel in texts:
                texts[rel] = _merge(rel, texts[rel], new, kept.setdefault(rel, set()), origin)
            else:
                texts[rel] = new
            origins.setdefault(rel, []).append(origin)
        placed = tuple(
            Placed(r.heading, r.line, moved.get(r.module, r.module), r.field, r.why)
            for r in conversion.routes
        )
        inputs.append(InputFile(origin, file_kind, tuple(problems), placed))
    if nothing and not texts and not skipped:
        raise ConvertError(nothing[0] if len(nothing) == 1 else "; ".join(nothing))
    if skipped and not texts:
        what = (
            skipped[0] if len(skipped) == 1 else f"all {len(skipped)} files are stato's own exports"
        )
        raise ConvertError(f"{what}, already in .stato/; there is nothing to convert")
    changes: list[ModuleChange] = []
    for rel, text in texts.items():
        result = compile_source(text, rel)
        raw = seen.get(rel)
        old = None if raw is None else raw.decode("utf-8-sig")  # decoded once already
        source = result.corrected_source
        action = "create" if old is None else "unchanged" if old == source else "merge"
        before = compile_source(old, rel).fields if old is not None else {}
        added = tuple(k for k, v in result.fields.items() if before.get(k) != v)
        changes.append(
            ModuleChange(
                rel,
                result.module_type or "?",
                action,
                tuple(origins[rel]),
                added,
                tuple(sorted(kept.get(rel, ()))),
                source,
                result,
            )
        )
    pending = {c.rel: c.source for c in changes if c.action != "unchanged"}
    if pending and not dry_run:
        from stato.ops.project import ensure_writable

        target.create()
        bad = [c.result for c in changes if c.rel in pending and not c.result.valid]
        if bad:
            raise ModuleInvalid("; ".join(format_errors(r) for r in bad), bad)
        ensure_writable(store.stato_dir, pending)  # all or nothing: refuse before any write
        from stato.formats.lockfile import Package
        from stato.ops.lock import file_sha256, lock_state
        from stato.ops.snapshot import created_now

        names = sorted({o for c in changes for o in c.origins})
        single = root / names[0] if len(names) == 1 else None
        package = Package(
            "convert",
            ", ".join(names)[:200],
            ", ".join(names)[:1000],
            created_now(),
            sha256=file_sha256(single) if single is not None else None,
        )
        state, _ = lock_state(store.stato_dir, package, pending)  # lands with the modules
        store.commit(pending, expect={rel: seen.get(rel) for rel in pending}, state=state)
    return ConvertReport(str(root), tuple(inputs), tuple(changes), dry_run)
