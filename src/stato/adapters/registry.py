"""Registry client: read an index and download archives from a folder, file:// or http(s)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from stato import __version__
from stato.adapters.config import DEFAULT_DEADLINE, TIMEOUT_ENV
from stato.adapters.http import Inflater, Refused, Watchdog, clean, opener, origin, redact, status
from stato.adapters.registry_location import Location
from stato.errors import RegistryError
from stato.formats.registry_index import INDEX_FILE, PackageEntry, RegistryIndex, parse_index

if TYPE_CHECKING:
    import urllib.request
    from http.client import HTTPResponse


DEFAULT_TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_INDEX_BYTES = 4 * 1024 * 1024
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
CHUNK = 256 * 1024

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


class RegistryClient:
    """One registry: fetch its index, resolve and download its archives, with explicit timeouts.

    ``timeout`` bounds connecting and each read; ``deadline`` bounds a whole download.
    """

    def __init__(
        self, location: Location, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None
    ) -> None:
        self.location = location
        self.timeout = timeout
        self.deadline = DEFAULT_DEADLINE if deadline is None else deadline
        # where index.toml came from after redirects: relative archive urls are relative to it
        self.index_url: str | None = None

    def _fail(self, message: str) -> RegistryError:
        return RegistryError(f"registry {self.location.label}: {message}")

    def index(self) -> RegistryIndex:
        data = self._get(self._join(INDEX_FILE), MAX_INDEX_BYTES, None, what="index.toml")
        data = data.removeprefix(b"\xef\xbb\xbf")  # a BOM from a Windows editor is no error
        try:
            return parse_index(data, self.location.label)
        except RegistryError:
            if data.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html", b"<head")):
                raise self._fail(
                    "the address answered with an HTML page, not index.toml; check the "
                    "address (a login page or a web site's own page?)"
                ) from None
            raise

    def archive_address(self, entry: PackageEntry) -> str:
        """Where an entry's archive lives; relative urls are relative to the registry folder."""
        url = entry.url.strip()
        scheme = urlsplit(url).scheme.lower()
        if scheme in ("http", "https"):
            return url
        if self.location.kind == "http":
            if scheme:
                raise self._fail(
                    f"{entry.spec} has a {scheme}: url; an http registry may "
                    "only point at http(s) archives"
                )
            return urljoin(self.index_url or self.location.base, url)
        if scheme == "file":
            return unquote(urlsplit(url).path)
        if Path(url).is_absolute() or ".." in Path(url).parts:
            raise self._fail(
                f"{entry.spec} has url {url!r} outside the registry folder; "
                "use a path relative to index.toml"
            )
        return str(Path(self.location.base) / url)

    def download(self, entry: PackageEntry, progress: Progress | None = None) -> bytes:
        """The archive's bytes (not yet verified: the caller checks the sha256)."""
        return self._get(
            self.archive_address(entry),
            MAX_ARCHIVE_BYTES,
            progress,
            what=f"the archive of {entry.spec}",
        )

    def _join(self, name: str) -> str:
        if self.location.kind == "http":
            return urljoin(self.location.base, name)
        return str(Path(self.location.base) / name)

    def _get(self, address: str, limit: int, progress: Progress | None, what: str) -> bytes:
        if urlsplit(address).scheme.lower() in ("http", "https"):
            return self._get_http(address, limit, progress, what)
        return self._get_file(Path(address), limit, progress, what)

    def _get_file(self, path: Path, limit: int, progress: Progress | None, what: str) -> bytes:
        try:
            info = path.stat()
            if stat.S_ISDIR(info.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(info.st_mode):  # a fifo or a device would block or never end
                raise self._fail(f"{path} is not a regular file")
            if info.st_size > limit:
                raise self._fail(f"{what} is {info.st_size} bytes, more than the {limit} allowed")
            data = path.read_bytes()
        except FileNotFoundError:
            if what == "index.toml" and not path.parent.is_dir():
                raise self._fail(
                    f"folder {path.parent} does not exist; check the address"
                ) from None
            raise self._fail(f"{what} not found at {path}") from None
        except IsADirectoryError:
            raise self._fail(f"{path} is a folder, expected a file") from None
        except PermissionError:
            raise self._fail(f"cannot read {path} (permission denied)") from None
        if progress is not None:
            progress(len(data), len(data))
        return data

    def _request(self, url: str) -> urllib.request.Request:
        """A GET without credentials in its URL; they travel as Basic auth, to this server only."""
        import base64
        import urllib.request

        parts = urlsplit(url)
        base = urlsplit(self.location.base)
        if "@" not in parts.netloc and "@" in base.netloc and origin(url) == origin(base.geturl()):
            parts = parts._replace(netloc=base.netloc)  # the registry's login for its own archives
        request = urllib.request.Request(
            urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2])),
            # Only identity is asked for; a server that compresses anyway is still capped.
            headers={"User-Agent": f"stato/{__version__}", "Accept-Encoding": "identity"},
        )
        if "@" in parts.netloc:
            login = f"{unquote(parts.username or '')}:{unquote(parts.password or '')}"
            token = base64.b64encode(login.encode("utf-8")).decode("ascii")
            request.add_unredirected_header("Authorization", f"Basic {token}")
        return request

    def _get_http(self, url: str, limit: int, progress: Progress | None, what: str) -> bytes:
        import time

        late = self._fail(
            f"download took longer than {self.deadline:g} s; try again or raise {TIMEOUT_ENV}"
        )
        end = time.monotonic() + self.deadline
        with Watchdog(self.deadline) as watch:
            try:
                data = self._fetch(url, limit, progress, what, watch)
            except RegistryError:
                # A socket shut by the watchdog fails in many ways; they all mean "too slow".
                if watch.expired or time.monotonic() >= end:
                    raise late from None
                raise
            if watch.expired:  # the shut socket looked like the end of the body
                raise late
            return data

    def _fetch(
        self, url: str, limit: int, progress: Progress | None, what: str, watch: Watchdog
    ) -> bytes:
        import http.client
        import urllib.error

        shown = redact(url)
        host = urlsplit(shown).hostname or shown
        login = False
        try:
            request = self._request(url)
            login = request.get_header("Authorization") is not None
            timeout = min(self.timeout, self.deadline)
            with opener(watch).open(request, timeout=timeout) as response:
                data = self._read(response, limit, progress, what, shown)
                if what == "index.toml":
                    self.index_url = response.geturl()
                return data
        except Refused as exc:
            raise self._fail(f"{what}: {exc}") from None
        except urllib.error.HTTPError as exc:
            exc.close()  # never read: an error page may be huge, slow or hostile
            hint = ""
            if exc.code in (401, 403):
                hint = (
                    "; the login in the address was refused"
                    if login
                    else "; it needs a login: https://USER:TOKEN@host/... (never printed)"
                )
            elif exc.code in (404, 410) and what == "index.toml":
                hint = "; check the registry address"
            elif exc.code in (404, 410):
                hint = "; the index lists it but the registry does not publish it (yet)"
            elif exc.code == 429 or exc.code >= 500:
                hint = "; the server is busy or failing, try again later"
            raise self._fail(
                f"{what} not available: {status(exc.code, exc.reason)} ({shown}){hint}"
            ) from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, OSError):
                raise self._oserror(exc.reason, shown, host) from None
            raise self._fail(f"cannot reach {shown} ({clean(exc.reason)})") from None
        except http.client.IncompleteRead as exc:
            raise self._fail(
                f"{what} was cut short ({len(exc.partial)} bytes, then the server stopped "
                f"mid-chunk, from {shown}); try again"
            ) from None
        except OSError as exc:
            raise self._oserror(exc, shown, host) from None
        except http.client.HTTPException as exc:
            detail = clean(exc) or type(exc).__name__
            raise self._fail(f"connection failed reading {shown} ({detail})") from None
        except ValueError as exc:  # malformed URL, bad port and friends
            raise self._fail(f"invalid address {shown} ({clean(redact(str(exc)))})") from None

    def _oserror(self, exc: OSError, shown: str, host: str) -> RegistryError:
        import ssl

        if isinstance(exc, ssl.SSLCertVerificationError):
            return self._fail(
                f"the TLS certificate of {host} could not be verified "
                f"({clean(exc.verify_message or exc.reason)}); if it uses a private CA, "
                "point SSL_CERT_FILE at its certificate"
            )
        if isinstance(exc, ssl.SSLError):
            return self._fail(
                f"TLS handshake with {host} failed ({clean(exc.reason or exc)}); "
                f"check that {shown} serves https"
            )
        if isinstance(exc, TimeoutError):
            return self._fail(f"timed out after {self.timeout:g}s waiting for {shown}")
        if isinstance(exc, ConnectionRefusedError):
            return self._fail(f"connection refused at {shown}; is the server up?")
        text = clean(exc.strerror or str(exc) or type(exc).__name__)
        return self._fail(f"cannot reach {shown} ({text})")

    def _read(
        self, response: HTTPResponse, limit: int, progress: Progress | None, what: str, shown: str
    ) -> bytes:
        import zlib

        if response.status != 200:  # 204, 206 and the like are not a whole file
            raise self._fail(
                f"{what} not available: {status(response.status, response.reason)} "
                f"({shown}); expected 200"
            )
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", "gzip", "x-gzip", "deflate"):
            raise self._fail(
                f"{what} came {clean(encoding)!r}-encoded, which stato cannot read; "
                "serve it uncompressed"
            )
        inflater = None if encoding == "identity" else Inflater()
        length = (response.headers.get("Content-Length") or "").strip()
        total = int(length) if length.isdigit() else None
        if total is not None and total > limit:
            raise self._fail(f"{what} is {total} bytes, more than the {limit} allowed")
        chunks: list[bytes] = []
        done = size = 0
        while chunk := response.read1(CHUNK):  # one read at a time: the progress bar moves
            done += len(chunk)
            if inflater is not None:
                try:
                    chunk = inflater.feed(chunk, limit - size)
                except zlib.error:
                    raise self._fail(f"{what} is not valid {encoding} data ({shown})") from None
            size += len(chunk)
            if size > limit:
                unpacked = f" once {encoding}-decompressed" if inflater else ""
                raise self._fail(f"{what} is more than the {limit} bytes allowed{unpacked}")
            chunks.append(chunk)
            if progress is not None:
                progress(done, total)
        if (total is not None and done != total) or (inflater and not inflater.complete):
            got = f"{done} of {total}" if total is not None else f"{done}"
            raise self._fail(f"{what} was cut short ({got} bytes from {shown}); try again")
        return b"".join(chunks)
