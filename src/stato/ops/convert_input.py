"""Reading the files `stato convert` is given: folders expanded, size-capped, decoded, and
stato's own bridge output left out, so converting never takes stato's text for a person's."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from stato.errors import StatoError

MAX_INPUT_BYTES = 2 * 1024 * 1024


class ConvertError(StatoError):
    """An input file cannot be converted."""


class NothingToConvert(ConvertError):
    """An input holds nothing a person wrote (empty, or only stato's own block): in a batch,
    said and skipped."""


def expand(paths: list[Path]) -> list[Path]:
    """Files to convert: a skill folder stands for its SKILL.md, a folder of skills
    (.claude/skills) for each one, a rules folder (.cursor/rules) for its .mdc files."""
    out: list[Path] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
        elif (path / "SKILL.md").is_file():
            out.append(path / "SKILL.md")
        else:
            # Cursor reads rules from subfolders too (.cursor/rules/frontend/*.mdc).
            found = sorted(path.glob("*/SKILL.md")) + sorted(path.glob("*.mdc"))
            found += sorted(path.glob("*/*.mdc"))
            # A rule folder (.claude/rules, .windsurf/rules, .clinerules, .kiro/steering,
            # .github/instructions): the Markdown files its folder names the kind of.
            found += [p for p in sorted(path.glob("**/*.md")) if _rule_file(p)]
            if not found:
                raise ConvertError(
                    f"{path} is a folder with no SKILL.md or .mdc file (nor agent rule "
                    "file) in it; name the files to convert"
                )
            out.extend(found)
    return out


def check_not_linked_out(path: Path, root: Path) -> None:
    """Refuse an input inside the project that a link leads out of it: a cloned project's
    `.claude/rules/notes.md -> ~/.aws/credentials` would copy the user's secrets into .stato/.
    A file the user names outside the project is read as named."""
    given = os.path.abspath(path)
    real = os.path.realpath(path)
    bases = {os.path.abspath(root), os.path.realpath(root)}
    within = [b for b in bases if given == b or given.startswith(b.rstrip(os.sep) + os.sep)]
    real_root = os.path.realpath(root).rstrip(os.sep) + os.sep
    if within and not real.startswith(real_root):
        raise ConvertError(
            f"{path} leads out of the project through a link (to {real}); nothing was "
            "converted (name that file by its own path if you mean to convert it)"
        )


def _rule_file(path: Path) -> bool:
    from stato.formats.convert import converter_for

    found = converter_for(path.absolute())
    return found is not None and found.kind != "skill"


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (a BOM allowed), or UTF-16 with its BOM as Windows editors and PowerShell save it."""
    import codecs

    try:
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ConvertError(f"{path} is not UTF-8 text; save it as UTF-8 and retry") from None


def read_input(path: Path) -> tuple[Path, str, tuple[str, ...]]:
    """(path, the text a person wrote, notes on what was left out)."""
    from stato.formats.convert import strip_stato_block
    from stato.formats.markdown import split_front_matter

    if not path.is_file():
        raise ConvertError(
            f"{path} is not a file; give a CLAUDE.md, AGENTS.md, .cursorrules, "
            ".mdc or SKILL.md path"
        )
    try:
        # The size first, so a stray multi-gigabyte file is refused without being read.
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise ConvertError(
                f"{path} is larger than {MAX_INPUT_BYTES // 2**20} MiB; "
                "that is not an instruction file"
            )
        with path.open("rb") as handle:
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise ConvertError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_INPUT_BYTES:  # it grew while being read
        raise ConvertError(f"{path} is larger than {MAX_INPUT_BYTES // 2**20} MiB")
    text = _decode(path, data).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip("\ufeff \t\r\n"):
        raise NothingToConvert(f"{path} is empty; there is nothing to convert")
    text, notes = strip_stato_block(text)
    front, body, above = split_front_matter(text)[:3]
    # Front matter alone is what `stato bridge` puts around its block in .mdc and rule files.
    if notes and not body.strip():
        raise NothingToConvert(
            f"{path} holds only the block `stato bridge` wrote; its content is already in .stato/"
        )
    if notes and _bridge_front_matter(front):
        # stato wrote that front matter too, with the block a person added to; its lines stay
        # (blank), so line numbers are the file's
        text = "\n" * above + body
    return path, text, tuple(n for n in notes if n)


def _bridge_front_matter(front: dict[str, Any]) -> bool:
    """True when ``front`` is exactly what `stato bridge` writes above its block."""
    from stato.bridges.agent_table import FILES

    def same(a: object, b: object) -> bool:
        return a == b or (a in (None, "") and b in (None, ""))

    return any(
        t.front_matter
        and set(front) == {k for k, _ in t.front_matter}
        and all(same(front.get(k), v) for k, v in t.front_matter)
        for t in FILES.values()
    )
