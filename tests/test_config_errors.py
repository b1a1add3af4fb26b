"""A malformed [trust] or [registry] section in the project's or the user's config.toml: one
line on stderr naming the file and the key, a non-zero exit, and nothing changed anywhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from stato.cli import cli
from tests.conftest import entries
from tests.test_registry_http import make_archive, serve, skill

REGISTRY = [  # (config text, the key the error must name)
    ('registry = "http://example.invalid/"\n', "[registry]"),
    ('[registry]\nurls = "http://example.invalid/"\n', "registry.urls"),
    ("[registry]\nurls = [1, 2]\n", "registry.urls"),
    ('[registry]\nbuiltin = "no"\n', "registry.builtin"),
    ("[registry]\ntimeout = -5\n", "registry.timeout"),
    ('[registry]\ntimeout = "soon"\n', "registry.timeout"),
    ("[registry]\ntimeout = true\n", "registry.timeout"),
    ("[registry]\nurls = [\n", "not valid TOML"),
]
TRUST = [
    ("trust = 1\n", "[trust]"),
    ('[trust]\nrequire_signature = "yes"\n', "trust.require_signature"),
    ("[trust]\nrequire_signature = 1\n", "trust.require_signature"),
    ("[trust]\nallowed_signers = 5\n", "trust.allowed_signers"),
    ('[trust]\nallowed_signers = ["a"]\n', "trust.allowed_signers"),
    ("[trust]\nregistry = 5\n", "trust.registry"),
    ('[trust.registry."{url}"]\nrequire_signature = "on"\n', "trust.require_signature"),
    ("[trust]\nrequire_signature = tru\n", "not valid TOML"),
    # A misspelt key would leave unsigned archives trusted without a word.
    ("[trust]\nrequire_signatures = true\n", "trust.require_signatures"),
    ('[trust.registry."{url}"]\nrequire_signatures = true\n', "require_signatures"),
    (
        '[trust.registry."http://elsewhere.invalid/"]\nrequire_signature = 3\n',
        "trust.require_signature",
    ),
    ('[trust.registry]\n"http://elsewhere.invalid/" = 3\n', "trust.registry"),
]


@pytest.fixture(scope="module")
def url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    work = tmp_path_factory.mktemp("reg")
    archive = make_archive(work / "qc.stato", "qc-kit", {"qc": skill("Qc", "qc-filter", ["qc"])})
    folder = work / "site" / "registry"
    result = CliRunner().invoke(
        cli, ["registry", "publish", str(archive), "--to", str(folder), "--author", "t"]
    )
    assert result.exit_code == 0, result.output
    server, address = serve(folder.parent)
    yield address + "registry"
    server.shutdown()
    server.server_close()


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_user_trust: None) -> Path:
    """A project (the current folder) and a user config folder, under tmp_path."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    monkeypatch.delenv("STATO_REGISTRY_TIMEOUT", raising=False)
    assert CliRunner().invoke(cli, ["init", "--path", str(tmp_path / "proj")]).exit_code == 0
    monkeypatch.chdir(tmp_path / "proj")
    return tmp_path


def _config(world: Path, where: str) -> Path:
    if where == "project":
        return world / "proj" / ".stato" / "config.toml"
    return world / "xdg" / "stato" / "config.toml"


def _refused(world: Path, config: Path, argv: list[str], key: str) -> None:
    before = entries(world)
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code not in (0, None), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert str(config) in lines[0] and key in lines[0], lines[0]
    assert "Traceback" not in result.output
    after = entries(world)
    after.pop("proj/.stato/.lock", None)  # the store's empty lock file, which any reader may make
    before.pop("proj/.stato/.lock", None)
    assert after == before


@pytest.mark.parametrize("where", ["project", "user"])
@pytest.mark.parametrize(("text", "key"), REGISTRY, ids=[k + ":" + t for t, k in REGISTRY])
@pytest.mark.parametrize(
    "argv",
    [
        ["registry", "list"],
        ["registry", "search", "qc"],
        ["registry", "install", "qc-kit"],
        ["registry", "add", "http://127.0.0.1:9/other"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_malformed_registry_section_is_one_line(
    world: Path, url: str, where: str, text: str, key: str, argv: list[str]
) -> None:
    config = _config(world, where)
    config.parent.mkdir(parents=True, exist_ok=True)
    # The other config lists the working registry, so only the malformed one can fail.
    other = _config(world, "user" if where == "project" else "project")
    other.parent.mkdir(parents=True, exist_ok=True)
    other.write_text(f'[registry]\nurls = ["{url}"]\n', encoding="utf-8")
    config.write_text(text, encoding="utf-8")
    if argv[:2] == ["registry", "add"] and where == "user":
        argv = [*argv, "--user"]
    if key == "registry.timeout" and argv[1] in ("add",):
        pytest.skip("adding an address downloads nothing, so it needs no timeout")
    _refused(world, config, argv, key)


@pytest.mark.parametrize("where", ["project", "user"])
@pytest.mark.parametrize(("text", "key"), TRUST, ids=[k + ":" + t for t, k in TRUST])
@pytest.mark.parametrize("command", ["install", "import"])
def test_a_malformed_trust_section_is_one_line(
    world: Path, url: str, where: str, text: str, key: str, command: str
) -> None:
    config = _config(world, where)
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(text.replace("{url}", url), encoding="utf-8")
    if command == "install":
        argv = ["registry", "install", "qc-kit", "--registry", url]
    else:
        archive = make_archive(world / "qc.stato", "qc-kit", {"qc": skill("Qc", "qc", ["qc"])})
        argv = ["import", str(archive)]
    _refused(world, config, argv, key)
