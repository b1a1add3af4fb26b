"""Merging sequences: lists of values and bullet text, two ways (a union) or three (diff3)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from stato.core.diff import canon
from stato.core.diff3 import chunks


def union(a: list[Any], b: list[Any]) -> list[Any]:
    """``a`` as it is, then each item of ``b`` not already present, in ``b``'s order."""
    seen = {canon(x) for x in a}
    out = list(a)
    for item in b:
        key = canon(item)
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def union_lines(a: str, b: str) -> str:
    """``a`` with every non-blank line of ``b`` it lacks (compared stripped) after its last line."""
    import textwrap

    lines = a.split("\n")
    have = {line.strip() for line in lines}
    new: list[str] = []
    for line in textwrap.dedent(b).split("\n"):
        if line.strip() and line.strip() not in have:
            have.add(line.strip())
            new.append(line.rstrip())
    if not new:
        return a
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled:
        return b
    # The block's margin (what dedent takes off every line), not the first line's indent: a
    # nested first bullet would push each added line deeper on every merge.
    first = lines[filled[0]]
    indent = first[: len(first) - len(textwrap.dedent(a).split("\n")[filled[0]])]
    last = filled[-1] + 1
    return "\n".join(lines[:last] + [indent + n if n else n for n in new] + lines[last:])


def seq3(base: list[Any], a: list[Any], b: list[Any]) -> list[Any]:
    """A list merged as a sequence: both sides' additions in order, one side's deletion honoured.

    Where both sides changed the same stretch, the result keeps what each side kept or added
    (an item either side deleted is gone), first side first; an item added by both is kept once.
    """
    return _merge3(base, a, b, canon, union)


def lines3(base: str, a: str, b: str) -> str:
    """Bullet text merged line by line, as a sequence of lines compared without their indent:
    both sides' new lines kept in order, a line one side deleted is gone, no line twice."""

    def settle(kept: list[Any], added: list[Any]) -> list[Any]:
        have = {x.strip() for x in kept}
        return kept + [x for x in added if x.strip() not in have]

    merged = _merge3(base.split("\n"), a.split("\n"), b.split("\n"), str.strip, settle)
    return "\n".join(merged)


def _merge3(
    base: list[Any],
    a: list[Any],
    b: list[Any],
    key: Callable[[Any], str],
    settle: Callable[[list[Any], list[Any]], list[Any]],
) -> list[Any]:
    """diff3 over the items' keys: a stretch one side changed takes that side; where both did,
    ``settle`` joins what the first side kept (not deleted by the second) and what the second
    added. Then an item a side deleted stays deleted, and none stands more often than one side
    has it (moved, or added by both). An empty key (a blank line) is always kept."""
    keys = [key(x) for x in base], [key(x) for x in a], [key(x) for x in b]
    out: list[Any] = []
    for c in chunks(*keys):
        sa, sb = a[slice(*c.ours)], b[slice(*c.theirs)]
        if c.kind == "theirs":
            out.extend(sb)
        elif c.kind != "conflict":
            out.extend(sa)
        else:
            ko, kb = set(keys[0][slice(*c.base)]), set(keys[2][slice(*c.theirs)])
            kept = [x for x in sa if key(x) not in ko or key(x) in kb]
            out.extend(settle(kept, [x for x in sb if key(x) not in ko]))
    gone = set(keys[0]) - (set(keys[1]) & set(keys[2]))
    limit = Counter(keys[1]) | Counter(keys[2])
    seen: Counter[str] = Counter()
    result = []
    for x in out:
        k = key(x)
        seen[k] += 1
        if k and (k in gone or seen[k] > limit[k]):
            continue
        result.append(x)
    return result
