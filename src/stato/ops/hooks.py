"""Agent hooks that bring stato's recap back after compaction: install, uninstall, run."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato import confine
from stato.bridges.agent_table import HOOKS
from stato.bridges.agents import HookTarget
from stato.errors import StatoError, UsageError

if TYPE_CHECKING:  # the settings files are read where needed: `hooks run` mostly reads none
    from stato.adapters.jsonconfig import ConfigChange, JsonObject

HOOK_COMMAND = "{stato} hooks run --agent {agent}"
_OURS = re.compile(r"\bstato hooks run\b")


def targets(agent: str) -> list[HookTarget]:
    """The rows for ``--agent NAME`` (``all`` is every row)."""
    if agent == "all":
        return list(HOOKS.values())
    return [HOOKS[agent]]


def settings_path(target: HookTarget, root: Path, user: bool) -> Path:
    return Path.home() / target.user_file if user else root / target.project_file


def hook_entry(target: HookTarget, stato: str = "stato") -> dict[str, Any]:
    """The entry stato adds; ``stato`` is how the agent's shell runs stato (on PATH by default)."""
    entry = dict(target.entry)
    for key in target.command_keys:
        entry[key] = HOOK_COMMAND.format(stato=stato, agent=target.id)
    entry[target.timeout_key] = target.timeout
    return entry


# ---------------------------------------------------------------- finding, adding, removing


def _is_ours(entry: Any, target: HookTarget) -> bool:
    return isinstance(entry, dict) and any(
        isinstance(entry.get(k), str) and _OURS.search(entry[k]) for k in target.command_keys
    )


def installed(data: JsonObject, target: HookTarget) -> list[tuple[str | None, dict[str, Any]]]:
    """stato's entries in a settings object, each with the matcher of its group."""
    found: list[tuple[str | None, dict[str, Any]]] = []
    hooks = data.get("hooks")
    groups = hooks.get(target.event) if isinstance(hooks, dict) else None
    for group in groups if isinstance(groups, list) else []:
        if not target.nested:
            found += [(None, group)] if _is_ours(group, target) else []
        elif isinstance(group, dict) and isinstance(group.get("hooks"), list):
            found += [(group.get("matcher"), h) for h in group["hooks"] if _is_ours(h, target)]
    return found


def _remove(data: JsonObject, target: HookTarget) -> None:
    hooks = data.get("hooks")
    groups = hooks.get(target.event) if isinstance(hooks, dict) else None
    if not isinstance(hooks, dict) or not isinstance(groups, list):
        return
    kept = []
    for group in groups:
        if target.nested and isinstance(group, dict) and isinstance(group.get("hooks"), list):
            inner = [h for h in group["hooks"] if not _is_ours(h, target)]
            if len(inner) == len(group["hooks"]):
                kept.append(group)
            elif inner:  # a group shared with someone else's hook keeps theirs
                kept.append({**group, "hooks": inner})
        elif target.nested or not _is_ours(group, target):
            kept.append(group)
    if kept:
        hooks[target.event] = kept
    elif len(kept) != len(groups):
        del hooks[target.event]
        if not hooks:
            del data["hooks"]


def _install(data: JsonObject, target: HookTarget, stato: str = "stato") -> None:
    entry = hook_entry(target, stato)
    present = installed(data, target)
    if len(present) == 1:  # keys a person added to stato's entry stay; stato's own are renewed
        entry = {**present[0][1], **entry}
    if present == [(target.matcher, entry)]:
        return  # already exactly what stato would write: a second install changes nothing
    _remove(data, target)
    for key, value in target.top.items():
        data.setdefault(key, value)
    hooks = data.setdefault("hooks", {})
    if not isinstance(hooks, dict):
        raise UsageError(f"'hooks' in the {target.label} settings is not an object; fix it by hand")
    group: dict[str, Any] = {"hooks": [entry]} if target.nested else entry
    if target.nested and target.matcher is not None:
        group = {"matcher": target.matcher, **group}
    hooks.setdefault(target.event, []).append(group)


def _only_scaffolding(target: HookTarget) -> Callable[[JsonObject], bool]:
    """True when only the keys stato itself put there are left (``{}``, Cursor's
    ``{"version": 1}``): the file then goes, so an install and an uninstall leave no file
    behind where there was none (its last text stays in the backup)."""

    def check(data: JsonObject) -> bool:
        return all(target.top.get(k, object()) == v for k, v in data.items())

    return check


def install(
    target: HookTarget, root: Path, user: bool = False, stato: str = "stato"
) -> ConfigChange:
    from stato.adapters.jsonconfig import update_json

    if not user:  # the project's own settings file: never through a link out of the project
        confine.check_within(root, settings_path(target, root, user), target.project_file)
    return update_json(settings_path(target, root, user), lambda d: _install(d, target, stato))


def uninstall(target: HookTarget, root: Path, user: bool = False) -> ConfigChange:
    from stato.adapters.jsonconfig import ConfigChange, update_json

    path = settings_path(target, root, user)
    if not path.is_file():
        return ConfigChange(path, False)
    if not user:
        confine.check_within(root, path, target.project_file)
    return update_json(path, lambda d: _remove(d, target), delete_if=_only_scaffolding(target))


def _chosen(agent: str, root: Path, user: bool) -> list[HookTarget]:
    from stato.adapters.jsonconfig import load_json

    chosen = targets(agent)
    for target in chosen:  # parse every file first: one that does not parse stops them all
        load_json(settings_path(target, root, user))
    return chosen


def install_hooks(
    agent: str, root: Path, user: bool = False, stato: str = "stato"
) -> list[ConfigChange]:
    """Merge stato's hook into each chosen agent's settings (all files parse, or none changes)."""
    if not stato.strip():
        raise UsageError.empty_command()
    return [install(t, root, user, stato.strip()) for t in _chosen(agent, root, user)]


def uninstall_hooks(agent: str, root: Path, user: bool = False) -> list[ConfigChange]:
    """Remove only stato's entries from each chosen agent's settings."""
    return [uninstall(t, root, user) for t in _chosen(agent, root, user)]


# ---------------------------------------------------------------- the hook itself


def event_name(target: HookTarget) -> str:
    """The hookEventName in ``hookSpecificOutput``: PascalCase (VS Code maps sessionStart)."""
    return target.event[:1].upper() + target.event[1:]


def hook_output(target: HookTarget, context: str) -> dict[str, Any]:
    """The JSON object ``target`` reads from a hook's stdout (every shape it documents)."""
    out: dict[str, Any] = {}
    for shape in target.outputs:
        if shape == "hookSpecificOutput":
            out[shape] = {"hookEventName": event_name(target), "additionalContext": context}
        else:
            out[shape] = context
    return out


def caller_of(target: HookTarget, payload: dict[str, Any]) -> HookTarget | None:
    """Another agent running ``target``'s hook file, recognised by keys only its stdin has."""
    for other in HOOKS.values():
        runs_it = other.id != target.id and target.id in other.also_runs
        if runs_it and any(key in payload for key in other.stdin_keys):
            return other
    return None


def has_own_hook(target: HookTarget, root: Path) -> bool:
    """True when stato's hook is installed in ``target``'s own project or user settings."""
    from stato.adapters.jsonconfig import load_json

    for user in (False, True):
        try:
            path = settings_path(target, root, user)
            if path.is_file() and installed(load_json(path), target):
                return True
        except (StatoError, OSError, RuntimeError):  # unreadable or unparsable: not ours
            continue
    return False


def _start_dir(payload: dict[str, Any]) -> Path:
    roots = payload.get("workspace_roots")
    for candidate in (
        payload.get("cwd"),
        roots[0] if isinstance(roots, list) and roots else None,
        os.environ.get("CLAUDE_PROJECT_DIR"),
        os.environ.get("GEMINI_PROJECT_DIR"),
    ):
        if isinstance(candidate, str) and candidate and Path(candidate).is_dir():
            return Path(candidate)
    return Path.cwd()


def run(agent: str, stdin_text: str, recap: Callable[[Path], str]) -> dict[str, Any]:
    """Answer one hook call: read the agent's stdin JSON, return its output with ``recap(root)``.

    Never raises for a problem in the project: a hook that fails would cost the agent its
    session start, so the problem becomes one line of context instead.
    """
    from stato.ops.project import find_root

    target = targets(agent)[0]
    try:
        payload = json.loads(stdin_text) if stdin_text.strip() else {}
    except (ValueError, RecursionError):  # torn, not JSON, or nested past the parser's depth
        payload = {}
    payload = payload if isinstance(payload, dict) else {}
    try:
        root = find_root(_start_dir(payload))
    except (StatoError, OSError):  # no project here, a link loop, an unreadable folder
        return hook_output(target, "")
    caller = caller_of(target, payload)
    if caller is not None and has_own_hook(caller, root):
        # e.g. Cursor or VS Code running Claude Code's .claude/settings.json hook while their
        # own stato hook is installed too: that one gives the recap, so this one stays silent
        # and the agent reads it once.
        return hook_output(target, "")
    try:
        context = recap(root)
    except Exception as exc:  # the boundary of a hook: report, never fail the session
        why = f"{type(exc).__name__}: {exc}"
        context = f"stato could not build its recap ({why}); run `stato resume` to see why."
    return hook_output(target, context)


# ---------------------------------------------------------------- doctor
