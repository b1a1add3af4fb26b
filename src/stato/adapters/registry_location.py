"""Where a registry lives: a folder, a file:// or http(s) URL, or the builtin one, as a Location."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from stato.adapters.http import redact
from stato.errors import RegistryError
from stato.formats.registry_index import INDEX_FILE

BUILTIN = "builtin"


@dataclass(frozen=True)
class Location:
    """Where a registry lives: kind "folder" (base is a path) or "http" (base is a URL)."""

    spec: str  # what the user wrote; may hold credentials, so messages use ``label``
    kind: str
    base: str

    @property
    def label(self) -> str:
        return redact(self.spec)


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
    try:
        scheme = urlsplit(spec).scheme.lower()
    except ValueError as exc:  # "http://[::1": urlsplit refuses a torn IPv6 host
        raise RegistryError(f"registry {redact(spec)}: not a valid address ({exc})") from None
    # A registry names a folder; an address of its index.toml means that folder too.
    folder = spec[: -len(INDEX_FILE)] if spec.endswith("/" + INDEX_FILE) else spec
    if scheme in ("http", "https"):
        if not urlsplit(spec).hostname:
            raise RegistryError(f"registry {redact(spec)}: the address names no host")
        return Location(spec, "http", folder if folder.endswith("/") else folder + "/")
    if scheme == "file":
        parts = urlsplit(folder)
        if parts.netloc not in ("", "localhost"):
            raise RegistryError(f"registry {redact(spec)}: file:// URLs must name a local folder")
        return Location(spec, "folder", str(Path(unquote(parts.path))))
    if len(scheme) > 1:  # one letter is a Windows drive, not a scheme
        raise RegistryError(
            f"registry {redact(spec)}: unsupported scheme {scheme!r}; "
            "use a folder, file:// or http(s)://"
        )
    path = Path(os.path.expanduser(spec))
    if path.name == INDEX_FILE:
        path = path.parent
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    return Location(spec, "folder", str(path.resolve()))
