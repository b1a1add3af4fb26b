"""Search ranking: name beats tags beats description; every result matches every term."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stato.formats.registry_index import PackageEntry
from stato.ops.registry import Found, parse_spec, rank

SHA = "0" * 64


def pkg(name: str, tags: tuple[str, ...] = (), description: str = "") -> Found:
    entry = PackageEntry(name, description, "a", "1.0.0", tags, 1, "2026-01-01", "x.stato", SHA)
    return Found("reg", entry, ("1.0.0",))


def names(found: list[Found]) -> list[str]:
    return [f.entry.name for f in found]


def test_name_then_tags_then_description() -> None:
    found = [
        pkg("alpha", description="tools for bioinformatics pipelines"),
        pkg("beta", tags=("bioinformatics",)),
        pkg("gamma", tags=("bioinformatics-tools",)),
        pkg("bioinformatics-kit"),
        pkg("bioinformatics"),
        pkg("my-bioinformatics"),
        pkg("delta", description="unrelated"),
    ]
    assert names(rank(found, "Bioinformatics")) == [
        "bioinformatics",
        "bioinformatics-kit",
        "my-bioinformatics",
        "beta",
        "gamma",
        "alpha",
    ]


def test_all_terms_must_match() -> None:
    found = [pkg("scrna-qc", tags=("qc",)), pkg("python-packaging", tags=("pypi",))]
    assert names(rank(found, "scrna qc")) == ["scrna-qc"]
    assert names(rank(found, "scrna pypi")) == []
    assert rank(found, "   ") == []


def test_description_whole_words_beat_fragments() -> None:
    found = [pkg("a", description="catalogue"), pkg("b", description="a cat tool")]
    assert names(rank(found, "cat")) == ["b", "a"]


word = st.from_regex(r"[a-z]{3,8}", fullmatch=True)


@settings(max_examples=40, deadline=None)
@given(
    word, st.lists(st.tuples(word, st.lists(word, max_size=3), st.text(max_size=30)), max_size=8)
)
def test_ranking_invariants(term: str, raw: list[tuple[str, list[str], str]]) -> None:
    found = [pkg(n, tuple(t), d) for n, t, d in raw]
    ranked = rank(found, term)

    def matches(f: Found) -> bool:
        e = f.entry
        return term in e.name or any(term in t for t in e.tags) or term in e.description.lower()

    assert all(matches(f) for f in ranked)
    assert len(ranked) == sum(matches(f) for f in found)  # every match is ranked

    def tier(f: Found) -> int:
        if term in f.entry.name:
            return 0
        return 1 if any(term in t for t in f.entry.tags) else 2

    tiers = [tier(f) for f in ranked]
    assert tiers == sorted(tiers)


def test_parse_spec() -> None:
    assert parse_spec("scrna-qc") == ("scrna-qc", None)
    assert parse_spec("scrna-qc@1.2.0") == ("scrna-qc", "1.2.0")
    for bad in ("../x", "Scrna", "scrna@1.0", "@1.0.0", ""):
        try:
            parse_spec(bad)
        except Exception as exc:  # noqa: BLE001 - any refusal is fine, the type is checked below
            assert type(exc).__name__ == "UsageError"
        else:
            raise AssertionError(f"{bad!r} was accepted")
