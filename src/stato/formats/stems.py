"""Safe file stems for module names: snake_case ASCII, short, never a path or a reserved name."""

from __future__ import annotations

import keyword
import re
import unicodedata

_RESERVED_STEMS = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
    "init",
    "__init__",
}


def safe_stem(name: str, default: str = "skill") -> str:
    """A snake_case file stem for a module name: "PDF Processing" -> "pdf_processing".

    ASCII only, at most 64 characters, never empty, never a path, never a name Windows reserves.
    """
    folded = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii")
    folded = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", folded).lower()
    stem = re.sub(r"[^a-z0-9]+", "_", folded).strip("_") or default
    if stem[0].isdigit():
        stem = f"{default}_{stem}"
    stem = stem[:64].rstrip("_")
    if stem in _RESERVED_STEMS or keyword.iskeyword(stem):
        stem = f"{stem}_{default}"
    return stem
