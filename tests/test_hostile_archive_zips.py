"""Real-world hostile and odd zips through `stato inspect` and `stato import`: one line, exit 1,
nothing written; the odd but honest ones (data descriptors, zip64, a comment) still import."""

from __future__ import annotations

import io
import stat
import struct
import unicodedata
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.adapters.archive import archive_bytes, read_archive
from stato.cli import cli
from stato.errors import ArchiveError
from stato.formats import manifest as mf
from stato.formats.manifest import Manifest, ModuleEntry

PLAN = 'class AnalysisPlan:\n    name = "p"\n    objective = "o"\n    steps = []\n'
QC = 'class QualityControl:\n    """QC."""\n    name = "qc"\n\n    def run(self):\n        pass\n'
MODS = {"plan.py": PLAN, "skills/qc.py": QC}
TYPES = {"plan.py": ("plan", "AnalysisPlan"), "skills/qc.py": ("skill", "QualityControl")}


def manifest_text(mods: dict[str, str] = MODS) -> str:
    entries = tuple(
        ModuleEntry.for_text(p, t, *TYPES.get(p, ("skill", "QualityControl")))
        for p, t in sorted(mods.items())
    )
    return mf.dumps(Manifest("odd", "2026-01-01T00:00:00Z", "0.1.0", modules=entries))


Member = tuple[zipfile.ZipInfo | str, bytes | str]


def zip_of(
    members: list[Member], method: int = zipfile.ZIP_DEFLATED, comment: bytes = b""
) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicates some cases want
        with zipfile.ZipFile(buf, "w", method) as zf:
            for info, data in members:
                zf.writestr(info, data)
            zf.comment = comment
    return buf.getvalue()


def good_members(mods: dict[str, str] = MODS) -> list[Member]:
    return [("manifest.toml", manifest_text(mods))] + [(p, t) for p, t in sorted(mods.items())]


def plus(name: zipfile.ZipInfo | str, data: bytes | str = b"x") -> bytes:
    """The good archive with one more member."""
    return zip_of(good_members() + [(name, data)])


def swap(old: str, new: zipfile.ZipInfo | str) -> bytes:
    """The good archive with member ``old`` stored under another name or info."""
    return zip_of([(new if n == old else n, d) for n, d in good_members()])


def info(name: str, mode: int | None = None, system: int = 3, attr: int = 0) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name)
    zi.create_system = system
    zi.external_attr = ((mode or 0) << 16) | attr
    return zi


def patch(data: bytes, old: bytes, new: bytes, count: int) -> bytes:
    assert data.count(old) == count, (old, data.count(old))
    return data.replace(old, new)


def with_manifest(text: str, mods: dict[str, str] = MODS) -> bytes:
    return zip_of([("manifest.toml", text)] + [(p, t) for p, t in sorted(mods.items())])


GOOD = zip_of(good_members())
GOOD_MANIFEST = manifest_text()


# -- the builders ----------------------------------------------------------------------------


def local_name_differs() -> bytes:
    # The central directory says plan.py; the local header of the same bytes says plan.pz.
    data = bytearray(GOOD)
    with zipfile.ZipFile(io.BytesIO(GOOD)) as zf:
        at = zf.getinfo("plan.py").header_offset + 30
    assert data[at : at + 7] == b"plan.py"
    data[at : at + 7] = b"plan.pz"
    return bytes(data)


def crc_mismatch() -> bytes:
    crc = struct.pack("<I", zipfile.crc32(PLAN.encode()))
    return patch(GOOD, crc, struct.pack("<I", zipfile.crc32(b"other")), 2)


def under_reported_bomb() -> bytes:
    # plan.py's headers say 40 bytes; the data inflates to 8 MB of zeros.
    body = PLAN.encode() + b"#" * (8 * 1024 * 1024)
    raw = zip_of([("manifest.toml", manifest_text({"plan.py": body.decode()})), ("plan.py", body)])
    return patch(raw, struct.pack("<I", len(body)), struct.pack("<I", 40), 2)


def central_entry(raw: bytes | bytearray, name: bytes) -> int:
    """Where the central directory entry of ``name`` starts."""
    at = raw.find(b"PK\x01\x02")
    while raw[at + 46 : at + 46 + len(name)] != name:
        at = raw.find(b"PK\x01\x02", at + 1)
        assert at >= 0
    return at


def overlapping() -> bytes:
    # Two central entries point at the same local header (the overlapped-file zip bomb shape).
    raw = bytearray(zip_of(good_members({"plan.py": PLAN, "skills/qc.py": PLAN})))
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        first = zf.getinfo("plan.py").header_offset
    struct.pack_into("<I", raw, central_entry(raw, b"skills/qc.py") + 42, first)
    return bytes(raw)


def stored_sizes_disagree() -> bytes:
    raw = zip_of(good_members(), method=zipfile.ZIP_STORED)
    n = len(PLAN)
    return patch(raw, struct.pack("<II", n, n), struct.pack("<II", n + 4, n), 2)


def compressed_size_past_end() -> bytes:
    with zipfile.ZipFile(io.BytesIO(GOOD)) as zf:
        size = zf.getinfo("skills/qc.py").compress_size
    sizes = struct.pack("<II", size, len(QC))
    return patch(GOOD, sizes, struct.pack("<II", size + 10_000, len(QC)), 2)


def end_record_count_lies() -> bytes:
    data = bytearray(GOOD)
    eocd = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, eocd + 8, 2, 2)  # three entries in the directory, says two
    return bytes(data)


def method(compression: int) -> Callable[[], bytes]:
    return lambda: zip_of(good_members(), method=compression)


def header_field(name: str, local_at: int, central_at: int, value: int) -> bytes:
    """The good archive with one 2-byte field of ``name`` set in both of its headers."""
    raw = bytearray(GOOD)
    with zipfile.ZipFile(io.BytesIO(GOOD)) as zf:
        local = zf.getinfo(name).header_offset
    struct.pack_into("<H", raw, local + local_at, value)
    struct.pack_into("<H", raw, central_entry(raw, name.encode()) + central_at, value)
    return bytes(raw)


def unknown_method() -> bytes:
    return header_field("plan.py", 8, 10, 99)  # WinZip AES


def encrypted_flag() -> bytes:
    return header_field("plan.py", 6, 8, 0x1)


def too_many_members() -> bytes:
    return zip_of([(f"skills/s{i}.py", b"") for i in range(20_001)], method=zipfile.ZIP_STORED)


def nul_in_name() -> bytes:
    # zipfile cuts a name at NUL when writing too, so the NUL goes in by hand.
    return patch(swap("skills/qc.py", "skills/qc.pyZ.txt"), b"qc.pyZ", b"qc.py\x00", 2)


def nested_toml() -> bytes:
    # Small enough to pass the size checks; deep enough to exhaust a recursive parser.
    return with_manifest(GOOD_MANIFEST + "deep = " + "[" * 3000 + "]" * 3000 + "\n")


def huge_int() -> bytes:
    return with_manifest(
        GOOD_MANIFEST.replace("format_version = 1", "format_version = " + "9" * 5000)
    )


def huge_manifest() -> bytes:
    padding = "".join(f"# filler line {i} {i * 7919 % 104729}\n" for i in range(200_000))
    return with_manifest(GOOD_MANIFEST + padding)


def nfc_nfd() -> bytes:
    name = "skills/caf\u00e9.py"
    return zip_of(good_members() + [(name, QC), (unicodedata.normalize("NFD", name), QC)])


def fifty_thousand_char_name() -> bytes:
    return plus("skills/" + "a" * 50_000 + ".py")


def prepended(stub: bytes) -> Callable[[], bytes]:
    def make() -> bytes:
        # zipfile itself shifts every offset by the stub's length, so such a zip opens fine.
        return stub + GOOD

    return make


# Each case: the bytes, and a word the one-line error must hold.
REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    # member names
    "drive-slash": (lambda: plus("C:/x.py"), "C:/x.py"),
    "drive-relative": (lambda: plus("C:x.py"), "C:x.py"),
    "unc": (lambda: plus("//server/share/x.py"), "//server"),
    "backslash": (lambda: swap("skills/qc.py", "skills\\qc.py"), "qc.py"),
    "dot-slash": (lambda: swap("skills/qc.py", "./skills/qc.py"), "./skills/qc.py"),
    "double-slash": (lambda: swap("skills/qc.py", "skills//qc.py"), "skills//qc.py"),
    "trailing-dot": (lambda: swap("skills/qc.py", "skills/qc.py."), "qc.py."),
    "trailing-space": (lambda: swap("skills/qc.py", "skills/qc.py "), "qc.py "),
    "folder-trailing-dot": (lambda: plus("skills./qc.py"), "skills."),
    "nul": (nul_in_name, "NUL"),
    "control-char": (lambda: plus("skills/q\x1b[2Jc.py"), "control"),
    "newline-name": (lambda: plus("skills/q\nc.py"), "control"),
    "case-twin": (lambda: plus("skills/QC.py", QC), "skills/QC.py"),
    "nfc-nfd": (nfc_nfd, "caf"),
    "long-name": (fifty_thousand_char_name, "aaaa"),
    "history": (lambda: plus(".history/skills/qc.py.1", QC), ".history"),
    "staging": (lambda: plus(".staging/abc/plan.py", PLAN), ".staging"),
    "transaction": (lambda: plus(".transaction.json", b"{}"), ".transaction.json"),
    "not-py": (lambda: plus("README.md", b"# hi"), "README.md"),
    "manifest-in-folder": (lambda: plus("skills/manifest.toml", b""), "skills/manifest.toml"),
    "macos-resource-fork": (lambda: plus("__MACOSX/._plan.py", b"\x00\x05"), "__MACOSX"),
    "manifest-uppercase": (lambda: swap("manifest.toml", "MANIFEST.TOML"), "MANIFEST.TOML"),
    "rezipped-folder": (
        lambda: zip_of([(f"odd/{n}", d) for n, d in good_members()]),
        "odd/manifest.toml",
    ),
    # entry types
    "symlink-unix": (lambda: swap("plan.py", info("plan.py", 0o120777)), "link"),
    "symlink-dos-system": (lambda: swap("plan.py", info("plan.py", 0o120777, system=0)), "link"),
    "symlink-macos-system": (lambda: swap("plan.py", info("plan.py", 0o120777, system=19)), "link"),
    "windows-reparse-point": (
        lambda: swap("plan.py", info("plan.py", system=0, attr=0x400)),
        "link",
    ),
    "fifo": (lambda: swap("plan.py", info("plan.py", stat.S_IFIFO | 0o644)), "regular file"),
    "char-device": (lambda: swap("plan.py", info("plan.py", stat.S_IFCHR | 0o644)), "regular file"),
    "unix-dir-no-slash": (lambda: swap("plan.py", info("plan.py", 0o040755)), "folder"),
    "dos-dir-no-slash": (lambda: swap("plan.py", info("plan.py", system=0, attr=0x10)), "folder"),
    "folder-entry": (lambda: plus("skills/", b""), "folder"),
    "empty-name": (lambda: plus(zipfile.ZipInfo(""), b"x"), "empty name"),
    "encrypted": (encrypted_flag, "encrypted"),
    # zip structure
    "duplicate": (lambda: plus("plan.py", b"import os"), "twice"),
    "too-many-members": (too_many_members, "20001 members"),
    "local-name-differs": (local_name_differs, "plan.py"),
    "prepended-stub": (prepended(b"MZ\x90\x00" + b"\x00" * 508), "before"),
    "prepended-script": (prepended(b'#!/bin/sh\nexec python3 "$0"\n'), "before"),
    "appended": (lambda: GOOD + b"<script>alert(1)</script>", "after"),
    "truncated-half": (lambda: GOOD[: len(GOOD) // 2], "zip"),
    "truncated-end-record": (lambda: GOOD[:-5], "zip"),
    "empty-file": (lambda: b"", "zip"),
    "empty-zip": (lambda: zip_of([]), "manifest.toml"),
    "crc": (crc_mismatch, "CRC"),
    "under-reported-bomb": (under_reported_bomb, "'plan.py' inflates past the 40 bytes"),
    "overlapping-members": (overlapping, "overlap"),
    "stored-sizes-disagree": (stored_sizes_disagree, "plan.py"),
    "compressed-size-past-end": (compressed_size_past_end, "skills/qc.py"),
    "end-record-count": (end_record_count_lies, "end record"),
    "bzip2": (method(zipfile.ZIP_BZIP2), "bzip2"),
    "lzma": (method(zipfile.ZIP_LZMA), "lzma"),
    "aes-method-99": (unknown_method, "compression method 99"),
    # manifest
    "toml-duplicate-key": (
        lambda: with_manifest(GOOD_MANIFEST.replace('name = "odd"', 'name = "odd"\nname = "x"')),
        "manifest",
    ),
    "listed-twice": (
        lambda: with_manifest(GOOD_MANIFEST + GOOD_MANIFEST[GOOD_MANIFEST.index("[[modules]]") :]),
        "twice",
    ),
    "future-version": (
        lambda: with_manifest(GOOD_MANIFEST.replace("format_version = 1", "format_version = 2")),
        "upgrade stato",
    ),
    "future-version-new-keys": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace("format_version = 1", "format_version = 3\nsigner = 'x'")
        ),
        "upgrade stato",
    ),
    "version-zero": (
        lambda: with_manifest(GOOD_MANIFEST.replace("format_version = 1", "format_version = 0")),
        "format_version",
    ),
    "version-string": (
        lambda: with_manifest(GOOD_MANIFEST.replace("format_version = 1", 'format_version = "1"')),
        "format_version",
    ),
    "version-float": (
        lambda: with_manifest(GOOD_MANIFEST.replace("format_version = 1", "format_version = 1.0")),
        "format_version",
    ),
    "no-version": (
        lambda: with_manifest(GOOD_MANIFEST.replace("format_version = 1\n", "")),
        "format_version",
    ),
    "modules-not-array": (
        lambda: with_manifest(GOOD_MANIFEST.split("\n[[modules]]")[0] + '\nmodules = "all"\n', {}),
        "modules",
    ),
    "modules-table": (
        lambda: with_manifest(GOOD_MANIFEST.split("\n[[modules]]")[0] + "\n[modules]\nx = 1\n", {}),
        "modules",
    ),
    "template-int": (
        lambda: with_manifest(GOOD_MANIFEST.replace("template = false", "template = 0")),
        "template",
    ),
    "created-datetime": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace('"2026-01-01T00:00:00Z"', "2026-01-01T00:00:00Z")
        ),
        "created",
    ),
    "unknown-key": (lambda: with_manifest("signed_by = 'x'\n" + GOOD_MANIFEST), "signed_by"),
    "unknown-entry-key": (
        lambda: with_manifest(GOOD_MANIFEST.replace('type = "plan"', 'type = "plan"\nmode = 7')),
        "mode",
    ),
    "nested-toml": (nested_toml, "manifest"),
    "huge-int": (huge_int, "manifest"),
    "huge-manifest": (huge_manifest, "manifest.toml"),
    "manifest-bom": (lambda: with_manifest("\ufeff" + GOOD_MANIFEST), "manifest"),
    "manifest-not-utf8": (lambda: with_manifest(GOOD_MANIFEST.encode("utf-16")), "manifest"),
    "manifest-staging-path": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace('path = "plan.py"', 'path = ".staging/x/plan.py"'),
            {".staging/x/plan.py": PLAN, "skills/qc.py": QC},
        ),
        ".staging",
    ),
    "manifest-dot-segment": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace('path = "skills/qc.py"', 'path = "skills./qc.py"'),
            {"plan.py": PLAN, "skills./qc.py": QC},
        ),
        "skills./qc.py",
    ),
    "manifest-long-path": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace('"skills/qc.py"', '"' + ("a" * 120 + "/") * 3 + 'qc.py"'),
            {"plan.py": PLAN, ("a" * 120 + "/") * 3 + "qc.py": QC},
        ),
        "long",
    ),
    "manifest-case-twins": (
        lambda: with_manifest(
            GOOD_MANIFEST.replace('path = "skills/qc.py"', 'path = "Plan.py"'),
            {"plan.py": PLAN, "Plan.py": QC},
        ),
        "twice",
    ),
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("proj")
    res = CliRunner().invoke(cli, ["init", "--path", str(root)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return root


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_refused_in_one_line(
    case: str, tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # so a stray write to the current folder shows too
    make, needle = REFUSED[case]
    arc = tmp_path / "odd.stato"
    arc.write_bytes(make())
    before, before_project = _tree(tmp_path), _tree(project)
    for args in (["inspect", str(arc)], ["import", str(arc), "--path", str(project)]):
        res = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert res.exit_code == 1, res.output
        lines = [line for line in res.output.splitlines() if line.strip()]
        assert len(lines) == 1, res.output[:2000]
        assert lines[0].startswith("error: refusing archive odd.stato: "), lines[0][:300]
        assert needle in lines[0], lines[0][:300]
        assert len(lines[0]) < 400, "a hostile name is cut short, not echoed whole"
        assert _tree(tmp_path) == before
        assert _tree(project) == before_project


# -- odd but honest zips are read -------------------------------------------------------------


class _Unseekable(io.RawIOBase):
    """A write-only stream zipfile cannot seek in, so it writes data descriptors."""

    def __init__(self) -> None:
        self.buf = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self.buf += b
        return len(b)


def data_descriptors() -> bytes:
    out = _Unseekable()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in good_members():
            zf.writestr(name, data)
    raw = bytes(out.buf)
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert all(i.flag_bits & 0x08 for i in zf.infolist())
    return raw


def zip64() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in good_members():
            with zf.open(name, "w", force_zip64=True) as fh:
                fh.write(data.encode() if isinstance(data, str) else data)
    raw = buf.getvalue()
    assert b"\x01\x00\x10\x00" in raw  # the zip64 extra field is there
    return raw


def zip64_end_record() -> bytes:
    # As tools that always write zip64 do: the end record defers to a zip64 record and locator.
    end = GOOD.rfind(b"PK\x05\x06")
    _, _, _, _, count, size, offset, _ = struct.unpack_from("<4s4H2LH", GOOD, end)
    record = struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, offset)
    locator = struct.pack("<4sLQL", b"PK\x06\x07", 0, end, 1)
    eocd = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0)
    return GOOD[:end] + record + locator + eocd


def windows_tool() -> bytes:
    # Made on Windows: MS-DOS host, only the archive attribute, no Unix mode.
    return zip_of([(info(n, system=0, attr=0x20), d) for n, d in good_members()])


def manifest_crlf() -> bytes:
    return with_manifest(GOOD_MANIFEST.replace("\n", "\r\n"))


ACCEPTED: dict[str, Callable[[], bytes]] = {
    "stato-written": lambda: archive_bytes(mf.loads(GOOD_MANIFEST), dict(MODS)),
    "data-descriptors": data_descriptors,
    "zip64": zip64,
    "zip64-end-record": zip64_end_record,
    "comment": lambda: zip_of(good_members(), comment=b"commit 3f0c9e1 from a git host"),
    "stored": lambda: zip_of(good_members(), method=zipfile.ZIP_STORED),
    "windows-tool": windows_tool,
    "manifest-last": lambda: zip_of(good_members()[1:] + good_members()[:1]),
    "manifest-crlf": manifest_crlf,
}


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_odd_but_honest_zips_import(case: str, tmp_path: Path) -> None:
    arc = tmp_path / "odd.stato"
    arc.write_bytes(ACCEPTED[case]())
    runner = CliRunner()
    res = runner.invoke(cli, ["inspect", str(arc)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    root = tmp_path / "proj"
    assert runner.invoke(cli, ["init", "--path", str(root)]).exit_code == 0
    res = runner.invoke(
        cli,
        ["import", str(arc), "--path", str(root), "--on-conflict", "replace"],
        catch_exceptions=False,
    )
    assert res.exit_code == 0, res.output
    for rel, text in MODS.items():
        assert (root / ".stato" / rel).read_bytes() == text.encode()


# -- the other readers: graft, merge and diff refuse the same way -----------------------------

SAMPLE = [
    "nul",
    "prepended-stub",
    "overlapping-members",
    "bzip2",
    "symlink-dos-system",
    "future-version-new-keys",
    "nested-toml",
    "long-name",
    "appended",
    "crc",
]


@pytest.mark.parametrize("case", SAMPLE)
def test_graft_merge_diff_refuse(
    case: str, tmp_path: Path, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make, needle = REFUSED[case]
    arc, good = tmp_path / "odd.stato", tmp_path / "good.stato"
    arc.write_bytes(make())
    good.write_bytes(GOOD)
    before, before_project = _tree(tmp_path), _tree(project)
    out = str(tmp_path / "merged.stato")
    for args in (
        ["graft", str(arc), "--module", "plan", "--path", str(project)],
        ["merge", str(good), str(arc), "-o", out],
        ["merge", str(arc), str(good), "-o", out],
        ["diff", str(good), str(arc)],
    ):
        res = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert res.exit_code == 1, (args, res.output)
        lines = [line for line in res.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: refusing archive odd.stato: ")
        assert needle in lines[0]
    assert _tree(tmp_path) == before
    assert _tree(project) == before_project


# -- properties: bytes around a good archive are never read past --------------------------------


@settings(max_examples=150, deadline=None)
@given(st.binary(min_size=1, max_size=600), st.booleans())
def test_any_bytes_before_or_after_are_refused(junk: bytes, before: bool) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.stato"
        path.write_bytes(junk + GOOD if before else GOOD + junk)
        with pytest.raises(ArchiveError) as info:
            read_archive(path)
        assert "\n" not in str(info.value)


def test_unreadable_path_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ArchiveError, match="no archive"):
        read_archive(tmp_path / "file" / "x.stato")  # a file where a folder should be


@settings(max_examples=100, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.integers(0, 0xFFFF),
    st.sampled_from([0, 3, 19]),
)
def test_any_extra_member_is_refused_in_a_short_line(name: str, mode: int, system: int) -> None:
    import tempfile

    zi = zipfile.ZipInfo(name)
    zi.create_system = system
    zi.external_attr = mode << 16
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.stato"
        path.write_bytes(zip_of(good_members() + [(zi, b"x")]))
        with pytest.raises(ArchiveError) as info:
            read_archive(path)
        message = str(info.value)
        assert "\n" not in message and len(message) < 400


def test_a_late_duplicate_among_many_is_found(tmp_path: Path) -> None:
    # Its speed (linear in the member count) is measured by benchmarks/archive.py, not timed here.
    names = [f"skills/s{i}.py" for i in range(19_999)] + ["skills/s19998.py"]
    path = tmp_path / "x.stato"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        path.write_bytes(zip_of([(n, b"") for n in names], method=zipfile.ZIP_STORED))
    with pytest.raises(ArchiveError, match="appears twice"):
        read_archive(path)


# -- archives made by real zip tools (tests/data/archive/README.md says how) -------------------

TOOL_ARCHIVES = {
    "tool-infozip-plain.stato": None,
    "tool-infozip-streamed.stato": None,
    "tool-infozip-comment.stato": None,
    "tool-jar.stato": None,
    "tool-infozip-folders.stato": "'skills/' is a folder entry",
    "tool-infozip-symlink.stato": "'plan.py' is a symbolic link",
    "tool-infozip-encrypted.stato": "is encrypted",
    "tool-infozip-bzip2.stato": "(bzip2)",
    "tool-infozip-sfx.stato": "39 bytes before the zip",
    "tool-infozip-zip64-streamed.stato": "overlaps",
}
DATA = Path(__file__).parent / "data" / "archive"


def test_every_tool_archive_is_listed() -> None:
    assert sorted(p.name for p in DATA.glob("tool-*.stato")) == sorted(TOOL_ARCHIVES)


@pytest.mark.parametrize("name", sorted(TOOL_ARCHIVES))
def test_tool_archives(name: str, tmp_path: Path, project: Path) -> None:
    needle = TOOL_ARCHIVES[name]
    arc = tmp_path / name
    arc.write_bytes((DATA / name).read_bytes())
    res = CliRunner().invoke(cli, ["inspect", str(arc)], catch_exceptions=False)
    if needle is None:
        assert res.exit_code == 0, res.output
        root = tmp_path / "proj"
        assert CliRunner().invoke(cli, ["init", "--path", str(root)]).exit_code == 0
        args = ["import", str(arc), "--path", str(root), "--on-conflict", "replace"]
        assert CliRunner().invoke(cli, args, catch_exceptions=False).exit_code == 0
        assert (root / ".stato" / "plan.py").read_text() == PLAN
        return
    before = _tree(project)
    for args in (["inspect", str(arc)], ["import", str(arc), "--path", str(project)]):
        res = CliRunner().invoke(cli, args, catch_exceptions=False)
        lines = [line for line in res.output.splitlines() if line.strip()]
        assert res.exit_code == 1 and len(lines) == 1 and needle in lines[0], res.output
    assert _tree(project) == before


def test_an_archive_over_256_mb_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.stato"
    with path.open("wb") as fh:
        fh.write(GOOD)
        fh.truncate(256 * 1024 * 1024 + 1)  # sparse: costs no disk and, unread, no time
    with pytest.raises(ArchiveError, match="over 256 MB"):
        read_archive(path)
