"""`stato resume`: recap the project for an agent after compaction or a restart."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("resume")
@click.option("--brief", "mode", flag_value="brief", help="One paragraph (for hooks).")
@click.option("--raw", "mode", flag_value="raw", help="Plain text with no markup, safe to pipe.")
@click.option("--json", "mode", flag_value="json", help="The same content as one JSON document.")
@click.option(
    "--path",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder (or any folder inside it).",
)
def resume(mode: str | None, path: Path) -> None:
    """Recap the project: context, plan progress and next step, skills with their parameters
    and lessons, and memory (phase, tasks, known issues, reflection).

    Works on partial projects: a missing plan or memory, or invalid modules, are said plainly
    and the rest is recapped. Nothing in the modules is run.
    """
    from stato.ops.project import find_root
    from stato.ops.resume import brief
    from stato.ops.resume import resume as do_resume

    result = do_resume(find_root(path))
    if mode == "json":
        from stato.cli.console import emit_json

        emit_json(result.to_dict())
    elif mode == "brief":
        click.echo(brief(result))
    elif mode == "raw":
        from stato.formats.recap import raw

        click.echo(raw(result), nl=False)
    else:
        from stato.cli.render.resume import show

        show(result)
