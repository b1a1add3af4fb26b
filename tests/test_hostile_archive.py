"""Hostile archives: each trick gets a one-line ArchiveError and nothing is unpacked."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from stato.adapters.archive import read_archive
from stato.errors import ArchiveError
from stato.formats import manifest as mf
from stato.formats.manifest import Manifest, ModuleEntry

PLAN = 'class AnalysisPlan:\n    name = "p"\n    objective = "o"\n    steps = []\n'


def manifest_for(modules: dict[str, str]) -> str:
    entries = tuple(ModuleEntry.for_text(p, t, "skill", "C") for p, t in sorted(modules.items()))
    return mf.dumps(Manifest("evil", "2026-01-01T00:00:00Z", "0.1.0", modules=entries))


def build(path: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return path


def symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


def case_absolute(p: Path) -> Path:
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("/etc/cron.d/x.py", b"x")])


def case_dotdot(p: Path) -> Path:
    mods = {"skills/qc.py": PLAN}
    return build(p, [("manifest.toml", manifest_for(mods).encode()),
                     ("skills/../../evil.py", PLAN.encode())])


def case_backslash(p: Path) -> Path:
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("..\\evil.py", b"x")])


def case_symlink(p: Path) -> Path:
    mods = {"skills/qc.py": "/etc/passwd"}
    return build(p, [("manifest.toml", manifest_for(mods).encode()),
                     (symlink_info("skills/qc.py"), b"/etc/passwd")])


def case_unlisted(p: Path) -> Path:
    mods = {"plan.py": PLAN}
    return build(p, [("manifest.toml", manifest_for(mods).encode()), ("plan.py", PLAN.encode()),
                     ("skills/extra.py", PLAN.encode())])


def case_folder_entry(p: Path) -> Path:
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("skills/", b"")])


def case_oversize(p: Path) -> Path:
    big = b"#" * (17 * 1024 * 1024)
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("skills/big.py", big)])


def case_ratio(p: Path) -> Path:
    bomb = "#" + " " * (2 * 1024 * 1024)
    mods = {"skills/bomb.py": bomb}
    return build(p, [("manifest.toml", manifest_for(mods).encode()),
                     ("skills/bomb.py", bomb.encode())])


def case_lying_header(p: Path) -> Path:
    # The central directory claims 10 bytes; the data inflates to far more.
    body = PLAN.encode() * 50
    mods = {"plan.py": PLAN * 50}
    build(p, [("manifest.toml", manifest_for(mods).encode()), ("plan.py", body)])
    raw = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as zf:
        info = zf.getinfo("plan.py")
    real = info.file_size.to_bytes(4, "little")
    fake = (10).to_bytes(4, "little")
    p.write_bytes(bytes(raw).replace(real, fake))
    return p


def case_no_manifest(p: Path) -> Path:
    return build(p, [("plan.py", PLAN.encode())])


def case_bad_manifest(p: Path) -> Path:
    return build(p, [("manifest.toml", b"name = [unclosed"), ("plan.py", PLAN.encode())])


def case_manifest_lies_type(p: Path) -> Path:
    text = manifest_for({"plan.py": PLAN}).replace('type = "skill"', 'type = "rootkit"')
    return build(p, [("manifest.toml", text.encode()), ("plan.py", PLAN.encode())])


def case_checksum(p: Path) -> Path:
    mods = {"plan.py": PLAN}
    return build(p, [("manifest.toml", manifest_for(mods).encode()),
                     ("plan.py", PLAN.replace('"o"', '"owned"').encode())])


def case_missing_member(p: Path) -> Path:
    mods = {"plan.py": PLAN, "skills/qc.py": PLAN}
    return build(p, [("manifest.toml", manifest_for(mods).encode()), ("plan.py", PLAN.encode())])


def case_duplicate(p: Path) -> Path:
    mods = {"plan.py": PLAN}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we want
        return build(p, [("manifest.toml", manifest_for(mods).encode()),
                         ("plan.py", PLAN.encode()), ("plan.py", b"import os")])


def case_not_utf8(p: Path) -> Path:
    body = b"\xff\xfe not text"
    text = manifest_for({}).replace("modules = []", "")
    entry = (
        '\n[[modules]]\npath = "plan.py"\ntype = "plan"\nclass = "C"\n'
        f'sha256 = "{__import__("hashlib").sha256(body).hexdigest()}"\n'
    )
    return build(p, [("manifest.toml", (text + entry).encode()), ("plan.py", body)])


def case_not_zip(p: Path) -> Path:
    p.write_bytes(b"PK\x03\x04 this is not really a zip")
    return p


def case_missing_file(p: Path) -> Path:
    return p


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "absolute": (case_absolute, "absolute"),
    "dotdot": (case_dotdot, ".."),
    "backslash": (case_backslash, "absolute"),
    "symlink": (case_symlink, "link"),
    "unlisted": (case_unlisted, "not listed"),
    "folder-entry": (case_folder_entry, "folder"),
    "oversize": (case_oversize, "zip bomb"),
    "ratio": (case_ratio, "ratio"),
    "lying-header": (case_lying_header, "plan.py"),
    "no-manifest": (case_no_manifest, "manifest"),
    "bad-manifest": (case_bad_manifest, "manifest"),
    "manifest-type": (case_manifest_lies_type, "rootkit"),
    "checksum": (case_checksum, "checksum"),
    "missing-member": (case_missing_member, "not in the archive"),
    "duplicate": (case_duplicate, "twice"),
    "not-utf8": (case_not_utf8, "UTF-8"),
    "not-zip": (case_not_zip, "not a zip"),
    "no-file": (case_missing_file, "no archive"),
}


@pytest.fixture(params=sorted(CASES))
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str]:
    make, needle = CASES[request.param]
    return make(tmp_path / "evil.stato"), needle


def test_reader_refuses(hostile: tuple[Path, str]) -> None:
    path, needle = hostile
    with pytest.raises(ArchiveError) as info:
        read_archive(path)
    message = str(info.value)
    assert "\n" not in message
    assert needle in message


def test_nothing_unpacked(hostile: tuple[Path, str]) -> None:
    path, _ = hostile
    before = sorted(path.parent.rglob("*"))
    with pytest.raises(ArchiveError):
        read_archive(path)
    assert sorted(path.parent.rglob("*")) == before
    assert not Path("/etc/cron.d/x.py").exists()
