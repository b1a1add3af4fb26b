"""A SKILL.md converted in and exported again keeps its body: the real-world SKILL.md files of
../shared/corpora/instructions/skill/ (read in place), each through `convert` then
`bridge --platform skills`, and the export checked by the Agent Skills validator."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from stato.adapters.gate import accepting
from stato.core.privacy import INJECTION_RULES
from stato.ops.bridge import write_bridges
from stato.ops.convert import convert_files
from tests.convert_corpus import corpus_dir, entries, norm

ROOT = corpus_dir()
SKILLS = [e for e in entries(ROOT) if e.kind == "skill"] if ROOT is not None else []
ALL_RULES = tuple(r.id for r in INJECTION_RULES)

try:
    from skills_ref.validator import validate as agentskills_validate
except ImportError:  # pragma: no cover - skills-ref needs Python 3.11+
    agentskills_validate = None


def _body_lines(text: str) -> list[str]:
    if text.startswith("---"):
        parts = text.split("---", 2)
        text = parts[2] if len(parts) == 3 else text
    return [norm(line) for line in text.splitlines() if line.strip() and line.strip() != "---"]


def _round_trip(file: Path, work: Path, path: str) -> tuple[float, list[Path]]:
    target = work / "repo" / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(file.read_bytes())
    # The gate is not what this test measures: a real file may trip a rule it was meant to.
    with accepting(ALL_RULES):
        convert_files([target], work / "proj")
        write_bridges(work / "proj", ["skills"])
    exports = sorted((work / "proj" / ".claude" / "skills").glob("*/SKILL.md"))
    exported = "\n".join(norm(line) for f in exports for line in f.read_text("utf-8").splitlines())
    want = _body_lines(file.read_text("utf-8-sig", errors="replace"))
    kept = sum(1 for line in want if line in exported)
    return (kept / len(want) if want else 1.0), exports


@pytest.mark.skipif(not SKILLS, reason="../shared/corpora/instructions is absent")
def test_real_skill_bodies_survive_convert_and_export(tmp_path: Path) -> None:
    from stato.core.gate import high_findings

    shares, withheld = [], []
    for i, entry in enumerate(SKILLS):
        share, exports = _round_trip(entry.file, tmp_path / str(i), entry.path)
        if not exports:  # withheld from agents: only a text with a high injection finding is
            modules = (tmp_path / str(i) / "proj" / ".stato" / "skills").glob("*.py")
            assert any(high_findings(m.read_text("utf-8"), m.name) for m in modules), entry
            withheld.append(entry.file.name)
            continue
        shares.append(share)
        if agentskills_validate is not None:
            for export in exports:
                assert agentskills_validate(export.parent) == [], export
    # stato 0.1 kept a median 1.1% of a SKILL.md's body; the procedure now travels whole.
    assert statistics.median(shares) == 1.0
    assert min(shares) >= 0.9, sorted(shares)[:3]
    assert len(withheld) <= 1, withheld


def test_an_exported_skill_carries_its_procedure(tmp_path: Path) -> None:
    from stato.ops.init import init_project

    init_project(tmp_path, example=True)
    (tmp_path / ".stato/skills/steps.py").write_text(
        'class Steps:\n    """Ship a release.\n\n    1. Bump the version in pyproject.toml.\n'
        '    2. Tag it: git tag vX.Y.Z\n    3. Push the tag; CI publishes.\n    """\n\n'
        '    name = "release"\n    description = "Ship a release; use when asked to publish."\n\n'
        "    def run(self) -> None:\n        pass\n",
        "utf-8",
    )
    write_bridges(tmp_path, ["skills"])
    text = (tmp_path / ".claude/skills/release/SKILL.md").read_text("utf-8")
    assert "## Procedure" in text
    for step in ("1. Bump the version in pyproject.toml.", "2. Tag it: git tag vX.Y.Z"):
        assert step in text
