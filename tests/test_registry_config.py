"""Which registries are used, in which order, and how `registry add/remove` edit the config."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

from stato.adapters.config import (
    edit_registries,
    project_config,
    registry_sources,
    split_env,
    user_config,
)
from stato.adapters.registry_location import locate
from stato.cli import cli
from stato.errors import RegistryError, StatoError


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    return home


def project(tmp_path: Path) -> Path:
    root = tmp_path / "proj"
    (root / ".stato" / "skills").mkdir(parents=True)
    return root


@pytest.mark.skipif(os.pathsep != ":", reason="POSIX separator rules")
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://h.example:8443/reg", ["https://h.example:8443/reg"]),
        ("/a/reg:/b/reg", ["/a/reg", "/b/reg"]),
        ("/a/reg:https://h/x:~/reg", ["/a/reg", "https://h/x", "~/reg"]),
        ("file:///srv/reg, http://127.0.0.1:8000/", ["file:///srv/reg", "http://127.0.0.1:8000/"]),
        (" , ", []),
    ],
)
def test_split_env_keeps_urls_whole(value: str, expected: list[str]) -> None:
    assert split_env(value) == expected


def test_user_config_respects_xdg(isolated: Path) -> None:
    assert user_config() == isolated / "stato" / "config.toml"


def test_order_is_env_project_user_builtin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path)
    monkeypatch.setenv("STATO_REGISTRY", "https://env.example/r,/env/two")
    assert edit_registries(project_config(root), add="team")  # relative: from the project root
    assert edit_registries(user_config(), add="https://user.example/r")
    sources = registry_sources(root)
    assert [(s.address, s.origin) for s in sources] == [
        ("https://env.example/r", "STATO_REGISTRY"),
        ("/env/two", "STATO_REGISTRY"),
        ("team", "project"),
        ("https://user.example/r", "user"),
        ("builtin", "builtin"),
    ]
    team = sources[2]
    assert locate(team.address, team.base).base == str((root / "team").resolve())


def test_override_replaces_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATO_REGISTRY", "/env")
    assert [s.address for s in registry_sources(None, "http://one/")] == ["http://one/"]


def test_builtin_can_be_turned_off_and_on(tmp_path: Path) -> None:
    assert edit_registries(user_config(), remove="builtin")
    assert [s.address for s in registry_sources(None)] == []
    assert edit_registries(user_config(), add="builtin")
    assert [s.address for s in registry_sources(None)] == ["builtin"]


def test_edit_keeps_other_keys_and_reports_no_change(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('owner = "team"\n[registry]\nurls = ["a"]\ntimeout = 5\n')
    assert edit_registries(path, add="b")
    assert not edit_registries(path, add="b")
    assert not edit_registries(path, remove="zzz")
    doc = tomllib.loads(path.read_text())
    assert doc == {"owner": "team", "registry": {"urls": ["a", "b"], "timeout": 5}}
    # no temp file left behind; the text before the one change is kept beside it
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "c.toml.bak"]


def test_a_broken_config_is_one_clear_error(tmp_path: Path) -> None:
    user_config().parent.mkdir(parents=True)
    user_config().write_text("[registry\n")
    with pytest.raises(StatoError, match="not valid TOML"):
        registry_sources(None)
    user_config().write_text("[registry]\nurls = 'x'\n")
    with pytest.raises(StatoError, match="urls must be a list"):
        registry_sources(None)


@pytest.mark.parametrize(
    "address", ["ftp://x/reg", "", "file://otherhost/reg", "http://", "https:///reg"]
)
def test_unusable_addresses_are_refused(address: str) -> None:
    with pytest.raises(RegistryError):
        locate(address)


def test_cli_add_and_remove_edit_the_project_config(tmp_path: Path) -> None:
    root = project(tmp_path)
    runner = CliRunner()
    args = ["registry", "add", "https://team.example/reg", "--path", str(root)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert tomllib.loads(project_config(root).read_text())["registry"]["urls"] == [
        "https://team.example/reg"
    ]
    assert runner.invoke(cli, args).exit_code == 1  # already there: nothing happened
    result = runner.invoke(
        cli, ["registry", "remove", "https://team.example/reg", "--path", str(root)]
    )
    assert result.exit_code == 0
    assert tomllib.loads(project_config(root).read_text())["registry"]["urls"] == []
    assert runner.invoke(cli, ["registry", "remove", "nope", "--path", str(root)]).exit_code == 1


def test_cli_add_and_remove_report_one_json_document(tmp_path: Path) -> None:
    root = project(tmp_path)
    runner = CliRunner()
    for action in ("add", "remove"):
        result = runner.invoke(
            cli, ["registry", action, "https://team.example/reg", "--json", "--path", str(root)]
        )
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout) == {
            "action": f"{action}ed" if action == "add" else "removed",
            "registry": "https://team.example/reg",
            "config": str(project_config(root)),
            # the add created the file; the remove keeps the text it replaced
            "backup": None if action == "add" else f"{project_config(root)}.bak",
        }
    login = "https://ann:glpat-Zq8rT2mW9xL4kP7vB3nY@team.example/reg"
    result = runner.invoke(cli, ["registry", "add", login, "--user", "--json", "--path", str(root)])
    assert result.exit_code == 0 and "glpat" not in result.stdout
    assert json.loads(result.stdout)["config"] == str(user_config())


def test_a_login_never_goes_into_the_project_config(tmp_path: Path) -> None:
    # .stato/config.toml is committed with the project: the token would travel with it
    root = project(tmp_path)
    login = "https://ann:glpat-Zq8rT2mW9xL4kP7vB3nY@team.example/reg"
    result = CliRunner().invoke(cli, ["registry", "add", login, "--path", str(root)])
    assert result.exit_code == 2
    assert "--user" in result.stderr and "glpat" not in result.output + result.stderr
    assert not project_config(root).exists()
    result = CliRunner().invoke(cli, ["registry", "add", login, "--user", "--path", str(root)])
    assert result.exit_code == 0, result.output
    assert tomllib.loads(user_config().read_text())["registry"]["urls"] == [login]


def test_cli_add_outside_a_project_edits_the_user_config(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["registry", "add", "/srv/reg", "--path", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert tomllib.loads(user_config().read_text())["registry"]["urls"] == ["/srv/reg"]
    result = CliRunner().invoke(cli, ["registry", "add", "gopher://x", "--path", str(tmp_path)])
    assert result.exit_code == 1


segment = st.from_regex(r"[A-Za-z0-9_.-]{1,8}", fullmatch=True)
folders = st.lists(segment, min_size=1, max_size=3).map(lambda s: "/" + "/".join(s))
urls = st.builds(
    lambda scheme, host, port, path: f"{scheme}://{host}{port}{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"[a-z][a-z0-9.-]{0,10}", fullmatch=True),
    st.sampled_from(["", ":8000", ":443"]),
    st.one_of(st.just(""), folders),
)
file_urls = folders.map(lambda p: "file://" + p)


@pytest.mark.skipif(os.pathsep != ":", reason="POSIX separator rules")
@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.one_of(folders, urls, file_urls), min_size=1, max_size=5),
    st.lists(st.sampled_from([":", ","]), min_size=4, max_size=4),
)
def test_split_env_round_trips(entries: list[str], seps: list[str]) -> None:
    joined = entries[0]
    for i, entry in enumerate(entries[1:]):
        joined += seps[i] + entry
    assert split_env(joined) == entries
