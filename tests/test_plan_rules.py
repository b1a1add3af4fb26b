"""current_step, next_step, progress and is_complete on plans in every state."""

from __future__ import annotations

from stato.core import plan

STEPS = [
    {"id": 1, "action": "load", "status": "complete"},
    {"id": 2, "action": "qc", "status": "failed", "depends_on": [1]},
    {"id": 3, "action": "norm", "status": "pending", "depends_on": [2]},
    {"id": 4, "action": "side", "depends_on": [1]},
    {"id": 5, "action": "blocked", "status": "blocked"},
]


def test_next_step_skips_steps_with_incomplete_dependencies() -> None:
    assert plan.next_step(STEPS)["id"] == 4  # unstatused counts as pending; 3 waits on failed 2
    assert plan.current_step(STEPS) is None
    assert plan.progress(STEPS) == (1, 5)
    assert not plan.is_complete(STEPS)
    assert plan.blocked_by(STEPS, 3) == [2]


def test_running_step_is_current() -> None:
    steps = [dict(s) for s in STEPS]
    steps[3]["status"] = "running"
    assert plan.current_step(steps)["id"] == 4
    assert plan.next_step(steps) is None


def test_all_done_only_when_every_step_is_complete() -> None:
    done = [{"id": i, "action": "a", "status": "complete"} for i in range(3)]
    assert plan.is_complete(done) and plan.next_step(done) is None
    assert not plan.is_complete(done + [{"id": 9, "action": "b", "status": "failed"}])
    # An empty plan has nothing left to do (as all([]) is True); views read total == 0.
    assert plan.is_complete([]) and plan.next_step([]) is None and plan.progress([]) == (0, 0)
