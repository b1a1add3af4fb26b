"""`stato write`: save one module through the compiler gate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato.core.model import ValidationResult
from stato.ops.project import location_type

if TYPE_CHECKING:
    from stato.adapters.store import Store


@dataclass(frozen=True)
class WriteOutcome:
    """The module as compiled; ``written`` False when an E-code refused it (nothing changed)."""

    written: bool
    result: ValidationResult

    def to_dict(self) -> dict[str, Any]:
        return {"written": self.written, **self.result.to_dict()}


def read_source(source: str, stdin: Callable[[], bytes]) -> bytes:
    """The module's source: the file ``source``, or ``stdin()`` for "-"."""
    from stato.adapters.fs import not_a_file, read_file
    from stato.errors import StatoError

    if source == "-":
        return stdin()
    try:
        return read_file(source)
    except FileNotFoundError:
        raise StatoError(not_a_file(source, "give the module's source file")) from None
    except OSError as exc:
        raise StatoError(f"cannot read {source}: {exc.strerror}") from None


def write_module(
    path: Path, target: str, source: str, module_type: str | None, stdin: Callable[[], bytes]
) -> WriteOutcome:
    """Compile the source of ``target`` (relative to .stato/) and save it through the gate."""
    from stato.adapters.store import Store, module_arg
    from stato.errors import ModuleInvalid
    from stato.ops.project import find_root

    root = find_root(path)
    data = read_source(source, stdin)
    try:
        # skills/x.py and .stato/skills/x.py name the same module, as in history and rollback
        rel = module_arg(target) if target.strip() else target
        return WriteOutcome(True, save_checked(Store(root), rel, data, module_type))
    except ModuleInvalid as exc:
        if isinstance(exc.results, list) and exc.results:
            return WriteOutcome(False, exc.results[0])
        raise


def save_checked(
    store: Store, rel: str, data: str | bytes, module_type: str | None = None
) -> ValidationResult:
    """``store.save``, refused (ModuleInvalid, nothing written) when the module is a skill
    whose ``name`` another skill of the project already uses: the project would fail E011."""
    from stato.adapters.store import check_rel
    from stato.core.compiler import compile_source

    rel = check_rel(rel)
    # plan.py is read as the plan by every command (plan done, resume, status): a module of
    # another type written there would leave the project without one.
    module_type = module_type or location_type(rel)
    result = compile_source(data, rel, module_type)
    if not (result.valid and result.module_type == "skill"):
        return store.save(rel, data, expected_type=module_type)
    with store.lock():  # no other writer adds a skill of this name between check and write
        refuse_clash(store, result)
        return store.save(rel, data, expected_type=module_type)


def refuse_clash(store: Store, result: ValidationResult) -> None:
    """ModuleInvalid (E011) when ``result`` is a skill whose ``name`` another module of the
    project (not the one at its own path) already uses. Call it under ``store.lock()``."""
    from stato.adapters.store import format_errors
    from stato.core.project_checks import clashes, named
    from stato.errors import ModuleInvalid
    from stato.ops.project import load_project

    if named(result)[1] is None:  # no skill name: nothing to clash with
        return
    others = [named(m) for m in load_project(store.root).modules if m.path != result.path]
    found = clashes([named(result), *others]).get(0, [])
    errors = tuple(d for d in found if d.code == "E011")
    if errors:
        refused = result.with_diagnostics(errors)
        raise ModuleInvalid(format_errors(refused), [refused])
