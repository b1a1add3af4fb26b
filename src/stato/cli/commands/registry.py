"""`stato registry`: list, search, install and publish expertise packages; add/remove registries."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from stato.adapters.config import DEFAULT_DEADLINE, TIMEOUT_ENV
from stato.cli.options import (
    accept_risk_option,
    json_option,
    on_conflict_option,
    path_option_with,
    sign_option,
)
from stato.errors import ProjectNotFound, StatoError

if TYPE_CHECKING:
    from stato.adapters.config import ConfigEdit
    from stato.core.diff import ModuleDiff

TIMEOUT = 10.0

_registry_option = click.option(
    "--registry",
    "registry_url",
    metavar="URL",
    help="Use only this registry (folder, file:// or http(s):// URL) for this call.",
)
_timeout_option = click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=TIMEOUT,
    show_default=True,
    help=(
        "Seconds to wait for a registry to connect or send the next data. A whole download "
        f"(index or archive) may take at most {TIMEOUT_ENV} seconds, or timeout = N "
        f"under [registry] in config.toml (default {DEFAULT_DEADLINE:g})."
    ),
)


def _root(path: Path) -> Path | None:
    """The project at or above ``path``, or None outside a project."""
    from stato.ops.project import find_root

    try:
        return find_root(path)
    except ProjectNotFound:
        return None


@click.group("registry")
def registry() -> None:
    """List, search, install and publish expertise packages.

    Registries are searched in order: STATO_REGISTRY, .stato/config.toml,
    ~/.config/stato/config.toml, then the built-in one (works offline).
    Indexes of the earlier stato (0.5-0.11, [packages.NAME] tables) are read too; its
    community registry is not in the default list: add it with `stato registry add URL`.

    Downloads: each one (index or archive) may take at most STATO_REGISTRY_TIMEOUT
    seconds, else `timeout` under [registry] in config.toml, else 120. Redirects are
    followed up to 5 times over http(s), never from https to http nor to file:.
    A login in the address (https://USER:TOKEN@host/...) is sent to that server only
    and never printed.
    """


@registry.command("list")
@json_option
@_registry_option
@_timeout_option
@path_option_with("Project whose .stato/config.toml names registries.")
def list_(as_json: bool, registry_url: str | None, timeout: float, path: Path) -> None:
    """List the packages every registry offers (newest version of each)."""
    from stato.ops.registry import list_packages

    result = list_packages(_root(path), registry_url, timeout)
    from stato.cli.console import emit
    from stato.cli.render import registry as render

    emit(result, as_json, render.listing)


@registry.command("search")
@click.argument("query")
@json_option
@_registry_option
@_timeout_option
@path_option_with("Project whose .stato/config.toml names registries.")
def search(query: str, as_json: bool, registry_url: str | None, timeout: float, path: Path) -> int:
    """Find packages by keyword (ranked: name, tags, description).

    Every word of QUERY must match. Exits 1 when nothing matches.
    """
    from stato.ops.registry import search as run

    result = run(_root(path), query, registry_url, timeout)
    from stato.cli.console import emit
    from stato.cli.render import registry as render

    emit(result, as_json, render.listing)
    return 0 if result.packages else 1


@registry.command("install")
@click.argument("spec", metavar="NAME[@VERSION]")
@path_option_with("Project to install into.")
@on_conflict_option
@click.option("--dry-run", is_flag=True, help="Download and verify, report what would change.")
@click.option(
    "--yes", "-y", is_flag=True, help="Accept an update's changes without asking (for scripts)."
)
@_registry_option
@_timeout_option
@json_option
@accept_risk_option
def install(
    spec: str,
    path: Path,
    on_conflict: str,
    dry_run: bool,
    yes: bool,
    registry_url: str | None,
    timeout: float,
    as_json: bool,
) -> int:
    """Download a package, verify its sha256 and signature, and import its modules.

    A newer version of an installed package shows what it changes, field by field, and asks
    first (--yes accepts; with no terminal to ask on, it refuses). The lock file records it.
    """
    from stato.cli.render import registry as render
    from stato.ops.init import write_target
    from stato.ops.registry import install as run

    root = write_target(path).root  # a new folder becomes a project when the install writes
    bars: list[render.DownloadBar] = []

    def confirm(diffs: tuple[ModuleDiff, ...]) -> bool:
        from stato.cli.render.diff import updates

        if yes:
            return True
        for bar in bars:  # the download is over: its bar would redraw over the diff and question
            bar.stop()
        if not as_json:
            updates(diffs, spec)
        if not sys.stdin.isatty():
            raise StatoError(
                f"installing {spec} changes {len(diffs)} installed module(s) and there is no "
                "terminal to ask on; nothing was written: review with --dry-run --json, then "
                "rerun with --yes"
            )
        return click.confirm("Install these changes?", default=False, err=as_json)

    with render.download_progress(spec) as progress:
        bars.extend([progress] if progress is not None else [])
        result = run(
            root, spec, registry_url, on_conflict, dry_run, progress, timeout, confirm=confirm
        )
    from stato.cli.console import emit

    emit(result, as_json, render.install)
    return 1 if result.imported.stopped else 0


@registry.command("publish")
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The registry folder (created when missing).",
)
@click.option("--name", help="Package name (default: the archive's name, lowercased).")
@click.option(
    "--version", "version", help="Package version (default: the latest published, or 1.0.0)."
)
@click.option("--description", help="One line about the package.")
@click.option("--author", help="Who publishes it.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for several).")
@sign_option
@path_option_with("Project whose .statoignore the privacy scan honours.")
@json_option
@accept_risk_option
def publish(
    archive: Path,
    folder: Path,
    name: str | None,
    version: str | None,
    description: str | None,
    author: str | None,
    tags: tuple[str, ...],
    sign: Path | None,
    path: Path,
    as_json: bool,
) -> None:
    """Publish ARCHIVE into a registry folder (privacy-scanned first).

    The archive is copied beside index.toml and its entry (with sha256) is added or
    updated, so the folder can be served by any static host.
    """
    from stato.ops.registry_publish import publish as run
    from stato.ops.scan import load_ignore

    result = run(
        archive,
        folder,
        name=name,
        version=version,
        description=description,
        author=author,
        tags=list(tags) if tags else None,
        ignore=load_ignore(root) if (root := _root(path)) else (),
        sign=sign,
    )
    from stato.cli.console import emit
    from stato.cli.render import registry as render

    emit(result, as_json, render.publish)


@registry.command("add")
@click.argument("address", metavar="URL")
@click.option("--user", is_flag=True, help="Edit ~/.config/stato/config.toml, not the project's.")
@path_option_with("Project whose .stato/config.toml to edit.")
@json_option
def add(address: str, user: bool, path: Path, as_json: bool) -> None:
    """Add a registry (folder, file:// or http(s):// URL) to the config."""
    from stato.ops.registry_config import add_registry

    _edited("added", address, add_registry(address, path, user), as_json)


@registry.command("remove")
@click.argument("address", metavar="URL")
@click.option("--user", is_flag=True, help="Edit ~/.config/stato/config.toml, not the project's.")
@path_option_with("Project whose .stato/config.toml to edit.")
@json_option
def remove(address: str, user: bool, path: Path, as_json: bool) -> None:
    """Remove a registry from the config.

    Removing "builtin" turns the built-in registry off; "add builtin" turns it back on.
    """
    from stato.ops.registry_config import remove_registry

    _edited("removed", address, remove_registry(address, path, user), as_json)


def _edited(action: str, address: str, done: ConfigEdit, as_json: bool) -> None:
    """What add or remove changed: a line for people, one JSON document with --json (the
    address with any login redacted, as in every output)."""
    from stato.adapters.http import redact
    from stato.cli.console import echo, emit_json

    if as_json:
        backup = None if done.backup is None else str(done.backup)
        emit_json(
            {
                "action": action,
                "registry": redact(address),
                "config": str(done.path),
                "backup": backup,
            }
        )
        return
    where = "to" if action == "added" else "from"
    echo(f"{action.capitalize()} {redact(address)} {where} {done.path}.")
    if done.backup is not None:
        echo(f"The previous text is kept in {done.backup}.")
