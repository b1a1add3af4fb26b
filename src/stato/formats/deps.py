"""Dependencies a converted skill names: packages from install commands and requirement lists.

Only two places say "this needs that": a command that installs it (a row of ``INSTALLERS``) and
a requirements list whose items are package names alone. The first word of a sentence under a
"Requirements" heading is never one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from stato.formats.markdown import Document, Section


@dataclass(frozen=True)
class Installer:
    """A command that installs packages named after it (``pip install NAME ...``)."""

    id: str
    command: re.Pattern[str]
    example: str = ""  # a command line naming "pkg" (a test walks the table with them)


def _cmd(words: str) -> re.Pattern[str]:
    return re.compile(r"(?:^|&&|;|\|\||\$ )\s*(?:sudo\s+)?" + words + r"\s+(?P<args>[^;&|#\n]*)")


INSTALLERS: tuple[Installer, ...] = (
    Installer("pip", _cmd(r"(?:python3? -m )?pip3? install"), "pip install pkg"),
    Installer("uv", _cmd(r"uv (?:add|pip install)"), "uv add pkg"),
    Installer("pipx", _cmd(r"pipx install"), "pipx install pkg"),
    Installer("poetry", _cmd(r"poetry add"), "poetry add pkg"),
    Installer(
        "conda", _cmd(r"(?:conda|mamba|micromamba) install"), "conda install -c conda-forge pkg"
    ),
    Installer("npm", _cmd(r"npm (?:install|i|add)"), "npm install --save-dev pkg"),
    Installer("yarn", _cmd(r"yarn (?:global )?add"), "yarn add pkg"),
    Installer("pnpm", _cmd(r"pnpm (?:add|install|i)"), "pnpm add -D pkg"),
    Installer("bun", _cmd(r"bun (?:add|install|i)"), "bun add pkg"),
    Installer("cargo", _cmd(r"cargo (?:add|install)"), "cargo add pkg"),
    Installer("go", _cmd(r"go (?:get|install)"), "go get pkg"),
    Installer("gem", _cmd(r"gem install"), "gem install pkg"),
    Installer("brew", _cmd(r"brew install"), "brew install pkg"),
)
# A package name as registries spell them: "numpy", "@scope/pkg", "github.com/x/y", "torch[cuda]".
PACKAGE = re.compile(r"@?[A-Za-z0-9][\w.-]*(/[\w.-]+)*(\[[\w,-]+\])?")
_VERSION = re.compile(r"(\[[\w,-]+\])?\s*(==|>=|<=|~=|!=|>|<|@[\w.^~*-]+$).*\Z")
# What a file name ends with, so a path is never taken for a package.
_FILES = (
    ".txt",
    ".toml",
    ".whl",
    ".gz",
    ".py",
    ".js",
    ".ts",
    ".md",
    ".json",
    ".yaml",
    ".yml",
    ".sh",
)
_NOT_NAMES = {"install", "add", "sudo", "upgrade", "update", "latest"}
_DEP_HEADING = re.compile(r"\b(requirements|dependencies|prerequisites|depends on)\b", re.I)
_ALONE = re.compile(r"\A`?([^`\s]+)`?\s*(?:[\u2014:(-].*)?\Z")


def package_name(token: str) -> str:
    """The name in an install argument ("pandas>=2" -> "pandas", "@x/y@1" -> "@x/y"), or ""."""
    token = token.strip().strip("'\"`")
    if not token or token.startswith(("-", ".", "/", "~", "$")) or "://" in token:
        return ""
    name = re.sub(r"\[[\w,-]*\]", "", _VERSION.sub("", token))  # "fastapi[all]": fastapi
    if token.startswith("@") and token.count("@") > 1:
        name = "@" + token[1:].split("@")[0]
    plausible = PACKAGE.fullmatch(name) and not name.lower().endswith(_FILES)
    env = re.fullmatch(r"[A-Z0-9_]+", name) and "_" in name  # ANTHROPIC_API_KEY
    return name if plausible and not env and name.lower() not in _NOT_NAMES else ""


def installed(code: str) -> list[str]:
    """The packages the install commands in ``code`` name."""
    names: list[str] = []
    for line in code.replace("\\\n", " ").splitlines():
        for installer in INSTALLERS:
            for found in installer.command.finditer(line.strip()):
                args = found.group("args").split()
                skip = False  # the value of "-r FILE", "--index-url URL"
                for arg in args:
                    if skip:
                        skip = False
                        continue
                    if arg in ("-r", "-c", "-e", "--requirement", "--index-url", "-i", "--target"):
                        skip = True
                        continue
                    if name := package_name(arg):
                        names.append(name)
    return names


def _requirement_items(section: Section) -> list[str]:
    """Items of a requirements list that are a package name alone ("`pdfplumber`",
    "numpy - arrays"): a sentence's first word is not a dependency."""
    if not any(_DEP_HEADING.search(t) for t in section.path):
        return []
    out = []
    for block in section.blocks:
        parts = [p.strip().strip("`") for p in block.text.split(",")]
        if block.kind == "paragraph" and all(map(package_name, parts)) and block.text[:1].islower():
            out += parts  # "scanpy, anndata": the line `stato bridge` writes under "Depends on"
            continue
        alone = _ALONE.match(block.text) if block.kind == "bullet" else None
        word = alone.group(1) if alone else ""
        code = block.text.startswith("`")
        # A bare word must look like a package name: lower case ("poppler-utils (for ...)").
        plausible = code or re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", word)
        if word and plausible and (name := package_name(word)):
            out.append(name)
    return out


def dependencies(doc: Document, sections: list[Section] | None = None) -> list[str]:
    """Packages named by install commands and requirement lists in ``sections`` (default: all)."""
    names: list[str] = []
    for section in doc.sections if sections is None else sections:
        names += _requirement_items(section)
        for block in section.blocks:
            if block.kind == "code" and block.info.lower() in ("requirements", "requirements.txt"):
                names += [n for n in map(package_name, block.text.splitlines()) if n]
            elif block.kind in ("code", "bullet", "paragraph"):
                names += installed(block.text.replace("`", "\n"))
    return list(dict.fromkeys(names))
