"""`stato inspect`: metadata and a module table, compiled statically, never extracted."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from stato.adapters.archive import write_archive
from stato.formats.manifest import Manifest, ModuleEntry

Run = Callable[..., Result]


def test_inspect_text_and_json(example: Path, run: Run) -> None:
    res = run("snapshot", "--name", "ex", "--template", "--type", "skill", "--force")
    assert res.exit_code == 0
    before = sorted(p for p in example.rglob("*"))
    res = run("inspect", "ex.stato")
    assert res.exit_code == 0, res.output
    for needle in ("name: ex", "template: true", "partial: true", "skills/qc.py", "1.2.0", "valid"):
        assert needle in res.output
    data = json.loads(run("inspect", "ex.stato", "--json").output)
    assert (data["name"], data["template"], data["partial"]) == ("ex", True, True)
    assert [m["path"] for m in data["modules"]] == [
        "skills/clustering.py",
        "skills/normalize.py",
        "skills/qc.py",
    ]
    assert all(m["valid"] and m["type"] == "skill" for m in data["modules"])
    assert sorted(p for p in example.rglob("*")) == before  # nothing extracted


def test_inspect_flags_invalid_module(tmp_path: Path, run: Run) -> None:
    text = 'class Broken:\n    name = "b"\n    x = undefined_name\n\n'
    text += "    def run(self):\n        pass\n"
    lying = 'class NotAPlan:\n    """A skill dressed as a plan."""\n    name = "n"\n'
    modules = {"skills/broken.py": text, "plan.py": lying}
    entries = (
        ModuleEntry.for_text("plan.py", lying, "plan", "NotAPlan"),
        ModuleEntry.for_text("skills/broken.py", text, "skill", "Broken"),
    )
    manifest = Manifest("b", "2026-01-01T00:00:00Z", "0.1.0", modules=entries)
    write_archive(tmp_path / "b.stato", manifest, modules)
    res = run("inspect", "b.stato")
    assert res.exit_code == 1
    assert "E005" in res.output and "E003" in res.output  # the plan lacks objective and steps
    data = json.loads(run("inspect", "b.stato", "--json").output)
    assert [m["valid"] for m in data["modules"]] == [False, False]
