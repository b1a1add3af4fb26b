"""The result cache: answers equal to compiling and scanning afresh, never stale, never trusted blindly."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.adapters.resultcache import ResultCache, cache_dir, fingerprint
from stato.core.compiler import compile_source
from stato.core.privacy import scan_text
from stato.ops.batch import compile_jobs, scan_texts
from stato.ops.snapshot import snapshot

from .conftest import write

CASES = Path(__file__).parent / "cases"
SECRET = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"


def cache_files() -> list[Path]:
    folder = cache_dir()
    assert folder is not None
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


SECTIONS = {"c": "compile", "s": "scan"}


def read_doc(file: Path) -> dict[str, Any]:
    """The cache file as one document: its header, and each section's entries by key."""
    head, *lines = file.read_bytes().splitlines()
    doc: dict[str, Any] = {**json.loads(head), "compile": {}, "scan": {}}
    for line in lines:
        section, key, entry = line.decode("utf-8").split("\t", 2)
        doc[SECTIONS[section]][key] = json.loads(entry)
    return doc


def write_doc(file: Path, doc: dict[str, Any]) -> None:
    """Write a document as read_doc gives it back in the file's own layout."""
    head = {"format": doc["format"], "fingerprint": doc["fingerprint"]}
    lines = [json.dumps(head)]
    for short, section in SECTIONS.items():
        lines += [f"{short}\t{k}\t{json.dumps(v)}" for k, v in doc[section].items()]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def jobs_of_cases() -> list[tuple[str, str | bytes, str | None]]:
    jobs: list[tuple[str, str | bytes, str | None]] = []
    for path in sorted(CASES.glob("*.py")):
        jobs.append((path.name, path.read_bytes(), None))
        jobs.append((path.name, path.read_bytes(), "skill"))  # the expected type is in the key
    return jobs


def test_cached_results_equal_fresh_ones_for_every_case(tmp_path: Path) -> None:
    jobs = jobs_of_cases()
    fresh = [compile_source(src, path, kind) for path, src, kind in jobs]
    cold = ResultCache.for_project(tmp_path)
    assert compile_jobs(jobs, cache=cold) == fresh
    cold.save()
    assert len(cache_files()) == 1
    warm = ResultCache.for_project(tmp_path)  # a new run: read back from the file
    assert compile_jobs(jobs, cache=warm) == fresh
    assert not warm._added, "a run that only hit the cache must not rewrite it"


def test_a_hit_keeps_the_path_it_was_asked_for(tmp_path: Path) -> None:
    text = (CASES / "W004_missing_status.py").read_text()
    cache = ResultCache.for_project(tmp_path)
    compile_jobs([("skills/a.py", text, None)], cache=cache)
    (hit,) = compile_jobs([("skills/b.py", text, None)], cache=cache)
    assert hit.path == "skills/b.py"
    assert hit == compile_source(text, "skills/b.py")


FIELD_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=4) | st.integers(), inner, max_size=3)
        | st.frozensets(st.integers(), max_size=3)
        | st.frozensets(st.integers(), max_size=3).map(set)
    ),
    max_leaves=12,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=FIELD_VALUES)
def test_any_literal_field_comes_back_exactly(tmp_path: Path, value: object) -> None:
    source = (
        "class ThingSkill:\n"
        '    """A skill."""\n'
        '    name = "thing"\n'
        f"    extra = {value!r}\n"
        "    def run(self):\n"
        "        return 1\n"
    )
    fresh = compile_source(source, "t.py")
    cache = ResultCache.for_project(tmp_path / "p")
    compile_jobs([("t.py", source, None)], cache=cache)
    cache.save()
    (again,) = compile_jobs([("t.py", source, None)], cache=ResultCache.for_project(tmp_path / "p"))
    assert again == fresh
    assert type(again.fields.get("extra")) is type(fresh.fields.get("extra"))


def test_values_json_cannot_hold_are_compiled_each_time(tmp_path: Path) -> None:
    source = (
        'class LamSkill:\n    """Doc."""\n    data = b"raw"\n    def run(self):\n        return 1\n'
    )
    cache = ResultCache.for_project(tmp_path)
    (first,) = compile_jobs([("l.py", source, None)], cache=cache)
    assert first.fields["data"] == b"raw"  # bytes: JSON has no exact spelling
    assert cache.get_result("l.py", source, None) is None
    cache.save()
    assert compile_jobs([("l.py", source, None)], cache=ResultCache.for_project(tmp_path)) == [
        first
    ]


def test_an_edited_module_is_compiled_again(example: Path, run: Callable[..., Result]) -> None:
    assert run("validate", ".stato").exit_code == 0
    qc = example / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text() + "\ndef broken(:\n")
    result = run("validate", ".stato")
    assert result.exit_code == 1
    assert "E001" in result.output


def cached_e003(root: Path) -> tuple[str, Path]:
    """A module with an E-code, compiled once through the cache: (its text, the cache file)."""
    text = (CASES / "E003_missing_field.py").read_text()
    cache = ResultCache.for_project(root)
    compile_jobs([("m.py", text, None)], cache=cache)
    cache.save()
    (file,) = cache_files()
    return text, file


def test_another_stato_or_a_damaged_file_is_an_empty_cache(tmp_path: Path) -> None:
    text, file = cached_e003(tmp_path)
    doc = read_doc(file)
    # Forge the entry to claim the module is clean, under another stato's fingerprint.
    for entry in doc["compile"].values():
        entry[6] = []
    doc["fingerprint"] = "0" * 32
    write_doc(file, doc)
    (result,) = compile_jobs([("m.py", text, None)], cache=ResultCache.for_project(tmp_path))
    assert "E003" in result.codes()
    for damage in ("{not json", '{"format": 1}', "[]", '{"format":1,"fingerprint":"x"}'):
        file.write_text(damage)
        (result,) = compile_jobs([("m.py", text, None)], cache=ResultCache.for_project(tmp_path))
        assert "E003" in result.codes()


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    text, file = cached_e003(tmp_path)
    doc = read_doc(file)
    assert doc["fingerprint"] == fingerprint()
    for key in doc["compile"]:
        doc["compile"][key] = ["skill", None]  # wrong shape
    write_doc(file, doc)
    (result,) = compile_jobs([("m.py", text, None)], cache=ResultCache.for_project(tmp_path))
    assert result == compile_source(text, "m.py")


def test_findings_come_back_equal_and_the_file_never_holds_a_secret(tmp_path: Path) -> None:
    texts = {
        "a.py": f'class ASkill:\n    """Doc."""\n    token = "{SECRET}"\n',
        "b.py": "class BSkill:\n    '''Mail maria.lopez@lab-university.org for access.'''\n",
        "c.py": "class CSkill:\n    '''Nothing to see.'''\n",
    }
    fresh = scan_texts(texts)
    assert {f.path for f in fresh} == {"a.py", "b.py"}
    cache = ResultCache.for_project(tmp_path)
    assert scan_texts(texts, (), cache) == fresh
    cache.save()
    raw = cache_files()[0].read_bytes()
    assert SECRET.encode() not in raw and b"maria.lopez" not in raw
    assert scan_texts(texts, (), ResultCache.for_project(tmp_path)) == fresh
    assert [f.text for f in fresh] == [f.text for f in scan_text(texts["a.py"], "a.py")] + [
        f.text for f in scan_text(texts["b.py"], "b.py")
    ]


def test_ignore_globs_are_part_of_the_key(tmp_path: Path) -> None:
    texts = {"b.py": "x = 'maria.lopez@lab-university.org'\n"}
    cache = ResultCache.for_project(tmp_path)
    assert len(scan_texts(texts, (), cache)) == 1
    assert scan_texts(texts, ("maria.lopez@*",), cache) == []
    assert len(scan_texts(texts, (), cache)) == 1


def test_snapshots_are_identical_with_and_without_the_cache(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cold = snapshot(example, "ex", output=example / "cold.stato")
    warm = snapshot(example, "ex", output=example / "warm.stato")
    monkeypatch.setenv("STATO_NO_CACHE", "1")
    none = snapshot(example, "ex", output=example / "none.stato")
    assert cold.written and warm.written and none.written
    data = (example / "cold.stato").read_bytes()
    assert data == (example / "warm.stato").read_bytes() == (example / "none.stato").read_bytes()


def test_a_secret_added_later_still_stops_the_snapshot(
    example: Path, run: Callable[..., Result]
) -> None:
    assert run("snapshot", "--name", "ex").exit_code == 0
    write(
        example / ".stato" / "skills" / "leak.py",
        f'class LeakSkill:\n    """Doc."""\n    token = "{SECRET}"\n    def run(self):\n        return 1\n',
    )
    result = run("snapshot", "--name", "ex2")
    assert result.exit_code == 1
    assert not (example / "ex2.stato").exists()


def test_no_cache_writes_nothing(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STATO_NO_CACHE", "1")
    assert cache_dir() is None
    assert snapshot(example, "ex").written
    monkeypatch.setenv("STATO_NO_CACHE", "0")
    assert cache_files() == []


def test_an_unwritable_cache_folder_is_no_error(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    blocker = write(tmp_path / "not-a-folder", "x")
    monkeypatch.setenv("STATO_CACHE_DIR", str(blocker))  # mkdir under a file fails
    result = run("validate", ".stato")
    assert result.exit_code == 0, result.output
    assert snapshot(example, "ex").written


def test_the_cache_lives_outside_the_project(example: Path, run: Callable[..., Result]) -> None:
    assert run("validate", ".stato").exit_code == 0
    assert run("snapshot", "--name", "ex").exit_code == 0
    (file,) = cache_files()
    assert example not in file.parents
    assert oct(file.stat().st_mode & 0o777) == oct(0o600)


def test_files_of_long_gone_projects_are_dropped(tmp_path: Path) -> None:
    folder = cache_dir()
    assert folder is not None
    old = write(folder / ("0" * 24 + ".json"), "{}")
    month_ago = time.time() - 40 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    cache = ResultCache.for_project(tmp_path)
    compile_jobs([("m.py", "class A:\n    pass\n", None)], cache=cache)
    cache.save()
    assert not old.exists()
    assert len(cache_files()) == 1


def test_renamed_modules_leave_a_bounded_number_of_spare_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from stato.adapters.resultcache import SPARE_ENTRIES

    per_run = SPARE_ENTRIES // 2 + 100
    for run_number in range(3):  # every run renames every module: nothing is reused
        cache = ResultCache.for_project(tmp_path)
        jobs = [(f"m{i}.py", f"class M{run_number}x{i}:\n    pass\n", None) for i in range(per_run)]
        compile_jobs(jobs, cache=cache)
        cache.save()
    doc = read_doc(cache_files()[0])
    assert len(doc["compile"]) == per_run + SPARE_ENTRIES
    newest = ResultCache.for_project(tmp_path)
    assert newest.get_result("m0.py", "class M2x0:\n    pass\n", None) is not None


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away"
)
def test_a_file_another_user_wrote_is_not_trusted(tmp_path: Path) -> None:
    text, file = cached_e003(tmp_path)
    doc = read_doc(file)
    for entry in doc["compile"].values():
        entry[6] = []  # forged: "no diagnostics"
    write_doc(file, doc)
    os.chown(file, 12345, 12345)
    (result,) = compile_jobs([("m.py", text, None)], cache=ResultCache.for_project(tmp_path))
    assert "E003" in result.codes()
    os.chown(file, os.getuid(), os.getgid())  # the same forged file, now "ours": it is believed
    (result,) = compile_jobs([("m.py", text, None)], cache=ResultCache.for_project(tmp_path))
    assert "E003" not in result.codes()


def test_status_and_bridge_read_through_the_cache_and_see_edits(
    example: Path, run: Callable[..., Result]
) -> None:
    assert run("status", "--json").exit_code == 0
    (file,) = cache_files()
    doc = read_doc(file)
    assert len(doc["compile"]) == 6  # every module of the example
    qc = example / ".stato" / "skills" / "qc.py"
    qc.write_text(qc.read_text() + "\ndef broken(:\n")
    status = json.loads(run("status", "--json").output)
    assert "skills/qc.py" in json.dumps(status)
    assert "E001" in json.dumps(status)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=9) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(junk=JSON_VALUES)
def test_any_damaged_entry_is_never_an_error(tmp_path: Path, junk: object) -> None:
    root = tmp_path / "junk"
    text = f'class ASkill:\n    """Doc."""\n    token = "{SECRET}"\n'
    cache = ResultCache.for_project(root)
    compile_jobs([("a.py", text, None)], cache=cache)
    scan_texts({"a.py": text}, (), cache)
    cache.save()
    file = ResultCache.for_project(root).file
    assert file is not None
    doc = read_doc(file)
    for section in ("compile", "scan"):
        for key in doc[section]:
            doc[section][key] = junk
    write_doc(file, doc)
    again = ResultCache.for_project(root)
    compile_jobs([("a.py", text, None)], cache=again)  # never raises
    found = scan_texts({"a.py": text}, (), again)
    assert all(0 <= f.start <= f.end <= len(text) for f in found)


def test_where_the_cache_lives(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("STATO_CACHE_DIR")
    monkeypatch.delenv("LOCALAPPDATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "stato" / "results"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")  # ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "stato" / "results"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "")  # no usable home: no cache, never a "~" folder here
    if not os.path.isabs(os.path.expanduser("~")):
        assert cache_dir() is None
    monkeypatch.setenv("STATO_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine" / "results"
    monkeypatch.setenv("STATO_NO_CACHE", "yes")
    assert cache_dir() is None


def test_a_torn_or_damaged_line_is_a_miss_for_that_entry_only(tmp_path: Path) -> None:
    texts = [(CASES / name).read_text() for name in ("W001_depends_on_str.py", "valid_skill.py")]
    jobs: list[tuple[str, str | bytes, str | None]] = [("a.py", texts[0], None)]
    jobs.append(("b.py", texts[1], None))
    cache = ResultCache.for_project(tmp_path)
    compile_jobs(jobs, cache=cache)
    cache.save()
    (file,) = cache_files()
    head, first, second = file.read_bytes().splitlines(keepends=True)
    for damaged in (head + first + second[:-9], head + first[:40] + b"}{\n" + second):
        file.write_bytes(damaged)
        again = ResultCache.for_project(tmp_path)
        hits = [again.get_result(path, text, kind) for path, text, kind in jobs]
        assert sum(hit is not None for hit in hits) == 1
        assert compile_jobs(jobs, cache=again) == [compile_source(t, p) for p, t, _ in jobs]
        again.save()  # the damaged entry is compiled again and written whole
        assert len(read_doc(file)["compile"]) == 2


def test_a_run_keeps_offsets_not_entries(tmp_path: Path) -> None:
    jobs = jobs_of_cases()
    cache = ResultCache.for_project(tmp_path)
    compile_jobs(jobs, cache=cache)
    cache.save()
    warm = ResultCache.for_project(tmp_path)
    assert warm.get_result(*jobs[-1]) is not None  # loads the index
    assert all(isinstance(where, int) for where in warm._index.values())
    assert len(warm._index) == len(read_doc(cache_files()[0])["compile"])


def test_a_line_that_holds_another_key_is_a_miss(tmp_path: Path) -> None:
    # The index keeps hashes of the keys: a line found under a hash must hold the key asked for.
    texts = [(CASES / name).read_text() for name in ("W001_depends_on_str.py", "valid_skill.py")]
    cache = ResultCache.for_project(tmp_path)
    compile_jobs([("a.py", texts[0], None), ("b.py", texts[1], None)], cache=cache)
    cache.save()
    warm = ResultCache.for_project(tmp_path)
    assert warm.get_result("b.py", texts[1], None) is not None
    wheres = list(warm._index.values())
    for h in warm._index:  # every hash now points at the other entry's line
        warm._index[h] = next(w for w in wheres if w != warm._index[h])
    assert warm.get_result("a.py", texts[0], None) is None
    (again,) = compile_jobs([("a.py", texts[0], None)], cache=warm)
    assert again == compile_source(texts[0], "a.py")
