"""index.toml: strict parsing, one-line errors naming the registry and the entry, round trips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.errors import RegistryError
from stato.formats.registry_index import (
    FIELDS,
    PackageEntry,
    RegistryIndex,
    dump_index,
    parse_index,
    upsert,
    version_key,
)

SHA = "a" * 64


def entry_toml(**override: object) -> str:
    fields: dict[str, object] = {
        "name": '"scrna-qc"',
        "description": '"QC"',
        "author": '"me"',
        "version": '"1.0.0"',
        "tags": '["qc"]',
        "modules": "3",
        "updated": '"2026-01-01T00:00:00Z"',
        "url": '"scrna-qc-1.0.0.stato"',
        "sha256": f'"{SHA}"',
    }
    fields.update(override)
    body = "\n".join(f"{k} = {v}" for k, v in fields.items() if v is not None)
    return f"[[packages]]\n{body}\n"


def test_parses_a_valid_entry() -> None:
    index = parse_index(entry_toml(), "reg")
    (entry,) = index.packages
    assert entry == PackageEntry(
        "scrna-qc",
        "QC",
        "me",
        "1.0.0",
        ("qc",),
        3,
        "2026-01-01T00:00:00Z",
        "scrna-qc-1.0.0.stato",
        SHA,
    )


def test_toml_dates_are_accepted_as_text() -> None:
    index = parse_index(entry_toml(updated="2026-01-02"), "reg")
    assert index.packages[0].updated == "2026-01-02"


@pytest.mark.parametrize("field", FIELDS)
def test_a_missing_field_names_registry_entry_and_field(field: str) -> None:
    with pytest.raises(RegistryError) as info:
        parse_index(entry_toml(**{field: None}), "https://team.example/reg")
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith("registry https://team.example/reg:")
    assert field in message
    assert ("'scrna-qc'" if field != "name" else "package #1") in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", '"Bad Name"'),
        ("name", '"../x"'),
        ("version", '"1.0"'),
        ("version", "1"),
        ("sha256", '"abc"'),
        ("sha256", f'"{"A" * 64}"'),
        ("modules", "-1"),
        ("modules", "true"),
        ("modules", '"3"'),
        ("tags", '"qc"'),
        ("tags", "[1]"),
        ("url", '""'),
        ("updated", "5"),
        ("description", "3"),
        ("author", "[]"),
    ],
)
def test_a_wrong_type_is_one_line_naming_the_field(field: str, value: str) -> None:
    with pytest.raises(RegistryError) as info:
        parse_index(entry_toml(**{field: value}), "reg")
    assert f"invalid {field}" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        "[[packages]\nname=",
        "packages = 3",
        "format = 2",
        "\xff\xfe".encode("latin-1").decode("latin-1"),
    ],
)
def test_malformed_documents_are_refused(text: str) -> None:
    with pytest.raises(RegistryError, match="^registry reg: "):
        parse_index(text, "reg")


def test_undecodable_bytes_are_refused() -> None:
    with pytest.raises(RegistryError, match="not valid TOML"):
        parse_index(b"\xff\xfe\x00", "reg")


def test_a_duplicate_version_is_refused() -> None:
    with pytest.raises(RegistryError, match="twice"):
        parse_index(entry_toml() + entry_toml(), "reg")


def test_an_empty_index_is_empty() -> None:
    assert parse_index("", "reg").packages == ()


def test_versions_sort_semantically() -> None:
    text = "".join(entry_toml(version=f'"{v}"') for v in ("1.2.0", "1.10.0", "1.10.0-rc1", "0.9.9"))
    assert [p.version for p in parse_index(text, "r").versions("scrna-qc")] == [
        "1.10.0",
        "1.10.0-rc1",
        "1.2.0",
        "0.9.9",
    ]
    assert version_key("2.0.0") > version_key("2.0.0-alpha")


names = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
entries = st.builds(
    PackageEntry,
    name=names,
    description=text,
    author=text,
    version=st.from_regex(r"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", fullmatch=True),
    tags=st.lists(text, max_size=4).map(tuple),
    modules=st.integers(0, 500),
    updated=text,
    url=text.filter(lambda s: s.strip() != ""),
    sha256=st.from_regex(r"[0-9a-f]{64}", fullmatch=True),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(entries, max_size=6, unique_by=lambda e: (e.name, e.version)))
def test_dump_then_parse_gives_the_same_entries(packages: list[PackageEntry]) -> None:
    index = RegistryIndex(tuple(packages), "title")
    again = parse_index(dump_index(index), "r")
    assert sorted(again.packages, key=repr) == sorted(packages, key=repr)
    assert again.title == "title"


@settings(max_examples=40, deadline=None)
@given(st.lists(entries, max_size=5, unique_by=lambda e: (e.name, e.version)), entries)
def test_upsert_keeps_one_entry_per_version(
    packages: list[PackageEntry], new: PackageEntry
) -> None:
    index, replaced = upsert(RegistryIndex(tuple(packages)), new)
    keys = [(p.name, p.version) for p in index.packages]
    assert len(keys) == len(set(keys))
    assert new in index.packages
    assert replaced == any((p.name, p.version) == (new.name, new.version) for p in packages)


def test_unknown_keys_are_ignored_for_forward_compatibility() -> None:
    index = parse_index('title = "T"\nmirror = "x"\n' + entry_toml(license='"MIT"'), "reg")
    assert index.title == "T" and index.packages[0].name == "scrna-qc"
