"""`stato lesson add SKILL "TEXT"`: append a bullet to a skill's lessons_learned, in place."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.store import Store
from stato.core.edits import Edit, Offsets, apply_edits
from stato.core.model import ValidationResult
from stato.core.render import set_field
from stato.core.skillindex import SkillIndex
from stato.errors import StatoError
from stato.ops.plan import update_module
from stato.ops.project import load_project


@dataclass(frozen=True)
class LessonAdded:
    skill: str
    path: str
    lesson: str
    count: int  # lessons after the change

    def to_dict(self) -> dict[str, Any]:
        return {"skill": self.skill, "path": f".stato/{self.path}", "lesson": self.lesson,
                "lessons": self.count}  # fmt: skip


def find_skill(root: Path, skill: str) -> str:
    """The module path of the skill under skills/ that ``skill`` names: its name or file stem
    (core.skillindex's rule), or its file (``qc.py``, ``skills/qc.py``, ``.stato/skills/qc.py``)."""
    # Results of unchanged texts come from the result cache; nothing is run.
    skills = [m for m in load_project(root).modules if m.path.startswith("skills/")]
    rel = SkillIndex.build((m.path, m) for m in skills).find(skill)
    if rel is not None:
        return rel
    file = skill.replace("\\", "/").removeprefix(".stato/").removeprefix("skills/")
    if f"skills/{file}" in {m.path for m in skills}:
        return f"skills/{file}"
    names = ", ".join(Path(m.path).stem for m in skills) or "none"
    raise StatoError(f"no skill '{skill}' in {Store(root).stato_dir}/skills (skills: {names})")


def appended(value: str, bullet: str) -> str:
    """``value`` with ``bullet`` as a new last line, at the indent of the lines before it."""
    body = value.rstrip()
    if not body:
        return f"\n{bullet}\n"
    last = body.splitlines()[-1]
    indent = last[: len(last) - len(last.lstrip())]
    trailing = value[len(body) :]
    return f"{body}\n{indent}{bullet}{trailing if chr(10) in trailing else chr(10)}"


def _literal_node(source: str, name: str) -> ast.Constant | None:
    cls = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    found = None
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in stmt.targets
        ):
            found = stmt.value
    return found if isinstance(found, ast.Constant) else None


def set_text_in_place(source: str, name: str, old: str, new: str) -> str:
    """Rewrite a plain triple-quoted field literal's body (bytes around it stay); else set_field."""
    node = _literal_node(source, name)
    if node is not None:
        off = Offsets(source)
        start, end = off.span(node)
        raw = source[start:end]
        quote = raw[:3]
        plain = quote in ('"""', "'''") and raw.endswith(quote) and raw[3:-3] == old
        if plain and "\\" not in new and quote not in new and not new.endswith(quote[0]):
            return apply_edits(source, [Edit(start, end, quote + new + quote)])
    return set_field(source, name, new)


def add_lesson(root: Path, skill: str, text: str) -> LessonAdded:
    lesson = " ".join(text.split())
    if not lesson:
        raise StatoError('a lesson needs text: stato lesson add SKILL "what you learned"')
    bullet = lesson if lesson.startswith("- ") else f"- {lesson}"
    rel = find_skill(root, skill)

    def edit(before: ValidationResult) -> str:
        current = before.fields.get("lessons_learned")
        if isinstance(current, list):
            return set_field(before.source, "lessons_learned", [*current, lesson])
        if "lessons_learned" in before.field_lines and not isinstance(current, str):
            raise StatoError(f"{rel}: lessons_learned is not a plain string; edit it by hand")
        old = current or ""
        if bullet in old.splitlines() or bullet in (s.strip() for s in old.splitlines()):
            raise StatoError(f"{rel} already has this lesson; nothing changed")
        return set_text_in_place(before.source, "lessons_learned", old, appended(old, bullet))

    update = update_module(root, rel, "skill", edit)
    lessons = update.after.fields.get("lessons_learned", "")
    count = (
        len(lessons)
        if isinstance(lessons, list)
        else sum(1 for line in str(lessons).splitlines() if line.strip())
    )
    return LessonAdded(str(update.after.fields.get("name", skill)), rel, lesson, count)
