"""Which skill a reference names: the one index of skills by ``name`` and by file stem.

The rule, everywhere a user or a ``depends_on`` entry names a skill: a skill's ``name`` field
first, then a file stem (``qc`` finds ``skills/qc.py``). When several skills answer, the first
path in the order the pairs were given wins (callers give them sorted).

Places that keep their own rule, and why:

- ``core/merge.py`` pairs one-sided skills of two archives by ``name`` only, and only when the
  match is unique on the other side: it pairs moved skills, it never looks a reference up.
- ``ops/conflicts.py`` uses this index for the project's skills, then adds each incoming
  skill's name as the plan goes, so later incoming modules clash with earlier ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from stato.core.model import ValidationResult


def skill_name(result: ValidationResult) -> str | None:
    """A skill's ``name`` field; None for other modules and for a name that is not a string."""
    name = result.fields.get("name")
    return name if result.module_type == "skill" and isinstance(name, str) else None


@dataclass(frozen=True)
class SkillIndex:
    """Skills by ``name`` and by file stem, built from (path, result) pairs."""

    by_name: dict[str, tuple[str, ...]] = field(default_factory=dict)
    by_stem: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: Iterable[tuple[str, ValidationResult]]) -> SkillIndex:
        """Index the given modules: each by its stem, skills also by their ``name``."""
        by_name: dict[str, list[str]] = {}
        by_stem: dict[str, list[str]] = {}
        for path, result in pairs:
            by_stem.setdefault(PurePosixPath(path).stem, []).append(path)
            name = skill_name(result)
            if name is not None:
                by_name.setdefault(name, []).append(path)
        return cls(
            {k: tuple(v) for k, v in by_name.items()}, {k: tuple(v) for k, v in by_stem.items()}
        )

    def find(self, ref: str) -> str | None:
        """The path of the skill ``ref`` names: by ``name`` first, then by file stem."""
        found = self.by_name.get(ref) or self.by_stem.get(ref)
        return found[0] if found else None

    def paths_named(self, name: str) -> tuple[str, ...]:
        """Every path whose skill has this ``name`` (two or more is a clash, E011)."""
        return self.by_name.get(name, ())

    def names(self) -> list[str]:
        """The skill names, in the order they were first seen."""
        return list(self.by_name)
