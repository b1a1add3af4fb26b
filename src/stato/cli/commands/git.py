"""`stato git install|uninstall`: register the field-level merge driver with git."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from stato.cli.options import json_option, path_option

if TYPE_CHECKING:
    from stato.ops.gitdriver import DriverChange


@click.group("git")
def git() -> None:
    """Let git merge .stato/ modules field by field (`stato merge-file` as a merge driver).

    install adds `.stato/**/*.py merge=stato` to .gitattributes next to .stato/ and sets
    merge.stato.name and merge.stato.driver in this repository's own git config (git
    config --local). Run it once per clone: git config does not travel with a clone.
    """


def _report(change: DriverChange, as_json: bool, verb: str) -> None:
    from stato.cli.console import echo, emit_json

    if as_json:
        emit_json(change.to_dict())
        return
    if not change.changed:
        echo(f"Nothing to do: the stato merge driver is already {verb} in {change.repo}.")
        return
    for line in change.changed:
        echo(f"  {line}")
    echo(f"The stato merge driver is {verb} in {change.repo}.")


@git.command("install")
@path_option
@json_option
def install(path: Path, as_json: bool) -> None:
    """Register the merge driver (idempotent); needs git and a git repository.

    The .gitattributes line goes next to .stato/ (or, before `stato init`, at the top of the
    repository).
    """
    from stato.ops.gitdriver import install as run
    from stato.ops.gitdriver import project_or_repo

    change = run(project_or_repo(path))
    _report(change, as_json, "installed")
    if not as_json and change.changed:
        from stato.cli.console import echo

        echo(f"Driver: {change.driver}")
        echo(f"Commit {change.attributes.name} so every clone names the driver.")


@git.command("uninstall")
@path_option
@json_option
def uninstall(path: Path, as_json: bool) -> None:
    """Remove the driver's .gitattributes line and its git config keys."""
    from stato.ops.gitdriver import project_or_repo
    from stato.ops.gitdriver import uninstall as run

    _report(run(project_or_repo(path)), as_json, "removed")
