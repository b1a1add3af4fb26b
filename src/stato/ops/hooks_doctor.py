"""`stato hooks doctor`: run each installed hook as its agent would and check what it prints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.jsonconfig import load_json
from stato.ops.hooks import HookTarget, installed, settings_path, targets


@dataclass(frozen=True)
class HookCheck:
    """One installed stato hook, run the way its agent runs it."""

    agent: str
    path: Path
    command: str
    problems: tuple[str, ...]
    seconds: float | None

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
        if not isinstance(inner, dict) or inner.get("hookEventName") != target.event:
            return [f"stdout lacks hookSpecificOutput.hookEventName = {target.event!r}"]
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


def _run_hook(
    command: str, root: Path, stdin: dict[str, Any], limit: float
) -> tuple[int | None, str, str, float]:
    """Run ``command`` in a shell as the agents do: (exit code or None on timeout, out, err)."""
    started = time.monotonic()
    # A session of its own, so a timeout kills the shell's children too: they hold the pipes,
    # and waiting for them would make doctor as slow as the broken hook it reports.
    proc = subprocess.Popen(  # noqa: S602 - agents run hook commands through a shell too
        command, shell=True, cwd=root, text=True, start_new_session=os.name == "posix",
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
    """Run every installed stato hook with its agent's stdin; check output shape and time."""
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
            stdin = {**target.stdin}
            stdin.update({"cwd": str(root)} if "cwd" in stdin else {})
            stdin.update({"workspace_roots": [str(root)]} if "workspace_roots" in stdin else {})
            returncode, stdout, stderr, seconds = _run_hook(command, root, stdin, limit)
            if returncode is None:
                problems.append(f"did not finish within {limit:g} s, {target.label}'s timeout")
                checks.append(HookCheck(target.id, path, command, tuple(problems), None))
                continue
            if returncode != 0:
                why = (stderr.strip().splitlines() or ["no message"])[-1][:120]
                problems.append(f"exited with {returncode}: {why}")
                if returncode == 127:  # the shell found no such command
                    problems.append("no such command here: reinstall with --command /path/to/stato")
            else:
                problems += check_output(target, stdout)
            checks.append(HookCheck(target.id, path, command, tuple(problems), seconds))
    return checks
