"""formats.jsonc and formats.jsonc_edit: read JSON with comments, edit it keeping every comment."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.formats.jsonc import MAX_CHARS, MAX_DEPTH, JsoncError, comments, loads, strip, tree
from stato.formats.jsonc_edit import EditRefused, patch

# ---------------------------------------------------------------- reading


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('{"a": 1} // end', {"a": 1}),
        ('/* head */ {"a": /* in */ 1 /* after */}', {"a": 1}),
        ('{"url": "https://example.com/x"}', {"url": "https://example.com/x"}),
        ('{"s": "// not a comment /* nor this */"}', {"s": "// not a comment /* nor this */"}),
        ('{"q": "a \\" // still a string"} // a comment', {"q": 'a " // still a string'}),
        ('{"b": "back\\\\"} // after an escaped backslash', {"b": "back\\"}),
        ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
        ('{"a": 1 // a comment ending the file', None),
        ('{\r\n  // windows line ends\r\n  "a": 1\r\n}', {"a": 1}),
        ('{"a": "/*"} /* "} */', {"a": "/*"}),
    ],
)
def test_loads(text: str, value: Any) -> None:
    if value is None:
        with pytest.raises(JsoncError):
            loads(text)
    else:
        assert loads(text) == value


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('{\n  "a": /* never closed\n}', 2, 8),
        ('{\n  "a": "never closed\n}', 2, 21),  # the newline a JSON string cannot hold
        ("{\n  // fine\n  , }", 3, 3),  # a comma after nothing is not a trailing comma
        ('{"a": 1,,}', 1, 9),
        ("[,]", 1, 2),
        ('{"a": 1} / 2', 1, 10),
    ],
)
def test_errors_name_the_files_own_line_and_column(text: str, line: int, column: int) -> None:
    with pytest.raises(JsoncError) as info:
        loads(text)
    assert (info.value.lineno, info.value.colno) == (line, column)


def test_hostile_sizes_are_refused_not_crashed() -> None:
    deep = "[" * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)
    assert loads(deep) is not None  # read, but never edited
    with pytest.raises(JsoncError, match="nested deeper"):
        tree(deep)
    with pytest.raises(JsoncError):
        loads("[" * 100_000 + "]" * 100_000)
    with pytest.raises(JsoncError, match="longer than"):
        loads('"' + "x" * MAX_CHARS + '"')
    with pytest.raises(JsoncError):
        loads('{"n": ' + "9" * 5000 + "}")  # int() refuses over 4,300 digits


def test_strip_keeps_positions() -> None:
    text = '{\n  // c\n  "a": 1, /* x\ny */\n}'
    plain = strip(text)
    assert len(plain) == len(text) and plain.count("\n") == text.count("\n")
    assert json.loads(plain) == {"a": 1}


# A JSON document written token by token, with comments and whitespace between tokens.
_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
_line_text = st.text(st.characters(blacklist_characters="\n\r"), max_size=10)
_gaps = st.lists(
    st.sampled_from([" ", "\n", "\t", "\r\n"])
    | _line_text.map(lambda s: "//" + s + "\n")
    | st.text(max_size=10)
    .filter(lambda s: "*/" not in s and not s.endswith("*"))
    .map(lambda s: "/*" + s + "*/"),
    max_size=2,
).map("".join)


def _tokens(value: Any, trailing: bool) -> list[str]:
    if isinstance(value, dict):
        out = ["{"]
        for n, (k, v) in enumerate(value.items()):
            out += [json.dumps(k), ":", *_tokens(v, trailing)]
            out += [","] if n < len(value) - 1 or trailing else []
        return [*out, "}"]
    if isinstance(value, list):
        out = ["["]
        for n, v in enumerate(value):
            out += [*_tokens(v, trailing), *([","] if n < len(value) - 1 or trailing else [])]
        return [*out, "]"]
    return [json.dumps(value)]


@settings(max_examples=200, deadline=None)
@given(value=_values, trailing=st.booleans(), data=st.data())
def test_comments_at_token_boundaries_strip_to_the_same_data(
    value: Any, trailing: bool, data: st.DataObject
) -> None:
    toks = _tokens(value, trailing)
    gaps = data.draw(st.lists(_gaps, min_size=len(toks) + 1, max_size=len(toks) + 1))
    text = gaps[0] + "".join(t + g for t, g in zip(toks, gaps[1:], strict=True))
    assert loads(text) == value
    assert json.loads(strip(text)) == value


# ---------------------------------------------------------------- editing

DOC = """// VS Code MCP servers (JSONC)
{
  /* the servers I use */
  "servers": {
    "github": {
      "url": "https://api.githubcopilot.com/mcp/", // keep this URL
      "type": "http",
    }, // github
  },
  "inputs": [], // none yet
}
"""


def test_add_then_remove_restores_the_text_exactly() -> None:
    wanted = loads(DOC)
    wanted["servers"]["stato"] = {"command": "stato", "args": ["mcp"]}
    added = patch(DOC, wanted)
    assert loads(added) == wanted and comments(added) == comments(DOC)
    assert added.startswith(DOC[: DOC.index("  },\n")])  # every byte before the new entry
    del wanted["servers"]["stato"]
    assert patch(added, wanted) == DOC


@pytest.mark.parametrize(
    "text",
    [
        "{}",
        "{\n}\n",
        '{"a": 1}',
        '{"a": 1,}',
        '{\n    "a": 1\n}',
        '{\n\t"a": 1, // one\n}',
        '{\n  "a": {"b": [1, 2]} /* tail */\n}',
        "{ // only a comment\n}",
        "[\n  1,\n  2\n]",
    ],
)
@pytest.mark.parametrize("added", [{"k": {"x": [1, "y"]}}, {"k": 1, "m": None}])
def test_adding_members_keeps_every_other_byte(text: str, added: dict[str, Any]) -> None:
    old = loads(text)
    if not isinstance(old, dict):
        new_list = [*old, added]
        out = patch(text, new_list)
        assert loads(out) == new_list and comments(out) == comments(text)
        assert patch(out, old) == text
        return
    out = patch(text, {**old, **added})
    assert loads(out) == {**old, **added} and comments(out) == comments(text)
    assert patch(out, old) == text or (text == "{\n}\n" and patch(out, old) == "{}\n")


def test_windows_line_ends_stay_windows_line_ends() -> None:
    text = DOC.replace("\n", "\r\n")
    out = patch(text, {**loads(text), "k": [1]})
    assert out.count("\n") == out.count("\r\n") and out.startswith(text[:-7])
    assert patch(out, loads(text)) == text


def test_nan_in_the_users_file_does_not_loop() -> None:
    assert patch('{\n  "a": NaN\n}', {"a": float("nan"), "b": 1}).endswith('"b": 1\n}')


def test_changing_one_value_touches_only_that_value() -> None:
    wanted = loads(DOC)
    wanted["servers"]["github"]["type"] = "stdio"
    out = patch(DOC, wanted)
    assert out == DOC.replace('"type": "http"', '"type": "stdio"')


def test_removing_from_the_middle_of_a_list_keeps_the_rest() -> None:
    text = '{\n  "hooks": [\n    {"c": "a"}, // mine\n    {"c": "stato"},\n    {"c": "b"}\n  ]\n}'
    out = patch(text, {"hooks": [{"c": "a"}, {"c": "b"}]})
    assert out == '{\n  "hooks": [\n    {"c": "a"}, // mine\n    {"c": "b"}\n  ]\n}'


def test_a_comment_inside_the_replaced_part_is_refused() -> None:
    text = '{\n  "servers": {\n    "stato": {"command": "old" /* pinned */}\n  }\n}'
    with pytest.raises(EditRefused, match="pinned"):
        patch(text, {"servers": {}})
    # a change beside the comment keeps it
    out = patch(text, {"servers": {"stato": {"command": "new"}}})
    assert "/* pinned */" in out and loads(out) == {"servers": {"stato": {"command": "new"}}}


@settings(max_examples=150, deadline=None)
@given(
    value=st.dictionaries(st.text(max_size=5), _values, max_size=4),
    trailing=st.booleans(),
    data=st.data(),
)
def test_any_commented_object_takes_a_new_member_and_gives_it_back(
    value: dict[str, Any], trailing: bool, data: st.DataObject
) -> None:
    toks = _tokens(value, trailing)
    gaps = data.draw(st.lists(_gaps, min_size=len(toks) + 1, max_size=len(toks) + 1))
    text = gaps[0] + "".join(t + g for t, g in zip(toks, gaps[1:], strict=True)) + "\n"
    entry = {"command": "stato", "args": ["mcp"]}
    wanted = {**value, "stato-server": entry}
    try:
        out = patch(text, wanted)
    except EditRefused:  # only when the old value of that key held a comment
        assert "stato-server" in value
        return
    assert loads(out) == wanted and sorted(comments(out)) == sorted(comments(text))
    back = patch(out, value)
    assert loads(back) == value and sorted(comments(back)) == sorted(comments(text))
    if "stato-server" not in value and value:  # whitespace alone inside {} becomes {}
        assert back == text


_blank_gaps = st.lists(st.sampled_from(["", " ", "\n", "\n    ", "\t"]), max_size=2).map("".join)


@settings(max_examples=200, deadline=None)
@given(
    old=st.dictionaries(st.text(max_size=4), _values, max_size=4),
    new=st.dictionaries(st.text(max_size=4), _values, max_size=4),
    trailing=st.booleans(),
    commented=st.booleans(),
    data=st.data(),
)
def test_any_change_is_made_or_refused_never_a_lost_comment(
    old: dict[str, Any], new: dict[str, Any], trailing: bool, commented: bool, data: st.DataObject
) -> None:
    toks = _tokens(old, trailing)
    gaps = data.draw(st.lists(_gaps if commented else _blank_gaps, min_size=len(toks) + 1))
    text = gaps[0] + "".join(t + g for t, g in zip(toks, gaps[1:], strict=False)) + "\n"
    new = {**data.draw(st.sampled_from([{}, old])), **new}  # often a change of a few keys
    try:
        out = patch(text, new)
    except EditRefused:
        assert comments(text)  # only a comment in the way is a reason to refuse
        return
    assert loads(out) == new and sorted(comments(out)) == sorted(comments(text))


@pytest.mark.parametrize(
    ("text", "new", "out"),
    [
        ('{"stato": 1, "x": 1}', {"x": 1}, '{"x": 1}'),
        ('{"x": 1, "stato": 1, "y": 2}', {"x": 1, "y": 2}, '{"x": 1, "y": 2}'),
        ('{"x": 1, "stato": 1}', {"x": 1}, '{"x": 1}'),
        ('{"x": 1, "stato": 1,}', {"x": 1}, '{"x": 1,}'),
        ("[1, 2 /* two */, 3]", [1, 3], "[1, /* two */ 3]"),
        ('{"a": 1, "a": 2}', {"a": 3}, '{"a": 1, "a": 3}'),  # the repeated key JSON reads
        ('{"": [],//\n"0": null}', {}, "{//\n}"),  # found by hypothesis: // needs its newline
        ("{// \n}", {"k": 1}, '{// \n  "k": 1\n}'),  # found by hypothesis: the comment's space
        ('{"a": 1,//c\n"b": 2 /*x*/, "c": 3}', {"a": 1, "c": 3}, '{"a": 1,//c\n /*x*/ "c": 3}'),
    ],
)
def test_removing_or_adding_gives_exactly(text: str, new: Any, out: str) -> None:
    assert patch(text, new) == out
