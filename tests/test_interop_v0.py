"""Archives of the earlier public stato (0.11 with checksums, 0.5 legacy without) are read by
import, inspect, graft, merge and diff, under the same hostile-input rules as stato's own.

The archives are the real files in ../shared/interop/stato-0.x/, read there in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.archive import read_archive
from stato.errors import ArchiveError
from stato.formats.manifest import ORIGIN, ORIGIN_V0, windows_device
from tests.shared_dir import shared_dir

Run = Callable[..., Result]


SHARED = shared_dir("interop", "stato-0.x")
pytestmark = pytest.mark.skipif(SHARED is None, reason="../shared/interop/stato-0.x is absent")
V011 = (SHARED or Path()) / "v011-scrna-expert.stato"
V011_TEMPLATE = (SHARED or Path()) / "v011-scrna-template.stato"
LEGACY = (SHARED or Path()) / "community-piaso-scrna-skills-testing.stato"


def members(archive: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(archive) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def zip_of(items: list[tuple[str, bytes | str]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in items:
            zf.writestr(name, data)
    return buf.getvalue()


def rezip(archive: Path, change: Callable[[dict[str, bytes]], None]) -> bytes:
    """``archive``'s members, edited by ``change``, manifest first, as a fresh zip."""
    items = members(archive)
    change(items)
    order = ["manifest.toml"] + [n for n in items if n != "manifest.toml"]
    return zip_of([(n, items[n]) for n in order if n in items])


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes() if p.is_file() else b"<dir>"
        for p in sorted(root.rglob("*"))
    }


def modules_of(root: Path) -> dict[str, bytes]:
    stato = root / ".stato"
    return {
        p.relative_to(stato).as_posix(): p.read_bytes()
        for p in sorted(stato.rglob("*.py"))
        if ".history" not in p.parts
    }


# -- reading ---------------------------------------------------------------------------------


def test_a_011_archive_is_read_with_its_checksums_verified() -> None:
    archive = read_archive(V011)
    m = archive.manifest
    assert (m.origin, m.checksums, m.name, m.stato_version) == (
        ORIGIN_V0,
        True,
        "scrna-expert",
        "0.11.0",
    )
    kinds = {e.path: (e.type, e.class_name, e.version) for e in m.modules}
    assert kinds == {
        "context.py": ("context", "ProjectContext", None),
        "memory.py": ("memory", "AnalysisState", None),
        "plan.py": ("plan", "AnalysisPlan", "1.0.0"),
        "skills/clustering.py": ("skill", "Clustering", "0.3.0"),
        "skills/normalize.py": ("skill", "Normalization", "1.1.0"),
        "skills/qc.py": ("skill", "QualityControl", "1.2.0"),
    }
    raw = members(V011)
    assert {p: t.encode() for p, t in archive.modules.items()} == {
        p: b for p, b in raw.items() if p != "manifest.toml"
    }
    # The manifest's own checksums ("sha256:<hex>" of each member's bytes) are the ones kept.
    manifest = raw["manifest.toml"].decode()
    for e in m.modules:
        assert f'"{e.path}" = "sha256:{e.sha256}"' in manifest


def test_a_legacy_05_archive_is_read_and_said_to_have_no_checksums() -> None:
    archive = read_archive(LEGACY)
    m = archive.manifest
    assert (m.origin, m.checksums, m.stato_version) == (ORIGIN_V0, False, "0.5.0")
    assert len(archive.modules) == 10
    assert sorted(e.type for e in m.modules) == ["context", "memory", "plan"] + ["skill"] * 7
    assert all(
        e.sha256 == hashlib.sha256(archive.modules[e.path].encode()).hexdigest() for e in m.modules
    )


def test_stato_own_archives_keep_their_origin(run: Run, example: Path) -> None:
    assert run("snapshot", "--name", "own", "--output", "own.stato").exit_code == 0
    m = read_archive(example / "own.stato").manifest
    assert (m.origin, m.checksums) == (ORIGIN, True)


@pytest.mark.parametrize(
    "archive", ["v011-scrna-expert", "v011-scrna-template", "community-piaso-scrna-skills-testing"]
)
def test_inspect_shows_the_format_and_the_integrity(run: Run, archive: str) -> None:
    path = str((SHARED or Path()) / f"{archive}.stato")
    text = run("inspect", path)
    assert text.exit_code == 0, text.output
    data = json.loads(run("inspect", path, "--json").output)
    assert data["origin"] == ORIGIN_V0
    assert all(m["valid"] for m in data["modules"])
    legacy = archive.startswith("community")
    assert data["checksums"] is (not legacy)
    assert data["format_version"] == (None if legacy else "1")
    assert data["template"] is archive.endswith("template")
    assert bool(data["notes"]) is legacy
    assert ("integrity cannot be checked" in text.output) is legacy
    assert "checksums: " + ("none" if legacy else "verified") in text.output


# -- import and graft ------------------------------------------------------------------------


def test_import_a_011_archive_into_a_new_project_byte_for_byte(run: Run, tmp_path: Path) -> None:
    dest = tmp_path / "new"
    result = run("import", str(V011), "--path", str(dest), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["checksums"] is True and data["notes"] == []
    expected = {p: b for p, b in members(V011).items() if p != "manifest.toml"}
    assert modules_of(dest) == expected
    assert run("validate", str(dest / ".stato"), "--check").exit_code == 0


def test_import_a_legacy_archive_says_its_integrity_is_unchecked(run: Run, tmp_path: Path) -> None:
    dest = tmp_path / "new"
    text = run("import", str(LEGACY), "--path", str(dest), "--dry-run")
    assert text.exit_code == 0, text.output
    assert "no checksums" in text.output and "integrity cannot be checked" in text.output
    assert not dest.exists()
    data = json.loads(run("import", str(LEGACY), "--path", str(dest), "--json").output)
    assert data["ok"] and data["checksums"] is False
    assert len(data["notes"]) == 1 and "0.5.0" in data["notes"][0]
    expected = {p: b for p, b in members(LEGACY).items() if p != "manifest.toml"}
    assert modules_of(dest) == expected
    assert run("validate", str(dest / ".stato"), "--check").exit_code == 0


def test_import_the_template_then_the_expert_conflicts_as_usual(run: Run, tmp_path: Path) -> None:
    dest = tmp_path / "p"
    assert run("import", str(V011_TEMPLATE), "--path", str(dest)).exit_code == 0
    before = tree(dest)
    clash = run("import", str(V011), "--path", str(dest), "--json")
    assert clash.exit_code == 1
    conflicts = {
        a["path"] for a in json.loads(clash.output)["actions"] if a["action"] == "conflict"
    }
    assert conflicts == {"memory.py", "plan.py"}
    assert tree(dest) == before


def test_graft_one_module_from_each_kind_of_0x_archive(run: Run, tmp_path: Path) -> None:
    assert run("init").exit_code == 0
    example = tmp_path
    one = run("graft", str(V011), "--module", "skills/clustering", "--json")
    assert one.exit_code == 0, one.output
    data = json.loads(one.output)
    assert data["checksums"] is True and data["notes"] == []
    assert (example / ".stato/skills/clustering.py").read_bytes() == members(V011)[
        "skills/clustering.py"
    ]
    two = run("graft", str(LEGACY), "--module", "skills/cosg_markers.py")
    assert two.exit_code == 0, two.output
    assert "integrity cannot be checked" in two.output
    assert (example / ".stato/skills/cosg_markers.py").is_file()


# -- merge and diff --------------------------------------------------------------------------


def test_merge_a_legacy_and_a_011_archive_into_a_checksummed_one(run: Run, tmp_path: Path) -> None:
    result = run("merge", str(LEGACY), str(V011), "--output", "both.stato", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["notes"]) == 1 and LEGACY.name in data["notes"][0]
    merged = read_archive(tmp_path / "both.stato")
    assert (merged.manifest.origin, merged.manifest.checksums) == (ORIGIN, True)
    assert len(merged.modules) == 13  # 3 shared paths merged, 7 + 3 skills taken as they are
    assert "format_version = 1\n" in members(tmp_path / "both.stato")["manifest.toml"].decode()
    assert run("inspect", "both.stato").exit_code == 0
    same = run("merge", str(V011), str(V011_TEMPLATE), "--output", "t.stato", "--json")
    assert same.exit_code == 0 and json.loads(same.output)["notes"] == []


def test_diff_two_011_archives_and_a_legacy_one(run: Run) -> None:
    result = run("diff", str(V011), str(V011_TEMPLATE), "--json", "--brief")
    assert result.exit_code == 0  # they differ; shown, as `git diff` (1 only with --exit-code)
    data = json.loads(result.output)
    assert [m["path"] for m in data["changed"]] == ["memory.py", "plan.py"]
    assert data["notes"] == []
    legacy = run("diff", str(LEGACY), str(LEGACY))
    assert legacy.exit_code == 0 and "integrity cannot be checked" in legacy.output


# -- the same hostile-input rules ------------------------------------------------------------


def _tamper(items: dict[str, bytes]) -> None:
    items["skills/qc.py"] = items["skills/qc.py"].replace(b"max_pct_mito=40", b"max_pct_mito=90")


def _unlisted(items: dict[str, bytes]) -> None:
    items["skills/extra.py"] = items["skills/qc.py"]


def _missing(items: dict[str, bytes]) -> None:
    del items["skills/qc.py"]


def _no_checksums(items: dict[str, bytes]) -> None:
    text = items["manifest.toml"].decode()
    items["manifest.toml"] = text[: text.index("[checksums]")].encode()


def _bad_checksum(items: dict[str, bytes]) -> None:
    items["manifest.toml"] = items["manifest.toml"].replace(b'"sha256:', b'"md5:', 1)


def _extra_checksum(items: dict[str, bytes]) -> None:
    items["manifest.toml"] += b'"skills/ghost.py" = "sha256:' + b"0" * 64 + b'"\n'


def _climbing(items: dict[str, bytes]) -> None:
    items["manifest.toml"] = items["manifest.toml"].replace(
        b'    "context.py",', b'    "../context.py",'
    )


def _unknown_key(items: dict[str, bytes]) -> None:
    items["manifest.toml"] = b'run_on_import = "rm -rf ~"\n' + items["manifest.toml"]


def _newer_string(items: dict[str, bytes]) -> None:
    items["manifest.toml"] = items["manifest.toml"].replace(
        b'format_version = "1"', b'format_version = "2"'
    )


HOSTILE_011 = {
    "tampered-module": (_tamper, "checksum mismatch for 'skills/qc.py'"),
    "unlisted-member": (_unlisted, "'skills/extra.py' is not listed in the manifest"),
    "listed-but-missing": (_missing, "'skills/qc.py' is in the manifest but not in the archive"),
    "format-1-without-checksums": (_no_checksums, "has no [checksums]"),
    "checksum-not-sha256": (_bad_checksum, "must be 'sha256:'"),
    "checksum-of-nothing": (_extra_checksum, "not a listed module"),
    "climbing-path": (_climbing, "'..'"),
    "unknown-key": (_unknown_key, "unknown key 'run_on_import'"),
    "newer-format": (_newer_string, 'made by a newer stato (format "2")'),
}


def _signed(items: dict[str, bytes]) -> None:
    items["manifest.toml.sig"] = b"-----BEGIN SSH SIGNATURE-----\n-----END SSH SIGNATURE-----\n"


HOSTILE_011["signature"] = (_signed, "'manifest.toml.sig' is not listed in the manifest")

# Refusals that name what is wrong without calling the archive damaged.
NOT_DAMAGE = {
    "newer-format",
    "tampered-module",
    "unlisted-member",
    "listed-but-missing",
    "signature",
}


@pytest.mark.parametrize("case", sorted(HOSTILE_011))
def test_a_hostile_011_archive_is_refused_in_one_line(run: Run, tmp_path: Path, case: str) -> None:
    change, needle = HOSTILE_011[case]
    bad = tmp_path / "bad.stato"
    bad.write_bytes(rezip(V011, change))
    dest = tmp_path / "dest"
    for args in (("inspect", str(bad)), ("import", str(bad), "--path", str(dest))):
        result = run(*args)
        assert result.exit_code == 1
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: refusing archive bad.stato: ")
        assert needle in lines[0], lines[0]
        assert ("damaged" in lines[0]) is (case not in NOT_DAMAGE), lines[0]
    assert not dest.exists()


def test_a_newer_format_is_refused_as_such_not_as_damage(run: Run, tmp_path: Path) -> None:
    for raw in (b'format_version = "2"', b'format_version = "1.1"', b"format_version = 2"):

        def newer(items: dict[str, bytes], raw: bytes = raw) -> None:
            items["manifest.toml"] = items["manifest.toml"].replace(b'format_version = "1"', raw)
            if raw == b"format_version = 2":  # this stato's shape, a later version
                items["manifest.toml"] = b"format_version = 2\nsomething_new = true\n"

        arc = tmp_path / "newer.stato"
        arc.write_bytes(rezip(V011, newer))
        with pytest.raises(ArchiveError) as caught:
            read_archive(arc)
        message = str(caught.value)
        assert "made by a newer stato" in message and "upgrade stato" in message, message
        assert "damaged" not in message


def _legacy_symlink(items: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("manifest.toml", items["manifest.toml"])
        for name, data in items.items():
            if name == "manifest.toml":
                continue
            info = zipfile.ZipInfo(name)
            if name == "context.py":
                info.create_system = 3
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
                data = b"/etc/passwd"
            zf.writestr(info, data)
    return buf.getvalue()


def _legacy_bomb(items: dict[str, bytes]) -> bytes:
    items["context.py"] = b"#" * (17 * 1024 * 1024)
    return zip_of(
        [(n, items[n]) for n in ["manifest.toml", *sorted(set(items) - {"manifest.toml"})]]
    )


def _legacy_trailing(items: dict[str, bytes]) -> bytes:
    return rezip(LEGACY, lambda _: None) + b"#!/bin/sh\necho polyglot\n"


HOSTILE_LEGACY = {
    "symlink-member": (_legacy_symlink, "symbolic link"),
    "oversize-member": (_legacy_bomb, "zip bomb"),
    "trailing-data": (_legacy_trailing, "after the zip"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_LEGACY))
def test_a_legacy_archive_gets_no_leniency_on_its_zip(run: Run, tmp_path: Path, case: str) -> None:
    build, needle = HOSTILE_LEGACY[case]
    bad = tmp_path / "bad.stato"
    bad.write_bytes(build(members(LEGACY)))
    dest = tmp_path / "dest"
    result = run("import", str(bad), "--path", str(dest))
    assert result.exit_code == 1 and needle in result.output, result.output
    assert not dest.exists()


def test_an_odd_legacy_name_is_made_plain_not_refused(tmp_path: Path) -> None:
    def rename(items: dict[str, bytes]) -> None:
        items["manifest.toml"] = items["manifest.toml"].replace(
            b'name = "piaso-scrna-skills-testing"', 'name = "PIASO scRNA — skills"'.encode()
        )

    arc = tmp_path / "odd.stato"
    arc.write_bytes(rezip(LEGACY, rename))
    assert read_archive(arc).manifest.name == "PIASO-scRNA-skills"


def test_a_0x_description_and_author_are_shown_not_dropped(run: Run, tmp_path: Path) -> None:
    # Both keys were parsed and then dropped: inspect showed neither, text or --json.
    def describe(items: dict[str, bytes]) -> None:
        items["manifest.toml"] = (
            items["manifest.toml"]
            .replace(b'description = ""', b'description = "PIASO pipeline\\u001b[2J skills"')
            .replace(b'author = ""', b'author = "Min Dai"')
        )

    arc = tmp_path / "described.stato"
    arc.write_bytes(rezip(LEGACY, describe))
    data = json.loads(run("inspect", str(arc), "--json").output)
    assert (data["description"], data["author"]) == ("PIASO pipeline [2J skills", "Min Dai")
    text = run("inspect", str(arc)).output
    assert "description: PIASO pipeline [2J skills" in text and "author: Min Dai" in text
    assert "\x1b" not in text
    plain = json.loads(run("inspect", str(LEGACY), "--json").output)
    assert (plain["description"], plain["author"]) == ("", "")
    assert "description:" not in run("inspect", str(LEGACY)).output


# -- the invariant: what a 0.x archive holds is what is read, and 0.11 binds every byte ------

SKILL_TEXT = (
    'class {cls}:\n    """{doc}"""\n    name = "{name}"\n    version = "1.0.0"\n'
    "    @staticmethod\n    def run(**kwargs):\n        pass\n"
)


def v0_archive(skills: dict[str, str], checksums: bool) -> bytes:
    paths = sorted(f"skills/{n}.py" for n in skills)
    lines = [
        'name = "prop"',
        'description = ""',
        'author = ""',
        'created = "2026-02-15T22:25:17.621915+00:00"',
        f'stato_version = "{"0.11.0" if checksums else "0.5.0"}"',
    ]
    if checksums:
        lines.append('format_version = "1"')
    lines += ["partial = false", "template = false", "included_modules = ["]
    lines += [f'    "{p}",' for p in paths] + ["]"]
    texts = {
        f"skills/{n}.py": SKILL_TEXT.format(cls=n.title().replace("_", "") or "S", doc=d, name=n)
        for n, d in skills.items()
    }
    if checksums:
        lines += ["", "[checksums]"]
        lines += [
            f'"{p}" = "sha256:{hashlib.sha256(texts[p].encode()).hexdigest()}"' for p in paths
        ]
    return zip_of([("manifest.toml", "\n".join(lines) + "\n")] + sorted(texts.items()))


names = st.from_regex(r"[a-z][a-z0-9_]{0,11}", fullmatch=True).filter(
    lambda s: not windows_device(s)
)
docs = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters='"\\'),
    min_size=1,
    max_size=30,
).filter(lambda d: d.strip() == d and d[-1:] != '"')


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(skills=st.dictionaries(names, docs, min_size=1, max_size=5), checksums=st.booleans())
def test_every_0x_archive_reads_back_what_it_holds(
    tmp_path: Path, skills: dict[str, str], checksums: bool
) -> None:
    arc = tmp_path / "p.stato"
    data = v0_archive(skills, checksums)
    arc.write_bytes(data)
    archive = read_archive(arc)
    assert archive.manifest.checksums is checksums
    assert {p: t.encode() for p, t in archive.modules.items()} == {
        p: b for p, b in members(arc).items() if p != "manifest.toml"
    }
    assert all(e.type == "skill" for e in archive.manifest.modules)
    # One changed letter in one module: 0.11 refuses it, 0.5 cannot tell.
    first = sorted(archive.modules)[0]

    def flip(items: dict[str, bytes]) -> None:
        items[first] = items[first].replace(b"version", b"versioN", 1)

    arc.write_bytes(rezip(arc, flip))
    if checksums:
        with pytest.raises(ArchiveError, match="checksum mismatch"):
            read_archive(arc)
    else:
        assert read_archive(arc).modules[first].count("versioN") == 1
