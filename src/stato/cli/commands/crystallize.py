"""`stato crystallize`: save the prompt that makes an agent capture its expertise as modules."""

from __future__ import annotations

from pathlib import Path

import click

from stato.cli.console import echo
from stato.cli.options import json_option, path_option


@click.command("crystallize")
@click.option("--print", "print_", is_flag=True, help="Also print the full prompt.")
@click.option(
    "--web",
    is_flag=True,
    help="The prompt for web AIs (one stato_bundle.py); printed, and saved as crystallize_web.md.",
)
@path_option
@json_option
def crystallize(print_: bool, web: bool, path: Path, as_json: bool) -> None:
    """Save .stato/prompts/crystallize.md, instructions that make your coding agent write its
    expertise as skill, plan, memory and context modules, validate them and run `stato bridge`.

    Then tell your agent: "Read and follow .stato/prompts/crystallize.md". With --web the
    prompt goes to stdout (pipe it to your clipboard) and the notes to stderr. A folder with
    no .stato/ yet becomes a project, as `stato init` makes it.
    """
    from stato.ops.crystallize import crystallize as do_crystallize
    from stato.ops.init import write_target

    target = write_target(path)
    target.create()  # the prompt lives in .stato/prompts/: a new folder becomes a project
    if target.fresh:
        echo(f"Initialized {target.root / '.stato'} (no project there yet)", err=True)
    result = do_crystallize(target.root, web=web)
    if as_json:  # the prompt is in the document: --print and --web add nothing to it
        from stato.cli.console import emit_json

        emit_json(result.to_dict())
        return
    if print_ or web:
        echo(result.text, nl=False)
    verbs = {"created": "Saved", "updated": "Updated", "unchanged": "Already current:"}
    verb = verbs[result.status]
    echo(f"{verb} {result.rel}", err=print_ or web)
    if result.backup:
        echo(f"Your previous copy is kept in {result.backup}", err=print_ or web)
    if web:
        echo(
            "Paste it into the web AI conversation, save its answer as stato_bundle.py, then run "
            "`stato import-bundle stato_bundle.py`.",
            err=True,
        )
    else:
        echo(f'Tell your agent: "Read and follow {result.rel}"', err=print_)
