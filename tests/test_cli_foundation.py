"""init, validate, write, status, history and rollback through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from tests.conftest import entries, write

Run = Callable[..., Result]
BAD = 'class QualityControl:\n    """q"""\n    depends_on = "scanpy"\n\n    def run(self) -> None:\n        pass\n'
FIXABLE = 'class QualityControl:\n    """q"""\n    name = "qc"\n    depends_on = "scanpy"\n    version = "1.0"\n\n    def run(self) -> None:\n        pass\n'


def test_init_is_safe_twice(run: Run, tmp_path: Path) -> None:
    assert run("init").exit_code == 0
    for sub in ("skills", ".history", "prompts"):
        assert (tmp_path / ".stato" / sub).is_dir()
    # cli-guide: "Create a .statoignore file in your project root ... stato init creates a
    # .statoignore template automatically" (it was made in .stato/).
    ignore = tmp_path / ".statoignore"
    assert ignore.read_text().startswith("# .statoignore")
    assert not (tmp_path / ".stato" / ".statoignore").exists()
    ignore.write_text("mine\n")
    again = run("init", "--example")
    assert again.exit_code == 0 and ignore.read_text() == "mine\n"
    qc = tmp_path / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text() + "# my edit\n")
    run("init", "--example")
    assert qc.read_text().endswith("# my edit\n")


def test_init_adds_no_statoignore_beside_one_in_stato(run: Run, tmp_path: Path) -> None:
    (tmp_path / ".stato").mkdir()
    (tmp_path / ".stato" / ".statoignore").write_text("older projects keep theirs\n")
    assert run("init").exit_code == 0
    assert not (tmp_path / ".statoignore").exists()


def test_example_validates_cleanly(run: Run, example: Path) -> None:
    result = run("validate", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.output)
    assert doc["valid"] is True and len(doc["modules"]) == 6
    assert {m["type"] for m in doc["modules"]} == {"skill", "plan", "memory", "context"}
    assert not [d for m in doc["modules"] for d in m["diagnostics"] if d["severity"] != "advice"]


def test_validate_json_shape_and_exit_code(run: Run, example: Path) -> None:
    write(example / ".stato" / "skills" / "bad.py", BAD)
    result = run("validate", "--json")
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert set(doc) == {"valid", "modules"} and doc["valid"] is False
    bad = next(m for m in doc["modules"] if m["path"].endswith("bad.py"))
    assert set(bad) == {"path", "type", "class_name", "valid", "diagnostics"}
    assert bad["valid"] is False and bad["class_name"] == "QualityControl"
    e003 = next(d for d in bad["diagnostics"] if d["code"] == "E003")
    assert (
        set(e003) == {"code", "severity", "line", "message", "fixed"}
        and e003["severity"] == "error"
    )


def test_validate_writes_fixes_with_backup_and_check_writes_nothing(
    run: Run, example: Path
) -> None:
    mod = write(example / ".stato" / "skills" / "fix.py", FIXABLE)
    checked = run("validate", "--check", str(mod))
    assert checked.exit_code == 0 and mod.read_text() == FIXABLE
    assert not (example / ".stato" / ".history" / "skills").exists()
    fixed = run("validate", str(mod))
    assert fixed.exit_code == 0
    assert "W001" in fixed.output and "auto-fixed" in fixed.output
    assert 'depends_on = ["scanpy"]' in mod.read_text() and 'version = "1.0.0"' in mod.read_text()
    (backup,) = (example / ".stato" / ".history" / "skills").glob("fix.*.py")
    assert backup.read_text() == FIXABLE
    again = run("validate", str(mod))
    assert "W001" not in again.output


def test_validate_prints_what_cli_guide_shows(run: Run, tmp_path: Path) -> None:
    # cli-guide: `stato validate .stato/skills/qc.py` prints
    #   PASS qc.py (skill)
    #   W001 depends_on is string, auto-wrapping in list (auto-fixed)
    #   W003 Version missing patch number, auto-fixing: '1.0' -> '1.0.0' (auto-fixed)
    #   I003 No lessons_learned on skill
    #   All 1 module(s) valid.
    # (It printed `PASS .stato/skills/qc.py` and `W001 line 5: depends_on ...`.)
    assert run("init").exit_code == 0
    write(tmp_path / ".stato" / "skills" / "qc.py", FIXABLE)
    out = run("validate", ".stato/skills/qc.py").output.splitlines()
    assert out[0] == "PASS qc.py (skill)"
    assert out[1].startswith("  W001 depends_on is string, auto-wrapping in list (auto-fixed)")
    assert out[2].startswith(
        "  W003 Version missing patch number, auto-fixing: '1.0' -> '1.0.0' (auto-fixed)"
    )
    assert out[3].startswith("  I003 No lessons_learned on skill")
    assert out[-1] == "All 1 module(s) valid."
    # A folder names each module by its path inside it, as `stato status` does.
    folder = run("validate", ".stato/").output.splitlines()
    assert folder[0] == "PASS skills/qc.py (skill)"
    assert run("validate").output.splitlines()[0] == "PASS skills/qc.py (skill)"


def test_validate_strict_and_suppress(run: Run, example: Path) -> None:
    mod = write(example / ".stato" / "skills" / "fix.py", FIXABLE)
    assert run("validate", "--check", "--strict", str(mod)).exit_code == 1
    result = run("validate", "--check", "--suppress", "I003", "--json", str(mod))
    assert "I003" not in {d["code"] for d in json.loads(result.output)["modules"][0]["diagnostics"]}
    assert run("validate", "--suppress", "NOPE", str(mod)).exit_code == 2


def test_validate_refuses_to_suppress_an_e_code(run: Run, example: Path) -> None:
    # error-codes.txt: E-codes block the write. --suppress E004 hid the error, passed the
    # module and wrote its W-fixes.
    mod = write(
        example / ".stato" / "skills" / "bad.py",
        BAD.replace("depends_on", "name = 'b'\n    depends_on").replace("def run", "def walk"),
    )
    before = entries(example)
    for codes in (["E004"], ["e004"], ["I003", "E011"]):
        args = [a for c in codes for a in ("--suppress", c)]
        refused = run("validate", *args, str(mod))
        assert refused.exit_code == 2, refused.output
        assert refused.stderr.startswith("error: --suppress ") and refused.stderr.count("\n") == 1
        assert entries(example) == before
    kept = run(
        "validate", "--check", "--json", "--suppress", "W001", "--suppress", "I003", str(mod)
    )
    assert kept.exit_code == 1  # the E004 still fails the module
    codes = {d["code"] for d in json.loads(kept.output)["modules"][0]["diagnostics"]}
    assert "E004" in codes and not codes & {"W001", "I003"}


def test_a_module_of_the_wrong_kind_for_its_place_is_invalid_everywhere(
    run: Run, example: Path
) -> None:
    # A skill class hand-edited into plan.py validated as a skill; only `stato write` compiled
    # plan.py as the plan. Every reader now compiles it as its place demands: E003.
    stato = example / ".stato"
    skill = (stato / "skills" / "qc.py").read_text().replace("qc_filtering", "stray_skill")
    (stato / "plan.py").write_text(skill, encoding="utf-8")
    checked = run("validate", "--check", "--json")
    assert checked.exit_code == 1
    (plan,) = [m for m in json.loads(checked.output)["modules"] if m["path"].endswith("plan.py")]
    assert plan["type"] == "plan" and not plan["valid"]
    assert {d["code"] for d in plan["diagnostics"] if d["severity"] == "error"} == {"E003"}
    assert run("validate", "--check", ".stato/plan.py").exit_code == 1  # the file alone too
    status = json.loads(run("status", "--json").output)
    (row,) = [m for m in status["modules"] if m["path"] == "plan.py"]
    assert row["type"] == "plan" and row["valid"] is False
    assert run("bridge", "--platform", "codex").exit_code == 0
    assert "stray_skill" not in (example / "AGENTS.md").read_text()
    assert run("snapshot", "--name", "x").exit_code == 1
    assert not (example / "x.stato").exists()
    # --type still overrides the place (spec README, ruling 5).
    assert run("validate", "--check", "--type", "skill", ".stato/plan.py").exit_code == 0


def test_validate_type_override(run: Run, tmp_path: Path) -> None:
    mod = write(
        tmp_path / "thing.py", 'class Thing:\n    """t"""\n    phase = "x"\n    project = "p"\n'
    )
    doc = json.loads(run("validate", "--check", "--json", "--type", "context", str(mod)).output)
    assert doc["modules"][0]["type"] == "context"
    assert any(d["code"] == "E003" for d in doc["modules"][0]["diagnostics"])


def test_one_bad_file_does_not_stop_the_others(run: Run, example: Path) -> None:
    (example / ".stato" / "skills" / "blob.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (example / ".stato" / "skills" / "latin.py").write_bytes(b"class A:\n    name = '\xe9'\n")
    (example / ".stato" / "skills" / "empty.py").write_bytes(b"")
    result = run("validate", "--json")
    doc = json.loads(result.output)
    by = {Path(m["path"]).name: m for m in doc["modules"]}
    assert by["blob.py"]["diagnostics"][0]["code"] == "E001"
    assert by["latin.py"]["diagnostics"][0]["code"] == "E001"
    assert by["empty.py"]["diagnostics"][0]["code"] == "E002"
    assert by["qc.py"]["valid"] is True
    assert run("status").exit_code == 0


def test_duplicate_skill_names_are_an_error(run: Run, example: Path) -> None:
    src = (example / ".stato" / "skills" / "qc.py").read_text()
    write(example / ".stato" / "skills" / "qc_copy.py", src)
    doc = json.loads(run("validate", "--json").output)
    e011 = [m for m in doc["modules"] if any(d["code"] == "E011" for d in m["diagnostics"])]
    assert len(e011) == 2


def test_write_gate_through_the_cli(run: Run, example: Path) -> None:
    target = example / ".stato" / "skills" / "new.py"
    refused = run("write", "skills/new.py", input=BAD)
    assert refused.exit_code == 1 and "E003" in refused.output and not target.exists()
    ok = run("write", "skills/new.py", input=FIXABLE)
    assert ok.exit_code == 0 and 'depends_on = ["scanpy"]' in target.read_text()
    assert run("write", "../outside.py", input=FIXABLE).exit_code == 2


def test_write_creates_only_paths_that_snapshot_and_import_accept(run: Run, example: Path) -> None:
    # `stato write` (and the MCP write_module tool) made skills/CON.py or "skills/a b.py",
    # which every later snapshot then refused
    before = sorted(p.name for p in (example / ".stato" / "skills").iterdir())
    for target in ("skills/CON.py", "skills/a b.py", "skills/.hidden.py", "skills/\u00e9.py"):
        refused = run("write", target, input=FIXABLE)
        assert refused.exit_code == 2, target
        assert refused.stderr.startswith(f"error: cannot create .stato/{target}: ")
        assert refused.stderr.count("\n") == 1
    assert sorted(p.name for p in (example / ".stato" / "skills").iterdir()) == before
    assert run("write", "skills/new_one", input=FIXABLE).exit_code == 0
    assert run("snapshot", "--name", "after-write").exit_code == 0


def test_history_and_rollback(run: Run, example: Path) -> None:
    qc = example / ".stato" / "skills" / "qc.py"
    original = qc.read_text()
    run("write", "skills/qc.py", input=original.replace("1.2.0", "1.3.0"))
    listing = run("history", "skills/qc.py", "--json")
    assert len(json.loads(listing.output)["backups"]) == 1
    assert run("rollback", "skills/qc.py").exit_code == 0
    assert qc.read_text() == original
    assert run("rollback", "skills/nothing.py").exit_code == 1


def test_rollback_refuses_a_skill_whose_name_another_skill_took_since(
    run: Run, example: Path
) -> None:
    skills = example / ".stato" / "skills"
    normalize, clustering = skills / "normalize.py", skills / "clustering.py"
    renamed = normalize.read_text().replace('name = "normalize"', 'name = "norm2"')
    assert run("write", "skills/normalize.py", input=renamed).exit_code == 0
    taken = clustering.read_text().replace('name = "clustering"', 'name = "normalize"')
    assert run("write", "skills/clustering.py", input=taken).exit_code == 0
    before = entries(example)
    refused = run("rollback", "skills/normalize.py")  # its backup is named "normalize"
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: ") and refused.stderr.count("\n") == 1
    assert "E011" in refused.stderr and "skills/clustering.py" in refused.stderr
    assert entries(example) == before  # nothing restored, nothing backed up
    assert run("validate", "--check").exit_code == 0
    # Once the other skill gives the name back, the same rollback goes through.
    assert run("rollback", "skills/clustering.py").exit_code == 0
    assert run("rollback", "skills/normalize.py").exit_code == 0
    assert 'name = "normalize"' in normalize.read_text()
    assert run("validate", "--check").exit_code == 0


def test_status_shows_modules_and_plan(run: Run, example: Path) -> None:
    result = run("status")
    assert result.exit_code == 0
    assert "qc.py" in result.output and "3/7" in result.output
    assert "Step 4 -- find_hvg (running)" in result.output
    doc = json.loads(run("status", "--json").output)
    assert doc["plan"]["done"] == 3 and doc["plan"]["current"]["id"] == 4


def test_no_project_is_one_clear_line(run: Run) -> None:
    result = run("status")
    assert result.exit_code == 1
    assert result.output.strip().startswith("error: no .stato/ project")
    assert "Traceback" not in result.output


def test_real_subprocess_version_and_errors(tmp_path: Path) -> None:
    ver = subprocess.run(
        [sys.executable, "-m", "stato", "--version"], capture_output=True, text=True
    )
    assert ver.returncode == 0 and "stato" in ver.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "stato", "status"], capture_output=True, text=True, cwd=tmp_path
    )
    assert (
        bad.returncode == 1 and bad.stderr.startswith("error: ") and "Traceback" not in bad.stderr
    )
    usage = subprocess.run(
        [sys.executable, "-m", "stato", "validate", "--bogus"], capture_output=True, text=True
    )
    assert usage.returncode == 2


def test_init_mcp_registers_the_server(run: Run, tmp_path: Path) -> None:
    assert run("init", "--mcp", "--example").exit_code == 0
    config = json.loads((tmp_path / ".mcp.json").read_text())
    assert config["mcpServers"]["stato"]["args"] == ["mcp"]
    assert (tmp_path / ".stato" / "skills" / "qc.py").exists()
    assert run("init", "--path", "other", "--mcp", "nope").exit_code == 2
    assert not (tmp_path / "other").exists()


def test_cli_conflict_choices_are_the_ops_policies() -> None:
    from stato.cli.options import CONFLICT_POLICIES
    from stato.ops.conflicts import POLICIES

    assert tuple(CONFLICT_POLICIES) == tuple(POLICIES)
