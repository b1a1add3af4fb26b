"""`stato resume`: recap the project for an agent after compaction or a restart."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.console import echo
from stato.cli.options import path_option


@click.command("resume")
@click.option("--brief", "brief", is_flag=True, help="One paragraph (for hooks).")
@click.option("--raw", "raw", is_flag=True, help="Plain text with no markup, safe to pipe.")
@click.option("--json", "as_json", is_flag=True, help="The same content as one JSON document.")
@path_option
def resume(brief: bool, raw: bool, as_json: bool, path: Path) -> None:
    """Recap the project: context, plan progress and next step, skills with their parameters
    and lessons, and memory (phase, tasks, known issues, reflection).

    Works on partial projects: a missing plan or memory, or invalid modules, are said plainly
    and the rest is recapped. Nothing in the modules is run.
    """
    from stato.errors import UsageError
    from stato.ops.project import find_root

    if brief + raw + as_json > 1:
        raise UsageError("--brief, --raw and --json are three forms of the recap; give one")
    mode = "json" if as_json else "brief" if brief else "raw" if raw else None
    root = find_root(path)
    if mode in ("brief", "raw"):  # the hook path: from the summary cache when nothing changed
        from stato.ops.resume import recap_texts

        text = recap_texts(root)[mode]
        echo(text, nl=mode == "brief")
        return
    from stato.ops.resume import resume as do_resume

    result = do_resume(root)
    if mode == "json":
        from stato.cli.console import emit_json

        emit_json(result.to_dict())
    else:
        from stato.cli.render.resume import show

        show(result)
