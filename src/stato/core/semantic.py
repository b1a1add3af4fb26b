"""Pass 7: module-specific rules — the plan's step graph, and advice on skills and plans."""

from __future__ import annotations

from stato.core.agentskills import export_problems
from stato.core.classinfo import ClassInfo
from stato.core.diagnostics import Diagnostic, make
from stato.core.evaluator import FunctionValue
from stato.core.plan import STATUSES, is_step_id, step_deps


def semantic_checks(info: ClassInfo, module_type: str) -> list[Diagnostic]:
    if module_type == "plan":
        return plan_checks(info)
    if module_type == "skill":
        return skill_checks(info)
    return []


def skill_checks(info: ClassInfo) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    line = info.node.lineno
    if not info.has("lessons_learned"):
        diags.append(make("I003", line))
    run = info.bindings.get("run")
    if (
        run is not None
        and isinstance(run.value, FunctionValue)
        and run.kind == "def"
        and not run.value.annotated
    ):
        diags.append(make("I006", run.line))
    name, description = info.field_value("name"), info.field_value("description")
    if isinstance(name, str):
        for reason in export_problems(name, description if isinstance(description, str) else None):
            diags.append(make("I008", info.bindings["name"].line, reason=reason))
    return diags


def plan_checks(info: ClassInfo) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    if not info.has("decision_log"):
        diags.append(make("I004", info.node.lineno))
    b = info.bindings.get("steps")
    steps = b.value if b is not None and not b.error and not b.unknown else None
    if not isinstance(steps, (list, tuple)):
        return diags
    line = b.line if b is not None else None
    nodes = getattr(b.node, "elts", None) if b is not None else None
    dicts = [
        (s, nodes[i].lineno if nodes and i < len(nodes) else line)
        for i, s in enumerate(steps)
        if isinstance(s, dict)
    ]

    ids: dict[int, int | None] = {}
    for step, sline in dicts:
        sid = step.get("id")
        if is_step_id(sid):
            if sid in ids:
                diags.append(make("E008", sline, details=f"Duplicate step ID: {sid}"))
            else:
                ids[sid] = sline
    graph: dict[int, list[int]] = {sid: [] for sid in ids}  # dependency -> dependents
    for step, sline in dicts:
        sid = step.get("id")
        for dep in step_deps(step):
            if not is_step_id(dep):
                continue
            if dep not in ids:
                who = f"Step {sid}" if is_step_id(sid) else "A step"
                diags.append(
                    make(
                        "E008",
                        sline,
                        details=f"{who} depends_on references nonexistent step {dep}",
                    )
                )
            elif is_step_id(sid) and sid in graph:
                graph[dep].append(sid)
        status = step.get("status")
        if isinstance(status, str) and status not in STATUSES:
            diags.append(make("E010", sline, status=status, step=sid))
    for cycle in find_cycles(graph):
        diags.append(make("E009", ids.get(cycle[0], line), cycle=" -> ".join(map(str, cycle))))
    return diags


def find_cycles(graph: dict[int, list[int]]) -> list[list[int]]:
    """Every cycle closed by a back edge, found by an iterative three-colour DFS."""
    white, gray, black = 0, 1, 2
    colour = dict.fromkeys(graph, white)
    cycles: list[list[int]] = []
    seen: set[frozenset[int]] = set()
    for root in graph:
        if colour[root] != white:
            continue
        path: list[int] = [root]
        stack = [iter(graph[root])]
        colour[root] = gray
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                colour[path.pop()] = black
                stack.pop()
            elif colour[nxt] == gray:
                cycle = path[path.index(nxt) :] + [nxt]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    cycles.append(cycle)
            elif colour[nxt] == white:
                colour[nxt] = gray
                path.append(nxt)
                stack.append(iter(graph[nxt]))
    return cycles
