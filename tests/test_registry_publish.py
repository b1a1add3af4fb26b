"""`stato registry publish`: privacy scan first, then archive and index entry, all or nothing."""

from __future__ import annotations

import hashlib
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 has no tomllib; tomli is the same parser
    import tomli as tomllib

from stato.errors import RegistryError, UsageError
from stato.formats.registry_index import parse_index
from stato.ops.registry_publish import publish
from stato.ops.scan import load_ignore
from tests.test_registry_http import make_archive, skill

NOW = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)
# An AWS-shaped access key ID assembled at run time, so this file itself holds no key.
FAKE_KEY = "AKIA" + "Q3VZ7XKM4PLR2TBN"


def files(folder: Path) -> dict[str, bytes]:
    """The folder's files, without the publish lock (filelock may or may not delete it)."""
    if not folder.exists():
        return {}
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.name != ".index.lock"}


def test_publish_then_republish_updates_the_entry(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    first = make_archive(tmp_path / "a.stato", "Kit", {"a": skill("A", "a-skill", ["t1"])})
    result = publish(first, folder, description="A kit", author="me", now=NOW)
    assert not result.replaced
    entry = result.entry
    assert (entry.name, entry.version, entry.modules, entry.tags) == ("kit", "1.0.0", 1, ("t1",))
    assert entry.updated == "2026-05-01T12:00:00Z"
    assert (folder / entry.url).read_bytes() == first.read_bytes()

    second = make_archive(tmp_path / "b.stato", "kit", {"a": skill("A", "a-skill", ["t1"], "new")})
    again = publish(second, folder, now=NOW)  # same version by default: the entry is updated
    assert again.replaced
    # The archive it replaced (other bytes under the same name) is kept beside it.
    assert again.backup == folder / "kit-1.0.0.stato.bak"
    assert again.backup.read_bytes() == first.read_bytes()
    assert publish(second, folder, now=NOW).backup is None  # the same bytes again: no copy
    (folder / "kit-1.0.0.stato.bak").unlink()
    assert (again.entry.description, again.entry.author) == ("A kit", "me")  # kept
    index = parse_index((folder / "index.toml").read_bytes(), "reg")
    (only,) = index.packages
    assert only.sha256 == hashlib.sha256(second.read_bytes()).hexdigest()

    publish(second, folder, version="1.1.0", now=NOW)
    index = parse_index((folder / "index.toml").read_bytes(), "reg")
    assert [p.version for p in index.versions("kit")] == ["1.1.0", "1.0.0"]
    assert sorted(files(folder)) == [
        "index.toml",
        "kit-1.0.0.stato",
        "kit-1.1.0.stato",
    ]


def test_privacy_findings_refuse_and_write_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    ok = make_archive(tmp_path / "ok.stato", "ok", {"a": skill("A", "a-skill", [])})
    publish(ok, folder, now=NOW)
    before = files(folder)
    leaky = make_archive(
        tmp_path / "leak.stato",
        "leak",
        {"a": skill("A", "a-skill", [], f"use key {FAKE_KEY} for the bucket")},
    )
    with pytest.raises(RegistryError) as info:
        publish(leaky, folder, now=NOW)
    message = str(info.value)
    assert "privacy scan found" in message and "skills/a.py:" in message
    assert FAKE_KEY not in message  # a finding never echoes the secret
    assert files(folder) == before


def test_statoignore_suppresses_a_false_positive(tmp_path: Path) -> None:
    root = tmp_path / "proj"
    (root / ".stato").mkdir(parents=True)
    (root / ".stato" / ".statoignore").write_text(f"# known test key\n{FAKE_KEY}\n")
    assert load_ignore(root) == [FAKE_KEY]
    leaky = make_archive(
        tmp_path / "leak.stato",
        "leak",
        {"a": skill("A", "a-skill", [], f"use key {FAKE_KEY} for the bucket")},
    )
    assert publish(leaky, tmp_path / "reg", ignore=load_ignore(root), now=NOW).entry.modules == 1


def test_invalid_module_is_refused(tmp_path: Path) -> None:
    from stato.adapters.archive import write_archive
    from stato.formats.manifest import Manifest, ModuleEntry

    text = "class Broken:\n    name = \n"
    manifest = Manifest(
        "broken",
        "2026-01-01T00:00:00Z",
        "0.1.0",
        modules=(ModuleEntry.for_text("skills/b.py", text, "skill", "Broken"),),
    )
    archive = write_archive(tmp_path / "b.stato", manifest, {"skills/b.py": text})
    with pytest.raises(RegistryError, match=r"skills/b\.py does not validate \(E001\)"):
        publish(archive, tmp_path / "reg", now=NOW)
    assert not (tmp_path / "reg").exists()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"name": "Bad Name"}, "not a registry package name"),
        ({"version": "1.0"}, "not a semantic version"),
    ],
)
def test_bad_name_or_version_is_a_usage_error(
    tmp_path: Path, kwargs: dict[str, str], match: str
) -> None:
    archive = make_archive(tmp_path / "a.stato", "a", {"a": skill("A", "a-skill", [])})
    with pytest.raises(UsageError, match=match):
        publish(archive, tmp_path / "reg", now=NOW, **kwargs)  # type: ignore[arg-type]


def test_a_broken_existing_index_is_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "reg"
    folder.mkdir()
    (folder / "index.toml").write_text("[[packages]\n")
    archive = make_archive(tmp_path / "a.stato", "a", {"a": skill("A", "a-skill", [])})
    with pytest.raises(RegistryError, match="not valid TOML"):
        publish(archive, folder, now=NOW)
    assert (folder / "index.toml").read_text() == "[[packages]\n"
    assert sorted(files(folder)) == ["index.toml"]


def test_index_is_valid_toml_with_relative_urls(tmp_path: Path) -> None:
    archive = make_archive(tmp_path / "a.stato", "a", {"a": skill("A", "a-skill", ["x"])})
    publish(archive, tmp_path / "reg", now=NOW)
    doc = tomllib.loads((tmp_path / "reg" / "index.toml").read_text())
    assert doc["format"] == 1 and doc["packages"][0]["url"] == "a-1.0.0.stato"


def test_concurrent_publishers_lose_no_entry(tmp_path: Path) -> None:
    import threading

    archives = [
        make_archive(tmp_path / f"k{i}.stato", f"kit{i}", {"a": skill("A", f"skill-{i}", [])})
        for i in range(6)
    ]
    errors: list[BaseException] = []

    def run(archive: Path) -> None:
        try:
            publish(archive, tmp_path / "reg", now=NOW)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(a,)) for a in archives]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    index = parse_index((tmp_path / "reg" / "index.toml").read_bytes(), "reg")
    assert sorted(p.name for p in index.packages) == [f"kit{i}" for i in range(6)]
