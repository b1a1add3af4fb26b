"""`stato history` and `stato rollback`: a module's backups in .stato/.history/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.store import Store, check_rel, module_arg
from stato.errors import StatoError
from stato.ops.project import find_root, location_type


@dataclass(frozen=True)
class History:
    """A module's backups, oldest first (number 1 is the first)."""

    root: Path
    module: str
    backups: tuple[Path, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "module": self.module,
            "backups": [{"number": i, "path": str(p)} for i, p in enumerate(self.backups, 1)],
        }


@dataclass(frozen=True)
class Rollback:
    """The backup a module was restored from."""

    module: str
    restored_from: Path

    def to_dict(self) -> dict[str, Any]:
        return {"module": self.module, "restored_from": str(self.restored_from)}


def module_history(path: Path, module: str) -> History:
    """The backups of ``module`` (e.g. skills/qc.py); refused when neither it nor a backup is."""
    store = Store(find_root(path))
    rel = module_arg(module)
    versions = store.history(rel)
    if not versions and not store.exists(rel):
        raise StatoError(
            f"no module {rel} in {store.root / '.stato'} and no backups of it; "
            "check the name (`stato status` lists the modules)"
        )
    return History(store.root, rel, tuple(versions))


def rollback(path: Path, module: str, to: int | None) -> Rollback:
    """Restore ``module`` from backup ``to`` (default: the latest); its text is backed up first.

    Refused (ModuleInvalid, nothing changed) when the backup is a skill whose ``name`` another
    skill of the project now uses (E011)."""
    from stato.core.compiler import compile_source
    from stato.ops.write import refuse_clash

    store = Store(find_root(path))
    rel = check_rel(module_arg(module))
    with store.lock():  # no writer adds a skill of the backup's name between check and restore
        data = store.backup_numbered(rel, to).read_bytes()
        # A skill's old version may carry a name another skill has taken since: restoring it
        # would leave the project with two skills of one name (E011), so it is refused whole.
        refuse_clash(store, compile_source(data, rel, location_type(rel)))
        return Rollback(rel, store.rollback(rel, to))
