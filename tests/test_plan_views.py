"""One plan view for every command: the JSON (and text) of status, plan, resume and MCP stay put.

The outputs of `status --json`, `plan --json`, `resume --json` and the MCP tools are public
interfaces. They are compared, byte for byte, with the outputs recorded in
tests/data/plan_views/ before the three plan records became one (STATO_WRITE_GOLDEN=1
re-records them after an intended change).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from stato.cli import cli
from stato.core.plan import STATUSES
from tests.conftest import matches_golden

GOLDEN = Path(__file__).parent / "data" / "plan_views"

MIXED = '''class ReleasePlan:
    """A plan with a step in every status, extra step fields and an int depends_on."""

    name = "release"
    objective = "Ship   the 2.0 release"
    steps = [
        {"id": 1, "action": "freeze", "status": "complete", "output": "tag v2.0-rc1\\nand notes",
         "metrics": {"files": 12}},
        {"id": 2, "action": "build wheels", "status": "failed", "depends_on": 1,
         "notes": "manylinux image is gone", "assigned_to": "ci"},
        {"id": 3, "action": "publish", "status": "pending", "depends_on": [2]},
        {"id": 4, "action": "changelog", "status": "running", "depends_on": [1],
         "params": {"style": "keepachangelog", "sections": ["Added", "Fixed"]}},
        {"id": 5, "action": "docs", "status": "pending", "depends_on": [1]},
        {"id": 6, "action": "announce", "status": "blocked", "depends_on": [3, 5],
         "notes": "waits for the blog"},
        {"id": 7, "action": "tidy", "depends_on": []},
    ]
    decision_log = "- ship wheels first"
'''

COMPLETE = '''class DonePlan:
    """Everything done."""

    name = "done"
    objective = "Nothing left"
    steps = [
        {"id": 1, "action": "a", "status": "complete", "output": "A"},
        {"id": 2, "action": "b", "status": "complete", "depends_on": [1], "output": "B"},
    ]
'''

STUCK = '''class StuckPlan:
    """No step is ready: the only pending step waits on a failed one."""

    name = "stuck"
    objective = "Wait"
    steps = [
        {"id": 1, "action": "fetch", "status": "failed", "notes": "403 from the mirror"},
        {"id": 2, "action": "parse", "status": "pending", "depends_on": [1]},
        {"id": 3, "action": "report", "status": "blocked", "depends_on": [2]},
    ]
'''

ROADMAP = '''class Roadmap:
    """The only plan, at a path other than plan.py."""

    name = "roadmap"
    objective = "Later"
    steps = [{"id": 1, "action": "think", "status": "pending"}]
'''


def _init(root: Path) -> None:
    result = CliRunner().invoke(cli, ["init", "--path", str(root), "--example"])
    assert result.exit_code == 0, result.output


def _setup(name: str, root: Path) -> None:
    _init(root)
    plan = root / ".stato" / "plan.py"
    if name == "roadmap":
        plan.unlink()
        (root / ".stato" / "roadmap.py").write_text(ROADMAP, "utf-8")
    elif name == "noplan":
        plan.unlink()
    elif name != "example":
        plan.write_text({"mixed": MIXED, "complete": COMPLETE, "stuck": STUCK}[name], "utf-8")


def _age(root: Path) -> None:
    """Date every module back a minute, so the summary cache trusts (and saves) them."""
    old = time.time() - 60
    for path in (root / ".stato").rglob("*.py"):
        os.utime(path, (old, old))


def _cli(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, [*args, "--path", str(root)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = f"exit {result.exit_code}\n{result.stdout}"
    if result.stderr:
        text += f"--- stderr\n{result.stderr}"
    return text.replace(str(root), "<ROOT>")


def _mcp(root: Path, calls: list[tuple[str, dict[str, Any]]]) -> dict[str, str]:
    from mcp import Client

    from stato.ops.mcp_server import build_server

    out: dict[str, str] = {}

    async def session() -> None:
        async with Client(build_server(root)) as client:
            for i, (tool, args) in enumerate(calls):
                result = await client.call_tool(tool, args)
                text = "".join(getattr(c, "text", "") for c in result.content)
                label = f"mcp {i} {tool} {json.dumps(args)}"
                out[label] = f"error={result.is_error}\n{text}".replace(str(root), "<ROOT>")
                if result.structured_content is not None:
                    out[label] += "\n--- structured\n" + json.dumps(
                        result.structured_content, indent=1, ensure_ascii=False
                    ).replace(str(root), "<ROOT>")

    anyio.run(session)
    return out


READS = (
    ("status", "--json"),
    ("status",),
    ("plan", "--json"),
    ("plan",),
    ("plan", "--graph"),
    ("plan", "--graph", "--format", "dot"),
    ("resume", "--json"),
    ("resume", "--raw"),
    ("resume", "--brief"),
)
EDITS: dict[str, tuple[tuple[str, ...], ...]] = {
    "example": (
        ("plan", "done", "4", "--output", "2000 genes", "--json"),
        ("plan", "start", "5"),
        ("plan", "add", "write up", "--after", "5", "--json"),
        ("plan", "fail", "5", "--output", "out of memory", "--json"),
    ),
    "mixed": (
        ("plan", "start", "5", "--json"),
        ("plan", "block", "7", "--json"),
        ("plan", "done", "4", "--json"),
        ("plan", "done", "5", "--output", "site built"),
        ("plan", "start", "3", "--json"),
    ),
    "complete": (("plan", "add", "one more", "--after", "2", "--json"),),
    "stuck": (("plan", "done", "1", "--json"), ("plan", "start", "2", "--json")),
}
MCP_CALLS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "example": [
        ("status", {}),
        ("plan_next", {}),
        ("resume", {}),
        ("resume", {"brief": True}),
        ("plan_start", {"step_id": 5}),
        ("plan_done", {"step_id": 4, "output": "hvg picked"}),
        ("plan_start", {"step_id": 5}),
        ("plan_done", {"step_id": 5}),
        ("plan_next", {}),
    ],
    "mixed": [
        ("status", {}),
        ("plan_next", {}),
        ("plan_done", {"step_id": 4, "output": "written"}),
        ("plan_next", {}),
    ],
    "complete": [("status", {}), ("plan_next", {}), ("resume", {"brief": True})],
    "stuck": [("plan_next", {}), ("plan_start", {"step_id": 2})],
    "roadmap": [("status", {}), ("plan_next", {})],
    "noplan": [("status", {}), ("plan_next", {}), ("resume", {"brief": True})],
}
CASES = ("example", "mixed", "complete", "stuck", "roadmap", "noplan")


def _outputs(name: str, tmp_path: Path) -> dict[str, str]:
    root = tmp_path / "cli"
    _setup(name, root)
    out = {" ".join(args): _cli(root, *args) for args in READS}
    _age(root)
    for attempt in ("cache written", "cache read"):
        again = _cli(root, "resume", "--json")
        assert again == out["resume --json"], attempt
    from stato.adapters.cachedir import project_file

    cached = project_file("summary", root)
    assert cached is not None and cached.is_file() and not (root / ".stato" / ".cache").exists()
    out["bridge CLAUDE.md"] = _cli(root, "bridge", "--platform", "claude-md") + (
        root / "CLAUDE.md"
    ).read_text("utf-8")
    for args in EDITS.get(name, ()):
        out[" ".join(args)] = _cli(root, *args)
        out[" ".join(args) + " | plan --json"] = _cli(root, "plan", "--json")
        out[" ".join(args) + " | resume --json"] = _cli(root, "resume", "--json")
    mcp_root = tmp_path / "mcp"
    _setup(name, mcp_root)
    out.update(_mcp(mcp_root, MCP_CALLS[name]))
    return out


@pytest.mark.parametrize("name", CASES)
def test_outputs_match_the_recorded_ones(name: str, tmp_path: Path) -> None:
    matches_golden(GOLDEN / f"{name}.json", _outputs(name, tmp_path))


def _json_of(text: str) -> Any:
    return json.loads(text.split("\n", 1)[1])


def test_the_recordings_cover_every_status_and_the_json_is_real(tmp_path: Path) -> None:
    """The recordings are only worth something if they hold the cases the task names."""
    expected: Callable[[str], dict[str, str]] = lambda n: json.loads(  # noqa: E731
        (GOLDEN / f"{n}.json").read_text("utf-8")
    )
    mixed = _json_of(expected("mixed")["plan --json"])
    assert {s["status"] for s in mixed["steps"]} == {
        "complete", "failed", "pending", "running", "blocked"
    }  # fmt: skip
    assert _json_of(expected("complete")["status --json"])["plan"]["complete"] is True
    stuck = _json_of(expected("stuck")["resume --json"])["plan"]
    assert stuck["current"] is None and stuck["next"] is None
    assert _json_of(expected("noplan")["status --json"])["plan"] is None
    assert _json_of(expected("roadmap")["status --json"])["plan"]["path"] == "roadmap.py"


def test_every_command_uses_the_one_record(tmp_path: Path) -> None:
    from stato.core import plan as rules
    from stato.ops import plan, resume, status

    _setup("mixed", tmp_path)
    views = [
        status.status(tmp_path).plan,
        plan.show(tmp_path),
        resume.resume(tmp_path).summary.plan,
        plan.set_status(tmp_path, 5, "running").plan,
    ]
    assert all(type(v) is rules.PlanView for v in views)
    shown = views[1]
    assert shown.current is not None and shown.current.id == 4
    assert [s.id for s in shown.steps if s.blocked_by] == [3, 6]
    assert shown.warnings and all(w.startswith(("W002", "W004")) for w in shown.warnings)
    from stato.bridges import summary

    assert plan.PlanView is summary.PlanView is rules.PlanView
    assert not hasattr(summary, "StepView") and not hasattr(status, "PlanSummary")
    assert not hasattr(status, "summarize_plan")


def test_core_plan_stays_pure() -> None:
    import ast

    import stato.core.plan as module

    tree = ast.parse(Path(module.__file__).read_text("utf-8"))
    imported = {
        n.module if isinstance(n, ast.ImportFrom) else a.name
        for n in ast.walk(tree)
        if isinstance(n, (ast.Import, ast.ImportFrom))
        for a in n.names
    }
    assert imported <= {
        "__future__",
        "collections.abc",
        "dataclasses",
        "typing",
        "stato.core.model",
    }


_ids = st.integers(1, 6)
_step = st.fixed_dictionaries(
    {"id": _ids, "action": st.text(min_size=1, max_size=5)},
    optional={
        "status": st.sampled_from(STATUSES),
        "depends_on": st.lists(_ids, max_size=3) | _ids,
        "output": st.text(max_size=5),
        "notes": st.text(max_size=5),
        "params": st.dictionaries(st.text(max_size=3), st.integers() | st.tuples(st.integers())),
    },
)
_steps = st.lists(_step, max_size=6, unique_by=lambda s: s["id"])


@given(_steps, st.none() | st.text(max_size=4))
def test_the_view_follows_the_plan_rules(steps: list[dict[str, Any]], name: str | None) -> None:
    from stato.core import plan as rules

    view = rules.plan_view({"name": name, "objective": 3, "steps": [*steps, "junk"]}, "p.py")
    assert (view.name, view.objective, view.path) == (name, None, "p.py")
    assert (view.done, view.total) == rules.progress(steps)
    assert view.complete == rules.is_complete(steps)
    assert [s.fields for s in view.steps] == steps
    for got, want in (
        (view.current, rules.current_step(steps)),
        (view.next, rules.next_step(steps)),
    ):
        assert (got is None and want is None) or (got is not None and got.fields == want)
        assert got is None or got in view.steps
    for s in view.steps:
        assert list(s.blocked_by) == rules.blocked_by(steps, s.id)
        assert list(s.depends_on) == rules.step_deps(s.fields)
        assert s.status == s.fields.get("status", "pending")


@given(_steps)
def test_the_resume_cache_rebuilds_the_view(steps: list[dict[str, Any]]) -> None:
    from stato.adapters import summarycache as cache
    from stato.bridges.summary import Summary, from_dict
    from stato.core.plan import plan_view
    from stato.formats import taggedjson

    view = plan_view({"name": "n", "objective": "o", "steps": steps}, "plan.py", ["W004: x"])
    summary = Summary((), view, None, None, (), ())
    rebuilt = from_dict(taggedjson.loads(cache.dumps(["k"], summary).split("\n")[2]))
    assert rebuilt == summary
    assert rebuilt.plan is not None and all(type(s.depends_on) is tuple for s in rebuilt.plan.steps)


@pytest.mark.parametrize("name", ["example", "mixed", "complete", "stuck"])
def test_one_json_shape_and_one_wording_per_state(name: str) -> None:
    """status, plan, resume and the MCP tools show the same plan document; texts share a sentence."""
    from stato.core.plan import STATES

    recorded = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    shown = _json_of(recorded["plan --json"])
    assert _json_of(recorded["status --json"])["plan"] == shown
    assert _json_of(recorded["resume --json"])["plan"] == shown
    assert shown["state"] in STATES and shown["headline"].endswith(STATES[shown["state"]])
    plan_next = json.loads(
        recorded["mcp 1 plan_next {}" if name != "stuck" else "mcp 0 plan_next {}"]
        .split("\n", 1)[1]
        .split("\n--- structured")[0]
    )
    assert {k: plan_next[k] for k in ("state", "headline", "current", "next")} == {
        k: shown[k] for k in ("state", "headline", "current", "next")
    }
    if shown["state"] in ("stuck", "complete"):
        for view in ("status", "plan", "resume --raw", "resume --brief", "bridge CLAUDE.md"):
            assert STATES[shown["state"]] in recorded[view], view
