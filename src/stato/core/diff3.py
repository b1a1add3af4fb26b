"""Three-way merge of sequences (diff3): the stable runs both sides kept, and the changed chunks.

The same algorithm as ``diff3`` and ``git merge-file``: the matching blocks of base-ours and of
base-theirs are intersected into runs both sides left alone; between two runs, a chunk changed on
one side takes that side, the same change on both is taken once, and anything else is a conflict.
Items are compared by equality, so callers pass lines, or canonical keys of values.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Chunk(Generic[T]):
    """A stretch of the merge: ``kind`` is "stable", "ours", "theirs", "both" or "conflict".

    ``base``, ``ours`` and ``theirs`` are index ranges (start, end) into the three sequences.
    """

    kind: str
    base: tuple[int, int]
    ours: tuple[int, int]
    theirs: tuple[int, int]


# Up to this many items in all, every item matches item by item (a module's blank lines and
# closing brackets included). Past it, items that fill over 1% of a side are junk to the
# matcher, which bounds its work on hostile input (100,000 identical lines) at some precision.
EXACT_ITEMS = 6000


def _matches(base: Sequence[T], other: Sequence[T]) -> list[tuple[int, int, int]]:
    junk = len(base) + len(other) > EXACT_ITEMS
    blocks = SequenceMatcher(None, base, other, autojunk=junk).get_matching_blocks()
    return [(b.a, b.b, b.size) for b in blocks]


def _sync(
    base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]
) -> list[tuple[int, int, int, int, int, int]]:
    """Runs of base that both sides kept: (base start, end, ours start, end, theirs start, end)."""
    a, b = _matches(base, ours), _matches(base, theirs)
    ia = ib = 0
    out = []
    while ia < len(a) and ib < len(b):
        abase, amatch, alen = a[ia]
        bbase, bmatch, blen = b[ib]
        start, end = max(abase, bbase), min(abase + alen, bbase + blen)
        if start < end:
            asub, bsub = amatch + start - abase, bmatch + start - bbase
            out.append((start, end, asub, asub + end - start, bsub, bsub + end - start))
        if abase + alen < bbase + blen:
            ia += 1
        else:
            ib += 1
    out.append((len(base), len(base), len(ours), len(ours), len(theirs), len(theirs)))
    return out


def chunks(base: Sequence[T], ours: Sequence[T], theirs: Sequence[T]) -> Iterator[Chunk[T]]:
    """The merge of ``ours`` and ``theirs`` against ``base``, chunk by chunk, in order."""
    iz = io = it = 0
    for zs, ze, os_, oe, ts, te in _sync(base, ours, theirs):
        if os_ > io or ts > it:
            b, o, t = base[iz:zs], ours[io:os_], theirs[it:ts]
            if o == t:
                kind = "both"
            elif b == o:
                kind = "theirs"
            elif b == t:
                kind = "ours"
            else:
                kind = "conflict"
            yield Chunk(kind, (iz, zs), (io, os_), (it, ts))
        if ze > zs:
            yield Chunk("stable", (zs, ze), (os_, oe), (ts, te))
        iz, io, it = ze, oe, te


def common(ours: Sequence[T], theirs: Sequence[T]) -> list[T]:
    """The items both sequences share, in order: the base to use when there is none (add/add)."""
    out: list[T] = []
    for a, _, size in _matches(ours, theirs):
        out.extend(ours[a : a + size])
    return out


MARK = 7  # git's default conflict-marker size


def merge_lines(
    base: Sequence[str],
    ours: Sequence[str],
    theirs: Sequence[str],
    resolve: Callable[[list[str], list[str], list[str]], list[str] | None] | None = None,
) -> tuple[list[str], int]:
    """Lines (each with its line end) merged; a conflict is fenced by git-style markers.

    ``resolve(base, ours, theirs)`` may settle a conflicting stretch (None: it stays one).
    Returns the merged lines and the number of conflicts.
    """
    out: list[str] = []
    conflicts = 0
    for c in chunks(base, ours, theirs):
        if c.kind in ("stable", "ours", "both"):
            out.extend(ours[c.ours[0] : c.ours[1]])
        elif c.kind == "theirs":
            out.extend(theirs[c.theirs[0] : c.theirs[1]])
        else:
            mine, other = list(ours[slice(*c.ours)]), list(theirs[slice(*c.theirs)])
            settled = resolve(list(base[slice(*c.base)]), mine, other) if resolve else None
            if settled is not None:
                out.extend(settled)
                continue
            conflicts += 1
            out.extend(fence(mine, other))
    return out, conflicts


def fence(ours: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Both sides between conflict markers, each side's lines as they are."""
    nl = next((ln[len(ln.rstrip("\r\n")) :] for ln in (*ours, *theirs) if ln.endswith("\n")), "\n")

    def ended(lines: Sequence[str]) -> list[str]:
        fixed = list(lines)
        if fixed and not fixed[-1].endswith("\n"):
            fixed[-1] += nl
        return fixed

    return [
        f"{'<' * MARK} ours{nl}",
        *ended(ours),
        f"{'=' * MARK}{nl}",
        *ended(theirs),
        f"{'>' * MARK} theirs{nl}",
    ]
