"""`stato hooks doctor`: check each installed hook entry and run stato's own hook as the agent
would (its stdin, its timeout), then check what it prints.

The command string in a settings file is never executed: the file may come from a cloned
repository, and an entry that merely mentions `stato hooks run` could run anything. Doctor
checks that the entry is exactly the command `stato hooks install` writes, and runs stato's
hook itself with a fixed argument list (this Python, ``-m stato hooks run --agent ID``).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.jsonconfig import load_json
from stato.bridges.agents import HookTarget
from stato.ops.hooks import event_name, installed, settings_path, targets


@dataclass(frozen=True)
class HookCheck:
    """One installed stato hook, run the way its agent runs it."""

    agent: str
    path: Path
    command: str
    problems: tuple[str, ...]
    seconds: float | None
    ours: bool = True  # the entry is the command `stato hooks install` writes
    reaches: str = ""  # whether the recap reaches the model, and when not

    @property
    def ok(self) -> bool:
        return not self.problems


def check_output(target: HookTarget, stdout: str) -> list[str]:
    """What is wrong with a hook's stdout for ``target`` (nothing: an empty list)."""
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        first = stdout.strip().splitlines()[0][:60] if stdout.strip() else "nothing"
        return [f"stdout is not one JSON object (starts with: {first!r})"]
    if not isinstance(data, dict):
        return ["stdout is JSON but not an object"]
    if target.output == "hookSpecificOutput":
        inner = data.get("hookSpecificOutput")
        if not isinstance(inner, dict) or inner.get("hookEventName") != event_name(target):
            return [f"stdout lacks hookSpecificOutput.hookEventName = {event_name(target)!r}"]
        context = inner.get("additionalContext")
    else:
        context = data.get(target.output)
    if not isinstance(context, str):
        return [f"stdout has no string {target.output!r} for {target.label} to inject"]
    if not context.strip():
        return ["the recap is empty (no .stato/ project where the hook runs?)"]
    return []


def _timeout_seconds(target: HookTarget, entry: dict[str, Any], problems: list[str]) -> float:
    value = entry.get(target.timeout_key)
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
        return target.timeout * target.unit  # the agent's default applies
    if target.unit < 1 and value * target.unit < 1:
        problems.append(f"timeout {value} is in milliseconds for {target.label}: too short")
    return float(value) * target.unit


def entry_problems(target: HookTarget, command: str) -> list[str]:
    """Why ``command`` is not stato's own hook for ``target`` as `hooks install` writes it
    (``PROGRAM hooks run --agent ID``, PROGRAM being stato on PATH or a path to it)."""
    reinstall = f"reinstall with `stato hooks install --agent {target.id}`"
    try:
        words = shlex.split(command)
    except ValueError:
        words = []
    if len(words) != 5 or words[1:4] != ["hooks", "run", "--agent"]:
        return [f"the command is not stato's own hook, so doctor did not run it: {reinstall}"]
    program, agent = words[0], words[4]
    name = os.path.basename(program).lower()
    if name not in ("stato", "stato.exe"):
        return [f"the command runs {program!r}, not stato, so doctor did not run it: {reinstall}"]
    problems = []
    if agent != target.id:
        problems.append(
            f"the command prints {agent!r}'s shape, not the {target.output!r} that "
            f"{target.label} reads: {reinstall}"
        )
    found = shutil.which(program) if os.sep not in program and "/" not in program else program
    if not found or not (os.path.isfile(found) and os.access(found, os.X_OK)):
        problems.append(
            f"no such command here ({program}): reinstall with --command /path/to/stato"
        )
    return problems


def _run_hook(
    target: HookTarget, root: Path, stdin: dict[str, Any], limit: float
) -> tuple[int | None, str, str, float]:
    """Run stato's own hook for ``target`` (a fixed argv, no shell) with the agent's stdin and
    timeout: (exit code or None on timeout, out, err, seconds)."""
    started = time.monotonic()
    argv = [sys.executable, "-m", "stato", "hooks", "run", "--agent", target.id]
    # A session of its own, so a timeout kills whatever the hook started too: it holds the
    # pipes, and waiting for it would make doctor as slow as the broken hook it reports.
    proc = subprocess.Popen(
        argv, cwd=root, text=True, start_new_session=os.name == "posix",
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = proc.communicate(json.dumps(stdin), timeout=limit)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows has no process groups to kill
            proc.kill()
        proc.communicate()
        return None, "", "", time.monotonic() - started
    return proc.returncode, out, err, time.monotonic() - started


def doctor(agent: str, root: Path, user: bool = False) -> list[HookCheck]:
    """Check every installed stato hook entry; run stato's own hook with its agent's stdin and
    timeout and check the output's shape and time. No command from a settings file is run."""
    checks: list[HookCheck] = []
    for target in targets(agent):
        path = settings_path(target, root, user)
        if not path.is_file():
            continue
        for matcher, entry in installed(load_json(path), target):
            problems: list[str] = []
            if target.nested and matcher != target.matcher:
                problems.append(f"matcher is {matcher!r}; stato needs {target.matcher!r}")
            limit = _timeout_seconds(target, entry, problems)
            command = str(entry[next(k for k in target.command_keys if k in entry)])
            own = entry_problems(target, command)
            problems += own
            if any("did not run it" in p for p in own):  # not stato's: never executed
                checks.append(HookCheck(target.id, path, command, tuple(problems), None, False))
                continue
            stdin = {**target.stdin}
            stdin.update({"cwd": str(root)} if "cwd" in stdin else {})
            stdin.update({"workspace_roots": [str(root)]} if "workspace_roots" in stdin else {})
            returncode, stdout, stderr, seconds = _run_hook(target, root, stdin, limit)
            if returncode is None:
                problems.append(f"did not finish within {limit:g} s, {target.label}'s timeout")
                checks.append(HookCheck(target.id, path, command, tuple(problems), None))
                continue
            if returncode != 0:
                why = (stderr.strip().splitlines() or ["no message"])[-1][:120]
                problems.append(f"exited with {returncode}: {why}")
            else:
                problems += check_output(target, stdout)
            problems += _twice(target, root, limit)
            reaches = target.reaches if not problems else f"no: {problems[0]}"
            checks.append(
                HookCheck(target.id, path, command, tuple(problems), seconds, reaches=reaches)
            )
    return checks


def _twice(target: HookTarget, root: Path, limit: float) -> list[str]:
    """Agents that also run ``target``'s file and have their own stato hook must get silence.

    Cursor and VS Code run Claude Code's .claude/settings.json hooks too; with their own stato
    hook installed they would read the recap twice unless this one recognises their stdin.
    """
    from stato.bridges.agent_table import HOOKS
    from stato.ops.hooks import has_own_hook

    out = []
    for other in HOOKS.values():
        if target.id not in other.also_runs or not has_own_hook(other, root):
            continue
        stdin = {**other.stdin, "cwd": str(root)}
        stdin.update({"workspace_roots": [str(root)]} if "workspace_roots" in stdin else {})
        code, stdout, _, _ = _run_hook(target, root, stdin, limit)
        if code == 0 and _context(target, stdout):
            out.append(f"{other.label} runs this hook and its own: it would read the recap twice")
    return out


def _context(target: HookTarget, stdout: str) -> str:
    try:
        data = json.loads(stdout)
    except json.JSONDecodeError:
        return ""
    if not isinstance(data, dict):
        return ""
    inner = data.get("hookSpecificOutput")
    if target.output == "hookSpecificOutput" and isinstance(inner, dict):
        value = inner.get("additionalContext")
    else:
        value = data.get(target.output)
    return value if isinstance(value, str) else ""
