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
    plan.py, memory.py and context.py are checked as their type unless --type says otherwise;
    a skill whose name another skill already uses is refused (E011).
    """
    from stato.cli.console import echo, emit_json
    from stato.ops.write import write_module

    def stdin() -> bytes:
        stream = sys.stdin
        return stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode()

    outcome = write_module(path, target, source, module_type, stdin)
    result = outcome.result
    if as_json:
        emit_json(outcome.to_dict())
    elif not outcome.written:
        echo(f"FAIL {result.path} ({result.module_type or 'unknown'}): nothing written", err=True)
        for d in result.diagnostics:
            echo(f"  {d}", err=True)
    else:
        echo(f"Wrote .stato/{result.path} ({result.module_type})")
        for d in result.diagnostics:
            echo(f"  {d}{' (auto-fixed)' if d.fixed else ''}")
    return 0 if outcome.written else 1
