"""Budgets of the static evaluator: every operation is priced before it runs, never after.

A module may be any bytes a stranger wrote, so evaluating its class body must stay cheap whatever
it holds. Every value has a *weight*: an upper bound, within a small constant factor, of the
length of its repr (a str its length, an int its decimal digits, a container the sum of its items
as a tree, shared items counted each time they appear). Every operation the evaluator performs
predicts the weight of what it would build from the weights of its operands *before* building
it. A value over the value budget, a module over its work budget, an expression or a value nested
past the depth budget, or a module past its step budget is *unevaluable* (advice, I007) and is
never computed. The budgets grow with the source, so a long but plain module is always evaluated.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from stato.core.evalrules import HUGE, REPR_FACTOR, Unevaluable

MAX_STEPS = 1_000_000  # expression nodes evaluated per module (one per node: source-bounded)
MAX_DEPTH = 100  # nesting of expressions evaluated and of values built (renderers recurse)
VALUE_LIMIT = 1_000_000  # weight any computed value may reach, plus twice the source length
WORK_LIMIT = 2_000_000  # weight all values built and read in one module, + 24 x the source
CONTAINER_COST = 256  # work charged per container weighed (Python time the weight does not show)
FIELD_COST = 64  # work charged per replacement field of str.format (string.Formatter is Python)
MAX_INT_DIGITS = 4_300  # Python's default int_max_str_digits: a bigger int cannot be str()'d
MAX_INT_BITS = 14_284  # the largest int of this many bits has 4,300 digits: it prints
FLOAT_WEIGHT = 40  # "%f" % 1e308 is 316 characters: 10 x 40 bounds it (see formatted())


SURROGATE = re.compile("[\ud800-\udfff]")  # a lone surrogate: valid in a str, never in UTF-8


class OverBudget(Unevaluable):
    """Evaluating the value would cost more than the module's budget allows."""


class Budget:
    """The steps, depth and work one module's evaluation may use, and the weights of its values."""

    def __init__(self, source_length: int = 0) -> None:
        self.value_limit = VALUE_LIMIT + 2 * source_length
        self.work_limit = WORK_LIMIT + 24 * source_length
        self.steps = 0
        self.work = 0
        self.depth = 0
        # Whether any str seen or built holds a lone surrogate: only then are the fields searched
        # for one (a str's code points come from the source, or from a "%c" / ":c" format).
        self.surrogates = False
        # Container weights by id; the value is kept so its id is never reused. Values built by
        # the evaluator are never mutated afterwards, so a weight, once known, stays true.
        self._memo: dict[int, tuple[Any, int, int]] = {}

    # -- accounting ------------------------------------------------------------------------
    def expect(self, weight: int) -> None:
        """Refuse, before building it, a value that would weigh ``weight``."""
        if weight > self.value_limit:
            raise OverBudget("value too large to check")
        if self.work + weight > self.work_limit:
            raise OverBudget("the module takes too much work to check")

    def spend(self, work: int) -> None:
        """Charge work that builds no value (a comparison walks both sides)."""
        if self.work + work > self.work_limit:
            raise OverBudget("the module takes too much work to check")
        self.work += work

    def admit(self, value: Any) -> Any:
        """Charge a value just built against the budgets; an oversized int is refused."""
        if type(value) is int and value.bit_length() > MAX_INT_BITS:
            raise OverBudget(f"integer too large to check (over {MAX_INT_DIGITS:,} digits)")
        if type(value) is str:
            self.note_text(value)
        known = id(value) in self._memo
        weight = self.weigh(value)
        if not known:
            self.expect(weight)
            self.work += weight
        return value

    def note_text(self, text: str) -> None:
        if not text.isascii() and SURROGATE.search(text):  # isascii() reads a flag: O(1)
            self.surrogates = True

    # -- weights ---------------------------------------------------------------------------
    def weigh(self, value: Any) -> int:
        kind = type(value)
        if kind is str:  # the common cases, without a call
            return len(value) + 2
        if kind is int:
            return int(value.bit_length()) // 3 + 1
        hit = self._memo.get(id(value))  # a container weighed before (the memo keeps it alive)
        if hit is not None:
            return hit[1]
        return self._measure(value, 0)[0]

    def _measure(self, value: Any, depth: int) -> tuple[int, int]:
        kind = type(value)
        if kind is str:
            return len(value) + 2, 0
        if kind is bytes:
            return len(value) + 3, 0
        if kind is int:
            return value.bit_length() // 3 + 1, 0
        if kind is float:
            return FLOAT_WEIGHT, 0
        if kind is complex:
            return 2 * FLOAT_WEIGHT, 0
        if kind not in (list, tuple, dict, set, frozenset):
            return 8, 0  # None, bool, a function, a slice: short reprs
        hit = self._memo.get(id(value))
        if hit is not None:
            return hit[1], hit[2]
        if depth >= MAX_DEPTH:
            raise OverBudget("value nested too deeply to check")
        flat = None if kind is dict or len(value) < 64 else _flat_weight(value)
        if flat is not None:  # a long list of strs or numbers, weighed at C speed
            if flat > self.value_limit:
                raise OverBudget("value too large to check")
            self._memo[id(value)] = (value, flat, 1)
            return flat, 1
        # Each container measured costs Python time beyond its weight: charge it as work.
        if self.work + CONTAINER_COST > self.work_limit:
            raise OverBudget("the module takes too much work to check")
        self.work += CONTAINER_COST
        total, nest = 2, 0
        items = [*value.keys(), *value.values()] if kind is dict else value
        if len(items) >= 64:
            # Many references to a few objects ([a] * n): weigh each distinct one once.
            distinct = dict(zip(map(id, items), items, strict=True))
            if 4 * len(distinct) <= len(items):
                counts = Counter(map(id, items))
                for key, item in distinct.items():
                    weight, inner = self._measure(item, depth + 1)
                    total += (weight + 2) * counts[key]
                    nest = max(nest, inner)
                    if total > self.value_limit:
                        raise OverBudget("value too large to check")
                items = ()
        memo = self._memo
        for item in items:
            kind = type(item)
            if kind is str:
                total += len(item) + 4
            elif kind is int:
                total += item.bit_length() // 3 + 3
            else:
                # A container built before this one (a step's dict in the steps list) is in
                # the memo: its weight without a call. Only containers are memoized.
                hit = memo.get(id(item))
                weight, inner = (hit[1], hit[2]) if hit else self._measure(item, depth + 1)
                total += weight + 2
                nest = max(nest, inner)
            if total > self.value_limit:
                raise OverBudget("value too large to check")
        if nest + 1 > MAX_DEPTH:  # nested through names: [a] with a = [[...]] already deep
            raise OverBudget("value nested too deeply to check")
        self._memo[id(value)] = (value, total, nest + 1)
        return total, nest + 1

    def hashing(self, keys: list[Any]) -> None:
        """Charge, before they go into one set or dict, the compares of keys that share a hash.

        Unequal keys with one hash (ints ``i + k * (2**61 - 1)``, tuples of them; a str's hash
        is salted) are each compared with all those before them: n*(n-1)/2 for n of them, which
        no weight shows. ``hash`` raises for an unhashable key, as building the set would.
        """
        counts = Counter(map(hash, keys))  # C speed; a shared hash is rare in a real module
        if len(counts) == len(keys):
            return
        crowded = {h for h, c in counts.items() if c > 1}
        groups: dict[int, set[str]] = {}
        for key in keys:
            h = hash(key)
            if h in crowded:  # equal keys are found at once: count the distinct ones (by repr)
                groups.setdefault(h, set()).add(repr(key))
        self.spend(sum(len(g) * (len(g) - 1) // 2 for g in groups.values()))

    def iterated(self, value: Any) -> int:
        """The weight of the items of ``value`` laid out in a list (a str yields one per char)."""
        if isinstance(value, (str, bytes)):
            return 5 * len(value) + 2
        return self.weigh(value)


def _flat_weight(items: Any) -> int | None:
    """The weight of a container of only strs, or only ints, or only floats; else None."""
    kinds = set(map(type, items))
    if kinds == {str}:
        return 2 + sum(map(len, items)) + 4 * len(items)
    if kinds <= {int, bool}:  # sum(b // 3 + 1) <= sum(b) // 3 + n
        return 2 + sum(map(int.bit_length, items)) // 3 + 3 * len(items)
    if kinds == {float}:
        return 2 + (FLOAT_WEIGHT + 2) * len(items)
    return None


# -- prices of the operations that can build more than they are given ------------------------

_PRINTF = re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?", re.S)
_DIGITS = re.compile(r"\d+")


def _number(run: str) -> int:
    return HUGE if len(run) > 12 else int(run)


def spec_width(spec: str) -> int:
    """An upper bound on the padding a format spec asks for (every digit run counted)."""
    return sum(_number(run) for run in _DIGITS.findall(spec))


def formatted(budget: Budget, value: Any, spec: str) -> int:
    """An upper bound on the length of ``format(value, spec)`` (and of ``repr(value)``)."""
    body = REPR_FACTOR * budget.weigh(value)
    width = spec_width(spec)
    return 2 * (body + width) + 8  # grouping separators add at most a third


def printf(budget: Budget, fmt: str | bytes, args: Any) -> int:
    """An upper bound on the length of ``fmt % args``."""
    text = fmt.decode("latin-1") if isinstance(fmt, bytes) else fmt
    total = len(text) + REPR_FACTOR * budget.weigh(args)
    star = False
    for match in _PRINTF.finditer(text):
        for part in match.groups():
            if part == "*":
                star = True
            elif part:
                total += _number(part)
    if star:  # a width taken from the arguments: count every int among them as one
        items = args if isinstance(args, tuple) else (args,)
        total += sum(abs(a) for a in items if type(a) is int)
    return 2 * total + 8


def repeated(budget: Budget, seq: Any, times: Any) -> int:
    """The weight of ``seq * times`` for a sequence and an int."""
    count = int(times)
    if count <= 0:
        return 2
    return (budget.weigh(seq) - 2) * count + 2


def int_power_bits(base: int, exponent: int) -> int:
    """How many bits ``base ** exponent`` needs (0 when it is a float or trivially small)."""
    if exponent < 0 or abs(base) <= 1:
        return 0
    return base.bit_length() * exponent
