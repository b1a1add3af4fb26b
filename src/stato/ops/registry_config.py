"""`stato registry add|remove`: one address more or less in a config file, edited in place."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from stato.adapters import config
from stato.adapters.config import ConfigEdit, edit_registries
from stato.adapters.http import redact
from stato.errors import ProjectNotFound, StatoError, UsageError
from stato.ops.project import find_root


def config_file(path: Path, user: bool) -> Path:
    """The config to edit: the user's with ``user``, else the project's at or above ``path``
    (the user's outside a project)."""
    if not user and not path.is_dir():
        raise ProjectNotFound(f"no folder {path}; give --path a project folder (or use --user)")
    try:
        root = None if user else find_root(path)
    except ProjectNotFound:
        root = None
    return config.project_config(root) if root is not None else config.user_config()


def add_registry(address: str, path: Path, user: bool) -> ConfigEdit:
    """Add ``address`` to the config; refused when it is unusable or already there."""
    from stato.adapters.registry_location import locate

    locate(address)  # refuse an unusable address before writing it down
    target = config_file(path, user)
    if "@" in urlsplit(address.strip()).netloc and target != config.user_config():
        raise UsageError(
            f"{redact(address)} holds a login, and {target} is committed with the project; "
            "add it with --user (your own config) instead; nothing changed"
        )
    done = edit_registries(target, add=address, follow_link=user)
    if not done.changed:
        raise StatoError(f"{redact(address)} is already in {target}; nothing changed")
    return done


def remove_registry(address: str, path: Path, user: bool) -> ConfigEdit:
    """Remove ``address`` from the config ("builtin" turns the built-in registry off)."""
    target = config_file(path, user)
    done = edit_registries(target, remove=address, follow_link=user)
    if not done.changed:
        raise StatoError(
            f"{redact(address)} is not in {target}; nothing changed "
            "(`stato registry list` shows where packages come from)"
        )
    return done
