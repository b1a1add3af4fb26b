"""Tokens each agent loads at session start: stato 0.1's bridge layout (before) against now.

For the bundled example and for a 200-skill project, writes stato 0.1's `bridge --platform all`
layout (reproduced below: the full block in AGENTS.md, .cursor/rules, .cursorrules, Copilot,
GEMINI.md, Windsurf, Cline, Kiro, Amazon Q and Junie files; the skills table capped at 60 rows;
SKILL.md in .claude/skills and .agents/skills) and today's, then asks `stato context` what each
agent of the table loads at start: instruction files plus the skill index. Prints the tokens and
how many times each agent reads stato's block.

With --tokenizer it also measures the offline estimate (stato.core.tokens) against a real BPE
tokenizer, when the optional PyPI package `bpe-openai` is installed (it embeds o200k_base and
cl100k_base, so nothing is downloaded at run time).

Run: python benchmarks/context.py [--skills 200] [--tokenizer]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from hooks import make_project  # benchmarks/hooks.py: the same 200-skill project

# The files stato 0.1's `bridge --platform all` wrote (each with the whole block but CLAUDE.md)
V01_FILES = (
    "agents",
    "claude-md",
    "cursor-rules",
    "cursor-legacy",
    "copilot-instructions",
    "gemini-md",
    "windsurf-rules",
    "clinerules",
    "kiro-steering",
    "amazonq-rules",
    "junie-guidelines",
    "generic",
)
V01_TABLE_ROWS = 60  # 0.1 capped the skills table at 60 rows, whatever it cost


def write_v01(root: Path) -> None:
    """stato 0.1's layout: every file above with the whole block, skills in both folders."""
    from stato.adapters.fs import write_atomic
    from stato.bridges import render, skills
    from stato.bridges.agent_table import FILES, SKILL_FOLDERS
    from stato.ops.resume import project_summary

    summary = project_summary(root, save=False)
    body = render.render_body(summary, render.TABLE, V01_TABLE_ROWS)
    for file_id in V01_FILES:
        own = FILES[file_id]
        text = render.render_file(own, body, None, linked=file_id == "claude-md")
        write_atomic(root / own.path, text)
    for folder, skill in skills.folders(summary.skills):
        for base in SKILL_FOLDERS:
            write_atomic(root / base / folder / skills.SKILL_FILE, skills.render(folder, skill))


def measure(root: Path) -> dict[str, tuple[int, int, int]]:
    """agent id -> (tokens at start, stato's share, times the block loads)."""
    from stato.ops.context import explain

    return {
        a.id: (a.start_tokens, a.stato_start_tokens, a.block_loads) for a in explain(root).agents
    }


def compare(n_skills: int | None) -> None:
    from stato.bridges.agent_table import BY_ID
    from stato.ops.bridge import write_bridges
    from stato.ops.init import init_project

    with tempfile.TemporaryDirectory() as tmp:
        before_root, after_root = Path(tmp, "before"), Path(tmp, "after")
        for root in (before_root, after_root):
            if n_skills is None:
                init_project(root, example=True)
            else:
                make_project(root, n_skills)
        write_v01(before_root)
        result = write_bridges(after_root, ["all"])
        before, after = measure(before_root), measure(after_root)
    label = "example project (3 skills)" if n_skills is None else f"{n_skills}-skill project"
    print(f"\n## {label}: tokens loaded at session start (files + skill index)\n")
    print("| agent | stato 0.1: tokens (block loads) | now: tokens (block loads) | change |")
    print("|---|---|---|---|")
    total_b = total_a = 0
    for agent_id, (b_tokens, _, b_loads) in before.items():
        a_tokens, _, a_loads = after[agent_id]
        total_b, total_a = total_b + b_tokens, total_a + a_tokens
        change = f"{(a_tokens - b_tokens) / b_tokens:+.0%}" if b_tokens else "-"
        print(
            f"| {BY_ID[agent_id].label} | {b_tokens:,} ({b_loads}x) | {a_tokens:,} ({a_loads}x)"
            f" | {change} |"
        )
    print(f"| all agents | {total_b:,} | {total_a:,} | {(total_a - total_b) / total_b:+.0%} |")
    for moved in result.moved:
        print(f"\nmoved out of the always-on block: {moved}")


def tokenizer_error() -> None:
    try:
        import bpe_openai  # type: ignore[import-not-found]  # optional, for this measure only
    except ImportError:
        print("\n(bpe-openai is not installed: `pip install bpe-openai` to measure the estimate)")
        return
    from stato.core.tokens import estimate

    here = Path(__file__).resolve().parent.parent
    corpus = Path("/work/shared/corpora/instructions")
    files = [p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".tsv"]
    files += [here / "README.md", *sorted((here / "docs").glob("*.md"))]
    for name in ("o200k_base", "cl100k_base"):
        enc = bpe_openai.get_encoding(name)
        errors = []
        for path in files:
            text = path.read_text("utf-8", errors="replace")
            if text.strip():
                real = len(enc.encode(text))
                errors.append((estimate(text) - real) / real)
        absolute = sorted(abs(e) for e in errors)
        print(
            f"\nestimate vs {name} on {len(errors)} files: median error "
            f"{statistics.median(absolute):.1%}, 90th percentile "
            f"{absolute[int(len(absolute) * 0.9)]:.1%}, mean bias {statistics.mean(errors):+.1%}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skills", type=int, default=200)
    parser.add_argument("--tokenizer", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    compare(None)
    compare(args.skills)
    if args.tokenizer:
        tokenizer_error()


if __name__ == "__main__":
    main()
