"""`stato context`: what each coding agent loads at session start and on demand, in tokens."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.options import json_option, path_option


@click.command("context")
@click.option(
    "--agent",
    default="all",
    show_default=True,
    metavar="ID",
    help="One agent of the agent table (claude, codex, cursor, copilot, ...) or all.",
)
@path_option
@json_option
def context(agent: str, path: Path, as_json: bool) -> None:
    """Show, per agent, every file it loads at session start and on demand, with its size in
    tokens and stato's share: the person's own instruction files too, the skill index (name and
    description of each skill) and skill bodies. Flags stato's block loaded twice, files over an
    agent's limit or over the budget, files skipped because another comes first, and skills
    whose description does not say when to use them.

    Token counts are an offline estimate (no tokenizer download): within about 3% of
    o200k_base on typical instruction files (median), 10% at the 90th percentile.
    """
    from stato.cli.render.context import show, to_dict
    from stato.ops.context import explain
    from stato.ops.project import find_root

    report = explain(find_root(path), agent.strip().lower())
    if as_json:
        from stato.cli.console import emit_json

        emit_json(to_dict(report))
    else:
        show(report)
