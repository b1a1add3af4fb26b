"""Signing keys and trust policy from disk: the private key to sign with, the allowed signers,
and ``[trust]`` in the project's and the user's config.toml."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stato.adapters.config import project_config, read_config, user_config
from stato.adapters.fs import read_file
from stato.errors import StatoError, TrustError
from stato.formats import allowed_signers as allowed
from stato.formats import sshsig

PASSPHRASE_ENV = "STATO_SIGN_PASSPHRASE"
PROJECT_SIGNERS = "allowed_signers"  # .stato/allowed_signers, committed with the project
MAX_KEY_BYTES = 64 * 1024
MAX_SIGNERS_BYTES = 4 * 1024 * 1024


def load_key(path: Path | str) -> object:
    """The Ed25519 private key in ``path`` (OpenSSH or PEM); its passphrase from the env."""
    src = Path(os.path.expanduser(str(path)))
    try:
        if src.stat().st_size > MAX_KEY_BYTES:
            raise TrustError(f"--sign {src}: too large for a key file")
        data = read_file(src)  # a FIFO or a device is refused, never waited on
    except FileNotFoundError:
        raise TrustError(f"--sign {src}: no such key file; give e.g. ~/.ssh/id_ed25519") from None
    except OSError as exc:
        raise TrustError(f"--sign {src}: cannot read it ({exc.strerror or exc})") from None
    phrase = os.environ.get(PASSPHRASE_ENV)
    try:
        return sshsig.load_private_key(data, phrase.encode("utf-8") if phrase else None)
    except TrustError as exc:
        raise TrustError(f"--sign {src}: {exc}") from None


@dataclass(frozen=True)
class Policy:
    """Who is trusted to sign, and whether an unsigned or unknown-signer archive is refused."""

    signers: tuple[allowed.AllowedSigner, ...] = ()
    require_signature: bool = False
    sources: tuple[str, ...] = ()  # the allowed-signers files read
    warnings: tuple[str, ...] = ()
    why: str = ""  # where require_signature came from, for the refusal message


_TRUST_KEYS = ("allowed_signers", "require_signature", "registry")


def _table(doc: dict[str, Any], path: Path) -> dict[str, Any]:
    table = doc.get("trust", {})
    if not isinstance(table, dict):
        raise StatoError(f"{path}: [trust] must be a table")
    # A misspelt key (require_signatures) would silently trust unsigned archives.
    _known(table, _TRUST_KEYS, "trust", path)
    return table


def _known(table: dict[str, Any], keys: tuple[str, ...], where: str, path: Path) -> None:
    for key in table:
        if key not in keys:
            raise StatoError(
                f"{path}: {where}.{key} is not a trust setting (known: {', '.join(keys)}); "
                "fix its name"
            )


def _flag(table: dict[str, Any], key: str, path: Path) -> bool | None:
    value = table.get(key)
    if value is not None and not isinstance(value, bool):
        raise StatoError(f"{path}: trust.{key} must be true or false")
    return value


def _norm(address: str) -> str:
    return address.strip().rstrip("/")


def _registry_flag(table: dict[str, Any], registry: str | None, path: Path) -> bool | None:
    """``[trust.registry."ADDRESS"] require_signature = true``, for ``registry``."""
    per = table.get("registry", {})
    if not isinstance(per, dict):
        raise StatoError(f'{path}: [trust.registry."ADDRESS"] tables hold require_signature')
    found = None
    for address, sub in per.items():  # every table is checked, whichever registry is used
        if not isinstance(sub, dict):
            raise StatoError(f"{path}: trust.registry.{address!r} must be a table")
        _known(sub, ("require_signature",), f"trust.registry.{address!r}", path)
        flag = _flag(sub, "require_signature", path)
        if registry is not None and found is None and _norm(address) == _norm(registry):
            found = flag
    return found


def _git_signers_file() -> str | None:
    """git's ``gpg.ssh.allowedSignersFile``, when git is there and sets it."""
    try:
        out = subprocess.run(
            ["git", "config", "--get", "gpg.ssh.allowedSignersFile"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def load_policy(root: Path | None, registry: str | None = None) -> Policy:
    """The trust policy for an import (into ``root``) or an install from ``registry``.

    Signers: ``.stato/allowed_signers``, then each config's ``trust.allowed_signers``, else git's
    ``gpg.ssh.allowedSignersFile``. ``require_signature`` is true when the user config, the
    project config, or either's table for this registry says so.
    """
    files: list[Path] = []
    require, why = False, ""
    configs = [(user_config(), user_config().parent)]
    if root is not None and (root / ".stato").is_dir():  # a new project has no config yet
        configs.insert(0, (project_config(root), root))
        files.append(root / ".stato" / PROJECT_SIGNERS)
    named = False
    for path, base in configs:
        table = _table(read_config(path), path)
        where = table.get("allowed_signers")
        if where is not None:
            if not isinstance(where, str):
                raise StatoError(f"{path}: trust.allowed_signers must be a path")
            files.append(base / os.path.expanduser(where))
            named = True
        for flag, what in (
            (_flag(table, "require_signature", path), "trust.require_signature"),
            (_registry_flag(table, registry, path), f"trust.registry.{registry!r}"),
        ):
            if flag and not require:
                require, why = True, f"{what} in {path}"
    if not named:
        git = _git_signers_file()
        if git:
            files.append(Path(os.path.expanduser(git)))
    signers: list[allowed.AllowedSigner] = []
    warnings: list[str] = []
    read: list[str] = []
    for file in dict.fromkeys(files):
        try:  # a project's file may be anything: a FIFO is refused, a huge one never read
            if file.stat().st_size > MAX_SIGNERS_BYTES:
                warnings.append(f"allowed signers {file} is over 4 MB; it was not read")
                continue
            text = read_file(file).decode("utf-8", errors="replace")
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            warnings.append(f"cannot read allowed signers {file} ({exc.strerror or exc})")
            continue
        found, problems = allowed.parse(text)
        signers.extend(found)
        warnings.extend(f"{file}: {p}" for p in problems)
        read.append(str(file))
    return Policy(tuple(signers), require, tuple(read), tuple(warnings), why)
