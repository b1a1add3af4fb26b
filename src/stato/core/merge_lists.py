"""Merging sequences: lists of values and bullet text, two ways (a union) or three (diff3)."""

from __future__ import annotations

from collections import Counter
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
    keys = [canon(x) for x in base], [canon(x) for x in a], [canon(x) for x in b]
    out: list[Any] = []
    for c in chunks(*keys):
        sa, sb, so = a[slice(*c.ours)], b[slice(*c.theirs)], keys[0][slice(*c.base)]
        if c.kind == "theirs":
            out.extend(sb)
        elif c.kind != "conflict":
            out.extend(sa)
        else:
            kb, ko = set(keys[2][slice(*c.theirs)]), set(so)
            kept = [x for x in sa if canon(x) not in ko or canon(x) in kb]
            out.extend(union(kept, [x for x in sb if canon(x) not in ko]))
    gone = set(keys[0]) - (set(keys[1]) & set(keys[2]))  # deleted (or moved away) by a side
    return _once([x for x in out if canon(x) not in gone], keys[1], keys[2])


def _once(items: list[Any], a: list[str], b: list[str]) -> list[Any]:
    """No item more often than one side has it (an item moved, or added, by both sides)."""
    limit = Counter(a) | Counter(b)
    seen: Counter[str] = Counter()
    out = []
    for x in items:
        key = canon(x)
        seen[key] += 1
        if seen[key] <= limit[key]:
            out.append(x)
    return out


def lines3(base: str, a: str, b: str) -> str:
    """Bullet text merged line by line, as a sequence of lines compared without their indent:
    both sides' new lines kept in order, a line one side deleted is gone, no line twice."""
    split = [t.split("\n") for t in (base, a, b)]
    keyed = [[line.strip() for line in t] for t in split]
    out: list[str] = []
    for c in chunks(*keyed):
        sa, sb = split[1][slice(*c.ours)], split[2][slice(*c.theirs)]
        if c.kind == "theirs":
            out.extend(sb)
        elif c.kind != "conflict":
            out.extend(sa)
        else:
            ko, kb = set(keyed[0][slice(*c.base)]), set(keyed[2][slice(*c.theirs)])
            kept = [x for x in sa if x.strip() not in ko or x.strip() in kb]
            have = {x.strip() for x in kept}
            out.extend(kept + [x for x in sb if x.strip() not in ko and x.strip() not in have])
    gone = set(keyed[0]) - (set(keyed[1]) & set(keyed[2]))  # deleted on a side: stays deleted
    limit = Counter(keyed[1]) | Counter(keyed[2])  # added (or moved) by both: kept once
    seen: Counter[str] = Counter()
    result = []
    for line in out:
        key = line.strip()
        seen[key] += 1
        if key and (key in gone or seen[key] > limit[key]):
            continue
        result.append(line)
    return "\n".join(result)
