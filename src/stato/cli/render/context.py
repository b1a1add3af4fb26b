"""Render `stato context`: per agent, the files it loads and their size, then the problems."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stato.cli.console import echo

if TYPE_CHECKING:
    from stato.ops.context import AgentContext, ContextReport


def _agent_dict(a: AgentContext) -> dict[str, Any]:
    return {
        "agent": a.id,
        "label": a.label,
        "start_tokens": a.start_tokens,
        "stato_start_tokens": a.stato_start_tokens,
        "on_demand_tokens": a.on_demand_tokens,
        "block_loads": a.block_loads,
        "files": [
            {
                "path": f.path,
                "when": f.when,
                "tokens": f.tokens,
                "stato_tokens": f.stato_tokens,
                "via": f.via,
                "problems": list(f.problems),
            }
            for f in a.files
        ],
        "skills": {
            "count": len(a.skills),
            "index_tokens": sum(s.index_tokens for s in a.skills),
            "body_tokens": sum(s.body_tokens for s in a.skills),
            "folders": sorted({s.folder for s in a.skills}),
        },
        "shadowed": list(a.shadowed),
        "duplicates": list(a.duplicates),
        "over_budget": list(a.over_budget),
        "notes": list(a.notes),
    }


def to_dict(report: ContextReport) -> dict[str, Any]:
    return {
        "root": str(report.root),
        "budget_tokens": report.budget,
        "token_estimate": "offline (stato.core.tokens): ~3% median error vs o200k_base",
        "agents": [_agent_dict(a) for a in report.agents],
        "vague_skills": list(report.vague_skills),
    }


def show(report: ContextReport) -> None:
    for a in report.agents:
        loads = "once" if a.block_loads == 1 else f"{a.block_loads} times"
        echo(
            f"{a.label} [{a.id}]: ~{a.start_tokens:,} tokens at start "
            f"(stato ~{a.stato_start_tokens:,}; block loaded {loads}), "
            f"~{a.on_demand_tokens:,} on demand"
        )
        for f in a.files:
            via = f" via {f.via}" if f.via else ""
            mine = f", stato ~{f.stato_tokens:,}" if f.stato_tokens else ""
            echo(f"  {f.when:9} {f.path}{via}  ~{f.tokens:,} tokens{mine}")
            for problem in f.problems:
                echo(f"            ! {problem}")
        if a.skills:
            folders = ", ".join(sorted({s.folder for s in a.skills}))
            index = sum(s.index_tokens for s in a.skills)
            body = sum(s.body_tokens for s in a.skills)
            echo(
                f"  skills    {len(a.skills)} in {folders}: index ~{index:,} tokens at start, "
                f"bodies ~{body:,} on demand"
            )
        for label, items in (
            ("duplicate", a.duplicates),
            ("over budget", a.over_budget),
            ("shadowed", a.shadowed),
            ("note", a.notes),
        ):
            for item in items:
                echo(f"  {label}: {item}")
    if report.vague_skills:
        echo(
            f"{len(report.vague_skills)} skill(s) whose description does not say when to use "
            "them (agents pick skills by it): "
            + ", ".join(report.vague_skills[:10])
            + (" ..." if len(report.vague_skills) > 10 else "")
        )
    echo(
        f"Budget for stato's always-on text: {report.budget:,} tokens "
        "([bridge] budget_tokens in .stato/config.toml). Tokens are an offline estimate."
    )
