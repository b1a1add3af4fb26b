"""The ``stato`` command: a lazily loaded click group and the one error boundary."""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from stato import __version__

# name -> one-line help shown by `stato --help`. Commands are imported only when run, so
# `stato --version` and hooks start fast; each is the function NAME in stato.cli.commands.NAME
# (dashes as underscores), except where _WHERE says otherwise.
COMMANDS: dict[str, str] = {
    "init": "Create a .stato/ project (optionally with the bundled example).",
    "validate": "Compile modules: report E/W/I diagnostics, apply auto-fixes.",
    "write": "Write a module through the compiler gate (validated, backed up).",
    "status": "Show every module and the plan's progress.",
    "verify": "Check installed modules and their sources against stato.lock.",
    "history": "List the backups of a module.",
    "rollback": "Restore a module from one of its backups.",
    "crystallize": "Save the prompt that makes an agent capture its expertise.",
    "bridge": "Write the instruction files each coding agent reads by itself.",
    "context": "Show what each agent loads at session start and on demand, in tokens.",
    "resume": "Recap the project for an agent after compaction or a restart.",
    "import-bundle": "Import a stato_bundle.py written by a web AI.",
    "convert": "Convert CLAUDE.md, AGENTS.md, .cursorrules, SKILL.md into modules.",
    "snapshot": "Export modules as a .stato archive (privacy-scanned).",
    "inspect": "Show an archive's metadata and modules without extracting.",
    "import": "Import modules from a .stato archive, all or nothing.",
    "slice": "Archive chosen modules (optionally with their dependencies).",
    "graft": "Add one module from an archive or a .py file.",
    "merge": "Merge two archives field by field.",
    "merge-file": "Three-way merge of one module (the git merge driver).",
    "diff": "Field-level diff of modules or archives.",
    "scan": "Scan modules for secrets, personal data, addresses and home paths.",
    "registry": "List, search, install and publish expertise packages.",
    "plan": "Show the plan or update a step's status.",
    "lesson": "Add a lesson to a skill.",
    "memory": "Update the working memory.",
    "hooks": "Install agent hooks that restore stato's state after compaction.",
    "git": "Register the field-level merge driver with git.",
    "mcp": "Serve stato to agents over MCP (stdio), or register the server.",
}
# name -> (module, function) where the name is taken (a builtin) or shares a module.
_WHERE = {
    "rollback": ("history", "rollback"),
    "import": ("import_", "import_"),
    "slice": ("slice", "slice_"),
}


def _where(name: str) -> tuple[str, str]:
    """The module under stato.cli.commands and the function of command ``name``."""
    module = name.replace("-", "_")
    return _WHERE.get(name, (module, module))


def os_error_message(exc: OSError) -> str:
    """One line for a file the system refused: what failed, on which path, what to check."""
    what = exc.strerror or str(exc) or type(exc).__name__
    where = f": {exc.filename}" if exc.filename else ""
    return f"{what}{where} (check the path and its permissions)"


_shown: set[str] = set()
_original_showwarning: Any = None


def _show_warning(
    message: Warning | str, category: type[Warning], filename: str, lineno: int,
    file: Any = None, line: str | None = None,
) -> None:  # fmt: skip
    """A StatoWarning is one `warning:` line on stderr, once per run; others as usual."""
    from stato.errors import StatoWarning

    if not issubclass(category, StatoWarning):
        _original_showwarning(message, category, filename, lineno, file, line)
        return
    text = str(message)
    if text not in _shown:
        _shown.add(text)
        from stato.cli.console import display

        click.echo(display(f"warning: {text}"), err=True)


def show_warnings() -> None:
    """Route stato's warnings (state found in the project and ignored) to stderr lines."""
    import warnings

    from stato.errors import StatoWarning

    global _original_showwarning
    _shown.clear()
    if warnings.showwarning is not _show_warning:
        _original_showwarning = warnings.showwarning
        warnings.showwarning = _show_warning
    # "always": our own set says once; Python's registry would hide it from a second run in
    # the same process (the MCP server, tests).
    warnings.filterwarnings("always", category=StatoWarning)


class Failure(click.ClickException):
    """A StatoError on its way out: one line on stderr, its own exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class; ours varies

    def show(self, file: Any = None) -> None:
        from stato.cli.console import display

        click.echo(display(f"error: {self.format_message()}"), err=True)


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def invoke(self, ctx: click.Context) -> Any:
        from stato.errors import StatoError

        try:
            rv = super().invoke(ctx)
        except (StatoError, OSError) as exc:
            if (ctx.obj or {}).get("debug") or os.environ.get("STATO_DEBUG") == "1":
                raise
            if isinstance(exc, BrokenPipeError):
                # stdout's reader left: main() ends quietly, as git does under `| head`
                # (not an OSError on the way out, which click would turn into exit 1)
                from stato.cli.boundary import PipeClosed

                raise PipeClosed from exc
            if isinstance(exc, OSError):
                raise Failure(os_error_message(exc), 1) from exc
            raise Failure(str(exc), exc.exit_code) from exc
        if isinstance(rv, int) and not isinstance(rv, bool) and rv:
            ctx.exit(rv)  # a command returns its exit code; make it the process's
        return rv

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from stato.cli.boundary import EXIT_USAGE, not_utf8

        problem = not_utf8(args)  # the one check, before any command can store the text
        if problem:
            raise Failure(problem, EXIT_USAGE)
        # --debug anywhere before `--` (`stato status --debug`, as the README's "add --debug"
        # reads) is the group's option; main() already shows the traceback for it.
        end = args.index("--") if "--" in args else len(args)
        if "--debug" in args[1:end]:
            args = ["--debug", *(a for a in args[:end] if a != "--debug"), *args[end:]]
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attr = _where(cmd_name)
        command = getattr(importlib.import_module(f"stato.cli.commands.{module}"), attr)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Use the table's short help so `stato --help` does not import every command.
        rows = [(name, COMMANDS[name]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="stato")
@click.option("--debug", is_flag=True, help="Show a traceback when something fails.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """stato: validated, portable expertise for AI coding agents.

    Skills, plans, memory and context live in .stato/ as Python modules that a
    7-pass compiler checks before anything reaches disk.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    show_warnings()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI with one error boundary: a StatoError is one line on stderr, no traceback.

    Exit codes are those of stato.cli.boundary: 0, 1 (findings, user error), 2 (usage),
    3 (internal error, with a crash report), 130 (interrupted), 141 (stdout closed early).
    """
    from stato.cli import boundary

    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args or os.environ.get("STATO_DEBUG") == "1"
    try:
        rv: Any = cli.main(args=args, prog_name="stato", standalone_mode=False)
    except (BrokenPipeError, boundary.PipeClosed):  # stdout's reader left (`| head -1`)
        boundary.silence_stdout()
        sys.exit(boundary.EXIT_PIPE)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(boundary.EXIT_INTERRUPTED)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(boundary.EXIT_INTERRUPTED)
    except click.ClickException as exc:
        _flushed_or_exit()
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        _flushed_or_exit()
        sys.exit(exc.exit_code)
    except Exception as exc:  # the boundary: every failure ends here
        from stato.errors import StatoError

        if debug:
            raise
        _flushed_or_exit()
        from stato.cli.console import display

        if isinstance(exc, StatoError):
            click.echo(display(f"error: {exc}"), err=True)
            sys.exit(exc.exit_code)
        if isinstance(exc, OSError):
            click.echo(display(f"error: {os_error_message(exc)}"), err=True)
            sys.exit(boundary.EXIT_FAILED)
        report = boundary.crash_report(exc, args)
        click.echo(display(boundary.internal_error_line(exc, report)), err=True)
        sys.exit(boundary.EXIT_INTERNAL)
    _flushed_or_exit()
    sys.exit(rv if isinstance(rv, int) else 0)


def _flushed_or_exit() -> None:
    """Flush stdout now, so a closed pipe ends the run quietly instead of at interpreter exit."""
    from stato.cli import boundary

    if not boundary.flush_stdout():
        sys.exit(boundary.EXIT_PIPE)
