"""Check an archive's signature against the trust policy before anything of it is written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stato.errors import TrustError
from stato.formats import allowed_signers, sshsig

if TYPE_CHECKING:
    from stato.adapters.archive import Archive
    from stato.adapters.signing import Policy


@dataclass(frozen=True)
class SignatureCheck:
    """Who signed an archive: nobody, a trusted principal, or a key no allowed signer names."""

    signed: bool = False
    fingerprint: str | None = None
    principals: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def trusted(self) -> bool:
        return bool(self.principals)

    @property
    def signer(self) -> str | None:
        """How the lock file records the signer."""
        if not self.signed:
            return None
        who = ",".join(self.principals) if self.principals else "unknown"
        return f"{who} {self.fingerprint}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "signed": self.signed,
            "trusted": self.trusted,
            "fingerprint": self.fingerprint,
            "principals": list(self.principals),
        }


def check_signature(archive: Archive, policy: Policy, name: str) -> SignatureCheck:
    """Verify ``archive``'s signature; refuse a bad one always, and an unsigned or unknown one
    when the policy requires a signature. ``name`` names the archive in messages."""
    warnings = policy.warnings
    if archive.signature is None:
        if policy.require_signature:
            raise TrustError(
                f"{name} is not signed, and {policy.why} requires a signature; nothing was "
                "written (ask its publisher for a signed one: stato snapshot --sign KEY)"
            )
        return SignatureCheck(warnings=warnings)
    try:
        sig = sshsig.parse(archive.signature)
    except TrustError as exc:
        raise TrustError(f"{name}: {exc}; nothing was written") from None
    if sig.namespace != sshsig.NAMESPACE:
        raise TrustError(
            f"{name} is signed for {sig.namespace[:40]!r}, not {sshsig.NAMESPACE!r}; "
            "nothing was written"
        )
    if not sshsig.verify(sig, archive.manifest_text.encode("utf-8")):
        raise TrustError(
            f"{name}: the signature does not match its manifest (the archive was altered after "
            "it was signed); nothing was written"
        )
    moment = datetime.now(timezone.utc)
    principals = allowed_signers.principals_for(
        list(policy.signers), sig.key, sshsig.NAMESPACE, moment
    )
    if not principals and policy.require_signature:
        where = ", ".join(policy.sources) or "no allowed-signers file"
        raise TrustError(
            f"{name} is signed by {sig.fingerprint}, which no allowed signer names ({where}), "
            f"and {policy.why} requires a trusted signature; nothing was written (after checking "
            "the key with its owner, add it to .stato/allowed_signers)"
        )
    return SignatureCheck(True, sig.fingerprint, principals, warnings)


def load_signing_key(key_path: Path | str | None) -> object | None:
    """The key ``--sign`` names, loaded (and refused) before any work is done."""
    from stato.adapters.signing import load_key

    return None if key_path is None else load_key(key_path)


def sign_manifest(key: object, manifest_text: str) -> tuple[str, str]:
    """The armored signature of a manifest by ``key``, and the key's fingerprint."""
    signature = sshsig.sign(key, manifest_text.encode("utf-8"))
    return signature, sshsig.parse(signature).fingerprint
