"""Install the crystallize prompt (package data) into .stato/prompts/, keeping an edited copy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path

from stato.adapters.fs import read_text, write_atomic

PROMPTS = {False: "crystallize.md", True: "crystallize_web.md"}


@dataclass(frozen=True)
class CrystallizeResult:
    root: Path
    rel: str  # path relative to the project root, e.g. ".stato/prompts/crystallize.md"
    text: str
    web: bool
    status: str  # "created" | "updated" | "unchanged"
    backup: str | None = None  # where a differing previous copy was kept


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
    old = read_text(target) if target.is_file() else None
    if old == text:
        return CrystallizeResult(root, rel, text, web, "unchanged")
    backup = None
    if old is not None:
        # A person may have adapted the prompt: keep their copy before replacing it.
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        kept = root / ".stato" / ".history" / "prompts" / f"{name}.{stamp}"
        write_atomic(kept, old)
        backup = kept.relative_to(root).as_posix()
    write_atomic(target, text)
    return CrystallizeResult(root, rel, text, web, "created" if old is None else "updated", backup)
