"""`stato init`: create the .stato/ folders (and optionally the bundled example)."""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option("--path", "path", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Project folder (default: the current folder).")
@click.option("--example", is_flag=True, help="Fill the project with the bundled scRNA-seq example.")
def init(path: Path, example: bool) -> int:
    """Create .stato/ with skills/, .history/, prompts/ and a .statoignore. Safe to run twice."""
    from stato.cli.console import echo
    from stato.ops.init import init_project

    result = init_project(path, example=example)
    where = result.root / ".stato"
    if result.created:
        echo(f"Initialized {where}: " + ", ".join(result.created))
    else:
        echo(f"{where} already exists; nothing to create.")
    if result.example:
        echo("Example modules: " + ", ".join(result.example))
        echo("Next: stato status, stato validate, stato bridge --platform all")
    elif example:
        echo("Example modules already present; none overwritten.")
    else:
        echo("Next: stato crystallize (have your agent capture its expertise), or stato init --example")
    return 0
