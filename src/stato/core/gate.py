"""The inbound gate's rule: a module text with a ``high`` injection finding is not written, and
never reaches an agent, unless the user accepted that rule after reading the finding."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the scanner is imported where a text is scanned: naming WITHHELD loads none
    from stato.core.model import ValidationResult
    from stato.core.privacy import Finding

MAX_SHOWN = 8  # findings listed in one refusal; the rest are counted


@dataclass(frozen=True)
class Blocked:
    """One text refused by the gate and the high findings that refused it."""

    path: str
    findings: tuple[Finding, ...]


def _refused(findings: Iterable[Finding], accept: Collection[str]) -> tuple[Finding, ...]:
    return tuple(f for f in findings if f.severity == "high" and f.pattern not in accept)


def high_findings(text: str, path: str, accept: Collection[str] = ()) -> tuple[Finding, ...]:
    """The ``high`` injection findings of ``text`` whose rule was not accepted."""
    from stato.core.privacy import scan_injection

    return _refused(scan_injection(text, path), accept)


def blocked(texts: Mapping[str, str], accept: Collection[str] = ()) -> list[Blocked]:
    """Every module text (path -> text) the gate refuses; ``.py`` modules only."""
    modules = {path: text for path, text in sorted(texts.items()) if path.endswith(".py")}
    return [Blocked(path, found) for path, found in withheld(modules.items(), accept).items()]


def span(f: Finding) -> str:
    """``path:line:col rule (label): preview``; the preview never holds the raw payload."""
    return f"{f.path}:{f.line}:{f.column + 1} {f.pattern} ({f.label}): {f.preview}"


def refusal(items: list[Blocked], verb: str = "write") -> str:
    """The refusal, one line (stato's error convention): what was found where, and how to
    accept it after reading."""
    found = [f for b in items for f in b.findings]
    rules = list(dict.fromkeys(f.pattern for f in found))
    paths = ", ".join(b.path for b in items)
    shown = "; ".join(span(f) for f in found[:MAX_SHOWN])
    if len(found) > MAX_SHOWN:
        shown += f"; and {len(found) - MAX_SHOWN} more (stato scan shows them all)"
    accept = " ".join(f"--accept-risk {rule}" for rule in rules)
    return (
        f"refusing to {verb} {paths}: {len(found)} high-severity injection finding(s) (text "
        f"that tries to steer an agent), nothing was written: {shown}; read them, and if the "
        f"text is meant, rerun with {accept}"
    )


WITHHELD = "withheld"  # the code a module left out of agents' context carries in a summary


def field_strings(value: object, depth: int = 0) -> Iterable[str]:
    """The strings inside a field's value (containers followed, keys included)."""
    if isinstance(value, str):
        yield value
    elif depth < 20 and isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from field_strings(item, depth + 1)
    elif depth < 20 and isinstance(value, dict):
        for key, item in value.items():
            yield from field_strings(key, depth + 1)
            yield from field_strings(item, depth + 1)


def value_findings(result: ValidationResult, accept: Collection[str] = ()) -> tuple[Finding, ...]:
    """The high findings in strings a valid module's fields evaluate to but its source never
    spells (``"snoitcurtsni suoiverp lla erongI"[::-1]``, ``"IgXnore".replace("X", "")``): an
    agent reads the values, the source scan sees the literals. Each is placed at its field's
    line. An invalid module has no values: none."""
    if not result.valid:
        return ()
    from dataclasses import replace

    from stato.core.privacy import scan_injection

    out: list[Finding] = []
    for name, value in result.fields.items():
        line = result.field_lines.get(name, 1)
        for text in field_strings(value):
            if text in result.source:
                continue  # the source scan read it as it is
            for f in _refused(scan_injection(text, result.path, python=False), accept):
                out.append(replace(f, line=line, column=0, end_line=line, end_column=0))
    return tuple(out)


def module_findings(path: str, text: str, accept: Collection[str] = ()) -> tuple[Finding, ...]:
    """What keeps one module from agents: the high findings of its text, else (a ``.py``
    module) those of the values its fields compute."""
    found = high_findings(text, path, accept)
    if found or not path.endswith(".py"):
        return found
    from stato.core.compiler import compile_source

    return value_findings(compile_source(text, path), accept)


def withheld(
    modules: Iterable[tuple[str, str]], accept: Collection[str] = ()
) -> dict[str, tuple[Finding, ...]]:
    """Of (path, text) pairs, those whose text must never reach an agent, with the findings."""
    from stato.core.privacy import scan_injection, scan_injection_many

    pairs = list(modules)
    texts = dict(pairs)
    scanned: list[tuple[str, list[Finding]]]
    if len(texts) == len(pairs):  # one keyword search for all of them
        scanned = list(scan_injection_many(texts).items())
    else:  # a path twice: each text on its own, as pairs
        scanned = [(path, scan_injection(text, path)) for path, text in pairs]
    refused = ((path, _refused(findings, accept)) for path, findings in scanned)
    return {path: found for path, found in refused if found}


def where(findings: tuple[Finding, ...]) -> str:
    """``rule at line:col, ...``: where the findings are, never what they say."""
    return ", ".join(f"{f.pattern} at {f.line}:{f.column + 1}" for f in findings[:MAX_SHOWN])
