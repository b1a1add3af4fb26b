"""The lock file: written with the modules, read back from a hostile folder, checked by verify;
a newer registry version shows its changes and asks, and never replaces a locally edited module."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stato.formats.lockfile import LOCK_NAME, loads
from tests.test_registry_http import make_archive, skill

# No user config and no git config of the machine decide a test's policy.
pytestmark = pytest.mark.usefixtures("no_user_trust")


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    (tmp_path / "dest").mkdir()
    assert run("init", "--path", "dest").exit_code == 0
    return tmp_path / "dest"


def lock_of(project: Path) -> dict[str, object]:
    return loads((project / ".stato" / LOCK_NAME).read_text()).to_dict()


def test_import_records_the_archive_and_verify_checks_it(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    archive = make_archive(tmp_path / "kit.stato", "kit", {"qc": skill("QC", "qc", ["x"])})
    assert run("import", str(archive), "--path", str(project)).exit_code == 0
    (package,) = lock_of(project)["package"]  # type: ignore[misc]
    assert package["kind"] == "archive" and package["name"] == "kit"
    assert package["source"] == str(archive)
    assert set(package["modules"]) == {"skills/qc.py"}
    assert "signer" not in package
    ok = run("verify", "--path", str(project))
    assert ok.exit_code == 0, ok.output
    assert "OK: 1 module(s) from 1 package(s)" in ok.output

    qc = project / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text() + "\n# tuned by hand\n")
    changed = run("verify", "--path", str(project), "--json")
    assert changed.exit_code == 1
    (problem,) = json.loads(changed.output)["problems"]
    assert problem["kind"] == "modified" and problem["path"] == "skills/qc.py"

    qc.unlink()
    make_archive(archive, "kit", {"qc": skill("QC", "qc", ["y"])})  # the file was replaced
    gone = run("verify", "--path", str(project))
    assert gone.exit_code == 1
    assert "MISSING" in gone.output and "SOURCE" in gone.output
    assert run("verify", "--offline", "--path", str(project)).output.count("SOURCE") == 0


def test_graft_of_a_py_file_is_recorded(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    src = tmp_path / "qc.py"
    src.write_text(skill("QC", "qc", ["x"]))
    assert run("graft", str(src), "--path", str(project)).exit_code == 0
    (package,) = lock_of(project)["package"]  # type: ignore[misc]
    assert package["kind"] == "file" and package["modules"].keys() == {"skills/qc.py"}


def test_no_lock_verifies_clean(project: Path, run: Callable[..., Result]) -> None:
    out = run("verify", "--path", str(project))
    assert out.exit_code == 0 and "No .stato/stato.lock" in out.output


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe not utf-8",
        b"lock_version = [",
        b"lock_version = 2\n",
        b"lock_version = 1\nsurprise = 1\n",
        b'lock_version = 1\n[[package]]\nkind = "registry"\nname = "x"\n',
        b'lock_version = 1\n[[package]]\nkind = "archive"\nname = "x"\nsource = "a"\n'
        b'installed = "t"\n[package.modules]\n"../../etc/passwd.py" = "' + b"0" * 64 + b'"\n',
        b'lock_version = 1\n[[package]]\nkind = "evil"\nname = "x"\nsource = "a"\n'
        b'installed = "t"\nmodules = {}\n',
    ],
)
def test_a_bad_lock_is_ignored_with_a_warning(
    body: bytes, tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    (project / ".stato" / LOCK_NAME).write_bytes(body)
    bad = run("verify", "--path", str(project))
    assert bad.exit_code == 1 and "ignored .stato/stato.lock" in bad.output
    archive = make_archive(tmp_path / "kit.stato", "kit", {"qc": skill("QC", "qc", ["x"])})
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 0, out.output
    assert "ignored .stato/stato.lock" in out.output
    assert lock_of(project)["package"][0]["name"] == "kit"  # type: ignore[index]


def test_a_linked_lock_is_never_followed(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text("lock_version = 1\n")
    os.symlink(outside, project / ".stato" / LOCK_NAME)
    out = run("verify", "--path", str(project))
    assert out.exit_code == 1 and "not a regular file" in out.output


def _publish(run: Callable[..., Result], tmp: Path, reg: Path, version: str, lesson: str) -> None:
    archive = make_archive(
        tmp / f"kit-{version}.stato", "kit", {"qc": skill("QC", "qc", ["x"], lesson=lesson)}
    )
    out = run("registry", "publish", str(archive), "--to", str(reg), "--version", version)
    assert out.exit_code == 0, out.output


def test_update_shows_the_diff_and_asks(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    reg = tmp_path / "reg"
    _publish(run, tmp_path, reg, "1.0.0", "keep it simple")
    args = ("--registry", str(reg), "--path", str(project))
    assert run("registry", "install", "kit", *args).exit_code == 0
    qc = project / ".stato" / "skills" / "qc.py"
    before = qc.read_bytes()
    _publish(run, tmp_path, reg, "2.0.0", "filter cells with under 200 genes")

    refused = run("registry", "install", "kit", *args)  # CliRunner's stdin is no terminal
    assert refused.exit_code == 1
    assert "Updating kit changes 1 installed module(s)" in refused.output
    assert "filter cells with under 200 genes" in refused.output  # the field-level diff
    assert "rerun with --yes" in refused.output
    assert qc.read_bytes() == before

    declined = run("registry", "install", "kit", *args, input="n\n")
    assert qc.read_bytes() == before, declined.output

    accepted = run("registry", "install", "kit", "--yes", *args)
    assert accepted.exit_code == 0, accepted.output
    assert b"200 genes" in qc.read_bytes()
    (package,) = lock_of(project)["package"]  # type: ignore[misc]
    assert package["version"] == "2.0.0"
    assert run("verify", *args[2:]).exit_code == 0

    # Edited by hand: an update never replaces it, even with --yes.
    qc.write_text(qc.read_text() + "\n# mine\n")
    _publish(run, tmp_path, reg, "3.0.0", "three")
    edited = run("registry", "install", "kit", "--yes", *args)
    assert edited.exit_code == 1
    assert "Edited locally since installed: skills/qc.py" in edited.output
    assert qc.read_text().endswith("# mine\n")


def test_bundle_and_convert_are_recorded(project: Path, run: Callable[..., Result]) -> None:
    bundle = project / "stato_bundle.py"
    bundle.write_text(f"SKILLS = {{'qc': '''{skill('QC', 'qc', ['x'])}'''}}\n")
    out = run("import-bundle", str(bundle), "--path", str(project), "--no-bridge")
    assert out.exit_code == 0, out.output
    (project / "CLAUDE.md").write_text("# Rules\n\n## Conventions\n\n- Use scanpy for QC.\n")
    out = run("convert", str(project / "CLAUDE.md"), "--path", str(project))
    assert out.exit_code == 0, out.output
    kinds = {p["kind"]: p for p in lock_of(project)["package"]}  # type: ignore[attr-defined]
    assert set(kinds) == {"bundle", "convert"}
    assert kinds["bundle"]["source"] == "stato_bundle.py"
    assert kinds["convert"]["modules"] and "sha256" in kinds["convert"]
    assert run("verify", "--path", str(project)).exit_code == 0


def test_a_registry_that_serves_other_bytes_fails_verify(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    reg = tmp_path / "reg"
    _publish(run, tmp_path, reg, "1.0.0", "one")
    args = ("--path", str(project))
    assert run("registry", "install", "kit", "--registry", str(reg), *args).exit_code == 0
    _publish(run, tmp_path, reg, "1.0.0", "the same version, other text")  # republished
    out = run("verify", *args)
    assert out.exit_code == 1 and "now serves different bytes" in out.output
    _publish(run, tmp_path, reg, "2.0.0", "two")
    (reg / "kit-1.0.0.stato").unlink()
    index = (reg / "index.toml").read_text()
    start = index.index("[[packages]]")
    (reg / "index.toml").write_text(index[:start] + index[index.index("[[packages]]", start + 1) :])
    assert "no longer offers it" in run("verify", *args).output


def test_a_bad_lock_is_named_by_import_bundle(project: Path, run: Callable[..., Result]) -> None:
    (project / ".stato" / LOCK_NAME).write_text("lock_version = [")
    bundle = project / "stato_bundle.py"
    bundle.write_text(f"SKILLS = {{'qc': '''{skill('QC', 'qc', ['x'])}'''}}\n")
    out = run("import-bundle", str(bundle), "--path", str(project), "--no-bridge")
    assert out.exit_code == 0, out.output
    assert out.output.count("warning: ignored .stato/stato.lock") == 1
    assert lock_of(project)["package"][0]["kind"] == "bundle"  # type: ignore[index]
