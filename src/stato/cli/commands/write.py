"""`stato write`: save one module through the compiler gate."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stato.cli.options import accept_risk_option, json_option, path_option, type_option


@click.command()
@click.argument("target")
@click.option(
    "--from",
    "source",
    default="-",
    metavar="FILE|-",
    help="Read the source from FILE or stdin (-).",
)
@type_option
@path_option
@json_option
@accept_risk_option
def write(target: str, source: str, module_type: str | None, path: Path, as_json: bool) -> int:
    """Write TARGET (a path relative to .stato/, e.g. skills/qc.py) through the gate.

    The source is compiled first: on an E-code nothing is written and the diagnostics are
    shown; otherwise auto-fixes are applied, the old text is backed up and the file replaced.
    """
    from stato.adapters.fs import not_a_file, read_file
    from stato.adapters.store import Store, module_arg
    from stato.cli.console import echo, emit_json
    from stato.errors import ModuleInvalid, StatoError
    from stato.ops.project import find_root

    root = find_root(path)
    if source == "-":
        data = (
            sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode()
        )
    else:
        try:
            data = read_file(source)
        except FileNotFoundError:
            raise StatoError(not_a_file(source, "give the module's source file")) from None
        except OSError as exc:
            raise StatoError(f"cannot read {source}: {exc.strerror}") from None
    store = Store(root)
    try:
        # skills/x.py and .stato/skills/x.py name the same module, as in history and rollback
        rel = module_arg(target) if target.strip() else target
        result = store.save(rel, data, expected_type=module_type)
    except ModuleInvalid as exc:
        bad = exc.results[0] if isinstance(exc.results, list) and exc.results else None
        if as_json and bad is not None:
            emit_json({"written": False, **bad.to_dict()})
            return 1
        if bad is not None:
            echo(f"FAIL {bad.path} ({bad.module_type or 'unknown'}): nothing written", err=True)
            for d in bad.diagnostics:
                echo(f"  {d.code}{f' line {d.line}' if d.line else ''}: {d.message}", err=True)
            return 1
        raise
    if as_json:
        emit_json({"written": True, **result.to_dict()})
    else:
        echo(f"Wrote .stato/{result.path} ({result.module_type})")
        for d in result.diagnostics:
            echo(
                f"  {d.code}{f' line {d.line}' if d.line else ''}: {d.message}"
                f"{' (auto-fixed)' if d.fixed else ''}"
            )
    return 0
