"""Signed archives: SSHSIG over manifest.toml, allowed signers in git's format, the policy."""

from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from click.testing import Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from stato.errors import TrustError
from stato.formats import allowed_signers, sshsig
from tests.test_registry_http import make_archive, skill

SSH_KEYGEN = shutil.which("ssh-keygen")
needs_ssh_keygen = pytest.mark.skipif(SSH_KEYGEN is None, reason="ssh-keygen is not installed")


# No user config and no git config of the machine decide a test's policy.
pytestmark = pytest.mark.usefixtures("no_user_trust")


def new_key(folder: Path, name: str = "id_ed25519", comment: str = "ana@lab.org") -> Path:
    """An OpenSSH Ed25519 private key file (what ssh-keygen -t ed25519 makes)."""
    key = Ed25519PrivateKey.generate()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    )
    (folder / f"{name}.pub").write_text(f"{public.decode()} {comment}\n")
    return path


def trust(project: Path, key: Path, principal: str = "ana@lab.org", options: str = "") -> None:
    public = key.with_name(key.name + ".pub").read_text().split()[:2]
    line = " ".join(x for x in (principal, options, *public) if x)
    with (project / ".stato" / "allowed_signers").open("a") as fh:
        fh.write(line + "\n")


def members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rezip(archive: Path, changed: dict[str, bytes]) -> Path:
    data = {**members(archive), **changed}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, body in data.items():
            zf.writestr(name, body)
    archive.write_bytes(buf.getvalue())
    return archive


@pytest.fixture
def project(tmp_path: Path, run: Callable[..., Result]) -> Path:
    (tmp_path / "dest").mkdir()
    assert run("init", "--path", "dest").exit_code == 0
    return tmp_path / "dest"


@pytest.fixture
def signed(tmp_path: Path, run: Callable[..., Result]) -> tuple[Path, Path]:
    """(a signed archive, the key that signed it), made with `stato snapshot --sign`."""
    src = tmp_path / "src"
    src.mkdir()
    assert run("init", "--example", "--path", "src").exit_code == 0
    key = new_key(tmp_path / "keys")
    out = run("snapshot", "--name", "demo", "--path", "src", "--sign", str(key), "-o", "demo.stato")
    assert out.exit_code == 0, out.output
    assert "Signed by SHA256:" in out.output
    return tmp_path / "demo.stato", key


# -- the format ------------------------------------------------------------------------------


def test_sign_verify_round_trip_and_tamper() -> None:
    key = Ed25519PrivateKey.generate()
    armored = sshsig.sign(key, b"manifest")
    sig = sshsig.parse(armored)
    assert sshsig.verify(sig, b"manifest")
    assert not sshsig.verify(sig, b"manifest!")
    assert not sshsig.verify(sig, b"manifest", namespace="git")
    other = sshsig.parse(sshsig.sign(Ed25519PrivateKey.generate(), b"manifest"))
    swapped = sshsig.Signature(other.key, sig.namespace, sig.hash_name, sig.raw_signature)
    assert not sshsig.verify(swapped, b"manifest")  # a signature under another key


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not a signature",
        sshsig.BEGIN + "\n!!!\n" + sshsig.END,
        sshsig.BEGIN + "\nU1NIU0lH\n" + sshsig.END,  # "SSHSIG" and nothing after it
        sshsig.BEGIN + "\n" + "A" * 20000 + "\n" + sshsig.END,
    ],
)
def test_malformed_signatures_are_one_trust_error(text: str) -> None:
    with pytest.raises(TrustError):
        sshsig.parse(text)


def test_allowed_signers_lines() -> None:
    key = Ed25519PrivateKey.generate()
    sig = sshsig.parse(sshsig.sign(key, b"x"))
    line = f"ssh-ed25519 {base64.b64encode(sig.key).decode()}"
    text = "\n".join(
        [
            "# comment",
            "",
            f'"ana@lab.org,bo@lab.org" {line} a comment',
            f'eve@x namespaces="git" {line}',
            f'old@x valid-before="20200101" {line}',
            f"ca@x cert-authority {line}",
            'bad@x namespaces="stato" ssh-ed25519 !!!',
            "lonely",
            f'nz@x namespaces="st*,!git" {line}',
        ]
    )
    signers, warnings = allowed_signers.parse(text)
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    assert allowed_signers.principals_for(signers, sig.key, "stato", now) == (
        "ana@lab.org",
        "bo@lab.org",
        "nz@x",
    )
    assert len(warnings) == 2  # the bad key and the lonely word


# -- snapshot, import, graft --------------------------------------------------------------------


def test_signed_archive_from_a_trusted_signer(
    signed: tuple[Path, Path], project: Path, run: Callable[..., Result]
) -> None:
    archive, key = signed
    assert "manifest.toml.sig" in members(archive)
    trust(project, key)
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 0, out.output
    assert "signed by ana@lab.org" in out.output and "trusted" in out.output
    lock = (project / ".stato" / "stato.lock").read_text()
    assert 'signer = "ana@lab.org SHA256:' in lock


def test_tampered_archive_is_refused(
    signed: tuple[Path, Path], project: Path, run: Callable[..., Result]
) -> None:
    archive, _ = signed
    manifest = members(archive)["manifest.toml"].replace(b'name = "demo"', b'name = "evil"')
    rezip(archive, {"manifest.toml": manifest})
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 1
    assert "does not match its manifest" in out.output
    assert not (project / ".stato" / "stato.lock").exists()
    assert not (project / ".stato" / "skills" / "normalize.py").exists()


def test_inspect_shows_the_signature(signed: tuple[Path, Path], run: Callable[..., Result]) -> None:
    archive, _ = signed
    assert "signed by an unknown key SHA256:" in run("inspect", str(archive)).output
    manifest = members(archive)["manifest.toml"].replace(b'name = "demo"', b'name = "evil"')
    rezip(archive, {"manifest.toml": manifest})
    out = run("inspect", str(archive))
    assert out.exit_code == 1 and "Signature refused" in out.output


def test_a_module_swapped_after_signing_is_refused(
    signed: tuple[Path, Path], project: Path, run: Callable[..., Result]
) -> None:
    archive, _ = signed
    body = members(archive)["skills/normalize.py"] + b"\n# more\n"
    rezip(archive, {"skills/normalize.py": body})
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 1 and "checksum mismatch" in out.output


def test_unknown_signer_under_require_signature(
    signed: tuple[Path, Path], project: Path, tmp_path: Path, run: Callable[..., Result]
) -> None:
    archive, _ = signed
    trust(project, new_key(tmp_path / "other"), "bo@lab.org")  # a wrong key is trusted
    (project / ".stato" / "config.toml").write_text("[trust]\nrequire_signature = true\n")
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 1
    assert "which no allowed signer names" in out.output
    assert not (project / ".stato" / "skills" / "normalize.py").exists()


def test_unknown_signer_without_a_policy_is_shown(
    signed: tuple[Path, Path], project: Path, run: Callable[..., Result]
) -> None:
    out = run("import", str(signed[0]), "--path", str(project))
    assert out.exit_code == 0
    assert "unknown key SHA256:" in out.output


def test_unsigned_under_the_user_policy(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    archive = make_archive(tmp_path / "plain.stato", "plain", {"qc": skill("QC", "qc", ["x"])})
    user = Path(os.environ["XDG_CONFIG_HOME"]) / "stato" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("[trust]\nrequire_signature = true\n")
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 1 and "is not signed" in out.output
    graft = run("graft", str(archive), "--path", str(project))
    assert graft.exit_code == 1 and "is not signed" in graft.output
    assert not (project / ".stato" / "skills" / "qc.py").exists()


def test_signing_refuses_a_bad_key_before_writing(
    tmp_path: Path, example: Path, run: Callable[..., Result]
) -> None:
    (tmp_path / "k").write_text("not a key")
    out = run("snapshot", "--name", "x", "--sign", "k")
    assert out.exit_code == 1 and "not an OpenSSH or PEM private key" in out.output
    assert not (tmp_path / "x.stato").exists()
    rsa = tmp_path / "rsa"
    from cryptography.hazmat.primitives.asymmetric import rsa as rsa_keys

    rsa.write_bytes(
        rsa_keys.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    out = run("snapshot", "--name", "x", "--sign", "rsa")
    assert out.exit_code == 1 and "not Ed25519" in out.output


def test_passphrase_protected_key(
    tmp_path: Path, example: Path, run: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = Ed25519PrivateKey.generate()
    (tmp_path / "k").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.BestAvailableEncryption(b"s3cret"),
        )
    )
    out = run("snapshot", "--name", "x", "--sign", "k")
    assert out.exit_code == 1 and "STATO_SIGN_PASSPHRASE" in out.output
    monkeypatch.setenv("STATO_SIGN_PASSPHRASE", "s3cret")
    assert run("snapshot", "--name", "x", "--sign", "k").exit_code == 0
    # The same variable set for another key does not stop a key without a passphrase.
    plain = new_key(tmp_path / "plain")
    assert run("snapshot", "--name", "y", "--sign", str(plain)).exit_code == 0


# -- the registry: publish --sign, per-registry policy -------------------------------------------


def test_publish_sign_and_per_registry_policy(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    key = new_key(tmp_path / "keys")
    archive = make_archive(tmp_path / "kit.stato", "kit", {"qc": skill("QC", "qc", ["x"])})
    other = make_archive(tmp_path / "raw.stato", "raw", {"raw": skill("Raw", "raw", ["x"])})
    reg = tmp_path / "reg"
    out = run("registry", "publish", str(archive), "--to", str(reg), "--sign", str(key))
    assert out.exit_code == 0, out.output
    assert run("registry", "publish", str(other), "--to", str(reg)).exit_code == 0
    (project / ".stato" / "config.toml").write_text(
        f'[trust.registry."{reg}"]\nrequire_signature = true\n'
    )
    trust(project, key)
    raw = run("registry", "install", "raw", "--registry", str(reg), "--path", str(project))
    assert raw.exit_code == 1 and "is not signed" in raw.output
    kit = run("registry", "install", "kit", "--registry", str(reg), "--path", str(project))
    assert kit.exit_code == 0, kit.output
    assert "signed by ana@lab.org" in kit.output
    # The same unsigned archive straight from a file: no registry, no registry policy.
    assert run("import", str(other), "--path", str(project)).exit_code == 0


# -- interop with ssh-keygen ---------------------------------------------------------------------


@needs_ssh_keygen
def test_ssh_keygen_verifies_a_stato_signature(signed: tuple[Path, Path], tmp_path: Path) -> None:
    archive, key = signed
    parts = members(archive)
    (tmp_path / "m.sig").write_bytes(parts["manifest.toml.sig"])
    public = key.with_name(key.name + ".pub").read_text().split()[:2]
    (tmp_path / "allowed").write_text(f"ana@lab.org {' '.join(public)}\n")
    done = subprocess.run(
        [str(SSH_KEYGEN), "-Y", "verify", "-f", "allowed", "-I", "ana@lab.org", "-n", "stato"]
        + ["-s", "m.sig"],
        input=parts["manifest.toml"],
        capture_output=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"Good" in done.stdout + done.stderr


@needs_ssh_keygen
def test_stato_accepts_an_ssh_keygen_signature(
    tmp_path: Path, project: Path, run: Callable[..., Result]
) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    subprocess.run(
        [str(SSH_KEYGEN), "-q", "-t", "ed25519", "-N", "", "-C", "cy@lab.org", "-f", "id"],
        cwd=keys,
        check=True,
    )
    archive = make_archive(tmp_path / "kit.stato", "kit", {"qc": skill("QC", "qc", ["x"])})
    (tmp_path / "manifest.toml").write_bytes(members(archive)["manifest.toml"])
    subprocess.run(
        [str(SSH_KEYGEN), "-Y", "sign", "-n", "stato", "-f", str(keys / "id"), "manifest.toml"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    rezip(archive, {"manifest.toml.sig": (tmp_path / "manifest.toml.sig").read_bytes()})
    trust(project, keys / "id", "cy@lab.org")
    (project / ".stato" / "config.toml").write_text("[trust]\nrequire_signature = true\n")
    out = run("import", str(archive), "--path", str(project))
    assert out.exit_code == 0, out.output
    assert "signed by cy@lab.org" in out.output
