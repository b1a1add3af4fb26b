"""The edges of a run: exit codes, arguments that are not text, closed pipes, crash reports.

Exit codes (README, docs/security.md): 0 ok; 1 findings or a user error; 2 usage; 3 an
internal error (a bug in stato, with a crash report); 130 interrupted; 141 stdout closed early
(128 + SIGPIPE, as git ends under `| head`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130
EXIT_PIPE = 141


class PipeClosed(Exception):  # noqa: N818 - an event, not an error: the reader left
    """stdout's reader went away; the run ends quietly with EXIT_PIPE."""


def not_utf8(args: Sequence[str]) -> str | None:
    """The message for the first argument that is not valid UTF-8, or None.

    Python hands undecodable bytes over as lone surrogates; stored in a module they would
    break every later command, so they are refused before anything is written.
    """
    for i, arg in enumerate(args, 1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            return (
                f"argument {i} ({shown!r}) is not valid UTF-8 text; "
                "give it in UTF-8 (check the terminal's encoding, or rename the file)"
            )
    return None


def silence_stdout() -> None:
    """After a closed pipe: point stdout at the null device so the interpreter's last flush
    does not print another error (the recipe of Python's signal documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (an embedding): nothing left
        pass


def flush_stdout() -> bool:
    """Flush stdout; False when its reader went away (a closed pipe)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
        return False
    except (OSError, ValueError):  # closed or detached: nothing more can be said there
        return True
    return True


def _report_dir() -> Path:
    """The user's cache folder for stato (never a project), else the temp folder."""
    import tempfile

    explicit = os.environ.get("STATO_CACHE_DIR")
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    home = os.path.expanduser("~")
    for folder in (
        Path(explicit) / "crash" if explicit else None,
        Path(base) / "stato" / "crash" if base and os.path.isabs(base) else None,
        Path(home) / ".cache" / "stato" / "crash" if os.path.isabs(home) else None,
    ):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return Path(tempfile.gettempdir())


def crash_report(exc: BaseException, argv: Sequence[str]) -> Path | None:
    """Write what a bug report needs (version, platform, command, traceback) to a new file
    of its own; its path, or None when nothing could be written."""
    import platform
    import tempfile
    import traceback
    from datetime import datetime, timezone

    from stato import __version__

    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "stato crash report: attach this file to a bug report (check it first: the command",
        "line below is included as you typed it).",
        "",
        f"stato {__version__}",
        f"python {platform.python_version()} ({platform.python_implementation()})",
        f"platform {platform.platform()}",
        f"time {stamp}",
        "command: stato "
        + " ".join(a.encode("utf-8", "backslashreplace").decode("utf-8") for a in argv),
        "",
        "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    ]
    try:
        # mkstemp: a new file only this user can read, never one that is already there.
        fd, name = tempfile.mkstemp(
            prefix=f"stato-crash-{stamp}-", suffix=".txt", dir=_report_dir()
        )
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as fh:
            fh.write("\n".join(lines))
    except OSError:
        return None
    return Path(name)


def internal_error_line(exc: BaseException, report: Path | None) -> str:
    """The one line shown for a bug: what failed, where the report is, how to see more."""
    what = f"{type(exc).__name__}: {exc}".replace("\n", " ")
    if len(what) > 200:
        what = what[:197] + "..."
    where = (
        f"a crash report for a bug report is in {report}"
        if report is not None
        else "no crash report could be written"
    )
    return f"error: internal error (a bug in stato): {what}; {where} (--debug shows the traceback)"
