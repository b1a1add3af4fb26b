"""A module file's bytes as the text the compiler reads (a BOM dropped), or why it is not text.

Its own module, not the compiler's: the read path answers unchanged texts from the result cache
and must not load the compiler to decode them.
"""

from __future__ import annotations


def decode(data: bytes) -> tuple[str | None, str | None]:
    """Text of a module file, or the reason it is not text (binary, not UTF-8)."""
    if b"\x00" in data:
        return None, "binary file (contains NUL bytes), not Python source"
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return None, f"file is not UTF-8 text (invalid byte at offset {exc.start})"


def source_text(source: str | bytes) -> tuple[str | None, str | None]:
    """The text the compiler reads (bytes decoded, a BOM dropped), or why there is none."""
    if isinstance(source, bytes):
        return decode(source)
    return (source[1:] if source.startswith("\ufeff") else source), None
