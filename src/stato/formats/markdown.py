"""Read agent instruction Markdown (front matter, headings, lists, code, tables) into sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["bullet", "paragraph", "code", "table"]

_FRONT = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M
)
_TASK = re.compile(r"\A\[([ xX])\]\s+")
_LENIENT = re.compile(r"\A([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)\Z")


@dataclass(frozen=True)
class Block:
    """One piece of a section: a list item, a paragraph, a fenced code block or a table."""

    kind: BlockKind
    text: str  # inline Markdown with soft breaks joined; the code for "code"
    line: int  # 1-based line in the file
    depth: int = 0  # list nesting, 0 for a top-level item
    parent: str = ""  # the text of the enclosing list item
    checked: bool | None = None  # "- [x]" True, "- [ ]" False, else None
    info: str = ""  # a code fence's info string ("bash")
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows, header first


@dataclass(frozen=True)
class Section:
    """The blocks under one heading (title "" and level 0 for text before any heading)."""

    title: str
    level: int
    path: tuple[str, ...]  # headings from the top; the document's one H1 (its title) left out
    line: int
    blocks: tuple[Block, ...]

    def of(self, kind: BlockKind) -> list[Block]:
        return [b for b in self.blocks if b.kind == kind]


@dataclass(frozen=True)
class Document:
    front_matter: dict[str, Any]
    title: str | None  # the first level-1 heading
    sections: tuple[Section, ...]
    problems: tuple[str, ...] = ()


def _scalar(text: str) -> Any:
    low = text.lower()
    if low in ("true", "false"):
        return low == "true"
    return text.strip("'\"")


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int, list[str]]:
    """(front matter, body, lines before the body, problems) for text that may open with ``---``.

    Parsed with ``yaml.safe_load``. Cursor writes ``globs: *.ts`` unquoted, which YAML reads as an
    alias and refuses; then each ``key: value`` line is read as a plain string instead.
    """
    match = _FRONT.match(text)
    if not match:
        return {}, text.lstrip("\ufeff"), 0, []
    import yaml  # type: ignore[import-untyped]  # heavy: only front matter needs it

    raw, body = match.group(1), text[match.end() :]
    skipped = text[: match.end()].count("\n")
    problems: list[str] = []
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problems.append(f"front matter is not strict YAML{where}; read it line by line")
        data = {}
        for line in raw.splitlines():
            found = _LENIENT.match(line.strip())
            if found and not line.startswith((" ", "\t")):
                data[found.group(1)] = _scalar(found.group(2).strip())
    if data is None:
        data = {}
    if not isinstance(data, dict):
        problems.append("front matter is not a mapping of keys to values; ignored")
        data = {}
    return {str(k): v for k, v in data.items()}, body, skipped, problems


def _inline(content: str) -> str:
    return " ".join(part.strip() for part in content.splitlines() if part.strip())


@dataclass
class _Item:
    depth: int
    parent: str
    line: int
    parts: list[str] = field(default_factory=list)


def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def parse_markdown(text: str) -> Document:
    """Sections of a Markdown file, each with its list items, paragraphs, code and tables."""
    front, body, offset, problems = split_front_matter(text)
    tokens = _parser().parse(body)
    sections: list[Section] = []
    title: str | None = None
    heading: tuple[str, int, tuple[tuple[int, str], ...], int] = ("", 0, (), 1)
    stack: list[tuple[int, str]] = []  # (level, title) of the headings above
    stacks: list[tuple[tuple[int, str], ...]] = []  # each section's stack, for its path
    blocks: list[tuple[int, Block | _Item]] = []
    items: list[_Item] = []  # open list items, innermost last
    table: list[list[str]] | None = None
    row: list[str] = []
    order = 0

    def close_section() -> None:
        done = [b if isinstance(b, Block) else _freeze(b) for _, b in blocks]
        kept = tuple(b for b in done if b.text or b.rows)
        if kept or heading[1]:
            names = tuple(t for _, t in heading[2])
            sections.append(Section(heading[0], heading[1], names, heading[3], kept))
            stacks.append(heading[2])
        blocks.clear()

    def line_of(tok: Any) -> int:
        return (tok.map[0] if tok.map else 0) + offset + 1

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            close_section()
            level = int(tok.tag[1])
            name = _inline(tokens[i + 1].content)
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, name))
            heading = (name, level, tuple(stack), line_of(tok))
            if level == 1 and title is None:
                title = name
            i += 3
            continue
        if kind == "list_item_open":
            parent = _TASK.sub("", _joined(items[-1])) if items else ""
            item = _Item(len(items), parent, line_of(tok))
            items.append(item)
            blocks.append((order, item))
        elif kind == "list_item_close":
            items.pop()
        elif kind == "inline" and table is not None:
            row.append(_inline(tok.content))
        elif kind == "inline" and items:
            items[-1].parts.append(_inline(tok.content))
        elif kind == "inline":
            blocks.append((order, Block("paragraph", _inline(tok.content), line_of(tok))))
        elif kind in ("fence", "code_block") and not items:
            info = tok.info.strip().split(" ")[0] if kind == "fence" else ""
            blocks.append((order, Block("code", tok.content.rstrip("\n"), line_of(tok), info=info)))
        elif kind in ("fence", "code_block"):
            items[-1].parts.append(f"`{tok.content.strip()}`")
        elif kind == "html_block" and not tok.content.lstrip().startswith("<!--"):
            blocks.append((order, Block("paragraph", _inline(tok.content), line_of(tok))))
        elif kind == "table_open":
            table, table_line = [], line_of(tok)
        elif kind == "tr_close" and table is not None:
            table.append(row)
            row = []
        elif kind == "table_close" and table is not None:
            rows = tuple(tuple(r) for r in table)
            blocks.append((order, Block("table", "", table_line, rows=rows)))
            table = None
        order += 1
        i += 1
    close_section()
    # One H1 is the document's title; several H1s ("# Commands", "# Code style") are sections.
    single = sum(1 for s in sections if s.level == 1) <= 1
    if not single:
        title = None
    done = tuple(
        Section(
            s.title, s.level, tuple(t for lvl, t in st if lvl > 1 or not single), s.line, s.blocks
        )
        for s, st in zip(sections, stacks, strict=True)
    )
    return Document(front, title, done, tuple(problems))


def _joined(item: _Item) -> str:
    return " ".join(p for p in item.parts if p)


def _freeze(item: _Item) -> Block:
    text = _joined(item)
    checked: bool | None = None
    task = _TASK.match(text)
    if task:
        checked = task.group(1) != " "
        text = text[task.end() :]
    return Block("bullet", text, item.line, item.depth, item.parent, checked)
