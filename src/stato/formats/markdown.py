"""Read agent instruction Markdown (front matter, headings, lists, code, tables) into sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

BlockKind = Literal["bullet", "paragraph", "code", "table"]

_FRONT = re.compile(r"\A---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_TASK = re.compile(r"\A\[([ xX])\]\s+")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_LEAD_COMMENT = re.compile(r"\A(?:\s*<!--.*?-->)+[ \t]*\n\s*", re.S)
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
    ordered: bool = False  # an item of a numbered list ("1. Run the tests")
    info: str = ""  # a code fence's info string ("bash")
    rows: tuple[tuple[str, ...], ...] = ()  # a table's rows, header first
    lines: str = ""  # a paragraph with its line breaks as written (text joins them)


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


def _lenient(raw: str) -> dict[str, Any]:
    """``key: value`` lines read as plain strings; indented ``- item`` or ``sub: value`` lines
    (spaces or tabs) under an empty ``key:`` become its list or mapping."""
    data: dict[str, Any] = {}
    parent = ""  # the empty ``key:`` that indented lines belong to
    for line in raw.splitlines():
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        nested = line[:1] in (" ", "\t")
        found = _LENIENT.match(text)
        if nested and parent and text.startswith("- ") and not isinstance(data[parent], dict):
            data[parent] = [*(data[parent] or []), _scalar(text[2:].strip())]
        elif nested and parent and found and not isinstance(data[parent], list):
            data[parent] = {**(data[parent] or {}), found.group(1): _scalar(found.group(2))}
        elif found and not nested:
            key, value = found.group(1), found.group(2).strip()
            data[key] = _scalar(value)
            parent = key if not value else ""
    return data


def _read_front(raw: str) -> tuple[dict[str, Any] | None, list[str]]:
    """A front matter block's mapping, read by ``yaml.safe_load`` or else line by line; None
    when it holds no keys at all (a ``---`` rule around text is not front matter)."""
    import yaml  # type: ignore[import-untyped]  # heavy: only front matter needs it

    if not raw.strip():
        return {}, []  # an empty block, as Cursor's editor writes it
    problems: list[str] = []
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 2})" if mark is not None else ""
        problems.append(f"front matter is not strict YAML{where}; read it line by line")
        data = _lenient(raw) or None
    if not isinstance(data, dict):
        return None, []
    return {str(k): v for k, v in data.items()}, problems


def _is_front_matter(raw: str) -> bool:
    """True when every line of ``raw`` reads as YAML keys, so a ``---`` pair right after the
    front matter is a second front matter block, not a rule and a setext heading."""
    lines = [line for line in raw.splitlines() if line.strip()]
    return bool(lines) and all(
        _LENIENT.match(line.strip()) or line[:1] in (" ", "\t") or line.startswith("#")
        for line in lines
    )


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int, list[str]]:
    """(front matter, body, lines before the body, problems) for text that may open with ``---``.

    Parsed with ``yaml.safe_load``. Cursor writes ``globs: *.ts`` unquoted, which YAML reads as an
    alias and refuses; then each ``key: value`` line is read as a plain string instead. Cursor's
    editor may also put an empty block before the one a person wrote: a second block right after
    the first is read too, its values winning.
    """
    text = text.lstrip("\ufeff")
    match = _FRONT.match(text)
    lead = _LEAD_COMMENT.match(text)
    if not match and lead and _FRONT.match(text[lead.end() :]):
        # A licence or generator comment above the front matter: the front matter is still read
        # (the comment itself is markup no reader sees, as elsewhere).
        front, body, lines, problems = split_front_matter(text[lead.end() :])
        return front, body, lines + text[: lead.end()].count("\n"), problems
    if not match:
        return {}, text, 0, []
    first, problems = _read_front(match.group(1))
    if first is None:
        # No keys: the file opens with a horizontal rule; everything is body text.
        return {}, text, 0, ["the opening --- block holds no `key: value` lines; read as text"]
    front, end = first, match.end()
    rest = text[end:]
    gap = len(rest) - len(rest.lstrip("\r\n"))
    second = _FRONT.match(rest[gap:])
    # Only after a block that says nothing (Cursor's empty description/globs), so a rule and a
    # "Key: text" setext heading after a real block stay body text.
    empty = all(v in (None, "", [], {}) or isinstance(v, bool) for v in front.values())
    if second and empty and _is_front_matter(second.group(1)):
        more, found = _read_front(second.group(1))
        more = more or {}
        problems += found
        problems.append("a second front matter block follows the first; both were read")
        front.update({k: v for k, v in more.items() if v not in (None, "", [], {})})
        front.update({k: v for k, v in more.items() if k not in front})
        end += gap + second.end()
    return front, text[end:], text[:end].count("\n"), problems


_URL_LINE = re.compile(r"[\w .-]{1,40}:\s*<?https?://\S+")


def _is_prose(heading: str) -> bool:
    """True for a "heading" that is a sentence or a labelled link, not a section title."""
    sentence = heading.endswith((".", "\u3002")) and len(heading.split()) >= 6
    return sentence or bool(_URL_LINE.fullmatch(heading))


def _inline(content: str) -> str:
    return " ".join(part.strip() for part in content.splitlines() if part.strip())


@dataclass
class _Item:
    depth: int
    parent: str
    line: int
    ordered: bool = False
    parts: list[str] = field(default_factory=list)


def markdown_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def parse_markdown(text: str) -> Document:
    """Sections of a Markdown file, each with its list items, paragraphs, code and tables."""
    front, body, offset, problems = split_front_matter(text)
    tokens = markdown_parser().parse(body)
    sections: list[Section] = []
    title: str | None = None
    # The text before any heading starts on the body's first line, after the front matter.
    heading: tuple[str, int, tuple[tuple[int, str], ...], int] = ("", 0, (), offset + 1)
    stack: list[tuple[int, str]] = []  # (level, title) of the headings above
    stacks: list[tuple[tuple[int, str], ...]] = []  # each section's stack, for its path
    blocks: list[Block | _Item] = []
    items: list[_Item] = []  # open list items, innermost last
    lists: list[bool] = []  # open lists, innermost last: True for a numbered one
    table: list[list[str]] | None = None
    row: list[str] = []

    def close_section() -> None:
        done = [b if isinstance(b, Block) else _freeze(b) for b in blocks]
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
        if kind == "heading_open" and tok.tag == "h1" and _is_prose(_inline(tokens[i + 1].content)):
            # "# This file helps Copilot ..." written as if # began a comment: a sentence.
            text = _inline(tokens[i + 1].content)
            blocks.append(Block("paragraph", text, line_of(tok)))
            i += 3
            continue
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
        if kind in ("ordered_list_open", "bullet_list_open"):
            lists.append(kind == "ordered_list_open")
        elif kind in ("ordered_list_close", "bullet_list_close") and lists:
            lists.pop()
        elif kind == "list_item_open":
            parent = _TASK.sub("", _joined(items[-1])) if items else ""
            item = _Item(len(items), parent, line_of(tok), bool(lists and lists[-1]))
            items.append(item)
            blocks.append(item)
        elif kind == "list_item_close":
            items.pop()
        elif kind == "inline" and table is not None:
            row.append(_inline(tok.content))
        elif kind == "inline" and items:
            items[-1].parts.append(_inline(tok.content))
        elif kind == "inline":
            written = "\n".join(p.strip() for p in tok.content.splitlines() if p.strip())
            block = Block("paragraph", _inline(tok.content), line_of(tok), lines=written)
            blocks.append(block)
        elif kind in ("fence", "code_block") and not items:
            info = tok.info.strip().split(" ")[0] if kind == "fence" else ""
            blocks.append(Block("code", tok.content.rstrip("\n"), line_of(tok), info=info))
        elif kind in ("fence", "code_block"):
            items[-1].parts.append(f"`{tok.content.strip()}`")
        elif kind == "html_block" and (html := _COMMENT.sub("", tok.content).strip()):
            # Markup such as <rule>...</rule> or <Purpose>: its lines are kept as written;
            # comments (a template's "<!-- Add commands here -->") are not the person's text.
            blocks.append(Block("paragraph", html, line_of(tok), info="html"))
        elif kind == "table_open":
            table, table_line = [], line_of(tok)
        elif kind == "tr_close" and table is not None:
            table.append(row)
            row = []
        elif kind == "table_close" and table is not None:
            rows = tuple(tuple(r) for r in table)
            blocks.append(Block("table", "", table_line, rows=rows))
            table = None
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
    return Block("bullet", text, item.line, item.depth, item.parent, checked, item.ordered)
