"""The registry client on folders and file:// URLs: addresses, archive urls, one-line failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.adapters.registry import RegistryClient
from stato.adapters.registry_location import locate
from stato.cli import cli
from stato.errors import RegistryError
from stato.formats.registry_index import PackageEntry
from stato.ops.init import init_project
from stato.ops.registry import install, list_packages
from stato.ops.registry_publish import publish
from tests.test_registry_http import make_archive, skill

SHA = "0" * 64


def entry(url: str) -> PackageEntry:
    return PackageEntry("p", "d", "a", "1.0.0", (), 1, "2026-01-01", url, SHA)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    archive = make_archive(tmp_path / "kit.stato", "kit", {"a": skill("A", "a-skill", ["x"])})
    publish(archive, tmp_path / "reg", description="A kit")
    return tmp_path / "reg"


@pytest.fixture(autouse=True)
def no_user_registries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STATO_REGISTRY", raising=False)


def test_folder_and_file_url_give_the_same_index(folder: Path) -> None:
    by_path = list_packages(None, str(folder))
    by_url = list_packages(None, folder.as_uri())
    assert [f.entry for f in by_path.packages] == [f.entry for f in by_url.packages]
    assert by_url.registries == (folder.as_uri(),)


def test_install_from_a_file_url(folder: Path, tmp_path: Path) -> None:
    init_project(tmp_path / "proj")
    result = install(tmp_path / "proj", "kit@1.0.0", folder.as_uri())
    assert result.imported.written == ("skills/a.py",)


def test_relative_folder_address_resolves_against_its_base(folder: Path) -> None:
    location = locate("reg", folder.parent)
    assert Path(location.base) == folder.resolve()


def test_missing_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match=r"^registry .*nowhere: folder .* does not exist"):
        RegistryClient(locate(str(tmp_path / "nowhere"))).index()


@pytest.mark.parametrize("url", ["../outside.stato", "/etc/passwd", "a/../../b.stato"])
def test_folder_registry_urls_stay_inside(tmp_path: Path, url: str) -> None:
    client = RegistryClient(locate(str(tmp_path)))
    with pytest.raises(RegistryError, match="outside the registry folder"):
        client.archive_address(entry(url))


def test_http_registry_urls(tmp_path: Path) -> None:
    client = RegistryClient(locate("https://files.example/team/reg"))
    assert client.archive_address(entry("p-1.0.0.stato")) == (
        "https://files.example/team/reg/p-1.0.0.stato"
    )
    assert client.archive_address(entry("https://cdn.example/p.stato")) == (
        "https://cdn.example/p.stato"
    )
    with pytest.raises(RegistryError, match="may only point at http"):
        client.archive_address(entry("file:///etc/passwd"))


def test_folder_registry_accepts_subfolders_and_http(tmp_path: Path) -> None:
    client = RegistryClient(locate(str(tmp_path)))
    assert client.archive_address(entry("pkgs/p.stato")) == str(tmp_path.resolve() / "pkgs/p.stato")
    assert client.archive_address(entry("http://h/p.stato")) == "http://h/p.stato"


def test_cli_json_has_no_markup(folder: Path) -> None:
    result = CliRunner().invoke(
        cli, ["registry", "list", "--json", "--registry", str(folder)], catch_exceptions=False
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["packages"][0]["name"] == "kit" and data["failures"] == []
    assert "\x1b[" not in result.output


def test_cli_install_json_and_dry_run(folder: Path, tmp_path: Path) -> None:
    init_project(tmp_path / "proj")
    args = [
        "registry",
        "install",
        "kit",
        "--registry",
        str(folder),
        "--path",
        str(tmp_path / "proj"),
    ]
    result = CliRunner().invoke(cli, [*args, "--dry-run", "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dry_run"] and data["import"]["ok"] and data["ok"]
    assert data["source"] == data["import"]["archive"] == str(folder.resolve() / "kit-1.0.0.stato")
    assert not (tmp_path / "proj" / ".stato" / "skills" / "a.py").exists()
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0 and "add" in result.output
    again = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert again.exit_code == 0  # already installed: nothing to do is not a failure


def test_cli_install_conflict_asks(folder: Path, tmp_path: Path) -> None:
    root = tmp_path / "proj"
    init_project(root)
    (root / ".stato" / "skills" / "a.py").write_text(skill("A", "a-skill", ["x"], "mine"))
    args = ["registry", "install", "kit", "--registry", str(folder), "--path", str(root)]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 1 and "--on-conflict" in result.output
    assert "mine" in (root / ".stato" / "skills" / "a.py").read_text()
    result = CliRunner().invoke(cli, [*args, "--on-conflict", "replace"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "mine" not in (root / ".stato" / "skills" / "a.py").read_text()


def test_an_index_address_means_its_folder(folder: Path) -> None:
    assert locate(str(folder / "index.toml")).base == str(folder.resolve())
    assert locate((folder / "index.toml").as_uri()).base == str(folder)
    assert locate("https://h.example/reg/index.toml").base == "https://h.example/reg/"
    assert list_packages(None, str(folder / "index.toml")).packages[0].entry.name == "kit"


def test_unknown_conflict_policy_is_refused_before_download(tmp_path: Path) -> None:
    from stato.errors import UsageError

    init_project(tmp_path / "proj")
    with pytest.raises(UsageError, match="on-conflict"):
        install(tmp_path / "proj", "kit", "http://127.0.0.1:9/", on_conflict="merge")
