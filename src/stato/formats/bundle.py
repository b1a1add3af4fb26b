"""Read a web AI's stato_bundle.py with ``ast`` only: module sources out, nothing ever run."""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from typing import Literal

from stato.errors import StatoError
from stato.formats.stems import safe_stem as safe_stem  # its home is stems; importable here

# Bundles come from a chat window: treat them as hostile input. The file is parsed, never
# imported, executed or compiled-and-run; only plain string literals are taken out of it.
MAX_BUNDLE_BYTES = 5 * 1024 * 1024

# variable -> (module type, target path inside .stato/ or None when keyed by name)
SINGLE: dict[str, tuple[str, str]] = {
    "PLAN": ("plan", "plan.py"),
    "MEMORY": ("memory", "memory.py"),
    "CONTEXT": ("context", "context.py"),
    "PROTOCOL": ("protocol", "protocol.py"),
}
KEYED: dict[str, tuple[str, str]] = {
    "SKILLS": ("skill", "skills"),
    "PROTOCOLS": ("protocol", "protocols"),
}
KNOWN = tuple(SINGLE) + tuple(KEYED)

Severity = Literal["error", "warning"]
_STATEMENTS = {
    "Import": "import",
    "ImportFrom": "import",
    "FunctionDef": "function",
    "AsyncFunctionDef": "function",
    "ClassDef": "class",
    "If": "if block",
    "For": "loop",
    "While": "loop",
    "With": "with block",
    "Try": "try block",
}


class BundleError(StatoError):
    """The bundle file itself cannot be read (not the modules inside it)."""


@dataclass(frozen=True)
class BundleEntry:
    """One module carried by the bundle: where it goes and its source text."""

    key: str  # how the bundle names it: PLAN, SKILLS['qc']
    module_type: str
    rel: str  # path inside .stato/
    source: str
    line: int


@dataclass(frozen=True)
class BundleProblem:
    """Something in the bundle that was not taken: an error refuses a module, a warning is code
    that was ignored."""

    severity: Severity
    message: str
    line: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "line": self.line, "message": self.message}


@dataclass(frozen=True)
class Bundle:
    path: str
    entries: tuple[BundleEntry, ...]
    problems: tuple[BundleProblem, ...]

    @property
    def refused(self) -> tuple[BundleProblem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")


def _clean(text: str) -> str:
    """The module text as a file: common indentation removed, one trailing newline."""
    return textwrap.dedent(text).strip("\n") + "\n"


def _literal(node: ast.AST) -> str | None:
    """The value of a plain string literal (implicit concatenation included), else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Call):
        return "a call"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.Name):
        return f"the name {node.id!r}"
    return f"a {type(node).__name__} expression"


class _Reader:
    """Walks the top level of the bundle once, collecting entries and problems."""

    def __init__(self) -> None:
        self.entries: dict[str, BundleEntry] = {}
        self.problems: list[BundleProblem] = []

    def problem(self, severity: Severity, message: str, line: int | None) -> None:
        self.problems.append(BundleProblem(severity, message, line))

    def add(self, entry: BundleEntry) -> None:
        if entry.rel in self.entries:
            first = self.entries[entry.rel]
            if first.key == entry.key:
                self.problem(
                    "error",
                    f"{entry.key} is assigned twice (lines {first.line} and "
                    f"{entry.line}); keeping the first, remove one",
                    entry.line,
                )
            else:
                self.problem(
                    "error",
                    f"{entry.key} and {first.key} both go to {entry.rel}; "
                    "keeping the first, rename one",
                    entry.line,
                )
            return
        self.entries[entry.rel] = entry

    def statement(self, node: ast.stmt, index: int) -> None:
        if index == 0 and isinstance(node, ast.Expr) and _literal(node.value) is not None:
            return  # the bundle's docstring
        target: ast.expr | None = None
        value: ast.expr | None = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        if not (isinstance(target, ast.Name) and value is not None):
            what = _STATEMENTS.get(type(node).__name__, "statement")
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
                what = "call"
            self.problem(
                "warning", f"ignored a top-level {what} (bundles are read, never run)", node.lineno
            )
            return
        name = target.id
        if name in SINGLE:
            self.module(name, value, *SINGLE[name])
        elif name in KEYED:
            self.keyed(name, value)
        elif name.upper() in KNOWN or name.upper() + "S" in KNOWN:
            self.problem(
                "error",
                f"{name} is not a bundle variable; did you mean "
                f"{name.upper() if name.upper() in KNOWN else name.upper() + 'S'}?",
                node.lineno,
            )
        else:
            self.problem(
                "warning", f"ignored {name} (a bundle holds only {', '.join(KNOWN)})", node.lineno
            )

    def module(self, label: str, value: ast.expr, module_type: str, rel: str) -> None:
        """Add the module ``value`` holds, or say why not: it must be a plain string literal."""
        text = _literal(value)
        if text is None:
            self.problem(
                "error",
                f"{label} is {_describe(value)}, not a plain string literal; not imported",
                value.lineno,
            )
        else:
            self.add(BundleEntry(label, module_type, rel, _clean(text), value.lineno))

    def keyed(self, name: str, value: ast.expr) -> None:
        module_type, folder = KEYED[name]
        if not isinstance(value, ast.Dict):
            self.problem(
                "error",
                f"{name} is {_describe(value)}, not a dict of name -> module source; not imported",
                value.lineno,
            )
            return
        for key_node, item in zip(value.keys, value.values, strict=True):
            key = _literal(key_node) if key_node is not None else None
            if key is None or not key.strip():
                self.problem(
                    "error",
                    f"{name} has a key that is not a non-empty string "
                    "literal; that entry is not imported",
                    item.lineno,
                )
                continue
            rel = f"{folder}/{safe_stem(key, module_type)}.py"
            self.module(f"{name}[{key!r}]", item, module_type, rel)


# Chat output copied with its Markdown fence: ```python ... ```
_FENCE = re.compile(r"^```[ \t]*(?:python|py|python3)?[ \t]*\r?\n(.*?)^```[ \t]*$", re.S | re.M)


def _parse(text: str, path: str, reader: _Reader) -> ast.Module:
    try:
        try:
            return ast.parse(text, filename=path)
        except SyntaxError:
            fence = _FENCE.search(text)
            if fence is None:
                raise
            tree = ast.parse(fence.group(1), filename=path)
            offset = text.count("\n", 0, fence.start(1))
            ast.increment_lineno(tree, offset)
            reader.problem(
                "warning",
                "read the Python code block inside the Markdown fence "
                f"at line {offset}; the text around it was skipped",
                offset,
            )
            return tree
    except SyntaxError as exc:
        raise BundleError(
            f"{path} is not valid Python (line {exc.lineno}: {exc.msg}); "
            "copy the whole bundle from the chat again"
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:  # null bytes, absurd nesting
        raise BundleError(
            f"{path} cannot be parsed ({type(exc).__name__}); it is not a bundle stato can read"
        ) from None


def parse_bundle(data: str | bytes, path: str = "stato_bundle.py") -> Bundle:
    """The modules a bundle carries, and what in it was refused or ignored.

    Raises BundleError when the file is not a readable Python file or carries no module.
    """
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError(
            f"{path} is larger than {MAX_BUNDLE_BYTES // 2**20} MiB; "
            "a bundle holds a few text modules"
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BundleError(
                f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start}); "
                "save the bundle as UTF-8"
            ) from None
    reader = _Reader()
    tree = _parse(data, path, reader)
    for index, node in enumerate(tree.body):
        reader.statement(node, index)
    if not reader.entries and not reader.problems:
        raise BundleError(
            f"{path} carries no module; expected {', '.join(KNOWN)} "
            "variables holding module sources"
        )
    return Bundle(path, tuple(reader.entries.values()), tuple(reader.problems))
