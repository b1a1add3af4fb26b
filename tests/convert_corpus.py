"""Measure `stato convert` on the real-world corpus in ../shared/corpora/instructions/.

The corpus is third-party text: it is read in place and copied only into temporary folders, never
into the repository. Run ``python -m tests.convert_corpus`` for the figures per kind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.shared_dir import shared_dir

# The corpus's kind column -> the converter's kind.
KINDS = {
    "claude": "claude",
    "agents": "agents",
    "skill": "skill",
    "mdc": "cursor-mdc",
    "cursorrules": "cursorrules",
    "copilot": "copilot",
    "copilot-instructions": "copilot",
    "gemini": "gemini",
    "cline": "cline",
    "kiro": "kiro",
    "qwen": "qwen",
    "conventions": "conventions",
}
TODO_MARK = re.compile(
    r"^\s*[-*+]\s+\[ \]|\bTODO\b|\bnext:|^#+ .*\b(to-?do|tasks?|next steps?)\b", re.I | re.M
)


def corpus_dir() -> Path | None:
    """../shared/corpora/instructions from the repository root (or any folder above it)."""
    return shared_dir("corpora", "instructions", marker="SOURCES.tsv")


@dataclass(frozen=True)
class Entry:
    file: Path  # in the corpus
    kind: str  # the corpus's kind
    path: str  # where it lived in its repository


def entries(root: Path) -> list[Entry]:
    rows = (root / "SOURCES.tsv").read_text("utf-8").splitlines()[1:]
    out = []
    for row in rows:
        name, kind, _repo, path, *_ = row.split("\t")
        out.append(Entry(root / name, kind, path))
    return out


def norm(text: str) -> str:
    return " ".join(text.split())


def pieces(text: str) -> dict[str, list[str]]:
    """Every heading, bullet and code fence of a Markdown file, read by markdown-it on its own
    (not by stato's reader), each as the text a reader must find again."""
    from markdown_it import MarkdownIt

    from stato.formats.markdown import split_front_matter

    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    body = split_front_matter(text)[1]
    tokens = MarkdownIt("commonmark").enable("table").parse(body)
    out: dict[str, list[str]] = {"headings": [], "bullets": [], "fences": []}
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out["headings"].append(tokens[i + 1].content)
        elif tok.type == "list_item_open":
            depth += 1
        elif tok.type == "list_item_close":
            depth -= 1
        elif tok.type == "inline" and depth and tokens[i - 1].type == "paragraph_open":
            out["bullets"].append(re.sub(r"\A\[[ xX]\]\s+", "", tok.content))
        elif tok.type in ("fence", "code_block"):
            out["fences"].append(tok.content)
    return {k: [v for v in vs if norm(v)] for k, vs in out.items()}


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


_SHELL = re.compile(r"\A(\$ |# ?)|\s*\\\Z")


def found(piece: str, kind: str, hay: str) -> bool:
    """True when ``piece`` is in the modules' text (whitespace normalised). A shell fence may be
    split into commands: then each line must be there, without its prompt or comment sign."""
    if norm(piece) in hay or (kind == "headings" and norm(piece).rstrip(":\uff1a") in hay):
        return True  # a heading's closing colon is left out of the labels it gives
    if kind != "fences":
        return False
    lines = [norm(_SHELL.sub("", line)) for line in piece.splitlines()]
    return all(line in hay for line in lines if line)


@dataclass
class Outcome:
    entry: Entry
    modules: dict[str, Any]  # rel -> ValidationResult
    missing: dict[str, list[str]]
    counts: Counter[str]
    routes: Counter[str]
    tasks: int
    deps: list[str]
    lines_over: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""


def convert_one(entry: Entry, work: Path) -> Outcome:
    """Convert one corpus file, copied under its real path into ``work``, into a new project."""
    from stato.errors import StatoError as ConvertError
    from stato.ops.convert import convert_files

    target = work / "repo" / entry.path
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(entry.file, target)
    text = entry.file.read_text("utf-8-sig", errors="replace")
    want = pieces(text)
    try:
        report = convert_files([target], work / "proj")
    except ConvertError as exc:
        return Outcome(entry, {}, want, Counter(), Counter(), 0, [], note=str(exc))
    modules = {m.rel: m.result for m in report.modules}
    hay = norm(
        "\n".join(s for r in modules.values() for s in [*(r.docstring or "",), *strings(r.fields)])
    )
    missing = {k: [p for p in v if not found(p, k, hay)] for k, v in want.items()}
    counts = Counter({k: len(v) for k, v in want.items()})
    routes = Counter(
        f"{s.module.split('/')[0]}.{s.field}"
        for i in report.inputs
        for s in getattr(i, "sections", ())
    )
    tasks = sum(len(r.fields.get("tasks", [])) for r in modules.values())
    deps = [d for r in modules.values() for d in r.fields.get("depends_on", [])]
    longest = max((len(line) for line in text.splitlines()), default=0)
    over = [
        f"{rel}:{n}"
        for rel, r in modules.items()
        for n, line in enumerate(r.source.splitlines(), 1)
        # the source's own longest line, plus what a field adds around it (indent, quotes)
        if len(line) > max(200, longest + 16)
    ]
    errors = [f"{rel}: {d.code}" for rel, r in modules.items() for d in r.errors]
    return Outcome(entry, modules, missing, counts, routes, tasks, deps, over, errors)


def main() -> None:
    root = corpus_dir()
    if root is None:
        raise SystemExit("../shared/corpora/instructions is absent")
    from stato.adapters.gate import accepting
    from stato.core.privacy import INJECTION_RULES

    by_kind: dict[str, list[Outcome]] = {}
    for entry in entries(root):
        # The corpus is real text that steers agents: the gate's findings are accepted here.
        with tempfile.TemporaryDirectory() as tmp, accepting([r.id for r in INJECTION_RULES]):
            by_kind.setdefault(entry.kind, []).append(convert_one(entry, Path(tmp)))
    total: Counter[str] = Counter()
    for kind, outs in sorted(by_kind.items()):
        kept = Counter()
        have = Counter()
        routes: Counter[str] = Counter()
        for o in outs:
            have.update(o.counts)
            kept.update({k: o.counts[k] - len(o.missing.get(k, [])) for k in o.counts})
            routes.update(o.routes)
        share = ", ".join(f"{k} {kept[k]}/{have[k]}" for k in ("headings", "bullets", "fences"))
        tasks = sum(o.tasks for o in outs)
        deps = sum(len(o.deps) for o in outs)
        notes = sum(1 for o in outs if o.note)
        print(
            f"{kind:22} files {len(outs):3}  {share}  tasks {tasks}  deps {deps}  refused {notes}"
        )
        print(f"{'':22} sections: " + ", ".join(f"{k} {v}" for k, v in routes.most_common()))
        total.update(have)
        for o in outs:
            for k, v in o.missing.items():
                for p in v[:2]:
                    print(f"    MISSING {o.entry.file.name} {k}: {norm(p)[:100]!r}")
            for e in o.errors + o.lines_over[:2]:
                print(f"    PROBLEM {o.entry.file.name}: {e}")
            if o.deps:
                print(f"    deps {o.entry.file.name}: {o.deps}")
            if o.note:
                print(f"    note {o.entry.file.name}: {o.note}")
    print("total", dict(total))


if __name__ == "__main__":
    main()
