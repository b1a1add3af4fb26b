"""The resume recap as plain text: no markup, safe to pipe into an agent (hooks, MCP, --raw)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from stato.core.plan import STATES

if TYPE_CHECKING:
    from stato.bridges.summary import Summary
    from stato.ops.resume import ResumeResult

_MARK = {"complete": "[x]", "running": "[>]", "failed": "[!]", "blocked": "[-]", "pending": "[ ]"}
STATO = ".stato"


def _bullets(title: str, items: Iterable[str], pad: str) -> list[str]:
    """``title:`` then a ``- item`` line each, indented under ``pad``; nothing for no items."""
    lines = [f"{pad}  - {item}" for item in items]
    return [f"{pad}{title}:", *lines] if lines else []


def _indent(text: str, pad: str) -> list[str]:
    return [pad + line.strip() for line in text.strip().splitlines() if line.strip()]


def _absent(s: Summary, path: str, why: str) -> str:
    """Why a canonical module is not recapped: withheld (named in the notes) or absent."""
    held = any(i.path == path and i.codes[:1] == ("withheld",) for i in s.invalid)
    return f"  ({STATO}/{path} is withheld: see the notes)" if held else f"  ({why})"


def context_lines(s: Summary) -> list[str]:
    c = s.context
    if c is None:
        return ["PROJECT CONTEXT", _absent(s, "context.py", "no context module")]
    out = [f"PROJECT CONTEXT: {c.project or '?'} ({STATO}/{c.path})"]
    if c.description:
        out.append(f"  {c.description}")
    if c.datasets:
        out.append(f"  Datasets: {', '.join(c.datasets)}")
    if c.environment:
        out.append("  Environment: " + ", ".join(f"{k} {v}" for k, v in c.environment))
    return out + _bullets("Conventions", c.conventions, "  ")


def plan_lines(s: Summary) -> list[str]:
    p = s.plan
    if p is None:
        return ["PLAN", _absent(s, "plan.py", "no plan module: progress is not tracked")]
    out = [f"PLAN: {p.name or '?'} -- {p.done}/{p.total} steps complete ({STATO}/{p.path})"]
    out.append(f"  Objective: {p.objective or '(none)'}")
    if p.current is not None:
        out.append(f"  Current step: {p.current.label}")
    if p.next is not None:
        out.append(f"  Next step: {p.next.label}")
    elif p.current is None:
        out.append(f"  {STATES[p.state]}")
    for st in p.steps:
        line = f"    {_MARK.get(st.status, '[?]')} {st.id} {st.action}"
        extra = " -- ".join(" ".join(t.split()) for t in (st.output, st.notes) if t)
        out.append(line + (f" -- {extra}" if extra else ""))
    return out


def skills_lines(s: Summary) -> list[str]:
    if not s.skills:
        return ["SKILLS", "  (no valid skills)"]
    out = [f"SKILLS ({len(s.skills)})"]
    for k in s.skills:
        version = f" v{k.version}" if k.version else ""
        out.append(f"  {k.name}{version} ({STATO}/{k.path})")
        if k.params:
            out.append("    Params: " + k.key_params(len(k.params)))
        if k.depends_on:
            out.append("    Depends on: " + ", ".join(k.depends_on))
        out += _bullets("Lessons", k.lessons, "    ")
    return out


def memory_lines(s: Summary) -> list[str]:
    m = s.memory
    if m is None:
        return ["MEMORY", _absent(s, "memory.py", "no memory module")]
    out = [f"MEMORY: phase {m.phase or '?'} ({STATO}/{m.path})"]
    if m.last_updated:
        out.append(f"  Last updated: {m.last_updated}")
    out += _bullets("Tasks", m.tasks, "  ")
    out += _bullets("Known issues", (f"{k}: {v}" for k, v in m.known_issues), "  ")
    if m.reflection:
        out.append("  Reflection:")
        out += _indent(m.reflection, "    ")
    return out


def raw(result: ResumeResult) -> str:
    """The full recap as plain text: no markup, safe to pipe into an agent."""
    s = result.summary
    sections = [context_lines(s), plan_lines(s), skills_lines(s), memory_lines(s)]
    if s.protocols:
        sections.append([f"PROTOCOLS: {', '.join(s.protocols)}"])
    if result.notes:
        sections.append(["NOTES"] + [f"  - {n}" for n in result.notes])
    return "\n\n".join("\n".join(lines) for lines in sections) + "\n"
