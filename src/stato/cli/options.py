"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

MODULE_TYPES = ("skill", "plan", "memory", "context", "protocol")


def path_option_with(help_text: str) -> Callable[[F], F]:
    """--path FOLDER (default: the current folder), with the command's own help line."""
    return click.option(
        "--path",
        "path",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("."),
        show_default=True,
        help=help_text,
    )


# --path: the project folder, or any folder inside it (the nearest .stato/ from there up).
path_option = path_option_with("Project folder (or any folder inside it).")
# --path for the commands that make a project where there is none (convert, import-bundle).
new_project_path_option = path_option_with(
    "Project folder (the one holding .stato/); a folder with none becomes a project."
)

sign_option = click.option(
    "--sign",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="KEY",
    help="Sign the manifest with this Ed25519 private key (e.g. ~/.ssh/id_ed25519; "
    "passphrase from STATO_SIGN_PASSPHRASE).",
)

# -o/--output of the commands that write an archive (snapshot, slice).
archive_output_option = click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Archive file (default: NAME.stato in the project folder).",
)

sanitize_option = click.option(
    "--sanitize",
    is_flag=True,
    help="Replace privacy findings with placeholders in the archive only.",
)

force_option = click.option("--force", is_flag=True, help="Skip the privacy scan.")

json_option = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document instead of text."
)

type_option = click.option(
    "--type",
    "module_type",
    type=click.Choice(MODULE_TYPES),
    default=None,
    help="Override type inference for every module checked.",
)


# The policies of stato.ops.conflicts.POLICIES, literal here so --help imports no ops.
CONFLICT_POLICIES = ("ask", "replace", "rename", "skip")

on_conflict_option = click.option(
    "--on-conflict",
    type=click.Choice(CONFLICT_POLICIES),
    default="ask",
    show_default=True,
    help="A module that exists with other text (same path, or a skill of the same name): "
    "list it and stop (ask), back it up and replace it, write the new one beside it under a "
    "free name (rename), or keep yours (skip).",
)


def accept_risk_option(func: F) -> F:
    """--accept-risk RULE (repeatable): write a module despite a high injection finding of that
    rule, after reading it. The command runs inside ``adapters.gate.accepting``, so the one gate
    on the write path sees the acceptance."""
    import functools

    @functools.wraps(func)
    def wrapper(*args: Any, accept_risk: tuple[str, ...] = (), **kwargs: Any) -> Any:
        if not accept_risk:
            return func(*args, **kwargs)
        from stato.adapters.gate import accepting
        from stato.core.privacy import INJECTION_RULES

        known = {rule.id for rule in INJECTION_RULES}
        unknown = [r for r in accept_risk if r not in known]
        if unknown:
            raise click.BadParameter(
                f"{unknown[0]!r} is not an injection rule; the refusal names the rules to accept "
                "(stato scan FILE lists a file's findings)",
                param_hint="--accept-risk",
            )

        with accepting(accept_risk):
            return func(*args, **kwargs)

    return click.option(
        "--accept-risk",
        "accept_risk",
        multiple=True,
        metavar="RULE",
        help="Write despite a high injection finding of this rule (repeatable); "
        "the refusal names the rules after showing each finding.",
    )(wrapper)  # type: ignore[return-value]
