"""The archive reader/writer and the manifest: round trips, determinism, strict parsing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.adapters.archive import archive_bytes, read_archive, write_archive
from stato.errors import ArchiveError
from stato.formats import manifest as mf
from stato.formats.manifest import Manifest, ModuleEntry, windows_device

QC = 'class QualityControl:\n    """QC."""\n    name = "qc"\n\n    def run(self):\n        pass\n'
PLAN = 'class AnalysisPlan:\n    name = "p"\n    objective = "o"\n    steps = []\n'


def make(modules: dict[str, str], **kw: object) -> Manifest:
    entries = tuple(
        ModuleEntry.for_text(p, t, "skill" if p.startswith("skills/") else "plan", "C", "1.0")
        for p, t in sorted(modules.items())
    )
    base = dict(name="demo", created="2026-01-01T00:00:00Z", stato_version="0.1.0")
    base.update(kw)
    return Manifest(modules=entries, **base)  # type: ignore[arg-type]


def test_round_trip(tmp_path: Path) -> None:
    mods = {"skills/qc.py": QC, "plan.py": PLAN}
    out = write_archive(tmp_path / "a.stato", make(mods, partial=True), mods)
    arc = read_archive(out)
    assert arc.modules == mods
    assert arc.manifest.partial is True
    assert arc.manifest.template is False
    assert arc.manifest.paths == ["plan.py", "skills/qc.py"]
    assert arc.manifest.entry("skills/qc.py").version == "1.0"  # type: ignore[union-attr]


def test_deterministic_bytes_and_layout(tmp_path: Path) -> None:
    mods = {"skills/qc.py": QC, "plan.py": PLAN}
    a = write_archive(tmp_path / "a.stato", make(mods), mods).read_bytes()
    b = write_archive(tmp_path / "b.stato", make(dict(reversed(mods.items()))), mods).read_bytes()
    assert a == b
    with zipfile.ZipFile(tmp_path / "a.stato") as zf:
        infos = zf.infolist()
    assert [i.filename for i in infos] == ["manifest.toml", "plan.py", "skills/qc.py"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.external_attr >> 16 for i in infos} == {0o100644}


def test_write_replaces_atomically_and_leaves_no_temp(tmp_path: Path) -> None:
    dest = tmp_path / "a.stato"
    dest.write_bytes(b"old")
    write_archive(dest, make({"plan.py": PLAN}), {"plan.py": PLAN})
    assert read_archive(dest).modules == {"plan.py": PLAN}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.stato"]


def test_writer_refuses_disagreeing_manifest(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError):
        archive_bytes(make({"plan.py": PLAN}), {"plan.py": PLAN + "#"})
    with pytest.raises(ArchiveError):
        archive_bytes(make({"plan.py": PLAN}), {})


def test_manifest_dump_parse_round_trip() -> None:
    m = make({"skills/qc.py": QC}, template=True)
    text = mf.dumps(m)
    assert "[[modules]]" in text
    assert mf.loads(text) == m
    assert mf.dumps(mf.loads(text)) == text


def test_version_absent_round_trips() -> None:
    m = Manifest(
        "x",
        "2026-01-01T00:00:00Z",
        "0.1.0",
        modules=(ModuleEntry.for_text("plan.py", PLAN, "plan", "AnalysisPlan"),),
    )
    assert "version =" not in mf.dumps(m).split("[[modules]]")[1]
    assert mf.loads(mf.dumps(m)).modules[0].version is None


GOOD = mf.dumps(make({"plan.py": PLAN}))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t.replace("format_version = 1", "format_version = 2"),
        lambda t: t.replace("format_version = 1", 'format_version = "1"'),
        lambda t: t.replace('name = "demo"', 'name = "../x"'),
        lambda t: t.replace('name = "demo"\n', ""),
        lambda t: t.replace("2026-01-01T00:00:00Z", "yesterday"),
        lambda t: t.replace("template = false", 'template = "no"'),
        lambda t: t.replace('type = "plan"', 'type = "virus"'),
        lambda t: t.replace('class = "C"', 'class = "not a name"'),
        lambda t: t.replace('path = "plan.py"', 'path = "../plan.py"'),
        lambda t: t.replace('path = "plan.py"', 'path = "/etc/plan.py"'),
        lambda t: t.replace('path = "plan.py"', 'path = "plan.sh"'),
        lambda t: t.replace('path = "plan.py"', 'path = ".history/plan.py"'),
        lambda t: (
            t
            + '\n[[modules]]\npath = "plan.py"\ntype = "plan"\nclass = "C"\nsha256 = "'
            + "0" * 64
            + '"\n'
        ),
        lambda t: t.replace('sha256 = "', 'sha256 = "zz'),
        lambda t: t.replace('stato_version = "0.1.0"', 'stato_version = "\\u001b[2J"'),
        lambda t: t.replace('version = "1.0"', 'version = "1\\u0007"'),
        lambda t: (
            t.replace('path = "plan.py"', 'path = "plan.py"', 1)
            + '\n[[modules]]\npath = "PLAN.py"\ntype = "plan"\nclass = "C"\nsha256 = "'
            + "0" * 64
            + '"\n'
        ),
        lambda t: t + "\nsurprise = 1\n",
        lambda t: t[: len(t) // 2] + "[[[",
    ],
    ids=[
        "future",
        "str-version",
        "name",
        "no-name",
        "created",
        "bool",
        "type",
        "class",
        "dotdot",
        "abs",
        "ext",
        "reserved",
        "dup",
        "sha",
        "escape",
        "bell",
        "case-dup",
        "unknown-key",
        "not-toml",
    ],
)
def test_manifest_rejects(mutate) -> None:  # type: ignore[no-untyped-def]
    bad = mutate(GOOD)
    assert bad != GOOD
    with pytest.raises(ArchiveError) as info:
        mf.loads(bad)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "path", ["skills/qc.py", "plan.py", "skills/a_b-c.1.py", "skills/console.py", "skills/com10.py"]
)
def test_module_path_ok(path: str) -> None:
    assert mf.check_module_path(path) is None


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/x.py",
        "C:/x.py",
        "a\\b.py",
        "../x.py",
        "a/../b.py",
        "./x.py",
        "a//b.py",
        "x.txt",
        "prompts/x.py",
        ".history/x.py",
        ".x.py",
        "skills/con.py",
        "skills/NUL.py",
        "skills/Com1.py",
        "aux/x.py",
        "skills/lpt9.backup.py",
    ],
)
def test_module_path_refused(path: str) -> None:
    assert mf.check_module_path(path) is not None


_seg = st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True).filter(
    lambda s: not windows_device(s)
)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(_seg, st.text(max_size=200), min_size=1, max_size=5))
def test_any_text_round_trips_in_memory(tmp_path_factory, mods) -> None:  # type: ignore[no-untyped-def]
    modules = {f"skills/{k}.py": v for k, v in mods.items()}
    dest = tmp_path_factory.mktemp("rt") / "x.stato"
    write_archive(dest, make(modules), modules)
    assert read_archive(dest).modules == modules


def test_unprintable_version_is_left_out() -> None:
    entry = ModuleEntry.for_text("plan.py", PLAN, "plan", "P", "1.0\x1b[2J")
    assert entry.version is None
    m = Manifest("x", "2026-01-01T00:00:00Z", "0.1.0", modules=(entry,))
    assert mf.loads(mf.dumps(m)) == m
