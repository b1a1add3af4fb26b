"""The registry client against slow, lying and hostile HTTP servers on 127.0.0.1.

Each case runs its own server. A slow drip is stopped by STATO_REGISTRY_TIMEOUT set to a fraction
of a second, so no case takes long; every case checks the one-line error and that nothing was
written.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import re
import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.adapters.config import user_config
from stato.ops.init import init_project
from stato.ops.registry_publish import publish
from tests.conftest import read_terminal
from tests.test_registry_http import make_archive, run_main, skill, tree

DEADLINE = "0.5"
DEADLINE_LINE = "download took longer than 0.5 s; try again or raise STATO_REGISTRY_TIMEOUT"
Route = Callable[["Handler"], None]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    route: Route
    seen: list[tuple[str, dict[str, str]]]


class Handler(BaseHTTPRequestHandler):
    """Hands every GET to the test's route, after noting its path and headers."""

    protocol_version = "HTTP/1.1"
    server: Server

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        self.server.seen.append((self.path, dict(self.headers)))
        # The client giving up (a broken pipe) is what most cases want.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.server.route(self)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def reply(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        headers.setdefault("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def drip(self, data: bytes, every: float = 0.05) -> None:
        """Send ``data`` one byte at a time: each read succeeds, the whole never ends in time."""
        for byte in data[:200]:  # never more than ~10 s, even if the client never gives up
            self.wfile.write(bytes([byte]))
            self.wfile.flush()
            time.sleep(every)


@contextmanager
def serving(route: Route, context: ssl.SSLContext | None = None) -> Iterator[tuple[Server, str]]:
    server = Server(("127.0.0.1", 0), Handler)
    server.route, server.seen = route, []
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    scheme = "https" if context is not None else "http"
    try:
        yield server, f"{scheme}://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry folder (index.toml + kit-1.0.0.stato) made with publish."""
    work = tmp_path_factory.mktemp("hostile")
    archive = make_archive(work / "kit.stato", "kit", {"a": skill("A", "a-skill", ["x"])})
    publish(archive, work / "reg", description="A kit", tags=["qc"])
    return work / "reg"


def static(site: Path, **overrides: Route) -> Route:
    """Serve the registry folder, except for paths ending with a key of ``overrides``."""

    def route(handler: Handler) -> None:
        name = handler.path.rsplit("/", 1)[-1]
        for suffix, special in overrides.items():
            if name.endswith(suffix.replace("_", ".")):
                special(handler)
                return
        path = site / name
        if path.is_file():
            handler.reply(200, path.read_bytes(), Content_Type="application/octet-stream")
        else:
            handler.reply(404, b"<html><body>Not found</body></html>", Content_Type="text/html")

    return route


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("STATO_REGISTRY", raising=False)
    monkeypatch.setenv("STATO_REGISTRY_TIMEOUT", DEADLINE)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    init_project(tmp_path / "proj")
    return tmp_path / "proj"


def stato(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    return run_main(list(args), capsys)


def one_line_error(err: str, address: str) -> str:
    assert err.startswith(f"error: registry {address}: "), err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err[len(f"error: registry {address}: ") : -1]


# --- slow servers: the overall deadline -------------------------------------------------------


def drip_body(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.drip(b"# " * 500)


def drip_headers(handler: Handler) -> None:
    handler.drip(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 300)


def half_then_silence_keepalive(handler: Handler) -> None:
    """Promises 100000 bytes, sends 10, keeps the connection open without a word."""
    handler.send_response(200)
    handler.send_header("Content-Length", "100000")
    handler.end_headers()
    handler.wfile.write(b"# partial\n")
    handler.wfile.flush()
    time.sleep(3)


@pytest.mark.parametrize(
    "route", [drip_body, drip_headers, half_then_silence_keepalive], ids=lambda r: r.__name__
)
def test_a_slow_index_stops_at_the_deadline(
    site: Path, route: Route, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(static(site, index_toml=route)) as (_, address):
        code, out, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and out == ""
    assert one_line_error(err, address) == DEADLINE_LINE


def test_a_slow_archive_stops_at_the_deadline_and_writes_nothing(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(project)
    with serving(static(site, _stato=drip_body)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "install", "kit", "--registry", address, "--path", str(project)
        )
    assert code == 1
    assert one_line_error(err, address) == DEADLINE_LINE
    assert tree(project) == before


def test_a_slow_tls_handshake_stops_at_the_deadline(capsys: pytest.CaptureFixture[str]) -> None:
    """The server answers the TLS hello with a record it never finishes, a byte at a time."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip_handshake() -> None:
        conn, _ = listener.accept()
        with conn, contextlib.suppress(OSError):
            conn.sendall(b"\x16\x03\x03\x40\x00")  # a 16 KiB handshake record follows...
            while not stop.wait(0.05):
                conn.sendall(b"\x00")  # ...one byte at a time

    threading.Thread(target=drip_handshake, daemon=True).start()
    address = f"https://127.0.0.1:{listener.getsockname()[1]}/"
    try:
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    finally:
        stop.set()
        listener.close()
    assert code == 1
    assert one_line_error(err, address) == DEADLINE_LINE


def test_search_stops_at_the_deadline_too(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with serving(static(site, index_toml=drip_headers)) as (_, address):
        code, _, err = stato(capsys, "registry", "search", "kit", "--registry", address)
    assert code == 1 and DEADLINE_LINE in err


def test_the_deadline_comes_from_the_config_when_the_env_is_unset(
    site: Path, project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("STATO_REGISTRY_TIMEOUT")
    (project / ".stato" / "config.toml").write_text("[registry]\ntimeout = 0.4\n")
    with serving(static(site, index_toml=drip_body)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "list", "--registry", address, "--path", str(project)
        )
    assert code == 1
    assert "download took longer than 0.4 s;" in one_line_error(err, address)


@pytest.mark.parametrize("value", ["soon", "0", "-3", "nan", "inf"])
def test_a_bad_deadline_is_one_line(
    value: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("STATO_REGISTRY_TIMEOUT", value)
    code, _, err = stato(capsys, "registry", "list", "--registry", "http://127.0.0.1:9/")
    assert code == 1
    assert err.startswith("error: STATO_REGISTRY_TIMEOUT") and err.count("\n") == 1


def test_a_bad_config_deadline_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from stato.adapters.config import registry_deadline
    from stato.errors import StatoError

    monkeypatch.delenv("STATO_REGISTRY_TIMEOUT")
    (project / ".stato" / "config.toml").write_text('[registry]\ntimeout = "ten"\n')
    with pytest.raises(StatoError, match=r"registry\.timeout must be a number"):
        registry_deadline(project)
    (project / ".stato" / "config.toml").write_text("[registry]\ntimeout = 30\n")
    assert registry_deadline(project) == 30.0
    monkeypatch.setenv("STATO_REGISTRY_TIMEOUT", "7.5")
    assert registry_deadline(project) == 7.5  # the environment wins over the config file


def test_help_documents_the_deadline() -> None:
    from click.testing import CliRunner

    from stato.cli import cli

    for command in ("install", "list", "search"):
        text = CliRunner().invoke(cli, ["registry", command, "--help"]).output
        assert "STATO_REGISTRY_TIMEOUT" in text, command


# --- servers that lie about sizes ---------------------------------------------------------------


def test_content_length_smaller_than_the_archive_is_a_checksum_failure(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = next(site.glob("*.stato")).read_bytes()

    def short_length(handler: Handler) -> None:
        handler.reply(200, data, Content_Length=str(len(data) // 2))

    before = tree(project)
    with serving(static(site, _stato=short_length)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "install", "kit", "--registry", address, "--path", str(project)
        )
    assert code == 1
    assert "checksum mismatch" in one_line_error(err, address)
    assert tree(project) == before


def test_an_html_page_instead_of_the_archive_is_named(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def page(handler: Handler) -> None:
        handler.reply(200, b"<!DOCTYPE html><html>Download will start shortly</html>")

    before = tree(project)
    with serving(static(site, _stato=page)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "install", "kit", "--registry", address, "--path", str(project)
        )
    assert code == 1
    message = one_line_error(err, address)
    assert "checksum mismatch" in message and "an HTML page, not an archive" in message
    assert tree(project) == before


def test_content_length_larger_then_hang_up_is_cut_short(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def liar(handler: Handler) -> None:
        handler.reply(200, b"PK\x03\x04 partial", Content_Length="100000", Connection="close")
        handler.close_connection = True

    with serving(static(site, _stato=liar)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "install", "kit", "--registry", address, "--path", str(project)
        )
    assert code == 1 and "was cut short" in one_line_error(err, address)


def test_a_content_length_above_the_cap_is_refused_before_reading(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def huge(handler: Handler) -> None:
        handler.reply(200, b"PK", Content_Length=str(10**12))

    before = tree(project)
    with serving(static(site, _stato=huge)) as (_, address):
        code, _, err = stato(
            capsys, "registry", "install", "kit", "--registry", address, "--path", str(project)
        )
    assert code == 1
    assert f"is {10**12} bytes, more than the 67108864 allowed" in one_line_error(err, address)
    assert tree(project) == before


def endless_chunks(handler: Handler) -> None:
    handler.send_response(200)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    piece = b"#" * 65535 + b"\n"
    for _ in range(200):  # 12.8 MiB at most, far above the 4 MiB index cap
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))


def test_a_chunked_index_above_the_cap_is_refused(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(static(site, index_toml=endless_chunks)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1
    assert "more than the 4194304 bytes allowed" in one_line_error(err, address)


def test_a_chunked_body_cut_mid_chunk_is_cut_short(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def cut(handler: Handler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler.wfile.write(b"400\r\n# only a little")
        handler.close_connection = True

    with serving(static(site, index_toml=cut)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and "cut short" in one_line_error(err, address)


# --- compression nobody asked for -----------------------------------------------------------


def test_gzip_is_not_advertised_and_a_bomb_is_capped(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bomb = gzip.compress(b"\n" * (16 * 1024 * 1024), compresslevel=9)  # 16 MiB from ~16 KiB

    def send_bomb(handler: Handler) -> None:
        handler.reply(200, bomb, Content_Encoding="gzip")

    with serving(static(site, index_toml=send_bomb)) as (server, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert len(bomb) < 200_000
    assert code == 1
    message = one_line_error(err, address)
    assert "more than the 4194304 bytes allowed" in message and "gzip" in message
    headers = {k.lower(): v for k, v in server.seen[0][1].items()}
    assert headers.get("accept-encoding", "identity") == "identity"


@pytest.mark.parametrize("encoding", ["gzip", "x-gzip", "deflate"])
def test_an_honest_compressed_index_is_read(
    site: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import zlib

    text = (site / "index.toml").read_bytes()
    body = zlib.compress(text) if encoding == "deflate" else gzip.compress(text)

    def send(handler: Handler) -> None:
        handler.reply(200, body, Content_Encoding=encoding)

    with serving(static(site, index_toml=send)) as (_, address):
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", address)
    assert code == 0, err
    assert [p["name"] for p in json.loads(out)["packages"]] == ["kit"]


def test_an_unknown_encoding_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def brotli(handler: Handler) -> None:
        handler.reply(200, b"\x1b\x00\x00", Content_Encoding="br")

    with serving(static(site, index_toml=brotli)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and "'br'" in one_line_error(err, address)


def test_a_truncated_gzip_body_is_cut_short(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = gzip.compress((site / "index.toml").read_bytes())[:-12]

    def send(handler: Handler) -> None:
        handler.reply(200, body, Content_Encoding="gzip")

    with serving(static(site, index_toml=send)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and "cut short" in one_line_error(err, address)


# --- redirects -------------------------------------------------------------------------------


def redirect_to(target: str, code: int = 302) -> Route:
    def route(handler: Handler) -> None:
        handler.reply(code, b"<html>moved</html>", Location=target, Content_Type="text/html")

    return route


def test_a_redirect_to_another_host_is_followed(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        serving(static(site)) as (target, elsewhere),
        serving(lambda h: redirect_to(elsewhere + h.path.lstrip("/"), 301)(h)) as (_, here),
    ):
        code, out, err = stato(
            capsys, "registry", "install", "kit", "--registry", here, "--path", str(project)
        )
    assert code == 0, err
    assert (project / ".stato" / "skills" / "a.py").is_file()
    assert [path for path, _ in target.seen] == ["/index.toml", "/kit-1.0.0.stato"]


def test_credentials_are_sent_and_never_follow_a_redirect_elsewhere(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with (
        serving(static(site)) as (target, elsewhere),
        serving(redirect_to(elsewhere + "index.toml")) as (origin, here),
    ):
        address = here.replace("http://", "http://ann:s3cret@")
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", address)
    assert code == 0, err
    token = base64.b64encode(b"ann:s3cret").decode()
    assert origin.seen[0][1].get("Authorization") == f"Basic {token}"
    assert "Authorization" not in target.seen[0][1]
    assert "s3cret" not in out + err


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("file:///etc/passwd", "redirected to a file: address"),
        ("ftp://127.0.0.1/index.toml", "redirected to a ftp: address"),
        ("index.toml", "redirect loop"),
    ],
)
def test_refused_redirects(
    site: Path, target: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(static(site, index_toml=redirect_to(target))) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1
    assert expected in one_line_error(err, address)


@pytest.mark.parametrize(("hops", "ok"), [(5, True), (6, False)])
def test_at_most_five_redirects(
    site: Path, hops: int, ok: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    def route(handler: Handler) -> None:
        step = int(handler.path.strip("/").split("/")[0] or 0) if handler.path[1:2].isdigit() else 0
        if step < hops:
            redirect_to(f"/{step + 1}/index.toml", 307)(handler)
        else:
            static(site)(handler)

    with serving(route) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    if ok:
        assert code == 0, err
    else:
        assert code == 1 and "more than 5 redirects" in one_line_error(err, address)


# --- error pages, odd codes, odd content types ----------------------------------------------


def test_an_html_error_page_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = b"<!DOCTYPE html><html><body>" + b"<p>Oops</p>\n" * 500 + b"</body></html>"

    def broken(handler: Handler) -> None:
        handler.reply(503, page, Content_Type="text/html")

    with serving(static(site, index_toml=broken)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1
    message = one_line_error(err, address)
    assert "HTTP 503" in message and "<" not in message


def test_a_hostile_reason_phrase_is_cleaned(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def route(handler: Handler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 500 \x1b[31mEVIL" + b"x" * 3000 + b"\r\nContent-Length: 0\r\n\r\n"
        )

    with serving(static(site, index_toml=route)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1
    message = one_line_error(err, address)
    assert "\x1b" not in message and len(message) < 300 and "HTTP 500" in message


def test_a_login_page_instead_of_the_index_is_named(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def portal(handler: Handler) -> None:
        handler.reply(200, b"<!doctype html>\n<html><form>Sign in</form></html>")

    with serving(static(site, index_toml=portal)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and "HTML page" in one_line_error(err, address)


@pytest.mark.parametrize("status", [204, 206])
def test_only_200_is_a_download(
    site: Path, status: int, capsys: pytest.CaptureFixture[str]
) -> None:
    def route(handler: Handler) -> None:
        body = (site / "index.toml").read_bytes() if status == 206 else b""
        handler.reply(status, body)

    with serving(static(site, index_toml=route)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and f"HTTP {status}" in one_line_error(err, address)


@pytest.mark.parametrize("content_type", ["text/html", "application/octet-stream", "text/plain"])
def test_any_content_type_is_accepted_for_a_valid_index(
    site: Path, content_type: str, capsys: pytest.CaptureFixture[str]
) -> None:
    def route(handler: Handler) -> None:
        handler.reply(200, (site / "index.toml").read_bytes(), Content_Type=content_type)

    with serving(static(site, index_toml=route)) as (_, address):
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", address)
    assert code == 0, err and json.loads(out)["packages"]


def test_an_index_with_a_byte_order_mark_is_read(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def route(handler: Handler) -> None:
        handler.reply(200, b"\xef\xbb\xbf" + (site / "index.toml").read_bytes())

    with serving(static(site, index_toml=route)) as (_, address):
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", address)
    assert code == 0, err
    assert [p["name"] for p in json.loads(out)["packages"]] == ["kit"]


# --- credentials -----------------------------------------------------------------------------


def basic_auth(site: Path, user: str, password: str) -> Route:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def route(handler: Handler) -> None:
        if handler.headers.get("Authorization") != expected:
            handler.reply(401, b"<html>no</html>", WWW_Authenticate='Basic realm="reg"')
            return
        static(site)(handler)

    return route


def test_credentials_in_the_address_log_in_and_are_never_printed(
    site: Path, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(basic_auth(site, "ann", "p@ss:word")) as (_, address):
        good = address.replace("http://", "http://ann:p%40ss%3Aword@")
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", good)
        assert code == 0, err
        assert "p%40ss" not in out and json.loads(out)["registries"] == [
            address.replace("http://", "http://***@")
        ]
        code, out, err = stato(
            capsys, "registry", "install", "kit", "--json", "--registry", good,
            "--path", str(project),
        )  # fmt: skip
        assert code == 0, err
        assert "p%40ss" not in out
        bad = address.replace("http://", "http://ann:wrong-secret@")
        code, out, err = stato(capsys, "registry", "list", "--registry", bad)
    assert code == 1
    message = one_line_error(err, address.replace("http://", "http://***@"))
    assert "HTTP 401" in message and "wrong-secret" not in err


def test_registry_add_and_remove_never_echo_a_password(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    address = "https://ann:hunter2@registry.example/team"
    config = user_config()  # a login goes only into the user's own config, never the project's
    printed = ""
    for verb, expected in (("add", 0), ("add", 1), ("remove", 0), ("remove", 1)):
        code, out, err = stato(capsys, "registry", verb, address, "--user", "--path", str(project))
        assert code == expected, err
        assert "https://***@registry.example/team" in out + err
        printed += out + err
        if verb == "add":
            assert "hunter2" in config.read_text()  # the config keeps the address as written
    code, out, err = stato(capsys, "registry", "add", address, "--path", str(project))
    assert code == 2 and "--user" in err
    printed += out + err
    assert "hunter2" not in printed


def test_credentials_are_not_printed_when_the_server_is_down(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = stato(
        capsys, "registry", "list", "--registry", "http://bob:hunter2@127.0.0.1:9/reg"
    )
    assert code == 1 and "hunter2" not in err and "***@127.0.0.1:9" in err


# --- TLS -------------------------------------------------------------------------------------


def test_tls_to_a_plain_http_server_reads_clearly(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with serving(static(site)) as (_, address):
        secure = address.replace("http://", "https://")
        code, _, err = stato(capsys, "registry", "list", "--registry", secure)
    assert code == 1
    message = one_line_error(err, secure)
    assert "TLS" in message and "_ssl.c" not in message


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


def tls_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def test_an_untrusted_certificate_reads_clearly_and_ssl_cert_file_fixes_it(
    site: Path,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    with serving(static(site), tls_context(certificate)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
        assert code == 1
        message = one_line_error(err, address)
        assert "certificate" in message and "SSL_CERT_FILE" in message
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", address)
    assert code == 0, err


def test_a_slow_https_body_stops_at_the_deadline(
    site: Path,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with serving(static(site, index_toml=drip_body), tls_context(certificate)) as (_, address):
        code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1
    assert one_line_error(err, address) == DEADLINE_LINE


def test_a_redirect_from_https_to_http_is_refused(
    site: Path,
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    with serving(static(site)) as (plain, elsewhere):
        route = static(site, index_toml=redirect_to(elsewhere + "index.toml"))
        with serving(route, tls_context(certificate)) as (_, address):
            code, _, err = stato(capsys, "registry", "list", "--registry", address)
    assert code == 1 and "https to http" in one_line_error(err, address)
    assert plain.seen == []


# --- the progress bar on a terminal ----------------------------------------------------------


def run_on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run stato with stderr on a pseudo-terminal (where the progress bar is drawn)."""
    pty = pytest.importorskip("pty")
    import os
    import sys

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "stato", *args],
        stdout=subprocess.PIPE,
        stderr=follower,
        env={**os.environ, **env, "TERM": "xterm", "COLUMNS": "100"},
        text=True,
    )
    os.close(follower)
    screen = read_terminal(leader)
    out, _ = proc.communicate(timeout=60)
    os.close(leader)
    return proc.returncode, out, screen.decode("utf-8", "replace")


def slow_archive(site: Path) -> Route:
    def route(handler: Handler) -> None:
        data = next(site.glob("*.stato")).read_bytes()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        step = len(data) // 8 + 1
        for start in range(0, len(data), step):
            handler.wfile.write(data[start : start + step])
            handler.wfile.flush()
            time.sleep(0.08)  # slow enough for a few refreshes of the bar

    return route


def test_a_terminal_shows_a_progress_bar_and_a_deadline_error_stays_one_line(
    site: Path, project: Path, tmp_path: Path
) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "STATO_REGISTRY_TIMEOUT": "30"}
    args = ["registry", "install", "kit", "--path", str(project), "--registry"]
    with serving(static(site, _stato=slow_archive(site))) as (_, address):
        code, out, screen = run_on_a_terminal([*args, address], env)
    assert code == 0, screen
    assert "downloading kit" in screen and "Installed kit@1.0.0" in out
    assert re.search(r"[\d.]+/[\d.]+ (bytes|kB)", screen), screen  # bytes so far / total
    with serving(static(site, _stato=drip_body)) as (_, address):
        code, out, screen = run_on_a_terminal(
            [*args, address, "--on-conflict", "replace"], {**env, "STATO_REGISTRY_TIMEOUT": "0.5"}
        )
    assert code == 1
    assert screen.rstrip().endswith(f"error: registry {address}: {DEADLINE_LINE}"), screen


def test_a_login_follows_a_redirect_on_the_same_server(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    guarded = basic_auth(site, "ann", "s3cret")

    def route(handler: Handler) -> None:
        if handler.path == "/index.toml":
            redirect_to("/moved/index.toml")(handler)  # no login needed to be sent on
        else:
            guarded(handler)

    with serving(route) as (server, address):
        login = address.replace("http://", "http://ann:s3cret@")
        code, out, err = stato(capsys, "registry", "list", "--json", "--registry", login)
    assert code == 0, err
    assert [path for path, _ in server.seen] == ["/index.toml", "/moved/index.toml"]


@pytest.mark.parametrize(
    ("old", "new", "same"),
    [
        ("http://h/a", "http://h/b", True),
        ("http://h/a", "https://h/b", True),  # the usual upgrade to https keeps the login
        ("http://h:8080/a", "https://h/b", False),
        ("https://h/a", "https://h:8443/b", False),
        ("https://h/a", "https://other/b", False),
        ("https://h/a", "https://H/b", True),
    ],
)
def test_which_redirects_keep_the_login(old: str, new: str, same: bool) -> None:
    from stato.adapters.http import _same_server

    assert _same_server(old, new) is same


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["http", "https", "HTTPS", "file"]),
    st.text(st.characters(blacklist_characters="/?#", blacklist_categories=("Cs",)), max_size=20),
    st.from_regex(r"[a-z0-9.-]{1,12}(:[0-9]{1,5})?", fullmatch=True),
    st.from_regex(r"(/[A-Za-z0-9._~-]{0,8}){0,3}", fullmatch=True),
)
def test_redact_hides_any_login_and_keeps_the_rest(
    scheme: str, login: str, host: str, path: str
) -> None:
    from stato.adapters.http import redact

    shown = redact(f"{scheme}://{login}@{host}{path}")
    assert shown == f"{scheme}://***@{host}{path}"
    assert redact(f"{scheme}://{host}{path}") == f"{scheme}://{host}{path}"
