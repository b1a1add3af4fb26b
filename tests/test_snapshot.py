"""`stato snapshot` and `stato slice`: filters, refusals, templates, privacy, determinism."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stato.adapters.archive import read_archive
from stato.core.compiler import compile_source

Run = Callable[..., Result]
SECRET = "ghp_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tV9wX1yZ3bC5"


def paths(archive: Path) -> list[str]:
    return sorted(read_archive(archive).modules)


def test_full_snapshot(example: Path, run: Run) -> None:
    res = run("snapshot", "--name", "scrna-expert", "--force")
    assert res.exit_code == 0, res.output
    arc = read_archive(example / "scrna-expert.stato")
    m = arc.manifest
    assert (m.name, m.template, m.partial, m.format_version) == ("scrna-expert", False, False, 1)
    assert paths(example / "scrna-expert.stato") == [
        "context.py",
        "memory.py",
        "plan.py",
        "skills/clustering.py",
        "skills/normalize.py",
        "skills/qc.py",
    ]
    qc = m.entry("skills/qc.py")
    assert qc is not None and (qc.type, qc.class_name, qc.version) == (
        "skill",
        "QualityControl",
        "1.2.0",
    )
    for rel, text in arc.modules.items():
        assert (example / ".stato" / rel).read_bytes() == text.encode()
    assert m.created.endswith("Z")


def test_deterministic_with_fixed_clock(
    example: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert run("snapshot", "--name", "x", "--force", "-o", "a.stato").exit_code == 0
    assert run("snapshot", "--name", "x", "--force", "-o", "b.stato").exit_code == 0
    assert (example / "a.stato").read_bytes() == (example / "b.stato").read_bytes()
    assert read_archive(example / "a.stato").manifest.created == "2023-11-14T22:13:20Z"
    assert run("snapshot", "--name", "y", "--force", "-o", "c.stato").exit_code == 0
    assert (example / "a.stato").read_bytes() != (example / "c.stato").read_bytes()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--type", "skill"], ["skills/clustering.py", "skills/normalize.py", "skills/qc.py"]),
        (["--module", "skills/qc"], ["skills/qc.py"]),
        (["--module", ".stato/plan.py"], ["plan.py"]),
        (
            ["--exclude", "memory"],
            [
                "context.py",
                "plan.py",
                "skills/clustering.py",
                "skills/normalize.py",
                "skills/qc.py",
            ],
        ),
        (
            ["--type", "skill", "--module", "plan.py", "--exclude", "skills/qc"],
            ["plan.py", "skills/clustering.py", "skills/normalize.py"],
        ),
    ],
)
def test_filters_mark_partial(
    example: Path, run: Run, args: list[str], expected: list[str]
) -> None:
    res = run("snapshot", "--name", "f", "--force", *args)
    assert res.exit_code == 0, res.output
    assert paths(example / "f.stato") == expected
    assert read_archive(example / "f.stato").manifest.partial is True


@pytest.mark.parametrize(
    "args",
    [
        ["--type", "protocol"],
        ["--module", "skills/nope"],
        ["--exclude", "protocol"],
        ["--exclude", "skills/nope"],
        ["--type", "skill", "--exclude", "skill"],
    ],
)
def test_filter_matching_nothing_fails(example: Path, run: Run, args: list[str]) -> None:
    res = run("snapshot", "--name", "f", "--force", *args)
    assert res.exit_code == 1
    assert "nothing was written" in res.output
    assert not (example / "f.stato").exists()


def test_bad_name_is_usage_error(example: Path, run: Run) -> None:
    res = run("snapshot", "--name", "../evil", "--force")
    assert res.exit_code == 2
    assert not list(example.parent.glob("*.stato"))


def test_invalid_module_refuses_and_keeps_previous_archive(example: Path, run: Run) -> None:
    assert run("snapshot", "--name", "s", "--force").exit_code == 0
    before = (example / "s.stato").read_bytes()
    bad = example / ".stato" / "skills" / "broken.py"
    bad.write_text(
        'class Broken:\n    name = "b"\n    x = 1 / 0\n\n    def run(self):\n        pass\n'
    )
    res = run("snapshot", "--name", "s", "--force")
    assert res.exit_code == 1
    assert "skills/broken.py" in res.output and "E005" in res.output
    assert (example / "s.stato").read_bytes() == before
    assert run("snapshot", "--name", "s", "--force", "--exclude", "skills/broken").exit_code == 0


def test_template_resets_and_validates(example: Path, run: Run, tmp_path: Path) -> None:
    res = run("snapshot", "--name", "tpl", "--template", "--force")
    assert res.exit_code == 0, res.output
    arc = read_archive(example / "tpl.stato")
    assert arc.manifest.template is True and arc.manifest.partial is False
    plan = compile_source(arc.modules["plan.py"])
    assert plan.valid and {s["status"] for s in plan.fields["steps"]} == {"pending"}
    assert all("output" not in s for s in plan.fields["steps"])
    assert (
        plan.fields["decision_log"]
        == compile_source((example / ".stato/plan.py").read_text()).fields["decision_log"]
    )
    mem = compile_source(arc.modules["memory.py"])
    assert mem.valid and mem.fields["phase"] == "init" and mem.fields.get("error_history", []) == []
    assert "prior_reflection" in mem.fields and "reflection" not in mem.fields
    for rel in ("skills/qc.py", "context.py"):
        assert arc.modules[rel].encode() == (example / ".stato" / rel).read_bytes()
    assert "complete" in (example / ".stato/plan.py").read_text()  # the project is untouched


def test_json_output(example: Path, run: Run) -> None:
    res = run("snapshot", "--name", "j", "--force", "--json")
    assert res.exit_code == 0
    data = json.loads(res.output)
    assert data["written"] is True and len(data["manifest"]["modules"]) == 6


def test_slice_warns_or_follows_dependencies(example: Path, run: Run) -> None:
    res = run("slice", "--module", "skills/clustering", "-o", "one.stato", "--force")
    assert res.exit_code == 0, res.output
    assert "skills/normalize.py" in res.output and "--with-deps" in res.output
    assert paths(example / "one.stato") == ["skills/clustering.py"]
    assert read_archive(example / "one.stato").manifest.partial is True
    res = run(
        "slice", "--module", "skills/clustering", "--with-deps", "-o", "deps.stato", "--force"
    )
    assert res.exit_code == 0, res.output
    assert paths(example / "deps.stato") == [
        "skills/clustering.py",
        "skills/normalize.py",
        "skills/qc.py",
    ]
    assert run("slice", "--module", "skills/missing", "--force").exit_code == 1


def _leak(example: Path) -> Path:
    qc = example / ".stato" / "skills" / "qc.py"
    text = qc.read_text()
    qc.write_text(
        text.replace('name = "qc_filtering"', f'name = "qc_filtering"\n    token = "{SECRET}"')
    )
    assert compile_source(qc.read_text()).valid
    return qc


def test_privacy_findings_stop_snapshot(example: Path, run: Run) -> None:
    _leak(example)
    res = run("snapshot", "--name", "p")
    assert res.exit_code == 1
    assert "skills/qc.py" in res.output and SECRET not in res.output
    assert not (example / "p.stato").exists()


def test_sanitize_changes_archive_only(example: Path, run: Run) -> None:
    qc = _leak(example)
    original = qc.read_bytes()
    res = run("snapshot", "--name", "p", "--sanitize")
    assert res.exit_code == 0, res.output
    arc = read_archive(example / "p.stato")
    assert SECRET not in arc.modules["skills/qc.py"]
    assert compile_source(arc.modules["skills/qc.py"]).valid
    assert arc.modules["plan.py"].encode() == (example / ".stato/plan.py").read_bytes()
    assert qc.read_bytes() == original


def test_force_skips_scan(example: Path, run: Run) -> None:
    _leak(example)
    res = run("snapshot", "--name", "p", "--force")
    assert res.exit_code == 0
    assert SECRET in read_archive(example / "p.stato").modules["skills/qc.py"]


def test_statoignore_applies_to_snapshot(example: Path, run: Run) -> None:
    _leak(example)
    assert run("snapshot", "--name", "p").exit_code == 1
    with (example / ".stato" / ".statoignore").open("a") as fh:
        fh.write("ghp_aB3dE5*\n")
    res = run("snapshot", "--name", "p")
    assert res.exit_code == 0, res.output
    assert SECRET in read_archive(example / "p.stato").modules["skills/qc.py"]


def test_template_snapshot_is_scanned_after_resets(example: Path, run: Run) -> None:
    plan = example / ".stato" / "plan.py"
    plan.write_text(
        plan.read_text().replace("scran normalization applied", "see /home/alice/run.log")
    )
    assert run("snapshot", "--name", "a").exit_code == 1  # the output names a home folder
    res = run("snapshot", "--name", "t", "--template")  # ...which the template drops
    assert res.exit_code == 0, res.output


def test_sanitize_that_breaks_a_module_refuses(example: Path, run: Run) -> None:
    qc = example / ".stato" / "skills" / "qc.py"
    text = qc.read_text().replace(
        'name = "qc_filtering"', f'name = "qc_filtering"\n    auth = f"Bearer {SECRET}"'
    )
    qc.write_text(text)
    assert compile_source(text).valid
    res = run("snapshot", "--name", "p", "--sanitize")
    assert res.exit_code == 1
    assert "skills/qc.py" in res.output and "E005" in res.output and "--sanitize" in res.output
    assert SECRET not in res.output
    assert not (example / "p.stato").exists()
    assert qc.read_text() == text


def test_findings_json_never_holds_the_secret(example: Path, run: Run) -> None:
    _leak(example)
    res = run("snapshot", "--name", "p", "--json")
    assert res.exit_code == 1
    data = json.loads(res.output)
    assert data["written"] is False and data["findings"]
    (finding,) = [f for f in data["findings"] if f["category"] == "secret"]
    assert finding["path"] == ".stato/skills/qc.py" and finding["line"] == 5
    assert SECRET not in res.output


def test_duplicate_skill_names_refuse(example: Path, run: Run) -> None:
    qc = example / ".stato" / "skills" / "qc.py"
    (example / ".stato" / "skills" / "qc_copy.py").write_text(qc.read_text())
    res = run("snapshot", "--name", "d", "--force")
    assert res.exit_code == 1 and "E011" in res.output and "qc_copy.py" in res.output
    assert run("snapshot", "--name", "d", "--force", "--exclude", "skills/qc_copy").exit_code == 0
