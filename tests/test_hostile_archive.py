"""Hostile archives: each trick gets a one-line ArchiveError and nothing is unpacked."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    return build(
        p, [("manifest.toml", manifest_for(mods).encode()), ("skills/../../evil.py", PLAN.encode())]
    )


def case_backslash(p: Path) -> Path:
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("..\\evil.py", b"x")])


def case_symlink(p: Path) -> Path:
    mods = {"skills/qc.py": "/etc/passwd"}
    return build(
        p,
        [
            ("manifest.toml", manifest_for(mods).encode()),
            (symlink_info("skills/qc.py"), b"/etc/passwd"),
        ],
    )


def case_unlisted(p: Path) -> Path:
    mods = {"plan.py": PLAN}
    return build(
        p,
        [
            ("manifest.toml", manifest_for(mods).encode()),
            ("plan.py", PLAN.encode()),
            ("skills/extra.py", PLAN.encode()),
        ],
    )


def case_folder_entry(p: Path) -> Path:
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("skills/", b"")])


def case_oversize(p: Path) -> Path:
    big = b"#" * (17 * 1024 * 1024)
    return build(p, [("manifest.toml", manifest_for({}).encode()), ("skills/big.py", big)])


def case_ratio(p: Path) -> Path:
    bomb = "#" + " " * (2 * 1024 * 1024)
    mods = {"skills/bomb.py": bomb}
    return build(
        p, [("manifest.toml", manifest_for(mods).encode()), ("skills/bomb.py", bomb.encode())]
    )


def case_many_small(p: Path) -> Path:
    # Each member under the 64 KB ratio floor, together 18 MB from a few hundred KB: inspect
    # used 1.1 GB on 1,000 of them
    pad = "- pad line\n" * 5400
    mods = {f"skills/s{i}.py": f"# {i}\n{pad}" for i in range(300)}
    return build(
        p,
        [("manifest.toml", manifest_for(mods).encode())]
        + [(path, text.encode()) for path, text in mods.items()],
    )


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
    return build(
        p,
        [
            ("manifest.toml", manifest_for(mods).encode()),
            ("plan.py", PLAN.replace('"o"', '"owned"').encode()),
        ],
    )


def case_missing_member(p: Path) -> Path:
    mods = {"plan.py": PLAN, "skills/qc.py": PLAN}
    return build(p, [("manifest.toml", manifest_for(mods).encode()), ("plan.py", PLAN.encode())])


def case_duplicate(p: Path) -> Path:
    mods = {"plan.py": PLAN}
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate we want
        return build(
            p,
            [
                ("manifest.toml", manifest_for(mods).encode()),
                ("plan.py", PLAN.encode()),
                ("plan.py", b"import os"),
            ],
        )


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


def test_folder_is_not_an_archive(tmp_path: Path) -> None:
    # Not in CASES: at the command line click refuses a folder itself (a usage error, exit 2).
    with pytest.raises(ArchiveError, match="not a file"):
        read_archive(tmp_path)


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "absolute": (case_absolute, "absolute"),
    "dotdot": (case_dotdot, ".."),
    "backslash": (case_backslash, "absolute"),
    "symlink": (case_symlink, "link"),
    "unlisted": (case_unlisted, "not listed"),
    "folder-entry": (case_folder_entry, "folder"),
    "oversize": (case_oversize, "zip bomb"),
    "ratio": (case_ratio, "ratio"),
    "many-small": (case_many_small, "50:1 (zip bomb?)"),
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


# -- the commands: one line on stderr, exit 1, nothing written anywhere --------------------


def _snapshot_tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("command", ["inspect", "import", "graft"])
def test_commands_refuse(command: str, hostile: tuple[Path, str], tmp_path: Path) -> None:
    from click.testing import CliRunner

    from stato.cli import cli

    path, needle = hostile
    project = tmp_path / "proj"
    assert CliRunner().invoke(cli, ["init", "--path", str(project)]).exit_code == 0
    before = _snapshot_tree(tmp_path)
    args = [command, str(path)] + ([] if command == "inspect" else ["--path", str(project)])
    res = CliRunner().invoke(cli, args)
    assert res.exit_code == 1, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0]
    assert _snapshot_tree(tmp_path) == before


# -- module code is never run, whatever it holds ---------------------------------------------


def _booby_trapped(marker: Path) -> dict[str, str]:
    call = f"open({str(marker)!r}, 'w').write('ran')"
    return {
        "skills/trap.py": (
            f"{call}\n"
            "class Trap:\n"
            '    """Looks harmless."""\n'
            '    name = "trap"\n'
            f"    payload = __import__('os').system('touch {marker}')\n"
            f"    other = {call}\n\n"
            "    def run(self) -> None:\n"
            f"        {call}\n"
        ),
        "plan.py": (
            f"import os; os.system('touch {marker}')\n"
            "class TrapPlan:\n"
            '    name = "p"\n    objective = "o"\n'
            f"    steps = [{{'id': 1, 'action': str(__import__('os').system('touch {marker}')), "
            "'status': 'pending'}]\n"
        ),
    }


def test_module_code_never_runs(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from stato.adapters.archive import write_archive
    from stato.cli import cli
    from stato.core.compiler import compile_source

    marker = tmp_path / "MARKER"
    modules = _booby_trapped(marker)
    entries = []
    for rel, text in sorted(modules.items()):
        r = compile_source(text, rel)
        entries.append(
            ModuleEntry.for_text(rel, text, r.module_type or "skill", r.class_name or "X")
        )
    arc = write_archive(
        tmp_path / "trap.stato",
        Manifest("trap", "2026-01-01T00:00:00Z", "0.1.0", modules=tuple(entries)),
        modules,
    )
    project = tmp_path / "proj"
    runner = CliRunner()
    assert runner.invoke(cli, ["init", "--path", str(project)]).exit_code == 0
    runner.invoke(cli, ["inspect", str(arc)])
    res = runner.invoke(cli, ["import", str(arc), "--path", str(project)])
    assert res.exit_code == 0, res.output  # compiled (calls are advice, not run) and imported
    assert (project / ".stato" / "skills" / "trap.py").read_text() == modules["skills/trap.py"]
    runner.invoke(
        cli,
        [
            "graft",
            str(arc),
            "--module",
            "skills/trap",
            "--path",
            str(project),
            "--on-conflict",
            "replace",
        ],
    )
    py = tmp_path / "trap.py"
    py.write_text(modules["skills/trap.py"])
    runner.invoke(cli, ["graft", str(py), "--path", str(project), "--on-conflict", "rename"])
    runner.invoke(cli, ["snapshot", "--name", "again", "--force", "--path", str(project)])
    runner.invoke(
        cli, ["snapshot", "--name", "tpl", "--template", "--force", "--path", str(project)]
    )
    assert not marker.exists()


# -- fuzz: a damaged archive is an ArchiveError or the original modules, nothing else ------

_GOOD_MODULES = {"plan.py": PLAN, "skills/qc.py": PLAN.replace("AnalysisPlan", "Qc") * 3}


def _good_bytes() -> bytes:
    from stato.adapters.archive import archive_bytes

    entries = tuple(ModuleEntry.for_text(p, t, "plan", "C") for p, t in _GOOD_MODULES.items())
    return archive_bytes(
        Manifest("fuzz", "2026-01-01T00:00:00Z", "0.1.0", modules=entries), _GOOD_MODULES
    )


GOOD_BYTES = _good_bytes()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, len(GOOD_BYTES) - 1), st.integers(0, 255)), min_size=1, max_size=6
    ),
    st.integers(0, len(GOOD_BYTES)),
)
def test_damaged_archives_fail_cleanly(flips: list[tuple[int, int]], cut: int) -> None:
    import tempfile

    data = bytearray(GOOD_BYTES)
    for pos, value in flips:
        data[pos] = value
    with tempfile.TemporaryDirectory() as tmp:
        for variant in (bytes(data), bytes(data[:cut])):
            path = Path(tmp) / "f.stato"
            path.write_bytes(variant)
            try:
                arc = read_archive(path)
            except ArchiveError as exc:
                assert "\n" not in str(exc)
            else:
                assert arc.modules == _GOOD_MODULES
