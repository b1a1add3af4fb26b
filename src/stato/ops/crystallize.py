"""Install the crystallize prompt (package data) into .stato/prompts/, keeping an edited copy."""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from stato import confine
from stato.adapters.fs import read_file, write_atomic

PROMPTS = {False: "crystallize.md", True: "crystallize_web.md"}


@dataclass(frozen=True)
class CrystallizeResult:
    root: Path
    rel: str  # path relative to the project root, e.g. ".stato/prompts/crystallize.md"
    text: str
    web: bool
    status: str  # "created" | "updated" | "unchanged"
    backup: str | None = None  # where a differing previous copy was kept

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.rel,
            "status": self.status,
            "web": self.web,
            "backup": self.backup,
            "prompt": self.text,
        }


def prompt_text(web: bool = False) -> str:
    """The prompt as shipped in the package (stato/data/prompts/)."""
    node = resources.files("stato.data") / "prompts" / PROMPTS[web]
    return node.read_text(encoding="utf-8")


def crystallize(root: Path, *, web: bool = False) -> CrystallizeResult:
    """Save the prompt to .stato/prompts/; a different existing copy is kept in .history/."""
    root = Path(root)
    name = PROMPTS[web]
    rel = f".stato/prompts/{name}"
    target = root / rel
    text = prompt_text(web)
    confine.check_within(root, target, rel)  # .stato/prompts may be a link in a cloned project
    data = read_file(target) if target.is_file() else None
    # Decoded only to compare: a copy that is not UTF-8 differs, and is kept byte for byte.
    old = None if data is None else data.decode("utf-8-sig", errors="replace")
    if old == text:
        return CrystallizeResult(root, rel, text, web, "unchanged")
    backup = None
    kept = None
    if data is not None:
        # A person may have adapted the prompt: keep their copy before replacing it.
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        kept = root / ".stato" / ".history" / "prompts" / f"{name}.{stamp}"
        confine.check_within(root, kept, ".stato/.history/prompts")
        write_atomic(kept, data)
        backup = kept.relative_to(root).as_posix()
    try:
        write_atomic(target, text)
    except OSError:
        if kept is not None:  # the prompt is unchanged, so its history must be too
            kept.unlink(missing_ok=True)
            with suppress(OSError):  # only when empty: made for this backup
                kept.parent.rmdir()
        raise
    return CrystallizeResult(root, rel, text, web, "created" if old is None else "updated", backup)
