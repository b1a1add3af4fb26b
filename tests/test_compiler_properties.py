"""Property tests: the compiler never raises, fixes are idempotent, E009 iff the steps have a cycle."""

from __future__ import annotations

import ast

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stato.core.compiler import compile_source
from stato.core.render import py_literal
from stato.core.semantic import find_cycles

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "name",
        "version",
        "depends_on",
        "default_params",
        "lessons_learned",
        "tags",
        "phase",
        "objective",
        "steps",
        "project",
        "description",
        "handoff_schema",
        "run",
        "known_issues",
        "other",
    ]
)


@st.composite
def modules(draw: st.DrawFn) -> str:
    cls = draw(
        st.sampled_from(
            ["QualityControl", "ProjectState", "ProjectContext", "HandoffProtocol", "Plan", "Thing"]
        )
    )
    fields = draw(st.dictionaries(field_names, values, max_size=7))
    lines = [f"class {cls}:"]
    if draw(st.booleans()):
        lines.append('    """Doc."""')
    for name, value in fields.items():
        annotated = draw(st.booleans())
        lines.append(f"    {name}{': object' if annotated else ''} = {py_literal(value, '    ')}")
    if draw(st.booleans()):
        lines.append("    def run(self, x: int) -> int:\n        return x")
    if len(lines) == 1:
        lines.append("    pass")
    return "\n".join(lines) + "\n"


@st.composite
def step_graphs(draw: st.DrawFn) -> list[dict[str, object]]:
    n = draw(st.integers(1, 8))
    steps: list[dict[str, object]] = []
    for i in range(1, n + 1):
        step: dict[str, object] = {"id": i, "action": f"a{i}"}
        deps = draw(st.lists(st.integers(1, n), max_size=3, unique=True))
        if deps and draw(st.booleans()) and len(deps) == 1:
            step["depends_on"] = deps[0]  # an int: W002 wraps it
        elif deps:
            step["depends_on"] = deps
        if draw(st.booleans()):
            step["status"] = draw(
                st.sampled_from(["pending", "running", "complete", "failed", "blocked"])
            )
        steps.append(step)
    return steps


def plan_source(steps: list[dict[str, object]]) -> str:
    return f'class AnalysisPlan:\n    """p"""\n    name = "p"\n    objective = "o"\n    decision_log = "-"\n    steps = {py_literal(steps, "    ")}\n'


def has_cycle(steps: list[dict[str, object]]) -> bool:
    graph: dict[int, set[int]] = {int(s["id"]): set() for s in steps}  # type: ignore[call-overload]
    for s in steps:
        deps = s.get("depends_on", [])
        for d in [deps] if isinstance(deps, int) else deps:  # type: ignore[union-attr]
            graph[d].add(int(s["id"]))  # type: ignore[call-overload]
    # Reference: a node is on a cycle iff it can reach itself (plain reachability, not DFS colours).
    for start in graph:
        seen, todo = set(), list(graph[start])
        while todo:
            node = todo.pop()
            if node == start:
                return True
            if node not in seen:
                seen.add(node)
                todo.extend(graph[node])
    return False


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(modules())
def test_compiler_never_raises_and_fixes_are_idempotent(src: str) -> None:
    r = compile_source(src)
    ast.parse(r.corrected_source)
    again = compile_source(r.corrected_source)
    assert again.corrected_source == r.corrected_source
    assert not {"W001", "W002", "W003", "W004"} & set(again.codes())


@settings(max_examples=300, deadline=None)
@given(step_graphs())
def test_e009_exactly_when_the_graph_has_a_cycle(steps: list[dict[str, object]]) -> None:
    r = compile_source(plan_source(steps))
    assert ("E009" in r.codes()) == has_cycle(steps)
    assert {"E008", "E010", "E007"}.isdisjoint(r.codes())
    again = compile_source(r.corrected_source)
    assert again.corrected_source == r.corrected_source
    assert all(
        isinstance(s.get("depends_on", []), list) and "status" in s for s in again.fields["steps"]
    )


@given(st.binary(max_size=200))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    compile_source(data)


def test_find_cycles_reports_the_path() -> None:
    assert find_cycles({2: [3], 3: [4], 4: [2]}) == [[2, 3, 4, 2]]
    assert find_cycles({1: [2], 2: []}) == []
