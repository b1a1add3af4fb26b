"""Guarded HTTP downloads: an overall deadline, a redirect policy, capped decompression.

What the registry client needs from urllib, and urllib does not give: a deadline that ends a
download dripping one byte at a time, redirects limited to http(s) (never to https -> http, never
to file:), credentials kept to the server they were given for and never printed, and bodies a
server compressed unasked decoded without ever passing the size cap.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    import socket
    import urllib.request
    from http.client import HTTPResponse

MAX_REDIRECTS = 5  # http(s) only; never https -> http, never to file: or any other scheme

_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@")


def redact(address: str) -> str:
    """``address`` with any ``user:password@`` shown as ``***@``: what every message prints."""
    return _USERINFO.sub(r"\1***@", address)


def clean(text: object, limit: int = 80) -> str:
    """Server-sent text made safe for one terminal line: printable and short."""
    line = "".join(c if c.isprintable() else "?" for c in str(text)).strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def status(code: int, reason: object) -> str:
    return f"HTTP {code} {clean(reason)}".rstrip()


class Refused(Exception):
    """A redirect stato will not follow; its text is the reason."""


class Watchdog:
    """Shuts every socket of one download when its deadline passes, so no read can outlast it.

    Per-read timeouts alone never end a download that sends a byte every few seconds.
    """

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()
        with self._lock:
            for sock in self._socks:
                sock.close()
            self._socks.clear()

    def connect(self, address: Any, timeout: Any = None, source: Any = None) -> socket.socket:
        """socket.create_connection, watched (stands in for HTTPConnection's own)."""
        import socket

        sock = socket.create_connection(address, timeout, source)
        with self._lock:
            # A second handle on the same socket: TLS detaches the first when it wraps it, and
            # shutting down this one still ends a read stuck in the TLS handshake or the body.
            self._socks.append(sock.dup())
            if self.expired:  # the deadline passed while this socket was connecting
                self._shut(self._socks[-1])
        return sock

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._socks:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        import contextlib
        import socket

        with contextlib.suppress(OSError):  # already closed by the reader: nothing to stop
            sock.shutdown(socket.SHUT_RDWR)


def opener(watch: Watchdog) -> urllib.request.OpenerDirector:
    """urllib with watched sockets, our redirect policy, and only the http(s) handlers."""
    import http.client
    import urllib.request

    class HTTP(http.client.HTTPConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = watch.connect  # the hook http.client offers for this

    class HTTPS(http.client.HTTPSConnection):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._create_connection = watch.connect

    class HTTPHandler(urllib.request.HTTPHandler):
        def http_open(self, req: urllib.request.Request) -> HTTPResponse:
            return self.do_open(HTTP, req)

    class HTTPSHandler(urllib.request.HTTPSHandler):
        def https_open(self, req: urllib.request.Request) -> HTTPResponse:
            return self.do_open(HTTPS, req)

    class Redirects(urllib.request.HTTPRedirectHandler):
        max_redirections = MAX_REDIRECTS

        def http_error_302(self, req: Any, fp: Any, code: Any, msg: Any, headers: Any) -> Any:
            fp.close()  # the body of a redirect is never read: it could be endless
            target = headers.get("location") or headers.get("uri")
            if target:
                _check_redirect(req, urljoin(req.full_url, target.strip()))
            return super().http_error_302(req, fp, code, msg, headers)

        http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

        def redirect_request(
            self, req: Any, fp: Any, code: Any, msg: Any, hdrs: Any, new: Any
        ) -> Any:
            request = super().redirect_request(req, fp, code, msg, hdrs, new)
            auth = req.unredirected_hdrs.get("Authorization")
            if request is not None and auth and _same_server(req.full_url, new):
                request.add_unredirected_header("Authorization", auth)
            return request

    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),  # honours http(s)_proxy and no_proxy
        HTTPHandler(),
        HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), (parts.hostname or "").lower(), parts.port


def _same_server(old: str, new: str) -> bool:
    """Whether a login sent to ``old`` may follow a redirect to ``new`` (as requests decides)."""
    (old_scheme, old_host, old_port), (scheme, host, port) = origin(old), origin(new)
    if old_host != host:
        return False
    upgrade = (old_scheme, scheme) == ("http", "https") and old_port in (None, 80)
    return (old_scheme, old_port) == (scheme, port) or (upgrade and port in (None, 443))


def _check_redirect(req: Any, new: str) -> None:
    scheme = urlsplit(new).scheme.lower()
    hops: dict[str, int] = getattr(req, "redirect_dict", {})
    problem = None
    if scheme not in ("http", "https"):
        problem = f"redirected to a {scheme}: address; only http(s) redirects are followed"
    elif scheme == "http" and urlsplit(req.full_url).scheme.lower() == "https":
        problem = f"redirected from https to http ({redact(new)}); refused, it would be unencrypted"
    elif new == req.full_url or new in hops:
        problem = f"redirect loop at {redact(new)}; check the address"
    elif len(hops) >= MAX_REDIRECTS:
        problem = f"more than {MAX_REDIRECTS} redirects, the last to {redact(new)}"
    if problem:
        raise Refused(problem)


class Inflater:
    """Decodes a gzip or zlib body the server sent unasked, never past the size cap."""

    def __init__(self) -> None:
        import zlib

        self._zlib = zlib
        self._obj = zlib.decompressobj(47)  # 32 + 15: gzip or zlib header, detected

    def feed(self, data: bytes, room: int) -> bytes:
        """At most ``room + 1`` bytes: one more than the room left means over the cap."""
        out = b""
        while data and len(out) <= room:
            if self._obj.eof:  # concatenated gzip members are one body
                self._obj = self._zlib.decompressobj(47)
            out += self._obj.decompress(data, room + 1 - len(out))
            data = self._obj.unconsumed_tail or self._obj.unused_data
        return out

    @property
    def complete(self) -> bool:
        return self._obj.eof
