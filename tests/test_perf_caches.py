"""The result cache in merge and scan changes no answer: cold, warm and with STATO_NO_CACHE=1
give the same report and the same bytes, and a poisoned text is refused or reported every time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.archive import write_archive
from stato.cli import cli
from stato.core.compiler import compile_source
from stato.core.privacy import scan_injection
from stato.formats.manifest import Manifest, ModuleEntry
from stato.ops.scan import scan_paths
from tests.test_gate import POISONED

DATA = Path(__file__).parent / "data" / "merge"
QC_L = (DATA / "qc_left.py").read_text()
QC_R = (DATA / "qc_right.py").read_text()
PLAN_L = (DATA / "plan_left.py").read_text()
MEMORY = (DATA / "memory.py").read_text()


def archive(path: Path, modules: dict[str, str], name: str) -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        assert r.module_type and r.class_name
        entries.append(ModuleEntry.for_text(rel, text, r.module_type, r.class_name))
    manifest = Manifest(name, "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries))
    write_archive(path, manifest, modules)
    return path


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def merged(a: Path, b: Path, out: Path) -> tuple[dict[str, object], bytes]:
    code, text = run("merge", a, b, "-o", out, "--json")
    assert code == 0, text
    report = json.loads(text)
    report.pop("backup", None)
    return report, out.read_bytes()


def test_merge_is_the_same_cold_warm_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = archive(tmp_path / "a.stato", {"skills/qc.py": QC_L, "plan.py": PLAN_L}, "alpha")
    b = archive(tmp_path / "b.stato", {"skills/qc.py": QC_R, "memory.py": MEMORY}, "beta")
    out = tmp_path / "out" / "m.stato"
    out.parent.mkdir()
    cold = merged(a, b, out)
    warm = merged(a, b, out)
    monkeypatch.setenv("STATO_NO_CACHE", "1")
    assert warm == cold == merged(a, b, out)
    assert cold[0]["conflicts"]  # the pair conflicts: the cached path saw real work


def test_a_poisoned_side_is_refused_on_every_run(tmp_path: Path) -> None:
    good = archive(tmp_path / "good.stato", {"skills/qc.py": QC_L}, "good")
    bad = archive(tmp_path / "bad.stato", {"skills/evilqc.py": POISONED}, "bad")
    out = tmp_path / "m.stato"
    rules = {f.pattern for f in scan_injection(POISONED, "x.py") if f.severity == "high"}
    accept = [arg for rule in sorted(rules) for arg in ("--accept-risk", rule)]
    for _ in range(2):
        code, text = run("merge", good, bad, "-o", out)
        assert code != 0 and "refusing to merge" in text and not out.exists()
    code, text = run("merge", *accept, good, bad, "-o", out)
    assert code == 0, text
    out.unlink()
    code, text = run("merge", good, bad, "-o", out)  # accepting once never marks the text clean
    assert code != 0 and "refusing to merge" in text and not out.exists()


def test_scan_is_the_same_cold_warm_and_without_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "qc.py").write_text(QC_L)
    (folder / "evil.py").write_text(POISONED)
    (folder / "notes.md").write_text(
        "token ghp_Zq8rT2mW9xL4kP7vB3nY6cH1jF5sD0aE8gUu, ask dr.weber@charite.de\n"
    )
    cold = scan_paths([folder], tmp_path).to_dict()
    warm = scan_paths([folder], tmp_path).to_dict()
    monkeypatch.setenv("STATO_NO_CACHE", "1")
    assert cold == warm == scan_paths([folder], tmp_path).to_dict()
    kinds = {f["path"]: f for f in cold["findings"]}
    assert "notes/evil.py" in kinds and "notes/notes.md" in kinds
