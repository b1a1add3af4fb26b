"""Where an archive named with -o/--output may go, and the backup of a file it replaces."""

from __future__ import annotations

import os
from pathlib import Path

from stato.adapters.fs import fresh_name
from stato.adapters.store import STATO_DIR
from stato.errors import UsageError


def output_path(given: Path | str) -> Path:
    """``given``, unless it lies in a .stato/ folder (modules, history, stato's own state):
    an archive written there would replace a module or state with a zip."""
    path = Path(given)
    # Both spellings: as given, and with every link followed (a link into .stato/ counts).
    for form in (Path(os.path.abspath(path)), Path(os.path.realpath(path))):
        if STATO_DIR in form.parts[:-1] or form.name == STATO_DIR:
            raise UsageError(
                f"--output {given} is inside a {STATO_DIR}/ folder, where modules and stato's "
                "own files live; choose another path (e.g. NAME.stato in the project folder)"
            )
    return path


def backup_path(dest: Path) -> Path | None:
    """Where the file an archive replaces is kept; None when there is nothing at ``dest``.

    DEST.bak, else DEST.bak.1, ... never over a file of the user's. One exception keeps
    re-snapshotting from piling up copies: when DEST and DEST.bak are both .stato archives
    (stato's own output), the previous archive replaces the older one in DEST.bak.
    """
    if not os.path.lexists(dest) or os.path.isdir(dest):
        return None
    plain = dest.with_name(dest.name + ".bak")
    if _is_archive(dest) and _is_archive(plain):
        return plain
    return fresh_name(plain)


def _is_archive(path: Path) -> bool:
    """A regular file that is a zip with a manifest.toml at its top (what stato writes)."""
    import zipfile

    if os.path.islink(path) or not os.path.isfile(path):
        return False
    try:
        with zipfile.ZipFile(path) as zf:
            return "manifest.toml" in zf.namelist()
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, RuntimeError):
        return False
