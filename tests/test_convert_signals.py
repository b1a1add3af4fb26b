"""The converter's tables: every signal and every installer row fires on its own example, and
the classifier files sections where a reader would."""

from __future__ import annotations

import pytest

from stato.formats.deps import INSTALLERS, Installer, dependencies, installed, package_name
from stato.formats.markdown import parse_markdown
from stato.formats.signals import SIGNALS, Kind, Signal, _matches, classify, features


@pytest.mark.parametrize("signal", SIGNALS, ids=lambda s: s.id)
def test_every_signal_fires_on_its_example(signal: Signal) -> None:
    assert signal.example, f"{signal.id} has no example"
    (section,) = parse_markdown(signal.example).sections
    assert _matches(signal, features(section)), signal


def test_signal_ids_are_unique() -> None:
    assert len({s.id for s in SIGNALS}) == len(SIGNALS)


@pytest.mark.parametrize("row", INSTALLERS, ids=lambda r: r.id)
def test_every_installer_names_the_package_of_its_example(row: Installer) -> None:
    assert installed(row.example) == ["pkg"]
    assert row.command.search(row.example)


INSTRUCTION: tuple[Kind, ...] = ("rule", "procedure", "task", "issue", "phase", "lesson")


@pytest.mark.parametrize(
    ("markdown", "kind"),
    [
        ("## TODO\n\n- Ship it\n", "task"),
        ("## Next steps\n\n- Ship it\n", "task"),
        ("## Remaining tasks\n\n- [ ] Ship it\n", "task"),
        ("## Tasks\n\n- [ ] Ship it\n", "task"),
        ("## Roadmap\n\n- [ ] v2\n- [x] v1\n", "task"),
        ("## Tasks\n\n- Agents may refactor freely\n", "rule"),  # no boxes: not open work
        ("## Roadmap\n\n- Plugins in v2\n", "rule"),
        ("## Task Status Updates\n\n- Set to doing first\n", "rule"),
        ("## Running tasks with Celery\n\n- Tasks must be idempotent\n", "rule"),
        ("## Review checklist\n\n- [ ] Tests pass\n- [ ] Docs\n", "rule"),
        ("## Important notes\n\n1. Never push to main\n", "rule"),
        ("## Code style\n\n1. Tabs\n2. No semicolons\n", "rule"),
        ("## Add a new widget\n\n1. Create it\n2. Register it\n", "procedure"),
        ("## How to release\n\nTag and push.\n", "procedure"),
        ("## Gotchas\n\n- Webhooks arrive out of order\n", "lesson"),
        ("## Known issues\n\n- CSV export drops emoji\n", "issue"),
        ("## Status\n\nBeta.\n", "phase"),
        ("## HTTP status codes\n\n- 429 means retry later\n", "rule"),
    ],
)
def test_sections_are_filed_where_a_reader_would(markdown: str, kind: str) -> None:
    (section,) = parse_markdown(markdown).sections
    assert classify(section, INSTRUCTION)[0] == kind


@pytest.mark.parametrize(
    ("token", "name"),
    [
        ("pandas>=2", "pandas"),
        ("'torch[cuda]==2.1'", "torch"),
        ('"fastapi[all]"', "fastapi"),
        ("ANTHROPIC_API_KEY", ""),
        ("src/config.py", ""),
        ("@scope/pkg@1.2.3", "@scope/pkg"),
        ("github.com/spf13/cobra@latest", "github.com/spf13/cobra"),
        ("-r", ""),
        (".", ""),
        ("requirements.txt", ""),
        ("<package>", ""),
        ("$PKG", ""),
        ("https://x.org/a.whl", ""),
    ],
)
def test_package_names_from_install_arguments(token: str, name: str) -> None:
    assert package_name(token) == name


def test_dependencies_only_from_install_commands_and_package_lists() -> None:
    doc = parse_markdown(
        "# S\n\n## Requirements\n\n- Use Python 3.11 or newer\n- Every input must be UTF-8\n"
        "- `pdfplumber`\n- poppler-utils (for `pdftotext`)\n\n"
        "## Setup\n\n```bash\npip install -r requirements.txt\nuv add httpx 'rich>=13'\n"
        "npm install -g @anthropic-ai/claude-code && cargo install --path .\n```\n\n"
        "Run `pip install -e .` for development.\n"
    )
    assert dependencies(doc) == [
        "pdfplumber",
        "poppler-utils",
        "httpx",
        "rich",
        "@anthropic-ai/claude-code",
    ]
