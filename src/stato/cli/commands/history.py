"""`stato history` and `stato rollback`: a module's backups in .stato/.history/."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option


@click.command()
@click.argument("module")
@path_option
@json_option
def history(module: str, path: Path, as_json: bool) -> int:
    """List the backups of MODULE (e.g. skills/qc.py), oldest first, numbered for rollback --to."""
    from stato.adapters.store import Store, module_arg
    from stato.cli.console import echo, emit_json
    from stato.ops.project import find_root

    store = Store(find_root(path))
    rel = module_arg(module)
    versions = store.history(rel)
    if not versions and not store.exists(rel):
        from stato.errors import StatoError

        raise StatoError(
            f"no module {rel} in {store.root / '.stato'} and no backups of it; "
            "check the name (`stato status` lists the modules)"
        )
    if as_json:
        emit_json(
            {
                "module": rel,
                "backups": [{"number": i, "path": str(p)} for i, p in enumerate(versions, 1)],
            }
        )
        return 0
    if not versions:
        echo(f"No backups of {rel} yet.")
        return 0
    for i, p in enumerate(versions, 1):
        echo(f"{i:>3}  {p.relative_to(store.root)}")
    return 0


@click.command()
@click.argument("module")
@click.option(
    "--to",
    "to",
    type=int,
    default=None,
    help="Backup number from `stato history` (default: the latest).",
)
@path_option
@json_option
def rollback(module: str, to: int | None, path: Path, as_json: bool) -> int:
    """Restore MODULE from a backup; its current text is backed up first."""
    from stato.adapters.store import Store, module_arg
    from stato.cli.console import echo
    from stato.ops.project import find_root

    store = Store(find_root(path))
    rel = module_arg(module)
    chosen = store.rollback(rel, to)
    if as_json:
        from stato.cli.console import emit_json

        emit_json({"module": rel, "restored_from": str(chosen)})
        return 0
    echo(f"Restored .stato/{rel} from {chosen.name} (the replaced text is in .stato/.history/)")
    return 0
