"""The registry over real HTTP: a folder made with `publish`, served by http.server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from stato.adapters.archive import write_archive
from stato.cli import cli, main
from stato.core.compiler import compile_source
from stato.errors import RegistryError
from stato.formats.manifest import Manifest, ModuleEntry
from stato.ops.init import init_project
from stato.ops.registry import install, list_packages

SKILL = '''class {cls}:
    """{doc}"""

    name = "{name}"
    version = "1.0.0"
    tags = {tags!r}
    default_params = {{"threshold": 3}}
    lessons_learned = """
- {lesson}
"""

    @staticmethod
    def run(path: str, **kwargs: object) -> dict[str, object]:
        return {{"path": path}}
'''


def make_archive(path: Path, name: str, skills: dict[str, str]) -> Path:
    modules, entries = {}, []
    for stem, text in skills.items():
        rel = f"skills/{stem}.py"
        result = compile_source(text, rel)
        assert result.valid, result.diagnostics
        assert result.module_type is not None and result.class_name is not None
        modules[rel] = text
        entries.append(ModuleEntry.for_text(rel, text, result.module_type, result.class_name))
    manifest = Manifest(
        name, "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(sorted(entries, key=lambda e: e.path))
    )
    return write_archive(path, manifest, modules)


def skill(cls: str, name: str, tags: list[str], lesson: str = "keep it simple") -> str:
    return SKILL.format(cls=cls, doc=f"{name} skill.", name=name, tags=tags, lesson=lesson)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


class SlowHandler(QuietHandler):
    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        time.sleep(1.5)
        super().do_GET()


@pytest.fixture(scope="module")
def registry_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry folder built only with `stato registry publish`."""
    work = tmp_path_factory.mktemp("publish")
    folder = work / "site" / "registry"
    qc = make_archive(
        work / "qc-kit.stato",
        "qc-kit",
        {
            "qc": skill("QualityControl", "qc-filter", ["qc", "scrna-seq"]),
            "doublets": skill("Doublets", "doublet-finder", ["qc"]),
        },
    )
    lint = make_archive(
        work / "lint.stato",
        "lint-rules",
        {
            "ruff": skill("RuffRules", "ruff-rules", ["python", "lint"]),
        },
    )
    runner = CliRunner()
    for archive, extra in (
        (
            qc,
            [
                "--description",
                "Quality control for single-cell data",
                "--tag",
                "qc",
                "--tag",
                "bioinformatics",
            ],
        ),
        (lint, ["--description", "Linting Python with ruff"]),
    ):
        result = runner.invoke(
            cli,
            ["registry", "publish", str(archive), "--to", str(folder), "--author", "tests", *extra],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
    return folder


def serve(
    folder: Path,
    handler: type[SimpleHTTPRequestHandler] = QuietHandler,
) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture
def url(registry_dir: Path) -> Iterator[str]:
    server, address = serve(registry_dir.parent)
    yield address + "registry"
    server.shutdown()
    server.server_close()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path / "proj")
    return tmp_path / "proj"


def tree(root: Path) -> dict[str, bytes]:
    """Every file's bytes, except the store's (empty) lock file, which any reader may create."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """The real entry point with its error boundary, in process."""
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return int(info.value.code or 0), out, err


def test_publish_wrote_archives_and_checksums(registry_dir: Path) -> None:
    from stato.formats.manifest import tomllib

    index = tomllib.loads((registry_dir / "index.toml").read_text())
    assert [p["name"] for p in index["packages"]] == ["lint-rules", "qc-kit"]
    for entry in index["packages"]:
        data = (registry_dir / entry["url"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    qc = index["packages"][1]
    assert (qc["version"], qc["modules"], qc["tags"]) == ("1.0.0", 2, ["qc", "bioinformatics"])


def test_list_over_http(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["registry", "list", "--json", "--registry", url], capsys)
    assert code == 0, err
    data = json.loads(out)
    assert [p["name"] for p in data["packages"]] == ["lint-rules", "qc-kit"]
    assert data["registries"] == [url]


def test_search_over_http_ranks_name_before_tags(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_main(["registry", "search", "qc", "--json", "--registry", url], capsys)
    assert code == 0
    assert [p["name"] for p in json.loads(out)["packages"]] == ["qc-kit"]
    code, out, _ = run_main(["registry", "search", "python", "--registry", url], capsys)
    assert code == 0 and "lint-rules" in out and "qc-kit" not in out
    code, _, _ = run_main(["registry", "search", "nothing-like-this", "--registry", url], capsys)
    assert code == 1


def test_install_over_http(url: str, project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(
        ["registry", "install", "qc-kit", "--registry", url, "--path", str(project)], capsys
    )
    assert code == 0, err
    assert "sha256" in out
    skills = sorted(p.name for p in (project / ".stato" / "skills").iterdir())
    assert skills == ["doublets.py", "qc.py"]
    text = (project / ".stato" / "skills" / "qc.py").read_text()
    assert compile_source(text).valid


def test_install_reports_progress(url: str, project: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    result = install(project, "lint-rules@1.0.0", url, progress=lambda d, t: seen.append((d, t)))
    assert result.imported.written == ("skills/ruff.py",)
    assert seen and seen[-1][0] == result.size == seen[-1][1]


def test_dry_run_writes_nothing(url: str, project: Path) -> None:
    before = tree(project)
    result = install(project, "qc-kit", url, dry_run=True)
    assert result.imported.ok and tree(project) == before


def test_tampered_archive_is_refused_and_nothing_written(
    registry_dir: Path, project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    (site / "registry").mkdir(parents=True)
    for f in registry_dir.iterdir():
        (site / "registry" / f.name).write_bytes(f.read_bytes())
    evil = make_archive(
        tmp_path / "evil.stato",
        "qc-kit",
        {"qc": skill("QualityControl", "qc-filter", ["qc"], "run rm -rf")},
    )
    (site / "registry" / "qc-kit-1.0.0.stato").write_bytes(evil.read_bytes())
    server, address = serve(site)
    try:
        before = tree(project)
        code, out, err = run_main(
            [
                "registry",
                "install",
                "qc-kit",
                "--registry",
                address + "registry",
                "--path",
                str(project),
            ],
            capsys,
        )
    finally:
        server.shutdown()
        server.server_close()
    assert code == 1
    assert "checksum mismatch" in err and "nothing was installed" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert tree(project) == before


def test_server_down_is_one_line(project: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"http://127.0.0.1:{port}/registry"
    proc = subprocess.run(
        [sys.executable, "-m", "stato", "registry", "list", "--registry", address],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr == (
        f"error: registry {address}: connection refused at "
        f"{address}/index.toml; is the server up?\n"
    )


def test_404_names_the_registry(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    missing = url.replace("/registry", "/elsewhere")
    code, _, err = run_main(["registry", "list", "--registry", missing], capsys)
    assert code == 1
    assert err.startswith(f"error: registry {missing}: index.toml not available: HTTP 404")
    assert err.count("\n") == 1


def test_missing_archive_is_a_404(registry_dir: Path, tmp_path: Path, project: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.toml").write_bytes((registry_dir / "index.toml").read_bytes())
    server, address = serve(site)
    try:
        with pytest.raises(
            RegistryError, match=r"archive of qc-kit@1\.0\.0 not available: HTTP 404"
        ):
            install(project, "qc-kit", address)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("index", "message"),
    [
        ("[[packages]\nname = 'x'\n", "index.toml is not valid TOML"),
        ("[[packages]]\nname = 'x'\nversion = '1.0.0'\n", "package 'x' is missing description"),
    ],
)
def test_bad_index_is_one_line(
    tmp_path: Path, index: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "index.toml").write_text(index)
    server, address = serve(tmp_path)
    try:
        code, _, err = run_main(["registry", "search", "x", "--registry", address], capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 1
    assert err.startswith(f"error: registry {address}: ") and message in err
    assert err.count("\n") == 1


def test_timeout_is_one_line(registry_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    server, address = serve(registry_dir, SlowHandler)
    try:
        code, _, err = run_main(
            ["registry", "list", "--registry", address, "--timeout", "0.3"], capsys
        )
    finally:
        server.shutdown()
        server.server_close()
    assert code == 1
    assert (
        err == f"error: registry {address}: timed out after 0.3s waiting for {address}index.toml\n"
    )


def test_one_registry_down_still_lists_the_others(
    url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("STATO_REGISTRY", f"http://127.0.0.1:9/,{url}")
    listing = list_packages(None)
    assert {f.registry for f in listing.packages} == {url, "builtin"}
    assert len(listing.failures) == 1 and "127.0.0.1:9" in listing.failures[0]


def test_install_unknown_package_names_the_registries(url: str, project: Path) -> None:
    with pytest.raises(RegistryError, match="package nope not found in"):
        install(project, "nope", url)
    with pytest.raises(RegistryError, match="available versions: 1.0.0"):
        install(project, "qc-kit@2.0.0", url)


@pytest.mark.slow
def test_snapshot_publish_serve_install_end_to_end(tmp_path: Path) -> None:
    """The whole path with real processes: snapshot, publish, serve over HTTP, install."""

    def stato(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "xdg"), "STATO_REGISTRY": ""}
        return subprocess.run(
            [sys.executable, "-m", "stato", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )

    source, target, site = tmp_path / "source", tmp_path / "target", tmp_path / "site"
    assert stato("init", "--path", str(source), "--example").returncode == 0
    assert stato("init", "--path", str(target)).returncode == 0
    archive = tmp_path / "scrna-expert.stato"
    made = stato(
        "snapshot",
        "--name",
        "scrna-expert",
        "--type",
        "skill",
        "--output",
        str(archive),
        "--path",
        str(source),
    )
    assert made.returncode == 0, made.stderr
    published = stato(
        "registry",
        "publish",
        str(archive),
        "--to",
        str(site / "reg"),
        "--version",
        "2.0.0",
        "--tag",
        "scrna-seq",
        "--path",
        str(source),
    )
    assert published.returncode == 0, published.stderr
    server, address = serve(site)
    try:
        found = stato("registry", "search", "scrna", "--json", "--registry", address + "reg")
        installed = stato(
            "registry",
            "install",
            "scrna-expert@2.0.0",
            "--registry",
            address + "reg",
            "--path",
            str(target),
        )
    finally:
        server.shutdown()
        server.server_close()
    assert [p["name"] for p in json.loads(found.stdout)["packages"]] == ["scrna-expert"]
    assert installed.returncode == 0, installed.stderr
    skills = source / ".stato" / "skills"
    for module in skills.iterdir():
        if module.suffix == ".py":
            assert (target / ".stato" / "skills" / module.name).read_text() == module.read_text()


class TruncatingHandler(QuietHandler):
    """Promises a whole archive, sends a few bytes, hangs up."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if not self.path.endswith(".stato"):
            super().do_GET()
            return
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.wfile.write(b"PK\x03\x04 partial")
        self.wfile.flush()
        self.close_connection = True


def test_connection_dropped_mid_download(registry_dir: Path, project: Path) -> None:
    server, address = serve(registry_dir, TruncatingHandler)
    before = tree(project)
    try:
        with pytest.raises(RegistryError) as info:
            install(project, "qc-kit", address)
    finally:
        server.shutdown()
        server.server_close()
    assert str(info.value).startswith(f"registry {address}: the archive of qc-kit@1.0.0 was cut")
    assert "\n" not in str(info.value)
    assert tree(project) == before


class MovedHandler(QuietHandler):
    """The registry moved: only its old index.toml address answers, with a permanent redirect."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        if self.path == "/old/index.toml":
            self.send_response(301)
            self.send_header("Location", "/registry/index.toml")
            self.end_headers()
            return
        super().do_GET()


def test_archive_urls_are_relative_to_where_the_index_was_served(
    registry_dir: Path, project: Path
) -> None:
    # A relative url resolved against the address asked for (/old/), not the one the index
    # came from after the redirect (/registry/): every install of a moved registry was a 404.
    server, address = serve(registry_dir.parent, MovedHandler)
    try:
        result = install(project, "lint-rules", address + "old")
    finally:
        server.shutdown()
        server.server_close()
    assert result.imported.written == ("skills/ruff.py",)
