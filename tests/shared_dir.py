"""Where the shared test material (../shared beside the repository) is, if it is there."""

from __future__ import annotations

from pathlib import Path


def shared_dir(*parts: str, marker: str | None = None) -> Path | None:
    """``../shared/<parts>`` found from this checkout (a worktree or the main one) upwards, or
    None; with ``marker``, only a folder that holds that file counts."""
    for folder in Path(__file__).resolve().parents:
        candidate = folder.joinpath("shared", *parts)
        if candidate.is_dir() and (marker is None or (candidate / marker).is_file()):
            return candidate
    return None
