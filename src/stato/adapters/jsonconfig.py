"""Merge stato's entries into an agent's JSON or TOML settings file, never clobbering the rest."""

from __future__ import annotations

import copy
import json
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.fs import read_text, write_atomic
from stato.errors import StatoError

JsonObject = dict[str, Any]


class SettingsError(StatoError):
    """A settings file does not parse, or stato's part of it cannot be changed in place."""


@dataclass(frozen=True)
class ConfigChange:
    """What one merge did to one file."""

    path: Path
    changed: bool
    created: bool = False
    deleted: bool = False
    backup: Path | None = None


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + ".stato-backup")


def _read(path: Path) -> str | None:
    return read_text(path) if path.is_file() else None


def load_json(path: Path, text: str | None = None) -> JsonObject:
    """The object in a JSON settings file ({} when missing or blank); refuses anything else.

    Comments and trailing commas are accepted (JSONC: VS Code's files, Gemini CLI's settings).
    """
    from stato.formats.jsonc import JsoncError, loads

    text = _read(path) if text is None else text
    if text is None or not text.strip():
        return {}
    try:
        data = loads(text)
    except JsoncError as exc:
        raise SettingsError(
            f"{path} is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno}); "
            "stato left it unchanged: fix it and run the command again"
        ) from None
    if not isinstance(data, dict):
        raise SettingsError(
            f"{path} holds a JSON {type(data).__name__}, not an object; stato left it unchanged"
        )
    return data


def _indent(text: str | None) -> str | int:
    found = re.search(r"^([ \t]+)\S", text or "", re.MULTILINE)
    return found.group(1) if found else 2


def _commit(path: Path, old: str | None, new: str | None) -> ConfigChange:
    """Write ``new`` (or delete the file when None), keeping the old text as a backup first."""
    backup = None
    # A settings file the user made private (0600: it may hold tokens) stays private.
    mode = stat.S_IMODE(path.stat().st_mode) if old is not None else 0o644
    if old is not None:
        backup = backup_path(path)
        # the backup lands before the file changes: a crash loses nothing
        write_atomic(backup, old, mode)
    if new is None:
        path.unlink()
        return ConfigChange(path, True, deleted=True, backup=backup)
    write_atomic(path, new, mode)
    return ConfigChange(path, True, created=old is None, backup=backup)


def update_json(
    path: Path,
    change: Callable[[JsonObject], None],
    *,
    delete_if: Callable[[JsonObject], bool] | None = None,
) -> ConfigChange:
    """Apply ``change`` to a copy of the file's object; write only when the object differs.

    Keys keep their order and the file its indent; ``delete_if`` lets a file stato owns go
    away when nothing but its own scaffolding is left.
    """
    old = _read(path)
    data = load_json(path, old)
    new = copy.deepcopy(data)
    change(new)
    if new == data:
        return ConfigChange(path, False)
    if old is not None and delete_if is not None and delete_if(new) and not _has_comments(old):
        return _commit(path, old, None)  # a comment is the person's: such a file stays
    return _commit(path, old, _edited(path, old, new))


def _has_comments(text: str) -> bool:
    from stato.formats.jsonc import strip

    return strip(text) != text


def _edited(path: Path, old: str | None, new: JsonObject) -> str:
    """The new text: ``old`` edited in place (comments and layout kept), or written afresh when
    there is nothing to keep but layout: no file, a blank one, plain JSON on one line, or plain
    JSON too large to edit in place (~/.claude.json grows to megabytes)."""
    from stato.formats.jsonc import MAX_EDIT_CHARS, strip
    from stato.formats.jsonc_edit import EditRefused, patch

    unit = _indent(old)
    plain = old is None or strip(old) == old  # no comment, no trailing comma
    if (
        old is None
        or not old.strip()
        or (plain and ("\n" not in old.strip() or len(old) > MAX_EDIT_CHARS))
    ):
        return json.dumps(new, indent=unit, ensure_ascii=False) + "\n"
    try:
        return patch(old, new, unit if isinstance(unit, str) else " " * unit)
    except EditRefused as exc:
        raise SettingsError(
            f"{path}: stato cannot change it in place: {exc}; stato left it unchanged: "
            "make the change by hand (or move that comment) and run the command again"
        ) from None


# ---------------------------------------------------------------- TOML: one table, edited as text

_HEADER = re.compile(r"^\s*\[{1,2}\s*([^\[\]]+?)\s*\]{1,2}\s*(?:#.*)?$")


def _load_toml(path: Path, text: str) -> JsonObject:
    from stato.formats.tomltext import TomlProblem, loads

    try:
        return loads(text)
    except TomlProblem as exc:  # a huge number or deep nesting too, not only bad syntax
        raise SettingsError(f"{path} is not valid TOML ({exc}); stato left it unchanged") from None


def _name(header: str) -> tuple[str, ...]:
    return tuple(part.strip().strip("\"'") for part in header.split("."))


def _without_table(text: str, dotted: tuple[str, ...]) -> str:
    """``text`` minus the ``[a.b]`` blocks and sub-tables, each with the blank line before it.

    Comment and blank lines that end a removed block and lead into the next table's header
    stay: they are the person's notes on that next table, not part of the removed one.
    """
    out: list[str] = []
    skipping = False
    tail: list[str] = []  # the comment/blank lines seen since the removed block's last key
    for line in text.splitlines(keepends=True):
        header = _HEADER.match(line)
        if header:
            was_skipping = skipping
            skipping = _name(header.group(1))[: len(dotted)] == dotted
            if was_skipping and not skipping:
                out.extend(tail)
            elif skipping and not was_skipping and out and not out[-1].strip():
                out.pop()
            tail = []
        if not skipping:
            out.append(line)
        elif not header:
            stripped = line.strip()
            tail = [*tail, line] if not stripped or stripped.startswith("#") else []
    if skipping and any(line.strip() for line in tail):  # the person's closing comments
        out.extend(tail)
    return "".join(out)


def check_parses(path: Path) -> None:
    """Raise SettingsError, naming the file, when a JSON or TOML settings file does not parse."""
    text = _read(path)
    if text is not None:
        _load_toml(path, text) if path.suffix == ".toml" else load_json(path, text)


def _prune(data: Any) -> Any:
    if isinstance(data, dict):
        pruned = {k: _prune(v) for k, v in data.items()}
        return {k: v for k, v in pruned.items() if v != {}}
    return data


def update_toml_table(
    path: Path,
    dotted: tuple[str, ...],
    table: JsonObject | None,
    merge: Callable[[Any, JsonObject], JsonObject] | None = None,
) -> ConfigChange:
    """Set (None: remove) one ``[a.b]`` table; comments and every other line stay as written.
    ``merge(current, table)`` gives the table to set from the one already there."""
    import tomli_w

    old = _read(path)
    text = old or ""
    data = _load_toml(path, text)
    expected = copy.deepcopy(data)
    parent = expected
    for key in dotted[:-1]:
        parent = parent.setdefault(key, {})
    if table is not None and merge is not None:
        table = merge(parent.get(dotted[-1]), table)
    if parent.get(dotted[-1]) == table or (table is None and dotted[-1] not in parent):
        return ConfigChange(path, False)
    parent.pop(dotted[-1], None)
    new = _without_table(text, dotted)
    if table is not None:
        parent[dotted[-1]] = table
        nested: JsonObject = table
        for key in reversed(dotted):
            nested = {key: nested}
        sep = "" if not new else "\n" if new.endswith("\n") else "\n\n"
        new += sep + tomli_w.dumps(nested)
    try:
        same = _prune(_load_toml(path, new)) == _prune(expected)
    except SettingsError:  # the edited text no longer parses: stato's table was not a block
        same = False
    if not same:
        where = ".".join(dotted)
        raise SettingsError(
            f"{path} defines {where} inline or with dotted keys, which stato cannot "
            f"change in place; edit {where} by hand"
        )
    if table is None and not new.strip():  # nothing but stato's table was there: no file
        return _commit(path, old, None)
    return _commit(path, old, new)
