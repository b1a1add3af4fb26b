"""Golden and property tests: plan edits change one step and leave every other byte alone."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stato.core import plan_edit
from stato.core.plan_edit import PlanEditError

DATA = Path(__file__).parent / "data" / "plan_edit"
CASES = sorted(p.name[: -len(".in.py")] for p in DATA.glob("*.in.py"))


def _read(path: Path) -> str:
    return path.read_bytes().decode("utf-8")  # bytes: keep CRLF files CRLF


def _run(source: str) -> tuple[str, int]:
    op = json.loads(source.split("\n", 1)[0].split("# op:", 1)[1])
    if "set_step" in op:
        step_id = op.pop("set_step")
        return plan_edit.set_step(source, step_id, **op), step_id
    out, new_id = plan_edit.add_step(source, op["add_step"], op.get("depends_on", []))
    return out, new_id


def _steps(source: str) -> list[dict[str, object]]:
    cls = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    for stmt in cls.body:
        target = stmt.targets[0] if isinstance(stmt, ast.Assign) else getattr(stmt, "target", None)
        if isinstance(target, ast.Name) and target.id == "steps":
            return ast.literal_eval(stmt.value)  # type: ignore[arg-type, no-any-return]
    raise AssertionError("no steps")


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    source = _read(DATA / f"{case}.in.py")
    out, _ = _run(source)
    assert out == _read(DATA / f"{case}.out.py")


@pytest.mark.parametrize("case", CASES)
def test_bytes_outside_the_step_are_unchanged(case: str) -> None:
    source = _read(DATA / f"{case}.in.py")
    out, step_id = _run(source)
    if '"set_step"' in source.split("\n", 1)[0]:
        start, end = plan_edit.step_span(source, step_id)
        new_start, new_end = plan_edit.step_span(out, step_id)
        assert new_start == start
        assert out[:start] == source[:start]
        assert out[new_end:] == source[end:]
    else:  # an added step: the old text is the new text with the inserted characters removed
        assert len(out) > len(source)
        i = next(k for k, (a, b) in enumerate(zip(source, out, strict=False)) if a != b)
        added = len(out) - len(source)
        assert out[:i] + out[i + added :] == source or _only_comma_moved(source, out)


def _only_comma_moved(source: str, out: str) -> bool:
    # Appending after an item without a trailing comma adds "," there and the item later.
    import difflib

    ops = difflib.SequenceMatcher(a=source, b=out, autojunk=False).get_opcodes()
    inserted = [out[j1:j2] for tag, _, _, j1, j2 in ops if tag == "insert"]
    return all(tag in ("equal", "insert") for tag, *_ in ops) and inserted[0] == ","


@pytest.mark.parametrize("case", CASES)
def test_edit_does_what_it_says(case: str) -> None:
    source = _read(DATA / f"{case}.in.py")
    op = json.loads(source.split("\n", 1)[0].split("# op:", 1)[1])
    out, step_id = _run(source)
    before, after = _steps(source), _steps(out)
    if "set_step" in op:
        expected = [dict(s) for s in before]
        for s in expected:
            if s["id"] == step_id:
                s.update({k: v for k, v in op.items() if k != "set_step"})
        assert after == expected
    else:
        new = {
            "id": step_id,
            "action": op["add_step"],
            "status": "pending",
            "depends_on": op.get("depends_on", []),
        }
        assert after == before + [new]


def test_unknown_step_is_refused_naming_the_ids() -> None:
    source = _read(DATA / "add_step_multiline.in.py")
    with pytest.raises(PlanEditError, match=r"no step with id 9 \(ids: 1, 2, 3\)"):
        plan_edit.set_step(source, 9, status="running")


def test_dependency_on_unknown_step_is_refused() -> None:
    source = _read(DATA / "add_step_multiline.in.py")
    with pytest.raises(PlanEditError, match="no step 7"):
        plan_edit.add_step(source, "x", [7])


@pytest.mark.parametrize(
    "source",
    [
        "class P:\n    name = 'p'\n    steps = BASE + [{'id': 1}]\n",
        "x = 1\n",
        "class P:\n    name = 'p'\n",
        "class P(:\n",
    ],
)
def test_non_literal_plans_are_refused(source: str) -> None:
    with pytest.raises(PlanEditError):
        plan_edit.set_step(source, 1, status="running")


# ---------------------------------------------------------------- property: any layout, any step

_text = st.text(
    # json.dumps escapes control characters but writes U+0085, U+2028 and U+2029 raw: Python
    # does not end a line there, so an offset table built with str.splitlines() would be wrong.
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=12,
)


@st.composite
def plans(draw: st.DrawFn) -> tuple[str, int, dict[str, object]]:
    n = draw(st.integers(1, 6))
    layout = draw(st.sampled_from(["one_line_dicts", "multi_line_dicts", "one_line_list"]))
    trailing = draw(st.booleans())
    comment = draw(st.booleans())
    items = []
    for i in range(1, n + 1):
        fields = {
            "id": i,
            "action": draw(_text),
            "status": draw(st.sampled_from(["pending", "complete"])),
        }
        if draw(st.booleans()):
            fields["output"] = draw(_text)
        if layout == "multi_line_dicts":
            body = "".join(
                f"            {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n"
                for k, v in fields.items()
            )
            items.append("        {\n" + body + "        }")
        else:
            items.append(json.dumps(fields, ensure_ascii=False))
    if layout == "one_line_list":
        steps = "[" + ", ".join(items) + "]"
    else:
        sep = ",  # note, with a comma\n" if comment else ",\n"
        joined = sep.join(("        " + it) if layout == "one_line_dicts" else it for it in items)
        steps = "[\n" + joined + ("," if trailing else "") + "\n    ]"
    header = '# ünïcode header\nclass P:\n    """Plan."""\n\n    name = "p\u2028"\n'
    source = f'{header}    steps = {steps}\n    decision_log = "kept"\n'
    step_id = draw(st.integers(1, n))
    values = {"status": draw(st.sampled_from(["running", "failed", "blocked"]))}
    if draw(st.booleans()):
        values["output"] = draw(_text)
    return source, step_id, values


@settings(max_examples=150, deadline=None)
@given(plans())
def test_property_set_step_touches_only_its_step(case: tuple[str, int, dict[str, object]]) -> None:
    source, step_id, values = case
    out = plan_edit.set_step(source, step_id, **values)
    start, end = plan_edit.step_span(source, step_id)
    _, new_end = plan_edit.step_span(out, step_id)
    assert out[:start] == source[:start]
    assert out[new_end:] == source[end:]
    expected = _steps(source)
    expected[step_id - 1].update(values)
    assert _steps(out) == expected


@settings(max_examples=100, deadline=None)
@given(plans(), _text, st.booleans())
def test_property_add_step_keeps_old_steps(
    case: tuple[str, int, dict[str, object]], action: str, with_dep: bool
) -> None:
    source, step_id, _ = case
    deps = [step_id] if with_dep else []
    out, new_id = plan_edit.add_step(source, action, deps)
    before = _steps(source)
    assert new_id == len(before) + 1
    assert _steps(out) == before + [
        {"id": new_id, "action": action, "status": "pending", "depends_on": deps}
    ]
    list_start = source.index("steps = [")
    assert out[:list_start] == source[:list_start]
    assert out.endswith('    decision_log = "kept"\n')


def test_a_repeated_key_is_edited_where_python_reads_it() -> None:
    source = 'class P:\n    steps = [{"id": 1, "status": "pending", "status": "running"}]\n'
    out = plan_edit.set_step(source, 1, status="complete")
    assert out == 'class P:\n    steps = [{"id": 1, "status": "pending", "status": "complete"}]\n'


def test_set_dict_key_in_place_and_refusal_of_non_literals() -> None:
    source = 'class S:\n    known_issues = {\n        "a": "x",  # why\n    }\n'
    out = plan_edit.set_dict_key(source, "known_issues", "b", "y")
    assert (
        out
        == 'class S:\n    known_issues = {\n        "a": "x",  # why\n        "b": "y",\n    }\n'
    )
    assert plan_edit.set_dict_key(source, "known_issues", "a", "z") == source.replace('"x"', '"z"')
    assert (
        plan_edit.set_dict_key("class S:\n    known_issues = dict(a=1)\n", "known_issues", "b", 1)
        is None
    )
