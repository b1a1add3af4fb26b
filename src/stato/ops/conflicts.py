"""Plan where incoming modules go: conflicts by path or skill name, resolved by a policy."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import Any

from stato.adapters.fs import read_file
from stato.adapters.store import Store
from stato.core.compiler import compile_source
from stato.core.model import ValidationResult
from stato.core.skillindex import SkillIndex, skill_name

POLICIES = ("ask", "replace", "rename", "skip")


@dataclass(frozen=True)
class Planned:
    """One incoming module and what happens to it.

    ``action`` is add, replace, rename, skip, unchanged or conflict (the ``ask`` policy);
    ``existing`` and ``reason`` ("path" or "name") describe the clash when there is one.
    """

    path: str
    action: str
    dest: str
    existing: str | None = None
    reason: str | None = None
    new_name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def free_path(rel: str, taken: set[str]) -> str:
    """skills/qc.py -> skills/qc_2.py (or _3, ...), the first not in ``taken``."""
    p = PurePosixPath(rel)
    n = 2
    while True:
        candidate = str(p.with_name(f"{p.stem}_{n}{p.suffix}"))
        if candidate not in taken:
            return candidate
        n += 1


def free_name(name: str, taken: dict[str, str]) -> str:
    n = 2
    while f"{name}_{n}" in taken:
        n += 1
    return f"{name}_{n}"


def _existing(store: Store) -> tuple[dict[str, bytes], dict[str, str]]:
    """Each module's bytes, and skill name -> path (compiled statically, never run)."""
    data = {rel: read_file(store.path(rel)) for rel in store.module_paths()}
    index = SkillIndex.build((rel, compile_source(raw, rel)) for rel, raw in data.items())
    return data, {name: index.paths_named(name)[0] for name in index.names()}


def _moved(names: dict[str, str], dest: str, name: str | None) -> None:
    """``dest`` now holds skill ``name`` (or none): the name it held is free for what follows."""
    for held in [n for n, p in names.items() if p == dest]:
        del names[held]
    if name is not None:
        names[name] = dest


def plan_writes(
    store: Store,
    texts: dict[str, str],
    results: dict[str, ValidationResult],
    on_conflict: str,
    updatable: Collection[str] = (),
    edited: Collection[str] = (),
) -> tuple[list[Planned], dict[str, str]]:
    """What each incoming module does under ``on_conflict``; the texts to write by destination.

    ``updatable`` paths hold an earlier install of the same package, unedited since: a newer
    text replaces them (reason "update"). ``edited`` paths were installed and then edited
    locally: they clash as usual, with reason "edited", so no policy but an explicit one
    replaces them.
    """
    from stato.core.render import set_field

    existing, names = _existing(store)
    taken = set(existing)
    actions: list[Planned] = []
    writes: dict[str, str] = {}
    for path in sorted(texts):
        text, name = texts[path], skill_name(results[path])
        if path in existing:
            clash, reason = path, "path"
        elif name is not None and name in names and names[name] != path:
            clash, reason = names[name], "name"
        else:
            actions.append(Planned(path, "add", path))
            writes[path] = text
            taken.add(path)
            if name is not None:
                names[name] = path
            continue
        if reason == "path" and path in edited:
            reason = "edited"
        # Its path is taken AND its skill name is held by another module: writing it over the
        # path would leave two skills of one name (E011), so replace cannot settle it.
        owner = names.get(name, path) if name is not None and clash == path else path
        if existing.get(clash) == text.encode("utf-8"):
            actions.append(Planned(path, "unchanged", clash, clash, reason))
        elif owner != path and on_conflict != "rename":  # not even as an update
            action = "skip" if on_conflict == "skip" else "conflict"
            actions.append(Planned(path, action, owner, owner, "name"))
        elif clash in writes and on_conflict != "rename":
            # Another incoming module is written there already: never one over the other.
            action = "skip" if on_conflict == "skip" else "conflict"
            actions.append(Planned(path, action, clash, clash, reason))
        elif reason == "path" and path in updatable:
            actions.append(Planned(path, "replace", clash, clash, "update"))
            writes[clash] = text
            _moved(names, clash, name)
        elif on_conflict in ("ask", "skip"):
            action = "conflict" if on_conflict == "ask" else "skip"
            actions.append(Planned(path, action, clash, clash, reason))
        elif on_conflict == "replace":
            actions.append(Planned(path, "replace", clash, clash, reason))
            writes[clash] = text
            _moved(names, clash, name)
        else:  # rename: a free path, and a free skill name when the name is taken
            dest = path if path not in taken else free_path(path, taken)
            new_name = free_name(name, names) if name is not None and name in names else None
            actions.append(Planned(path, "rename", dest, clash, reason, new_name))
            writes[dest] = set_field(text, "name", new_name) if new_name else text
            taken.add(dest)
            if name is not None:
                names[new_name or name] = dest
    return actions, writes
