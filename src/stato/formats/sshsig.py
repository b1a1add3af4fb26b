"""SSHSIG signatures (OpenSSH's PROTOCOL.sshsig) made and checked with Ed25519 from `cryptography`.

Only the wire format is written here; signing and verifying are the library's. A stato signature
is what ``ssh-keygen -Y sign -n stato -f KEY`` makes, and ``ssh-keygen -Y verify`` accepts it.

    byte[6]  "SSHSIG"            armored between -----BEGIN/END SSH SIGNATURE-----
    uint32   1                   (the version)
    string   public key blob     ("ssh-ed25519", 32-byte key)
    string   namespace           ("stato")
    string   reserved            (empty)
    string   hash algorithm      ("sha512" or "sha256")
    string   signature blob      ("ssh-ed25519", 64-byte signature)

The signed bytes are "SSHSIG", namespace, reserved, hash algorithm and H(message), each but the
first as an SSH string (uint32 length, then bytes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from stato.errors import TrustError

NAMESPACE = "stato"
MAGIC = b"SSHSIG"
VERSION = 1
KEY_TYPE = "ssh-ed25519"
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
MAX_ARMOR_CHARS = 16 * 1024  # an Ed25519 signature is ~300 characters armored
_HASHES = {"sha512": hashlib.sha512, "sha256": hashlib.sha256}


def _string(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


class _Reader:
    """SSH wire values read one at a time from a blob; any overrun is a TrustError."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if n < 0 or self.at + n > len(self.data):
            raise TrustError("the signature is malformed (truncated); it cannot be checked")
        out = self.data[self.at : self.at + n]
        self.at += n
        return out

    def uint32(self) -> int:
        value: int = struct.unpack(">I", self.take(4))[0]
        return value

    def string(self) -> bytes:
        return self.take(self.uint32())

    def done(self) -> bool:
        return self.at == len(self.data)


def key_blob(raw_public: bytes) -> bytes:
    """The SSH wire form of an Ed25519 public key."""
    return _string(KEY_TYPE.encode()) + _string(raw_public)


def fingerprint(blob: bytes) -> str:
    """``SHA256:…`` exactly as ``ssh-keygen -l`` prints a key's fingerprint."""
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"


def _signed_data(namespace: str, hash_name: str, message: bytes) -> bytes:
    digest = _HASHES[hash_name](message).digest()
    return (
        MAGIC
        + _string(namespace.encode())
        + _string(b"")
        + _string(hash_name.encode())
        + _string(digest)
    )


def _armor(blob: bytes) -> str:
    text = base64.b64encode(blob).decode("ascii")
    lines = [text[i : i + 70] for i in range(0, len(text), 70)]  # ssh-keygen's width
    return "\n".join([BEGIN, *lines, END]) + "\n"


def load_private_key(data: bytes, passphrase: bytes | None = None) -> object:
    """An Ed25519 private key from an OpenSSH or PEM (PKCS#8) file's bytes."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    loaders = (serialization.load_ssh_private_key, serialization.load_pem_private_key)
    key: object = None
    for loader in loaders:
        try:
            try:
                key = loader(data, passphrase)
            except TypeError:
                if passphrase is None:
                    raise
                key = loader(data, None)  # a passphrase set for other keys; this one has none
            break
        except TypeError:  # the library's word for "encrypted, give a passphrase"
            raise TrustError(
                "the key is protected by a passphrase; set STATO_SIGN_PASSPHRASE"
            ) from None
        except (ValueError, IndexError, UnicodeDecodeError):
            continue
        except Exception as exc:  # the library's unsupported-algorithm and friends
            raise TrustError(f"the key cannot be read ({type(exc).__name__})") from None
    if key is None:
        raise TrustError(
            "the key is not an OpenSSH or PEM private key (or its passphrase is wrong); "
            "give the private key file, e.g. ~/.ssh/id_ed25519"
        )
    if not isinstance(key, Ed25519PrivateKey):
        raise TrustError(
            f"the key is {type(key).__name__.removesuffix('PrivateKey').removeprefix('_')}, "
            "not Ed25519; make one with: ssh-keygen -t ed25519"
        )
    return key


def sign(private_key: object, message: bytes, namespace: str = NAMESPACE) -> str:
    """An armored SSHSIG signature of ``message`` by an Ed25519 key."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    if not isinstance(private_key, Ed25519PrivateKey):
        raise TrustError("only Ed25519 keys sign stato archives")
    raw = private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    raw_sig = private_key.sign(_signed_data(namespace, "sha512", message))
    blob = (
        MAGIC
        + struct.pack(">I", VERSION)
        + _string(key_blob(raw))
        + _string(namespace.encode())
        + _string(b"")
        + _string(b"sha512")
        + _string(_string(KEY_TYPE.encode()) + _string(raw_sig))
    )
    return _armor(blob)


@dataclass(frozen=True)
class Signature:
    """A parsed SSHSIG signature: who claims to have signed (a key), in which namespace."""

    key: bytes  # the public key blob
    namespace: str
    hash_name: str
    raw_signature: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)


def parse(armored: str) -> Signature:
    """Read an armored SSHSIG signature; anything malformed or not Ed25519 is a TrustError."""
    text = armored.strip()
    if len(text) > MAX_ARMOR_CHARS or not (text.startswith(BEGIN) and text.endswith(END)):
        raise TrustError("the signature is not an armored SSH signature; it cannot be checked")
    body = "".join(text[len(BEGIN) : -len(END)].split())
    try:
        blob = base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        raise TrustError("the signature is not valid base64; it cannot be checked") from None
    r = _Reader(blob)
    if r.take(6) != MAGIC or r.uint32() != VERSION:
        raise TrustError("the signature is not SSHSIG version 1; it cannot be checked")
    key, namespace, _reserved, hash_name, sig = (r.string() for _ in range(5))
    if not r.done():
        raise TrustError("the signature has trailing bytes; it cannot be checked")
    k = _Reader(key)
    if k.string() != KEY_TYPE.encode() or len(k.string()) != 32 or not k.done():
        raise TrustError("the signature is not by an Ed25519 key; stato checks only ssh-ed25519")
    s = _Reader(sig)
    kind, raw_sig = s.string(), s.string()
    if kind != KEY_TYPE.encode() or len(raw_sig) != 64 or not s.done():
        raise TrustError("the signature blob is not an Ed25519 signature")
    name = hash_name.decode("ascii", "replace")
    if name not in _HASHES:
        raise TrustError(f"the signature uses hash {name!r}; only sha512 and sha256 are allowed")
    return Signature(key, namespace.decode("utf-8", "replace"), name, raw_sig)


def verify(signature: Signature, message: bytes, namespace: str = NAMESPACE) -> bool:
    """True when ``signature`` is a valid signature of ``message`` in ``namespace``."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    if signature.namespace != namespace:
        return False
    raw_key = _Reader(signature.key)
    raw_key.string()
    public = Ed25519PublicKey.from_public_bytes(raw_key.string())
    try:
        public.verify(
            signature.raw_signature, _signed_data(namespace, signature.hash_name, message)
        )
    except InvalidSignature:
        return False
    return True
