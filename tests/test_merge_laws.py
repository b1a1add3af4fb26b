"""The merge laws, property-tested over generated module sets: idempotence, commutativity up to
conflict resolution, absorption, and validity of everything a merge writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import stato
from stato.core.compiler import compile_source
from stato.core.diff import canon, diff_sets
from stato.core.merge import MergeResult, merge_sets
from stato.core.merge_module import STRATEGIES
from stato.core.render import render_module, set_field

UNION = STRATEGIES["union"]
SETTINGS = settings(
    # STATO_MERGE_EXAMPLES=1000 for a longer hunt; the default keeps the suite fast.
    max_examples=int(os.environ.get("STATO_MERGE_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

words = st.sampled_from(["normalize", "load", "qc", "scrna", "mouse", "batch"])
text = st.text(alphabet="ab z-\"'\\\n\té", max_size=10)
scalar = st.one_of(st.integers(-3, 3), st.booleans(), st.none(), text, words, st.just(1.5))
value = st.recursive(
    scalar,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(words, inner, max_size=3)),
    max_leaves=6,
)
lesson_lines = st.lists(
    st.sampled_from(["- mouse uses mt-", "- FFPE needs 40", "- b", "  - nested note", "- c"]),
    max_size=4,
)
RUNS = [
    "    def run(self, adata, params=None):\n        return adata\n",
    "    def run(self, adata, params=None):\n        return params\n",
]
HELPER = "\n    def helper(self):\n        return 1\n"


def lessons(lines: list[str]) -> str:
    return "\n" + "".join(f"    {line}\n" for line in lines) + "    "


@st.composite
def skill(draw: Any, name: str) -> str:
    fields: dict[str, Any] = {"name": name}
    if draw(st.booleans()):
        fields["version"] = draw(st.sampled_from(["1.0.0", "1.1.0", "2.0.0"]))
    if draw(st.booleans()):
        fields["depends_on"] = draw(st.lists(words, max_size=3))
    if draw(st.booleans()):
        fields["default_params"] = draw(st.dictionaries(words, value, max_size=4))
    if draw(st.booleans()):
        fields["lessons_learned"] = lessons(draw(lesson_lines))
    if draw(st.booleans()):
        fields["tags"] = draw(st.lists(words, max_size=3))
    for extra in draw(st.lists(st.sampled_from(["owner", "extra", "limits"]), max_size=2)):
        fields[extra] = draw(value)
    methods = draw(st.sampled_from(RUNS)) + (HELPER if draw(st.booleans()) else "")
    doc = draw(st.sampled_from(["Quality control.", "QC filtering."]))
    return render_module("QualityControl", fields, doc, methods)


@st.composite
def plan(draw: Any) -> str:
    # Each side orders its DAG its own way, so the union of two sides' edges can form a cycle.
    ids = draw(st.permutations(sorted(draw(st.sets(st.integers(1, 6), min_size=1, max_size=5)))))
    steps = []
    for i, sid in enumerate(ids):
        step: dict[str, Any] = {
            "id": sid,
            "action": draw(st.sampled_from(["load", "qc", "cluster"])),
            "status": draw(st.sampled_from(["pending", "complete", "running"])),
            "depends_on": draw(st.lists(st.sampled_from(ids[:i]), unique=True)) if i else [],
        }
        if draw(st.booleans()):
            step["output"] = draw(text)
        steps.append(step)
    steps = draw(st.permutations(steps))
    fields = {"name": "p", "objective": draw(st.sampled_from(["o", "other"])), "steps": steps}
    if draw(st.booleans()):
        fields["constraints"] = draw(st.lists(words, max_size=3))
    return render_module("AnalysisPlan", fields, "The plan.")


@st.composite
def memory(draw: Any) -> str:
    fields: dict[str, Any] = {"phase": draw(st.sampled_from(["init", "analysis"]))}
    if draw(st.booleans()):
        fields["tasks"] = draw(st.lists(words, max_size=3))
    if draw(st.booleans()):
        fields["known_issues"] = draw(st.dictionaries(words, text, max_size=3))
    return render_module("ProjectState", fields, "Memory.")


@st.composite
def module_set(draw: Any) -> dict[str, str]:
    makers = {
        "skills/qc.py": skill("qc"),
        "skills/norm.py": skill("norm"),
        "plan.py": plan(),
        "memory.py": memory(),
    }
    chosen = draw(st.lists(st.sampled_from(sorted(makers)), min_size=1, unique=True))
    return {path: draw(makers[path]) for path in chosen}


def fields_of(result: MergeResult) -> dict[str, set[str]]:
    return {p: set(compile_source(t, p).fields) for p, t in result.modules.items()}


def conflict_keys(result: MergeResult, swap: bool = False) -> set[tuple[str, str, str, str]]:
    out = set()
    for c in result.conflicts:
        left, right = (c.right, c.left) if swap else (c.left, c.right)
        out.add((c.path, c.where, canon(left), canon(right)))
    return out


def test_generated_modules_are_valid() -> None:
    @SETTINGS
    @given(module_set())
    def check(mods: dict[str, str]) -> None:
        for path, text in mods.items():
            assert compile_source(text, path).valid, (path, text)

    check()


@SETTINGS
@given(module_set())
def test_union_is_idempotent(a: dict[str, str]) -> None:
    result = merge_sets(a, a, UNION)
    assert result.modules == a  # byte-identical
    assert not result.conflicts


@SETTINGS
@given(module_set(), st.sampled_from(sorted(STRATEGIES)))
def test_every_strategy_is_idempotent_and_an_empty_side_changes_nothing(
    a: dict[str, str], name: str
) -> None:
    """A + A = A + {} = {} + A = A, byte for byte and without conflicts, under every strategy
    (merging with an archive of no modules keeps every module as it came)."""
    strat = STRATEGIES[name]
    for result in (merge_sets(a, a, strat), merge_sets(a, {}, strat), merge_sets({}, a, strat)):
        assert result.modules == a
        assert not result.conflicts


@SETTINGS
@given(module_set(), module_set())
def test_prefer_right_absorbs_its_right_side(a: dict[str, str], b: dict[str, str]) -> None:
    """(A > B) > B = A > (A > B) = A > B under prefer-right: its winner's values already hold."""
    strat = STRATEGIES["prefer-right"]
    ab = merge_sets(a, b, strat).modules
    assert merge_sets(ab, b, strat).modules == ab
    assert merge_sets(a, ab, strat).modules == ab


@SETTINGS
@given(module_set(), module_set())
def test_union_is_commutative_up_to_conflict_resolution(
    a: dict[str, str], b: dict[str, str]
) -> None:
    ab, ba = merge_sets(a, b, UNION), merge_sets(b, a, UNION)
    assert sorted(ab.modules) == sorted(ba.modules) == sorted(set(a) | set(b))
    assert fields_of(ab) == fields_of(ba)
    assert conflict_keys(ab) == conflict_keys(ba, swap=True)


@SETTINGS
@given(module_set(), module_set(), st.sampled_from(sorted(STRATEGIES)))
def test_every_merged_module_validates(a: dict[str, str], b: dict[str, str], name: str) -> None:
    result = merge_sets(a, b, STRATEGIES[name])
    for path, text in result.modules.items():
        r = compile_source(text, path)
        assert r.valid, (path, r.codes(), text)
        assert not r.changed  # what a merge writes needs no auto-fix
    assert all(c.kept == STRATEGIES[name].winner for c in result.conflicts)


@SETTINGS
@given(module_set(), module_set())
def test_merging_again_changes_nothing(a: dict[str, str], b: dict[str, str]) -> None:
    """Absorption: (A + B) + B = A + B and (A + B) + A = A + B, byte for byte."""
    ab = merge_sets(a, b, UNION).modules
    assert merge_sets(ab, b, UNION).modules == ab
    assert merge_sets(ab, a, UNION).modules == ab


@SETTINGS
@given(module_set(), module_set())
def test_prefer_right_mirrors_prefer_left(a: dict[str, str], b: dict[str, str]) -> None:
    """A prefer-right B keeps the same values as B prefer-left A (list order aside)."""
    right = merge_sets(a, b, STRATEGIES["prefer-right"])
    left = merge_sets(b, a, STRATEGIES["prefer-left"])
    assert right.modules == left.modules
    assert conflict_keys(right) == conflict_keys(left, swap=True)


@SETTINGS
@given(module_set(), module_set())
def test_set_diff_is_antisymmetric(a: dict[str, str], b: dict[str, str]) -> None:
    ab, ba = diff_sets(a, b), diff_sets(b, a)
    assert (ab.added, ab.removed) == (ba.removed, ba.added)
    assert [m.path for m in ab.changed] == [m.path for m in ba.changed]
    assert ab.same == (a == b)
    for m1, m2 in zip(ab.changed, ba.changed, strict=True):
        kinds = {"added": "removed", "removed": "added", "changed": "changed"}
        assert {(c.field, c.kind) for c in m1.changes} == {
            (c.field, kinds[c.kind]) for c in m2.changes
        }


# --- the same laws over the bundled example project, edited at random on each side ----------

EXAMPLE = Path(stato.__file__).parent / "data" / "example"
EXAMPLE_MODULES = {
    p.relative_to(EXAMPLE).as_posix(): p.read_text() for p in sorted(EXAMPLE.rglob("*.py"))
}


@st.composite
def edited(draw: Any, path: str, source: str) -> str:
    """The module with a few of its fields changed the way an agent would change them."""
    fields = compile_source(source, path).fields
    for name in draw(st.lists(st.sampled_from(sorted(fields)), max_size=3, unique=True)):
        old = fields[name]
        if name == "name":
            continue
        if name == "steps":
            steps = [dict(s) for s in old]
            for s in steps:
                if draw(st.booleans()):
                    s["status"] = draw(st.sampled_from(["pending", "complete", "failed"]))
            if draw(st.booleans()):
                ids = [s["id"] for s in steps]
                new_id = draw(st.integers(max(ids) + 1, max(ids) + 3))
                deps = draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))
                steps.append(
                    {"id": new_id, "action": draw(words), "depends_on": deps, "status": "pending"}
                )
            new: Any = steps
        elif isinstance(old, list):
            new = old + draw(st.lists(words, max_size=2))
        elif isinstance(old, dict):
            new = {**old, draw(words): draw(scalar)}
        elif isinstance(old, str) and "\n" in old:
            new = old.rstrip() + "\n" + draw(st.sampled_from(["- new a", "- new b"])) + "\n"
        elif isinstance(old, str):
            new = draw(st.sampled_from([old, old + " (revised)", "2.0.0" if "." in old else old]))
        else:
            continue
        source = set_field(source, name, new)
    return source


@st.composite
def example_side(draw: Any) -> dict[str, str]:
    paths = draw(st.lists(st.sampled_from(sorted(EXAMPLE_MODULES)), min_size=1, unique=True))
    return {p: draw(edited(p, EXAMPLE_MODULES[p])) for p in paths}


@SETTINGS
@given(example_side(), example_side(), st.sampled_from(sorted(STRATEGIES)))
def test_laws_hold_on_the_edited_example_project(
    a: dict[str, str], b: dict[str, str], name: str
) -> None:
    for side in (a, b):
        assert all(compile_source(t, p).valid for p, t in side.items())
    assert merge_sets(a, a, STRATEGIES[name]).modules == a
    ab, ba = merge_sets(a, b, UNION), merge_sets(b, a, UNION)
    assert fields_of(ab) == fields_of(ba)
    assert conflict_keys(ab) == conflict_keys(ba, swap=True)
    merged = merge_sets(a, b, STRATEGIES[name]).modules
    for path, text in merged.items():
        r = compile_source(text, path)
        assert r.valid and not r.changed, (path, r.codes())
    assert merge_sets(ab.modules, b, UNION).modules == ab.modules


def _lines(text: str) -> set[str]:
    return {line.strip() for line in text.split("\n") if line.strip()}


@SETTINGS
@given(module_set(), module_set())
def test_union_loses_nothing(a: dict[str, str], b: dict[str, str]) -> None:
    """Every list item, dict key, lesson line and step id of either side is in the merge."""
    merged = merge_sets(a, b, UNION)
    for o in merged.outcomes:
        if o.origin != "merged":
            continue
        fa, fb = compile_source(a[o.path]).fields, compile_source(b[o.path]).fields
        fm = compile_source(o.text).fields
        assert set(fm) == set(fa) | set(fb)
        for name, value in fm.items():
            sides = [f[name] for f in (fa, fb) if name in f]
            if name == "steps":
                assert {s["id"] for s in value} == {s["id"] for v in sides for s in v}
            elif name == "lessons_learned":
                assert _lines(value) == set().union(*(_lines(v) for v in sides))
            elif isinstance(value, list) and all(isinstance(v, list) for v in sides):
                assert {canon(x) for x in value} == {canon(x) for v in sides for x in v}
            elif isinstance(value, dict) and all(isinstance(v, dict) for v in sides):
                assert set(value) == set().union(*(set(v) for v in sides))


def _pairs_by_scan(left: dict[str, Any], right: dict[str, Any]) -> list[tuple[str, str]]:
    """The pairing rule as first written: a pass over the left side for each right module."""
    pairs: list[tuple[str, str]] = []
    for r_path, r in right.items():
        if r.skill_name is None:
            continue
        same = [p for p, o in left.items() if o.skill_name == r.skill_name]
        if len(same) == 1 and all(same[0] != lp for lp, _ in pairs):
            pairs.append((same[0], r_path))
    return pairs


@SETTINGS
@given(
    st.lists(st.sampled_from(["qc", "load", "norm", None]), max_size=6),
    st.lists(st.sampled_from(["qc", "load", "norm", None]), max_size=6),
)
def test_moved_skills_pair_by_name_as_the_rule_says(
    left: list[str | None], right: list[str | None]
) -> None:
    from stato.core.merge import _pair_by_name
    from stato.core.merge_module import ModuleMerge

    def side(prefix: str, names: list[str | None]) -> dict[str, ModuleMerge]:
        return {
            f"{prefix}{i}.py": ModuleMerge(f"{prefix}{i}.py", prefix, "", skill_name=n)
            for i, n in enumerate(names)
        }

    a, b = side("l", left), side("r", right)
    assert _pair_by_name(a, b) == _pairs_by_scan(a, b)


# Class bodies laid out every way a field can be bound: own line, shared line, annotated,
# several targets, an augmented assignment after it, a comment after it, a continuation line,
# a multi-line value, tabs
BINDINGS = st.sampled_from(
    [
        "a = 1\n",
        "a = [1,\n        2]  # two\n",
        "a: int = 1\n",
        "a = b = 1\n",
        "a = 1; b = 2\n",
        "a = [1,\n        2]; b = 3\n",
        "b = 2\n",
        "b += [3]\n",
        "a += 1\n",
        "c = (\n        'x'\n    )\n",
        "c = \\\n        'y'\n",
        "c: dict[\n        str, int] = {}\n",
        "def m(self):\n        return 1\n",
        "'''doc'''\n",
    ]
)


@SETTINGS
@given(
    st.lists(BINDINGS, min_size=1, max_size=6),
    st.sampled_from(["    ", "\t"]),
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), value, min_size=1, max_size=3),
)
def test_fields_written_at_once_as_one_by_one(body: list[str], indent: str, values: Any) -> None:
    from stato.core.render import set_fields

    source = "class A:\n" + "".join(indent + line.replace("    ", indent) for line in body)
    together = set_fields(source, values)
    if together is None:
        return
    one_by_one = source
    for name, v in values.items():
        one_by_one = set_field(one_by_one, name, v)
    assert together == one_by_one
