"""The earlier stato's community registry: its ``[packages.NAME]`` index, read over real HTTP.

A copy of ../shared/interop/stato-0.x/community-index.toml is served by http.server on
127.0.0.1, at the same paths as on GitHub (only scheme and host are changed), with the one
archive that registry really publishes and, as the spec's ``scrna-expert``, the 0.11 archive
added with its sha256. ``stato-self`` is listed but not published there either: a 404.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from stato.adapters.config import registry_sources
from stato.errors import RegistryError
from stato.formats.registry_index import parse_index
from tests.shared_dir import shared_dir
from tests.test_interop_v0 import modules_of

Run = Callable[..., Result]


SHARED = shared_dir("interop", "stato-0.x")
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/interop/stato-0.x is absent")
FOLDER = "genecell/stato/main/docs/registry"  # where the community index lived on GitHub


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


@pytest.fixture(scope="module")
def community(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The address of index.toml of a local copy of the community registry."""
    assert SHARED is not None
    site = tmp_path_factory.mktemp("site")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    packages = site / FOLDER / "packages"
    packages.mkdir(parents=True)
    shutil.copyfile(
        SHARED / "community-piaso-scrna-skills-testing.stato",
        packages / "piaso-scrna-skills-testing.stato",
    )
    shutil.copyfile(SHARED / "v011-scrna-expert.stato", packages / "scrna-expert.stato")
    digest = hashlib.sha256((packages / "scrna-expert.stato").read_bytes()).hexdigest()
    text = (SHARED / "community-index.toml").read_text(encoding="utf-8")
    text = text.replace("https://raw.githubusercontent.com", base)
    text = text.replace(
        "https://github.com/genecell/stato/raw/master", f"{base}/genecell/stato/main"
    )
    text += (
        "\n[packages.scrna-expert]\ndescription = \"scRNA-seq analysis expertise (the spec's "
        'example)"\nauthor = "stato"\n'
        f'url = "{base}/{FOLDER}/packages/scrna-expert.stato"\nversion = "1.0.0"\n'
        f'tags = ["scrna-seq"]\nmodules = 6\nupdated = "2026-12-04"\nsha256 = "sha256:{digest}"\n'
    )
    (site / FOLDER / "index.toml").write_text(text, encoding="utf-8")
    yield f"{base}/{FOLDER}/index.toml"
    server.shutdown()
    server.server_close()


def members(archive: Path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(archive) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist() if i.filename != "manifest.toml"}


# -- the index -------------------------------------------------------------------------------


def test_the_real_community_index_parses_with_its_untidiness() -> None:
    assert SHARED is not None
    index = parse_index((SHARED / "community-index.toml").read_bytes(), "community")
    assert index.style == "stato-0.x" and index.problems == ()
    by_name = {p.name: p for p in index.packages}
    assert set(by_name) == {"stato-self", "piaso-scrna-expert"}
    piaso = by_name["piaso-scrna-expert"]
    assert (piaso.version, piaso.modules, piaso.sha256, piaso.updated) == ("0.0.1", None, "", "")
    assert by_name["stato-self"].modules == 8 and "compiler" in by_name["stato-self"].tags


def test_an_unusable_entry_is_left_out_with_one_line_and_the_rest_stay() -> None:
    text = (
        '[packages.good]\nurl = "https://example.org/good.stato"\nversion = "1.0.0"\n'
        '[packages."Bad Name"]\nurl = "https://example.org/bad.stato"\n'
        '[packages.nourl]\nversion = "1.0.0"\n'
        '[packages.badsum]\nurl = "https://example.org/x.stato"\nsha256 = "md5:abc"\n'
        '[packages.badversion]\nurl = "https://example.org/x.stato"\nversion = "latest"\n'
    )
    index = parse_index(text, "reg")
    assert [p.name for p in index.packages] == ["good"]
    assert len(index.problems) == 4
    assert all(line.startswith("registry reg: package ") for line in index.problems)
    assert any("'nourl' left out: it has no url" in line for line in index.problems)


def test_a_newer_meta_version_asks_for_an_upgrade() -> None:
    with pytest.raises(RegistryError, match="made by a newer stato .*upgrade stato"):
        parse_index('[meta]\nversion = 2\n[packages.x]\nurl = "x.stato"\n', "reg")


def test_the_community_registry_is_not_in_the_default_list(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert [s.address for s in registry_sources(None)] == ["builtin"]


# -- over HTTP -------------------------------------------------------------------------------


def test_list_shows_every_package_and_unknown_module_counts(run: Run, community: str) -> None:
    result = run("registry", "list", "--registry", community, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    found = {p["name"]: p for p in data["packages"]}
    assert set(found) == {"stato-self", "piaso-scrna-expert", "scrna-expert"}
    assert (
        found["piaso-scrna-expert"]["modules"] is None
        and found["piaso-scrna-expert"]["sha256"] == ""
    )
    text = run("registry", "search", "scanpy", "--registry", community)
    assert text.exit_code == 0 and "piaso-scrna-expert" in text.output


def test_install_scrna_expert_into_a_new_project_verified(
    run: Run, community: str, tmp_path: Path
) -> None:
    dest = tmp_path / "analysis"
    dry = run(
        "registry",
        "install",
        "scrna-expert",
        "--registry",
        community,
        "--path",
        str(dest),
        "--dry-run",
    )
    assert dry.exit_code == 0, dry.output
    assert not dest.exists()
    result = run(
        "registry", "install", "scrna-expert", "--registry", community, "--path", str(dest)
    )
    assert result.exit_code == 0, result.output
    assert "verified" in result.output and "note:" not in result.output
    assert SHARED is not None
    assert modules_of(dest) == members(SHARED / "v011-scrna-expert.stato")


def test_install_without_sha256_says_integrity_cannot_be_checked(
    run: Run, community: str, tmp_path: Path
) -> None:
    dest = tmp_path / "piaso"
    result = run(
        "registry",
        "install",
        "piaso-scrna-expert",
        "--registry",
        community,
        "--path",
        str(dest),
        "--json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["verified"] is False and data["ok"]
    assert len(data["notes"]) == 2  # no sha256 in the index; a 0.5 archive with no checksums
    assert "gives no sha256 for piaso-scrna-expert@0.0.1" in data["notes"][0]
    assert "legacy format" in data["notes"][1]
    text = run(
        "registry",
        "install",
        "piaso-scrna-expert",
        "--registry",
        community,
        "--path",
        str(tmp_path / "p2"),
    )
    assert "not verified: the index gives none" in text.output
    assert text.output.count("integrity cannot be checked") == 2
    assert SHARED is not None
    assert modules_of(dest) == members(SHARED / "community-piaso-scrna-skills-testing.stato")


def test_a_missing_archive_is_one_clear_line_and_nothing_is_made(
    run: Run, community: str, tmp_path: Path
) -> None:
    dest = tmp_path / "self"
    result = run("registry", "install", "stato-self", "--registry", community, "--path", str(dest))
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert (
        lines[0].startswith("error: registry ")
        and "archive of stato-self@0.5.0 not available: HTTP 404" in lines[0]
    )
    assert "does not publish it" in lines[0] and "Traceback" not in result.output
    assert not dest.exists()


def test_registry_add_then_the_specs_command_works(
    run: Run, community: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    added = run("registry", "add", community, "--user")
    assert added.exit_code == 0, added.output
    dest = tmp_path / "project"
    result = run("registry", "install", "scrna-expert", "--path", str(dest))  # the spec's line
    assert result.exit_code == 0, result.output
    assert (dest / ".stato" / "skills" / "qc.py").is_file()
    listing = json.loads(run("registry", "list", "--json").output)
    assert {p["registry"] for p in listing["packages"]} == {community, "builtin"}


def test_a_tampered_download_is_refused_even_with_a_prefixed_sha256(
    run: Run, community: str, tmp_path: Path
) -> None:
    import urllib.request

    with urllib.request.urlopen(community) as response:  # noqa: S310 - our own test server
        text = response.read().decode()
    digest = text.split('sha256 = "sha256:')[1][:64]
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "index.toml").write_text(text.replace(digest, "0" * 64), encoding="utf-8")
    result = run(
        "registry",
        "install",
        "scrna-expert",
        "--registry",
        str(folder),
        "--path",
        str(tmp_path / "x"),
    )
    assert result.exit_code == 1 and "checksum mismatch for scrna-expert@1.0.0" in result.stderr
    assert not (tmp_path / "x").exists()


def test_a_real_process_installs_from_the_served_index(community: str, tmp_path: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    env.pop("STATO_REGISTRY", None)
    dest = tmp_path / "proc"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "stato",
            "registry",
            "install",
            "scrna-expert",
            "--registry",
            community,
            "--path",
            str(dest),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert (dest / ".stato" / "plan.py").is_file()


def test_index_text_is_made_safe_for_a_terminal() -> None:
    text = (
        '[packages.x]\nurl = "x.stato"\ndescription = "evil\\u001b[2Jclear"\n'
        'tags = ["a\\u0007b"]\nauthor = "' + "x" * 5000 + '"\n'
    )
    (entry,) = parse_index(text, "reg").packages
    assert entry.description == "evil [2Jclear" and entry.tags == ("a b",)
    assert len(entry.author) == 2000 and entry.sha256 == "" and entry.version == "0.0.0"


def test_publish_refuses_to_rewrite_an_index_of_the_earlier_stato(run: Run, tmp_path: Path) -> None:
    assert SHARED is not None
    folder = tmp_path / "reg"
    folder.mkdir()
    shutil.copyfile(SHARED / "community-index.toml", folder / "index.toml")
    before = (folder / "index.toml").read_bytes()
    archive = str(SHARED / "v011-scrna-expert.stato")
    result = run("registry", "publish", archive, "--to", str(folder))
    assert result.exit_code == 1 and "reads but does not write" in result.stderr
    assert (folder / "index.toml").read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == [".index.lock", "index.toml"]


def test_a_package_not_found_points_at_the_community_registry(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = run("registry", "install", "scrna-expert", "--path", str(tmp_path / "p"))
    assert result.exit_code == 1
    assert "stato registry add https://raw.githubusercontent.com/genecell/stato/" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and not (tmp_path / "p").exists()
