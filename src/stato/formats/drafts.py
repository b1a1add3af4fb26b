"""What a conversion produces: module drafts, and the records and helpers the converters share."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stato.formats.markdown import Block, Document, Section

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh", "fish", "powershell", "ps1", "cmd"}
IMPORT_LINE = re.compile(r"(@[\w./~-]+\s*)+")
# An unlabelled code fence is shell only when every line reads as a command: a directory tree,
# a .env sample or a list of paths stays verbatim prose.
_COMMAND = re.compile(r"(\$ )?(\./|\. |[A-Za-z_][\w.+-]*(\s|\Z))")
_COLONS = ":\uff1a"
LONG_LEAD = 80  # a line introducing a list longer than this is a sentence, not a label


def safe_docstring(text: str) -> str:
    """Text that ``render_module`` can put between triple quotes: no control characters, and no
    closing quote that would run into the docstring's own."""
    text = _CONTROL.sub("", text.replace("\r\n", "\n")).strip()
    return text + " " if text.endswith('"') else text


@dataclass(frozen=True)
class Draft:
    """A module a conversion produces, before it is merged with the project and rendered."""

    rel: str
    module_type: str
    class_name: str
    fields: dict[str, Any]
    docstring: str
    origin: str
    methods_source: str | None = None


@dataclass(frozen=True)
class Route:
    """Where one section of an input went: its heading, its line, the module and the field."""

    heading: str  # the headings from the top, " / "-joined ("" for text before any heading)
    line: int
    module: str  # the draft's rel ("context.py", "skills/deploy.py")
    field: str  # "conventions", "docstring", "tasks", ...
    why: tuple[str, ...] = ()  # the ids of the signals that decided it

    def to_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "line": self.line,
            "module": self.module,
            "field": self.field,
            "signals": list(self.why),
        }


@dataclass(frozen=True)
class Conversion:
    kind: str
    origin: str
    drafts: tuple[Draft, ...]
    problems: tuple[str, ...] = ()
    routes: tuple[Route, ...] = ()


@dataclass(frozen=True)
class Converter:
    """One kind of input file: the names it has and the function that makes drafts of it."""

    kind: str
    label: str
    patterns: tuple[str, ...]  # case-insensitive file name patterns
    build: Callable[[Document, Source], tuple[list[Draft], list[Route]]] = field(repr=False)


@dataclass(frozen=True)
class Source:
    """The file being converted: its text, how to name it, and a project name to fall back on."""

    text: str
    origin: str
    project_hint: str
    kind: str


def dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(i.strip() for i in items if i.strip()))


def label_of(section: Section) -> str:
    return " / ".join(t.rstrip(_COLONS).strip() or t for t in section.path)


def _lead(text: str) -> bool:
    return text.endswith(tuple(_COLONS))


@dataclass
class _Split:
    """The state of one pass over a section's blocks (see ``split_section``)."""

    out: list[str] = field(default_factory=list)  # conventions
    prose: list[str] = field(default_factory=list)
    lead: str = ""  # the short line that labels the list below it
    top: int = -1  # index in ``out`` of the last top-level bullet, which nested ones extend
    gather: bool = False  # a long sentence introduced the list: its items extend that sentence

    def paragraph(self, block: Block, following: Block | None) -> None:
        if IMPORT_LINE.fullmatch(block.text):
            # Claude Code's "@AGENTS.md" import: that file is converted on its own; the line
            # stays in the notes, which say what this file pulled in.
            self.prose.append(block.lines or block.text)
            return
        # .cursorrules often label a list with a short line instead of a heading.
        short = len(block.text) <= 60 and not block.text.endswith((".", "!", "?"))
        labels = short or _lead(block.text)
        if following and following.kind == "bullet" and block.info != "html" and labels:
            self.lead = block.text.rstrip(_COLONS)
            self.gather = len(self.lead) > LONG_LEAD
            if self.gather:  # not repeated before each item: one convention holds them all
                self.out.append(block.text)
                self.top, self.lead = len(self.out) - 1, ""
            return
        self.lead, self.gather = "", False
        self.prose.append(block.lines or block.text)  # its lines kept: no giant line

    def bullet(self, block: Block, following: Block | None) -> None:
        if IMPORT_LINE.fullmatch(block.text):
            self.prose.append(block.text)  # "- @docs/git.md" imports that file: not a rule
            return
        # A checklist item outside a to-do list is a rule to check, kept with its box.
        box = "" if block.checked is None else "[x] " if block.checked else "[ ] "
        text = box + block.text
        if (block.depth or self.gather) and self.top >= 0:
            joint = " \u2014 " if " \u2014 " not in self.out[self.top] else "; "
            self.out[self.top] += joint + text
            return
        self.out.append(f"{self.lead}: {text}" if self.lead else text)
        self.top = len(self.out) - 1

    def table(self, block: Block, following: Block | None) -> None:
        self.gather = False
        self.out.extend(" \u2014 ".join(c for c in row if c) for row in block.rows[1:])

    def code(self, block: Block, following: Block | None) -> None:
        if _is_shell(block.info, block.text):
            self.gather = False
            self.out.extend(_commands(block.text))
        else:
            self.prose.append(fenced(block.info, block.text))


def split_section(section: Section) -> tuple[list[str], list[str]]:
    """(conventions, prose) of a section: bullets, table rows and shell commands are conventions,
    each self-contained; paragraphs and non-shell code are prose."""
    state = _Split()
    steps = {"paragraph": state.paragraph, "bullet": state.bullet, "table": state.table}
    blocks = section.blocks
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        steps.get(block.kind, state.code)(block, following)
    return state.out, state.prose


def _lines(code: str) -> list[str]:
    """The block's lines, a line ending in a backslash joined with the next."""
    out: list[str] = []
    for raw in code.splitlines():
        line = raw.strip()
        if out and out[-1].endswith("\\"):
            out[-1] = out[-1][:-1].rstrip() + " " + line
        else:
            out.append(line)
    return [line for line in out if line]


def _is_shell(info: str, code: str) -> bool:
    lines = [line for line in _lines(code) if not line.startswith("#")]
    if not lines or info.lower() not in SHELL_LANGS:
        return False
    prompts = [line.startswith("$ ") for line in lines]
    if any(prompts) and not all(prompts):
        return False  # a console transcript: commands and their output, kept verbatim
    if info:
        return True
    # Unlabelled: code (indented lines, "def f():", "{") stays verbatim, indentation and all.
    raw = code.splitlines()
    indented = any(
        line[:1] in (" ", "\t") and not (i and raw[i - 1].rstrip().endswith("\\"))
        for i, line in enumerate(raw)
    )
    blocky = any(line.endswith((":", "{", "}", "(", ")", ",", ";")) for line in lines)
    return not indented and not blocky and all(_COMMAND.match(line) for line in lines)


def _commands(code: str) -> list[str]:
    out, comment = [], ""
    for line in _lines(code):
        if line.startswith("#"):
            text = line.lstrip("# ").strip()
            if comment and text:
                out.append(comment)  # two comments in a row: the first stands alone
            comment = text
        else:
            line = line[2:] if line.startswith("$ ") else line
            out.append(f"`{line}` ({comment})" if comment else f"`{line}`")
            comment = ""
    if comment:
        out.append(comment)  # a closing remark after the last command
    return out


def fenced(info: str, code: str) -> str:
    """``code`` in a fence longer than any run of backticks inside it (a README with its own
    fences stays one block)."""
    runs = [len(run) for run in re.findall(r"`{3,}", code)]
    fence = "`" * max([3, *(n + 1 for n in runs)])
    return f"{fence}{info}\n{code}\n{fence}"


def as_markdown(blocks: list[Block]) -> str:
    """Blocks written back as Markdown, for text kept as notes rather than split up."""
    out: list[str] = []
    for index, block in enumerate(blocks):
        if block.kind == "bullet":
            text = "  " * block.depth + "- " + block.text
        elif block.kind == "code":
            text = fenced(block.info, block.text)
        elif block.kind == "table":
            rows = ["| " + " | ".join(row) + " |" for row in block.rows]
            rows[1:1] = ["|" + "---|" * len(block.rows[0])]  # a table has a header row
            text = "\n".join(rows)
        else:
            text = block.text
        joined = index and block.kind == "bullet" and blocks[index - 1].kind == "bullet"
        out.append(("\n" if joined else "\n\n") + text if index else text)
    return "".join(out)


_SENTENCE = re.compile(r".+?(?:[.!?](?=\s|\Z)\s*|[\u3002\uff01\uff1f]\s*|\Z)", re.S)


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence, its spacing kept (joined with "" they give it back):
    "。", "！" and "？" end a sentence with no space after them."""
    return [s for s in _SENTENCE.findall(text) if s]


def raw_sections(doc: Document, text: str) -> dict[int, str]:
    """Section start line -> that section's Markdown exactly as written (heading included)."""
    lines = text.split("\n")  # not splitlines(): U+2028 or a form feed is no line break here
    starts = [s.line for s in doc.sections]
    ends = [*starts[1:], len(lines) + 1] if starts else []
    return {
        start: "\n".join(lines[start - 1 : end - 1]).strip()
        for start, end in zip(starts, ends, strict=True)
    }


def yaml_text(value: Any) -> str:
    """A front matter value as YAML writes it: true, not True; a list as its items."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(yaml_text(v) for v in value)
    return "" if value is None else str(value)
