"""The inbound gate at the write path: every module text stato writes into .stato/ passes here.

The store's save gate and the multi-file transaction call ``check``; a command the user runs
accepts rules for its duration with ``accepting`` (``--accept-risk RULE``), so the acceptance
reaches the one chokepoint without each step passing it along.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING

from stato.core.gate import Blocked, blocked, module_findings, refusal, value_findings, where
from stato.errors import TrustError

if TYPE_CHECKING:
    from stato.core.model import ValidationResult

_ACCEPTED: ContextVar[frozenset[str]] = ContextVar("stato_accepted_risks", default=frozenset())


class InjectionRefused(TrustError):
    """A module holds a high injection finding the user did not accept; nothing was written."""

    def __init__(self, items: list[Blocked], verb: str = "write") -> None:
        super().__init__(refusal(items, verb))
        self.blocked = items


class AlreadyWithheld(InjectionRefused):
    """The module being edited already holds a high finding: the message names the rules and
    places only, since whoever runs the edit (often an agent) must not read that text."""

    def __init__(self, items: list[Blocked]) -> None:
        super().__init__(items, "edit")
        held = items[0]
        rules = " ".join(
            f"--accept-risk {r}" for r in dict.fromkeys(f.pattern for f in held.findings)
        )
        self.args = (
            f"refusing to edit {held.path}: it holds high-severity injection finding(s) "
            f"{where(held.findings)} (text that tries to steer an agent), so it is withheld from "
            f"agents and nothing was written; a person reviews it with `stato scan "
            f".stato/{held.path}` and, if the text is meant, reruns with {rules}",
        )


def check_existing(rel: str, text: str) -> None:
    """Refuse (AlreadyWithheld) to edit a module whose current text has a high finding, or
    whose fields compute one (``"...erongI"[::-1]``)."""
    found = module_findings(rel, text, _ACCEPTED.get()) if rel.endswith(".py") else ()
    if found:
        raise AlreadyWithheld([Blocked(rel, found)])


@contextmanager
def accepting(rules: Collection[str]) -> Iterator[None]:
    """Accept these injection rules (after the user read the findings) for a block of work."""
    token = _ACCEPTED.set(_ACCEPTED.get() | frozenset(rules))
    try:
        yield
    finally:
        _ACCEPTED.reset(token)


def accepted() -> frozenset[str]:
    return _ACCEPTED.get()


def check(texts: Mapping[str, str | bytes], verb: str = "write") -> None:
    """Refuse (InjectionRefused) when any module text has a high finding not accepted."""
    decoded: dict[str, str] = {}
    for path, text in texts.items():
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError:
                continue  # not a module the compiler would accept; it refuses it first
        decoded[path] = text
    items = blocked(decoded, _ACCEPTED.get())
    if items:
        raise InjectionRefused(items, verb)


def check_values(results: Iterable[ValidationResult], verb: str = "write") -> None:
    """Refuse (InjectionRefused) a module whose fields compute a payload its text never spells
    (``"...erongI"[::-1]``): ``check`` reads texts, an agent reads the evaluated values."""
    accept = _ACCEPTED.get()
    items = [Blocked(r.path, found) for r in results if (found := value_findings(r, accept))]
    if items:
        raise InjectionRefused(items, verb)
