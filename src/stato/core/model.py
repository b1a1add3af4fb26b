"""The compiler's result: what a module is, what it holds, and what is wrong with it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from stato.core.diagnostics import Diagnostic

MODULE_TYPES: tuple[str, ...] = ("skill", "plan", "memory", "context", "protocol")


@dataclass(frozen=True)
class ValidationResult:
    """Everything one compilation learned about one module's source.

    ``fields`` holds the statically materialized values of the class-level fields
    (after auto-corrections); a field that could not be evaluated is absent from it.
    ``corrected_source`` equals ``source`` when no auto-fix applied.
    """

    path: str
    source: str
    corrected_source: str
    module_type: str | None
    class_name: str | None
    docstring: str | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    field_lines: dict[str, int] = field(default_factory=dict)
    methods: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def valid(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    @property
    def changed(self) -> bool:
        return self.corrected_source != self.source

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity == "error"]

    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]

    def with_diagnostics(self, extra: tuple[Diagnostic, ...]) -> ValidationResult:
        from dataclasses import replace

        return replace(self, diagnostics=self.diagnostics + extra)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "type": self.module_type,
            "class_name": self.class_name,
            "valid": self.valid,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }
