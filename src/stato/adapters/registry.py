"""Registry client: read an index and download archives from a folder, file:// or http(s)."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from stato import __version__
from stato.errors import RegistryError
from stato.formats.registry_index import INDEX_FILE, PackageEntry, RegistryIndex, parse_index

DEFAULT_TIMEOUT = 10.0  # seconds, for connecting and for each read
MAX_INDEX_BYTES = 4 * 1024 * 1024
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
CHUNK = 256 * 1024
BUILTIN = "builtin"

Progress = Callable[[int, int | None], None]  # (bytes so far, total or None)


@dataclass(frozen=True)
class Location:
    """Where a registry lives: kind "folder" (base is a path) or "http" (base is a URL)."""

    spec: str  # what the user wrote, used in every message
    kind: str
    base: str

    @property
    def label(self) -> str:
        return self.spec


def builtin_folder() -> Path:
    """The registry shipped inside the package (works offline)."""
    import stato.data

    return Path(stato.data.__file__).parent / "registry"


def locate(spec: str, relative_to: Path | None = None) -> Location:
    """Turn a registry address (folder, file:// URL, http(s) URL or "builtin") into a Location."""
    spec = spec.strip()
    if not spec:
        raise RegistryError("registry address is empty; give a folder or an http(s):// URL")
    if spec == BUILTIN:
        return Location(BUILTIN, "folder", str(builtin_folder()))
    scheme = urlsplit(spec).scheme.lower()
    # A registry names a folder; an address of its index.toml means that folder too.
    folder = spec[: -len(INDEX_FILE)] if spec.endswith("/" + INDEX_FILE) else spec
    if scheme in ("http", "https"):
        return Location(spec, "http", folder if folder.endswith("/") else folder + "/")
    if scheme == "file":
        parts = urlsplit(folder)
        if parts.netloc not in ("", "localhost"):
            raise RegistryError(f"registry {spec}: file:// URLs must name a local folder")
        return Location(spec, "folder", str(Path(unquote(parts.path))))
    if len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise RegistryError(
            f"registry {spec}: unsupported scheme {scheme!r}; use a folder, file:// or http(s)://"
        )
    path = Path(os.path.expanduser(spec))
    if path.name == INDEX_FILE:
        path = path.parent
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return Location(spec, "folder", str(path.resolve()))


class RegistryClient:
    """One registry: fetch its index, resolve and download its archives, with explicit timeouts."""

    def __init__(self, location: Location, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.location = location
        self.timeout = timeout

    def _fail(self, message: str) -> RegistryError:
        return RegistryError(f"registry {self.location.label}: {message}")

    def index(self) -> RegistryIndex:
        data = self._get(self._join(INDEX_FILE), MAX_INDEX_BYTES, None, what="index.toml")
        return parse_index(data, self.location.label)

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
            return urljoin(self.location.base, url)
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
            size = path.stat().st_size
            if size > limit:
                raise self._fail(f"{what} is {size} bytes, more than the {limit} allowed")
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

    def _get_http(self, url: str, limit: int, progress: Progress | None, what: str) -> bytes:
        import http.client
        import socket
        import urllib.error
        import urllib.request

        request = urllib.request.Request(url, headers={"User-Agent": f"stato/{__version__}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                length = response.headers.get("Content-Length")
                total = int(length) if length and length.isdigit() else None
                if total is not None and total > limit:
                    raise self._fail(f"{what} is {total} bytes, more than the {limit} allowed")
                chunks: list[bytes] = []
                done = 0
                while chunk := response.read(CHUNK):
                    done += len(chunk)
                    if done > limit:
                        raise self._fail(f"{what} is more than the {limit} bytes allowed")
                    chunks.append(chunk)
                    if progress is not None:
                        progress(done, total)
                if total is not None and done != total:
                    raise self._fail(
                        f"{what} was cut short ({done} of {total} bytes from {url}); try again"
                    )
                return b"".join(chunks)
        except urllib.error.HTTPError as exc:
            raise self._fail(
                f"{what} not available: HTTP {exc.code} {exc.reason} ({url})"
            ) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, (TimeoutError, socket.timeout)):
                raise self._fail(f"timed out after {self.timeout:g}s waiting for {url}") from None
            if isinstance(reason, ConnectionRefusedError):
                raise self._fail(f"connection refused at {url}; is the server up?") from None
            text = getattr(reason, "strerror", None) or str(reason)
            raise self._fail(f"cannot reach {url} ({text})") from None
        except TimeoutError:
            raise self._fail(f"timed out after {self.timeout:g}s waiting for {url}") from None
        except (OSError, http.client.HTTPException) as exc:
            raise self._fail(
                f"connection failed reading {url} ({exc or type(exc).__name__})"
            ) from None
        except ValueError as exc:  # malformed URL, bad Content-Length and friends
            raise self._fail(f"invalid address {url} ({exc})") from None
