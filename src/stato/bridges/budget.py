"""The always-on budget: fit stato's block into the tokens an agent should spend on it.

An agent pays for its always-on files in every session, and instruction following falls as they
grow, so the block is a table of contents with a budget (``[bridge] budget_tokens`` in
.stato/config.toml, default ``DEFAULT_TOKENS``). When the full skills table does not fit, detail
moves out of the always-on text, never silently: first to a one-line-per-skill index (parameters
and lessons stay in each skill's on-demand SKILL.md and module), then the index keeps the skills
that fit and points at the rest. Each step is reported. The documented hard limits of the files
written (Codex 32 KiB, Windsurf 12,000 characters, Claude Code 40,000) always bound the result.
"""

from __future__ import annotations

from dataclasses import dataclass

from stato.bridges.render import INDEX, render_body
from stato.bridges.summary import Summary
from stato.core.tokens import estimate

# 2,000 tokens (about 8,000 characters, ~100 lines): Claude Code advises CLAUDE.md under ~200
# lines and warns at 40k characters, Windsurf cuts a rule at 12,000 characters, and instruction
# following falls as instructions pile up (IFScale). The example project's block is ~400 tokens;
# 2,000 lets a table of ~40 skills stay whole and leaves the person's own text most of the room.
DEFAULT_TOKENS = 2000
MIN_TOKENS = 200  # below this not even the rules fit: refused as a setting


@dataclass(frozen=True)
class Fitted:
    body: str
    tokens: int
    moved: tuple[str, ...]  # what left the always-on block, in words


def _fits(body: str, tokens: int, max_chars: int | None, max_bytes: int | None) -> bool:
    if max_chars is not None and len(body) > max_chars:
        return False
    if max_bytes is not None and len(body.encode("utf-8")) > max_bytes:
        return False
    return estimate(body) <= tokens


def fit(
    summary: Summary,
    tokens: int = DEFAULT_TOKENS,
    max_chars: int | None = None,
    max_bytes: int | None = None,
) -> Fitted:
    """The most detailed body within ``tokens`` (and the hard limits), with what moved."""
    body = render_body(summary)
    if _fits(body, tokens, max_chars, max_bytes) or not summary.skills:
        return Fitted(body, estimate(body), ())
    n = len(summary.skills)
    index = render_body(summary, INDEX)
    moved = [
        f"skills table -> one line per skill: versions, key parameters and lesson counts of "
        f"{n} skills are in their SKILL.md (.agents/skills/) and .stato/skills/ modules"
    ]
    if _fits(index, tokens, max_chars, max_bytes):
        return Fitted(index, estimate(index), tuple(moved))
    low, high = 0, n  # the most skills the index can list: binary search on a monotone size
    while low < high:
        mid = (low + high + 1) // 2
        if _fits(render_body(summary, INDEX, mid), tokens, max_chars, max_bytes):
            low = mid
        else:
            high = mid - 1
    body = render_body(summary, INDEX, low)
    moved.append(
        f"{n - low} of {n} skills listed only on demand (.agents/skills/, .stato/skills/, "
        "`stato resume --raw`), not in the always-on block"
    )
    return Fitted(body, estimate(body), tuple(moved))
