"""stato diff: field-level changes of modules, module sets and archives; diff-style exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.archive import write_archive
from stato.adapters.store import Store
from stato.cli import cli, main
from stato.core.compiler import compile_source
from stato.core.diff import Code, diff_modules, diff_sets
from stato.formats.manifest import Manifest, ModuleEntry

DATA = Path(__file__).parent / "data" / "merge"
QC_L, QC_R, PLAN_L, PLAN_R, MEMORY, CONTEXT = (
    (DATA / f"{n}.py").read_text()
    for n in ("qc_left", "qc_right", "plan_left", "plan_right", "memory", "context")
)


def make_archive(path: Path, modules: dict[str, str]) -> Path:
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        assert r.module_type and r.class_name
        entries.append(ModuleEntry.for_text(rel, text, r.module_type, r.class_name))
    write_archive(
        path, Manifest("a", "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries)), modules
    )
    return path


def run(*args: str | Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def run_main(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Through cli.main, the one error boundary, in-process."""
    with pytest.raises(SystemExit) as exc:
        main([str(a) for a in args])
    captured = capsys.readouterr()
    return int(exc.value.code or 0), captured.out, captured.err


def test_module_diff_lists_added_removed_and_changed_fields_with_both_values() -> None:
    d = diff_modules(QC_L, QC_R, "skills/qc.py")
    got = {c.field: (c.kind, c.old, c.new) for c in d.changes}
    assert got["version"] == ("changed", "1.0.0", "1.1.0")
    assert got["depends_on"] == ("changed", ["normalize"], ["normalize", "load"])
    assert got["tags"] == ("removed", ["qc"], None)
    assert got["extra"] == ("added", None, 5)
    assert got["helper()"][0] == "added"
    assert set(got) == {
        "version",
        "depends_on",
        "default_params",
        "lessons_learned",
        "tags",
        "extra",
        "helper()",
    }
    assert not d.same and diff_modules(QC_L, QC_L).same


def test_equal_values_of_different_types_are_a_change() -> None:
    a = MEMORY.replace('tasks = ["a"]', "count = 1")
    b = MEMORY.replace('tasks = ["a"]', "count = True")
    assert [(c.field, c.old, c.new) for c in diff_modules(a, b).changes] == [("count", 1, True)]


def test_comment_only_change_is_still_a_change() -> None:
    d = diff_modules(MEMORY, "# note\n" + MEMORY)
    assert [c.field for c in d.changes] == ["source"]


def test_unevaluable_fields_compare_by_source_text_and_are_not_run() -> None:
    a = MEMORY + "    probe = __import__('os').getcwd()\n"
    b = MEMORY + "    probe = __import__('os').getpid()\n"
    (change,) = diff_modules(a, b).changes
    assert change.field == "probe" and isinstance(change.old, Code)
    assert "getcwd" in change.old.text and "getpid" in change.new.text


def test_unparsable_side_falls_back_to_the_text() -> None:
    d = diff_modules(MEMORY, "class (:\n")
    assert [(c.field, c.kind) for c in d.changes] == [("source", "changed")]


def test_set_diff_names_added_removed_changed_modules() -> None:
    old = {"plan.py": PLAN_L, "memory.py": MEMORY, "skills/qc.py": QC_L}
    new = {"plan.py": PLAN_R, "context.py": CONTEXT, "skills/qc.py": QC_L}
    d = diff_sets(old, new)
    assert d.added == ("context.py",) and d.removed == ("memory.py",)
    assert [m.path for m in d.changed] == ["plan.py"] and d.unchanged == ("skills/qc.py",)
    assert [c.field for c in d.changed[0].changes] == ["steps"]
    assert diff_sets(old, old).same


def test_cli_two_files(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(QC_L)
    (tmp_path / "b.py").write_text(QC_R)
    code, out = run("diff", tmp_path / "a.py", tmp_path / "b.py")
    assert code == 0  # shown, as `git diff`; --exit-code makes differences exit 1
    assert "~ version: '1.0.0' -> '1.1.0'" in out and "+ 'load'" in out and "- tags" in out
    assert "+    - c" in out  # lessons_learned shown line by line
    code, out = run("diff", tmp_path / "a.py", tmp_path / "a.py")
    assert code == 0 and "No differences" in out
    code, out = run("diff", tmp_path / "a.py", tmp_path / "b.py", "--brief", "--exit-code")
    assert code == 1 and "~version" in out and "1.0.0" not in out
    assert run("diff", tmp_path / "a.py", tmp_path / "a.py", "--exit-code")[0] == 0


def test_cli_two_modules_named_inside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # cli-guide: `stato diff skills/qc_v1.py skills/qc_v2.py`, paths inside .stato/ as in the
    # one-argument form (they were "no file at skills/qc_v1.py").
    skills = tmp_path / ".stato" / "skills"
    skills.mkdir(parents=True)
    (skills / "qc_v1.py").write_text(QC_L)
    (skills / "qc_v2.py").write_text(QC_R)
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")  # any folder inside the project
    code, out = run("diff", "skills/qc_v1.py", "skills/qc_v2.py")
    assert code == 0 and "~ version: '1.0.0' -> '1.1.0'" in out, out
    code, out = run("diff", ".stato/skills/qc_v1.py", "skills/qc_v1.py", "--brief")
    assert code == 0 and "No differences" in out
    monkeypatch.chdir(tmp_path)
    code, out = run("diff", "skills/qc_v1.py", "skills/qc_v2.py", "--path", tmp_path, "--json")
    assert code == 0 and json.loads(out)["old"] == str(skills / "qc_v1.py")
    (tmp_path / "skills").mkdir()  # a file at the path as given wins
    (tmp_path / "skills" / "qc_v1.py").write_text(QC_R)
    code, out = run("diff", "skills/qc_v1.py", "skills/qc_v2.py")
    assert code == 0 and "No differences" in out, out


def test_cli_two_archives_json(tmp_path: Path) -> None:
    a = make_archive(tmp_path / "v1.stato", {"plan.py": PLAN_L, "memory.py": MEMORY})
    b = make_archive(tmp_path / "v2.stato", {"plan.py": PLAN_R, "context.py": CONTEXT})
    code, out = run("diff", a, b, "--json", "--exit-code")
    assert code == 1
    data = json.loads(out)
    assert data["kind"] == "archives" and data["same"] is False
    assert data["added"] == ["context.py"] and data["removed"] == ["memory.py"]
    assert [m["path"] for m in data["changed"]] == ["plan.py"]
    code, out = run("diff", a, a, "--json")
    assert code == 0 and json.loads(out)["same"] is True
    code, out = run("diff", a, b, "--json", "--brief")
    assert json.loads(out)["changed"][0]["changes"] == [{"field": "steps", "kind": "changed"}]
    code, out = run("diff", a, b, "--brief")
    assert code == 0 and "+ context.py" in out and "- memory.py" in out and "~ plan.py" in out


def test_cli_module_against_its_last_backup(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".stato").mkdir()
    store = Store(tmp_path)
    store.save("memory.py", MEMORY)
    code, _, err = run_main(capsys, "diff", "memory.py", "--path", tmp_path)
    assert code == 1 and "has no backup" in err
    code, _, err = run_main(capsys, "diff", "skills/none.py", "--path", tmp_path)
    assert code == 1 and "no module skills/none.py" in err
    store.save("memory.py", MEMORY.replace('phase = "analysis"', 'phase = "clustering"'))
    code, out = run("diff", "memory.py", "--path", tmp_path)
    assert code == 0 and "'analysis' -> 'clustering'" in out
    code, out = run("diff", tmp_path / ".stato" / "memory.py", "--json")
    data = json.loads(out)
    assert code == 0 and data["kind"] == "backup" and data["old"].startswith(".history/")
    store.save("memory.py", MEMORY.replace('phase = "analysis"', 'phase = "clustering"') + "\n")
    code, out = run("diff", ".stato/memory.py", "--path", tmp_path, "--brief", "--exit-code")
    assert code == 1 and "source" in out


def test_cli_usage_and_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a = make_archive(tmp_path / "v1.stato", {"memory.py": MEMORY})
    (tmp_path / "m.py").write_text(MEMORY)
    assert run_main(capsys, "diff", a, tmp_path / "m.py")[0] == 2  # one archive, one module
    assert run_main(capsys, "diff", a)[0] == 2  # one archive alone
    assert run("diff")[0] == 2
    assert run("diff", "--help")[0] == 0
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "diff", str(tmp_path / "m.py"), str(tmp_path / "nope.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and proc.stderr.startswith("error: no file at")


@pytest.mark.parametrize("bad", [b"\x00\x01binary", b"\xff\xfe not utf-8"])
def test_binary_module_is_an_error_not_a_diff(tmp_path: Path, bad: bytes) -> None:
    (tmp_path / "m.py").write_text(MEMORY)
    (tmp_path / "x.py").write_bytes(bad)
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "diff", str(tmp_path / "m.py"), str(tmp_path / "x.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "is not a module" in proc.stderr


def test_cli_plan_steps_are_compared_by_id(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(PLAN_L)
    (tmp_path / "b.py").write_text(PLAN_R)
    code, out = run("diff", tmp_path / "a.py", tmp_path / "b.py")
    assert code == 0
    assert "~ step 3: status 'pending' -> 'complete'; output (absent) -> 'done'" in out
    assert "+ step 4:" in out and "~ step 1: depends_on [] -> [2]" in out


def booby_trapped(sentinel: Path, version: str) -> str:
    return (
        f"import os\nos.system('touch {sentinel}')\n"
        "class QualityControl:\n"
        '    """QC."""\n'
        '    name = "qc"\n'
        f'    version = "{version}"\n'
        f"    probe = __import__('os').system('touch {sentinel}')\n"
        "    tags = [open(__file__).read()]\n"
        "    def run(self):\n"
        f"        return open('{sentinel}', 'w')\n"
    )


def test_merge_and_diff_never_run_module_code(tmp_path: Path) -> None:
    sentinel = tmp_path / "ran"
    a = make_archive(tmp_path / "a.stato", {"skills/qc.py": booby_trapped(sentinel, "1.0.0")})
    b = make_archive(tmp_path / "b.stato", {"skills/qc.py": booby_trapped(sentinel, "2.0.0")})
    code, out = run("diff", a, b)
    assert code == 0 and "'1.0.0' -> '2.0.0'" in out
    code, out = run("merge", a, b, "-o", tmp_path / "m.stato", "--json")
    assert code == 0
    assert {c["field"] for c in json.loads(out)["conflicts"]} == {"version"}
    assert not sentinel.exists()


def test_diff_of_a_tampered_archive_is_one_line_error(tmp_path: Path) -> None:
    import zipfile

    a = make_archive(tmp_path / "a.stato", {"memory.py": MEMORY})
    evil = tmp_path / "evil.stato"
    with zipfile.ZipFile(a) as src, zipfile.ZipFile(evil, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            dst.writestr(info, data.replace(b"analysis", b"ANALYSIS"))
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "diff", str(a), str(evil)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1 and "checksum mismatch" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
