"""Which registries to use: project and user config.toml, STATO_REGISTRY, and the built-in one."""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.fs import read_file
from stato.errors import StatoError
from stato.formats.tomltext import TomlProblem, loads

ENV_VAR = "STATO_REGISTRY"
TIMEOUT_ENV = "STATO_REGISTRY_TIMEOUT"
DEFAULT_DEADLINE = 120.0  # seconds one whole download (index or archive) may take
BUILTIN = "builtin"


@dataclass(frozen=True)
class RegistrySource:
    """One registry address and where it was configured; relative folders resolve against base."""

    address: str
    origin: str  # "--registry", "STATO_REGISTRY", "project", "user" or "builtin"
    base: Path | None = None


def project_config(root: Path) -> Path:
    return root / ".stato" / "config.toml"


def user_config() -> Path:
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".config"
    return base / "stato" / "config.toml"


def split_env(value: str) -> list[str]:
    """Split STATO_REGISTRY on commas and os.pathsep, keeping URLs (``https://h:8000/x``) whole."""
    parts: list[str] = []
    for piece in value.split(","):
        if os.pathsep == ":":
            # Only a ':' that starts a new absolute path, home path or URL separates entries, so
            # the ':' of a scheme and of a port stay inside their URL.
            parts.extend(re.split(r":(?=/(?!/)|~|[A-Za-z][A-Za-z0-9+.-]*://)", piece))
        else:
            parts.extend(piece.split(os.pathsep))
    return [p.strip() for p in parts if p.strip()]


def read_config(path: Path) -> dict[str, Any]:
    """The config file's contents ({} when absent); one clear error when it is not valid TOML."""
    try:
        text = read_file(path).decode("utf-8")  # a FIFO is refused (NotAFile), not waited on
    except FileNotFoundError:
        return {}
    except UnicodeDecodeError:
        raise StatoError(f"{path} is not UTF-8 text, so not valid TOML; fix or delete it") from None
    try:
        return loads(text)
    except TomlProblem as exc:
        raise StatoError(f"{path} is not valid TOML ({exc}); fix or delete it") from None


def _registry_table(doc: dict[str, Any], path: Path) -> tuple[list[str], bool]:
    table = doc.get("registry", {})
    if not isinstance(table, dict):
        raise StatoError(f"{path}: [registry] must be a table with urls = [...]")
    urls = table.get("urls", [])
    if not isinstance(urls, list) or not all(isinstance(u, str) for u in urls):
        raise StatoError(f"{path}: registry.urls must be a list of strings")
    builtin = table.get("builtin", True)
    if not isinstance(builtin, bool):
        raise StatoError(f"{path}: registry.builtin must be true or false")
    return urls, builtin


def registry_sources(root: Path | None, override: str | None = None) -> list[RegistrySource]:
    """Registries in search order: STATO_REGISTRY, project config, user config, then built-in.

    ``override`` (``--registry URL``) replaces the whole list for one call.
    """
    if override:
        return [RegistrySource(override, "--registry", Path.cwd())]
    sources = [
        RegistrySource(a, ENV_VAR, Path.cwd()) for a in split_env(os.environ.get(ENV_VAR, ""))
    ]
    use_builtin = True
    # Relative folders resolve against the project root, or against the user config's folder.
    configs: list[tuple[Path, str, Path | None]] = []
    if root is not None:
        configs.append((project_config(root), "project", root))
    configs.append((user_config(), "user", None))
    for path, origin, base in configs:
        urls, builtin = _registry_table(read_config(path), path)
        sources.extend(RegistrySource(u, origin, base or path.parent) for u in urls)
        use_builtin = use_builtin and builtin
    if use_builtin:
        sources.append(RegistrySource(BUILTIN, BUILTIN))
    seen: set[str] = set()
    unique = []
    for source in sources:
        if source.address not in seen:
            seen.add(source.address)
            unique.append(source)
    return unique


def registry_deadline(root: Path | None) -> float:
    """Seconds one registry download may take: STATO_REGISTRY_TIMEOUT, else ``timeout`` in the
    [registry] table of the project's then the user's config.toml, else DEFAULT_DEADLINE."""
    raw = os.environ.get(TIMEOUT_ENV, "").strip()
    if raw:
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise StatoError(
                f"{TIMEOUT_ENV}={raw!r} is not a number of seconds above 0; set e.g. 300"
            )
        return value
    paths = [project_config(root)] if root is not None else []
    for path in [*paths, user_config()]:
        table = read_config(path).get("registry", {})
        if not isinstance(table, dict) or "timeout" not in table:
            continue
        value = table["timeout"]
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (math.isfinite(value) and value > 0)
        ):
            raise StatoError(
                f"{path}: registry.timeout must be a number of seconds above 0, e.g. 300"
            )
        return float(value)
    return DEFAULT_DEADLINE


def bridge_budget(root: Path, default: int, minimum: int) -> int:
    """Tokens stato's always-on block may use: ``budget_tokens`` in the [bridge] table of the
    project's config.toml, else ``default``; below ``minimum`` is refused with the fix."""
    path = project_config(root)
    table = read_config(path).get("bridge", {})
    if not isinstance(table, dict) or "budget_tokens" not in table:
        return default
    value = table["budget_tokens"]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise StatoError(
            f"{path}: bridge.budget_tokens must be a whole number of tokens, at least {minimum} "
            f"(default {default})"
        )
    return value


@dataclass(frozen=True)
class ConfigEdit:
    """What ``edit_registries`` did: whether the file changed, and where its old text went."""

    changed: bool
    path: Path
    backup: Path | None = None

    def __bool__(self) -> bool:
        return self.changed


def edit_registries(
    path: Path, add: str | None = None, remove: str | None = None, *, follow_link: bool = False
) -> ConfigEdit:
    """Add or remove one address in a config file, in place: every comment, key, layout and the
    file's mode stay; the previous text is kept beside it (config.toml.bak, never over another).

    Removing ``builtin`` sets ``builtin = false``; adding it back removes that line. A config
    that is a link is edited where it leads only with ``follow_link`` (the user's own config);
    a project's config that is a link is refused, as it may lead anywhere.
    """
    import tomlkit

    from stato.adapters.fs import fresh_name, write_atomic

    if path.is_symlink():
        if not follow_link:
            raise StatoError(
                f"{path} is a link (it could lead out of the project); nothing changed "
                "(replace it with a real file)"
            )
        path = Path(os.path.realpath(path))
    data = read_config(path)  # the checks and messages of every other reader
    urls, builtin = _registry_table(data, path)
    before = (list(urls), builtin)
    if add == BUILTIN or remove == BUILTIN:
        builtin = add == BUILTIN
    elif add is not None and add not in urls:
        urls.append(add)
    elif remove is not None and remove in urls:
        urls.remove(remove)
    if (urls, builtin) == before:
        return ConfigEdit(False, path)
    old = path.read_bytes() if path.exists() else None
    try:
        doc = tomlkit.parse(old.decode("utf-8") if old is not None else "")
    except (tomlkit.exceptions.TOMLKitError, RecursionError, ValueError) as exc:
        raise StatoError(f"{path} is not valid TOML ({str(exc)[:120]}); fix or delete it") from None
    if "registry" not in doc:
        doc.add("registry", tomlkit.table())
    table = doc["registry"]
    if "urls" not in table:
        table["urls"] = tomlkit.array()
    listed = table["urls"]
    for url in [u for u in listed if u not in urls]:
        listed.remove(url)
    for url in [u for u in urls if u not in listed]:
        listed.append(url)
    if builtin:
        table.pop("builtin", None)
    else:
        table["builtin"] = False
    mode = 0o600  # a new config may hold a registry's credentials
    backup = None
    if old is not None:
        mode = stat.S_IMODE(path.stat().st_mode)
        backup = fresh_name(path.with_name(path.name + ".bak"))
        write_atomic(backup, old, mode)  # before the file changes; with the file's mode
    write_atomic(path, tomlkit.dumps(doc), mode)
    return ConfigEdit(True, path, backup)
