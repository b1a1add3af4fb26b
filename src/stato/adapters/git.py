"""The git command line, run as a subprocess: the repository's top folder and its local config."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from stato.errors import StatoError


class GitError(StatoError):
    """git is missing, the folder is not in a repository, or git refused a command."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("git")
    if exe is None:
        raise GitError("git is not installed (or not on PATH); install git and run this again")
    # A fixed environment: no pager, no prompt, and GIT_DIR from a hook never points elsewhere.
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"})
    try:
        return subprocess.run(
            [exe, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise GitError(f"git {args[0]} failed: {exc}") from None


def available() -> bool:
    return shutil.which("git") is not None


def toplevel(folder: Path) -> Path:
    """The top folder of the git repository holding ``folder``."""
    done = _git(["rev-parse", "--show-toplevel"], folder)
    if done.returncode != 0:
        raise GitError(f"{folder} is not inside a git repository (git init, or clone one first)")
    return Path(done.stdout.strip())


def config_get(repo: Path, key: str) -> str | None:
    """A key of the repository's own config (``--local``), or None when it is not set."""
    done = _git(["config", "--local", "--get", key], repo)
    return done.stdout.strip() if done.returncode == 0 else None


def config_set(repo: Path, key: str, value: str) -> None:
    done = _git(["config", "--local", key, value], repo)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise GitError(f"git config --local {key} failed: {why}")


def config_unset(repo: Path, key: str) -> bool:
    """Remove a key; True when it was there (git exits 5 when it was not)."""
    done = _git(["config", "--local", "--unset-all", key], repo)
    if done.returncode not in (0, 5):
        why = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise GitError(f"git config --local --unset-all {key} failed: {why}")
    return done.returncode == 0
