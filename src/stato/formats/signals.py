"""What a section of an instruction file is, decided by a table of signals, not by a function.

Each row names one thing a reader notices (a heading word, a numbered list, an unchecked box
under a to-do heading, a phrase such as "we found"), the kind of section it points to and how
strongly. A section is the kind with the highest total at or above ``THRESHOLD``, else a rule.
Add a row to teach the converter something; a test walks every row.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from stato.formats.markdown import Section

Kind = Literal["rule", "procedure", "task", "issue", "phase", "lesson", "params"]
Where = Literal["heading", "title", "shape", "fence", "text"]
THRESHOLD = 5
# An item that is open work wherever it is: "TODO: ...", "**Next:** ...", "FIXME - ...".
TODO_ITEM = re.compile(r"\A(?:\*\*)?(TODO|FIXME|Next)\b\s*(?:\*\*)?[:\-]", re.I)
_DECOR = re.compile(r"\A[\W\d_]+")  # "🐛 ", "3. ", "-- " before a heading's words


@dataclass(frozen=True)
class Features:
    """What the signals look at in one section."""

    title: str  # the section's own heading, decoration stripped
    path: tuple[str, ...]  # the headings from the top down to it, decoration stripped
    items: int  # list items
    numbered: int  # items of numbered lists
    unchecked: int  # "- [ ]" items
    todo_items: int  # items that open with "TODO" or "Next:"
    fences: tuple[str, ...]  # code fence languages ("" for none)
    text: str  # the section's prose and items, for phrases


@dataclass(frozen=True)
class Signal:
    """One thing a reader notices, the kind of section it points to, and how strongly.

    ``example`` is a Markdown section the signal fires on: a test walks the table with them.
    """

    id: str
    kind: Kind
    weight: int
    where: Where
    pattern: re.Pattern[str] | None = None  # heading words, fence languages or a phrase
    shape: Callable[[Features], bool] | None = None  # for where == "shape"
    example: str = ""


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"^(?:" + "|".join(alternatives) + r")\b", re.I)


# Only the heading's own words, so "Task Status Updates" stays a rule about tasks; a version,
# a bracket or a dash may follow ("TODO (v2)", "Roadmap 2.0", "Next steps - API").
_ONLY = r"(\s+(list|items?))?(\s+v?[\d.]+)?\s*(\(.*\)|[-:\u2013\u2014].*)?$"

SIGNALS: tuple[Signal, ...] = (
    # Open work: only where the text says so.
    Signal(
        "todo-heading",  # the words that say "open work": TODO, Next steps
        "task",
        6,
        "heading",
        re.compile(r"^(todos?|to-?dos?|next steps?|next up|up next)" + _ONLY, re.I),
        example="## TODO\n\n- Move PDF rendering to a worker\n",
    ),
    Signal(
        "plan-heading",  # planned work is open work only with unchecked boxes under it
        "task",
        3,
        "heading",
        re.compile(
            r"^((current|open|pending|remaining|upcoming) )?(tasks?|roadmap|in progress|"
            r"work in progress|backlog|wip|future (work|enhancements?|improvements?|features?)|"
            r"planned( work| features)?|wishlist)" + _ONLY,
            re.I,
        ),
        example="## Roadmap\n\n- [ ] Ship v2\n",
    ),
    Signal(
        "todo-items",
        "task",
        3,
        "shape",
        shape=lambda f: f.todo_items > 0,
        example="## Notes\n\n- TODO: drop Python 3.9\n",
    ),
    Signal(
        "unchecked-boxes",
        "task",
        2,
        "shape",
        shape=lambda f: f.unchecked > 0,
        example="## Release checklist\n\n- [ ] Tag the release\n",
    ),
    Signal(
        "issue-heading",
        "issue",
        6,
        "heading",
        _words(
            r"known (issues?|bugs?|problems?|limitations)",
            r"open (issues?|bugs?|questions?)",
            r"bugs",
            r"limitations",
        ),
        example="## Known issues\n\n- The CSV export drops emoji\n",
    ),
    Signal(
        "phase-heading",
        "phase",
        6,
        "title",
        re.compile(r"^(current |project )?(status|phase|focus|state)\W*$", re.I),
        example="## Current status\n\nShipping v2 this week.\n",
    ),
    # A lesson: a learned fact with its evidence.
    Signal(
        "lesson-heading",
        "lesson",
        6,
        "heading",
        re.compile(
            r"\b(lessons?( learned)?|learnings?|gotchas?|pitfalls?|caveats?|troubleshooting|"
            r"common (mistakes|errors|pitfalls)|what we learned|war stories|post-?mortems?)\b",
            re.I,
        ),
        example="## Gotchas\n\n- Webhooks arrive out of order\n",
    ),
    Signal(
        "lesson-phrase",
        "lesson",
        2,
        "text",
        re.compile(
            r"\b(we found|we learned|learned that|lesson learned|turns out|it turned out|"
            r"root cause|the hard way|caused by|because of this)\b",
            re.I,
        ),
        example="## Caching\n\nWe found that the cache doubles memory use.\n",
    ),
    # A procedure: steps to follow under a task-like heading.
    Signal(
        "howto-heading",
        "procedure",
        5,
        "title",
        _words(r"how to", r"how-to", r"steps? (to|for)", r"runbook", r"procedure", r"playbook"),
        example="## How to add a widget\n\nCopy an existing one.\n",
    ),
    Signal(
        "task-heading",
        "procedure",
        3,
        "title",
        _words(
            r"(add|adding|create|creating|fix|fixing|deploy|deploying|release|releasing|publish|"
            r"publishing|migrate|migrating|upgrade|upgrading|set ?up|setting up|install|installing|"
            r"bootstrap|debug|debugging|implement|implementing|write|writing|update|updating|"
            r"run|running|build|building|make|making)\b.{0,60}$",
            r"(release|deployment|migration|installation|setup|onboarding) "
            r"(process|steps|workflow|guide)",
            r"workflow",
            r"quick ?start",
            r"getting started",
        ),
        example="## Release process\n\nTag, then push.\n",
    ),
    Signal(
        "numbered-steps",
        "procedure",
        3,
        "shape",
        shape=lambda f: f.numbered >= 2 and f.numbered * 2 >= f.items,
        example="## Deploy\n\n1. Build\n2. Push\n",
    ),
    Signal(
        "shell-steps",  # commands to type: a nudge, never enough alone
        "procedure",
        1,
        "fence",
        re.compile(r"bash|sh|shell|console|zsh|powershell|ps1"),
        example="## Build\n\n```bash\nmake\n```\n",
    ),
    Signal(
        "rule-heading",
        "rule",
        4,
        "title",
        re.compile(
            r"\b(rules?|conventions?|guidelines?|style|standards?|principles?|policy|policies|"
            r"do'?s|don'?ts?|never|always|must|requirements|constraints|best practices|overview)\b",
            re.I,
        ),
        example="## Code style\n\n- Tabs\n",
    ),
    # A skill's parameters: defaults written as a list or a table.
    Signal(
        "params-heading",
        "params",
        6,
        "heading",
        re.compile(r"\b(param(eter)?s?|defaults?|configuration|settings)\b", re.I),
        example="## Parameters\n\n- `dpi`: 300\n",
    ),
)


def _plain(title: str) -> str:
    return _DECOR.sub("", title).strip()


def features(section: Section) -> Features:
    bullets = [b for b in section.blocks if b.kind == "bullet"]
    return Features(
        _plain(section.title),
        tuple(_plain(t) for t in section.path),
        len(bullets),
        sum(1 for b in bullets if b.ordered),
        sum(1 for b in bullets if b.checked is False),
        sum(1 for b in bullets if TODO_ITEM.match(b.text)),
        tuple(b.info.lower() for b in section.blocks if b.kind == "code"),
        "\n".join(b.text for b in section.blocks if b.kind in ("bullet", "paragraph")),
    )


def _matches(signal: Signal, f: Features) -> bool:
    if signal.where == "shape":
        return signal.shape is not None and signal.shape(f)
    assert signal.pattern is not None  # every other row has one (a test walks the table)
    if signal.where == "heading":
        return any(signal.pattern.search(t) for t in f.path)
    if signal.where == "title":
        return bool(signal.pattern.search(f.title))
    if signal.where == "fence":
        return any(signal.pattern.fullmatch(lang) for lang in f.fences)
    return bool(signal.pattern.search(f.text))


def classify(section: Section, kinds: tuple[Kind, ...]) -> tuple[Kind, tuple[str, ...]]:
    """(what ``section`` is among ``kinds`` — "rule" when no kind reaches the threshold —, the
    ids of the signals that decided it)."""
    f = features(section)
    fired = [s for s in SIGNALS if s.kind in kinds and _matches(s, f)]
    total: dict[Kind, int] = dict.fromkeys(kinds, 0)
    for signal in fired:
        total[signal.kind] += signal.weight
    best = max(total, key=lambda k: (total[k], k == "rule"))
    kind: Kind = best if total[best] >= THRESHOLD and best != "rule" else "rule"
    return kind, tuple(s.id for s in fired if s.kind == kind)
