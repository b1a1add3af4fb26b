"""The built-in registry: every package validates cleanly, matches its sources, installs offline."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from stato.adapters.archive import read_archive
from stato.adapters.registry_location import builtin_folder, locate
from stato.core.compiler import compile_source
from stato.core.privacy import scan_text
from stato.formats.registry_index import parse_index
from stato.ops.init import init_project
from stato.ops.project import load_project
from stato.ops.registry import install, list_packages, search

REPO = Path(__file__).resolve().parents[1]
INDEX = parse_index((builtin_folder() / "index.toml").read_bytes(), "builtin")
SPECS = [p.spec for p in INDEX.packages]


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a network connection fails the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the built-in registry must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(autouse=True)
def no_user_registries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STATO_REGISTRY", raising=False)


def test_there_are_two_or_three_packages() -> None:
    assert 2 <= len(INDEX.packages) <= 3
    assert {"scrna-qc", "python-packaging"} <= {p.name for p in INDEX.packages}


@pytest.mark.parametrize("spec", SPECS)
def test_package_is_sound(spec: str) -> None:
    entry = next(p for p in INDEX.packages if p.spec == spec)
    path = builtin_folder() / entry.url
    assert hashlib.sha256(path.read_bytes()).hexdigest() == entry.sha256
    archive = read_archive(path)
    assert len(archive.modules) == entry.modules
    for rel, text in archive.modules.items():
        kind = archive.manifest.entry(rel)
        result = compile_source(text, rel, kind.type if kind else None)
        assert result.diagnostics == (), (rel, result.diagnostics)  # clean: no E, W or I
        assert scan_text(text, rel) == []
        if result.module_type == "skill":
            assert result.fields.get("lessons_learned")


@pytest.mark.parametrize("spec", SPECS)
def test_package_installs_offline(spec: str, tmp_path: Path, offline: None) -> None:
    root = tmp_path / "proj"
    init_project(root)
    result = install(root, spec)
    assert result.registry == "builtin"
    assert result.imported.ok and len(result.imported.written) == result.entry.modules
    project = load_project(root)
    assert not project.invalid
    assert len(project.modules) == result.entry.modules


def test_list_and_search_work_offline(offline: None) -> None:
    assert {f.entry.name for f in list_packages(None).packages} >= {"scrna-qc", "python-packaging"}
    assert [f.entry.name for f in search(None, "bioinformatics").packages] == [
        "scrna-qc",
        "scrna-workflow",
    ]
    assert [f.entry.name for f in search(None, "plan").packages] == ["scrna-workflow"]
    assert [f.entry.name for f in search(None, "pypi").packages] == ["python-packaging"]


def test_builtin_address_is_a_folder() -> None:
    location = locate("builtin")
    assert location.kind == "folder" and Path(location.base) == builtin_folder()


def test_archives_match_their_sources() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_builtin_registry.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
