"""The manifest writer gives exactly tomli_w's bytes, and tomllib reads them back."""

from __future__ import annotations

import sys

import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.formats.manifest import Manifest, ModuleEntry, dumps

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

text = st.text(max_size=40)
entries = st.builds(
    ModuleEntry,
    path=text,
    type=text,
    class_name=text,
    version=st.none() | text,
    sha256=st.text("0123456789abcdef", min_size=64, max_size=64),
)
manifests = st.builds(
    Manifest,
    name=text,
    created=text,
    stato_version=text,
    template=st.booleans(),
    partial=st.booleans(),
    modules=st.lists(entries, max_size=5).map(tuple),
    format_version=st.integers(0, 10),
)


@settings(max_examples=300)
@given(manifests)
def test_writer_matches_tomli_w_byte_for_byte(manifest: Manifest) -> None:
    ours = dumps(manifest)
    assert ours == tomli_w.dumps(manifest.to_toml())
    assert tomllib.loads(ours) == manifest.to_toml()


@settings(max_examples=300)
@given(manifests)
def test_fast_reader_equals_tomllib_on_what_stato_writes(manifest: Manifest) -> None:
    from stato.formats.manifest_toml import fast_parse

    text = dumps(manifest)
    fast = fast_parse(text)
    if "\\u" in text:  # control characters (refused by validation anyway) go to tomllib
        assert fast is None
    else:
        assert fast == tomllib.loads(text)


lines = st.one_of(
    st.just("[[modules]]"),
    st.just(""),
    st.builds(
        lambda k, v: f"{k} = {v}",
        st.sampled_from(["name", "path", "a", "modules", "x-y"]),
        st.one_of(
            st.text(max_size=8).map(lambda t: '"' + t + '"'),
            st.sampled_from(
                ["true", "false", "0", "12", "007", '"\\u00e9"', '"a\\"b"', '"\\\\"', '"\\q"']
            ),
        ),
    ),
    st.text(max_size=12),
)


@settings(max_examples=500)
@given(st.lists(lines, max_size=8))
def test_fast_reader_never_disagrees_with_tomllib(parts: list[str]) -> None:
    from stato.formats.manifest_toml import fast_parse

    text = "\n".join(parts) + "\n"
    fast = fast_parse(text)
    try:
        expected = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assert fast is None
        return
    assert fast is None or fast == expected
