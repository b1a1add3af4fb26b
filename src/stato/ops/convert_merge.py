"""How a converted draft folds into the project: merged into the module it belongs in, never
clobbering a value, a second input's text kept apart, same-name skills both kept."""

from __future__ import annotations

from typing import Any

from stato.ops.convert_input import ConvertError

# Module text the merge may differ in without it being worth a line in the report.
_QUIET = frozenset({"class", "docstring", "run()"})
# Free text where a second file's blocks are appended instead of kept out (lessons of two
# files with a "Gotchas" section each are both kept).
_APPEND_TEXT = ("notes", "lessons_learned")


def merge_into(rel: str, old: str, new: str, kept: set[str], origin: str = "") -> str:
    """``new`` folded into ``old``: lists and dicts gain entries, every value ``old`` has stays."""
    from stato.core.compiler import compile_source
    from stato.core.merge_module import merge_module, strategy
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
        theirs = after.fields.get(name)
        if after.module_type == "context":
            theirs = _set_aside(before.fields, after.fields, theirs)
        joined = _appended(before.fields.get(name), theirs, origin)
        if joined is not None:
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


def _appended(mine: Any, theirs: Any, origin: str) -> str | None:
    """``mine`` with the blocks of ``theirs`` it lacks, after a "# From <file>" heading so
    another file's text never reads as part of the last section before it; None if nothing."""
    if not isinstance(theirs, str) or not (mine is None or isinstance(mine, str)):
        return None
    mine = mine or ""
    blocks = [b.strip() for b in theirs.split("\n\n") if b.strip() and b.strip() not in mine]
    if not blocks:
        return None
    head = [f"# From {origin}"] if origin and f"# From {origin}" not in mine else []
    return "\n\n".join([*([mine.rstrip()] if mine.strip() else []), *head, *blocks])


def _set_aside(mine: dict[str, Any], theirs: dict[str, Any], notes: Any) -> Any:
    """Their notes, opened by their title and description when the project keeps its own: the
    second file's title and intro are not lost to the first one's."""
    from stato.formats.instructions import is_placeholder

    kept_text = f"{mine.get('project')}\n{mine.get('description')}\n{mine.get('notes') or ''}"
    title, said = theirs.get("project"), theirs.get("description")
    extra = []
    if isinstance(title, str) and title not in kept_text:
        extra.append(f"# {title}")
    placeholder = is_placeholder("description", mine.get("description"))
    if isinstance(said, str) and not is_placeholder("description", said) and not placeholder:
        extra += [said] if said not in kept_text else []
    if not extra:
        return notes
    return "\n\n".join([*extra, *([notes] if isinstance(notes, str) and notes else [])])


def free_path(rel: str, name: str, store: Any, owners: dict[str, str]) -> str:
    """``rel``, or ``rel`` with a number, so a skill never lands in another skill's file."""
    stem, n = rel[: -len(".py")], 1
    while (owners.get(rel, name) != name) or (rel not in owners and store.exists(rel)):
        n += 1
        rel = f"{stem}_{n}.py"
    return rel


def own_name(draft: Any, origin: str, names: dict[str, str]) -> tuple[Any, str]:
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
