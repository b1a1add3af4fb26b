"""Exceptions for the tool failing (not for problems in a user's module, which are diagnostics)."""

from __future__ import annotations

from collections.abc import Iterable


class StatoError(Exception):
    """A failure the user can act on; its message says what happened and what to do."""

    exit_code = 1


class UsageError(StatoError):
    """The command line asked for something impossible (exit 2)."""

    exit_code = 2

    @classmethod
    def unknown_agent(cls, agent: str, known: Iterable[str]) -> UsageError:
        """``--agent NAME`` names no row of the agent table (context, hooks, mcp install)."""
        return cls(f"unknown agent '{agent}': choose one of {', '.join(known)} or all")

    @classmethod
    def empty_command(cls) -> UsageError:
        """``--command ""``: the hooks and the MCP entry need the command that runs stato."""
        return cls("--command needs the command that runs stato, e.g. /path/to/bin/stato")


class ProjectNotFound(StatoError):
    """No .stato/ folder where one was expected."""


class ModuleInvalid(StatoError):
    """A module has E-codes and was not written."""

    def __init__(self, message: str, results: object = None) -> None:
        super().__init__(message)
        self.results = results


class ArchiveError(StatoError):
    """An archive is corrupt, hostile or does not match its manifest."""


class RegistryError(StatoError):
    """A registry could not be reached or answered with something unusable."""


class StatoWarning(UserWarning):
    """State stato found in a project and ignored; the CLI shows it as one `warning:` line."""


class TrustError(StatoError):
    """A signature, a signer, the lock file or an injection finding stops an inbound write."""
