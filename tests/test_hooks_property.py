"""Property: for any settings object, install adds exactly stato's entry and uninstall undoes it."""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from stato.bridges.agent_table import HOOKS as TARGETS
from stato.ops.hooks import HookTarget, _install, _remove, hook_entry, installed

_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_json = st.recursive(
    _scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_command = st.text(max_size=20).filter(lambda c: "stato hooks run" not in c)


@st.composite
def settings_for(draw: st.DrawFn, target: HookTarget) -> dict[str, Any]:
    """A settings object as people write them: other keys, other events, other hooks."""
    data: dict[str, Any] = draw(
        st.dictionaries(st.text(max_size=6).filter(lambda k: k != "hooks"), _json, max_size=3)
    )
    data.update(target.top)
    if draw(st.booleans()):
        events = draw(
            st.lists(st.sampled_from([target.event, "PreToolUse", "stop"]), unique=True, min_size=1)
        )
        hooks: dict[str, Any] = {}
        for event in events:
            entries = [
                {"type": "command", target.command_keys[0]: c}
                for c in draw(st.lists(_command, min_size=1, max_size=3))
            ]
            if target.nested:
                matcher = draw(st.sampled_from(["startup", "*", target.matcher or "x"]))
                hooks[event] = [{"matcher": matcher, "hooks": entries}]
            else:
                hooks[event] = entries
        data["hooks"] = hooks
    return data


def _roundtrip(target: HookTarget, data: dict[str, Any]) -> None:
    original = copy.deepcopy(data)
    _install(data, target)
    assert installed(data, target) == [(target.matcher, hook_entry(target))]
    once = copy.deepcopy(data)
    _install(data, target)
    assert data == once  # a second install changes nothing
    _remove(data, target)
    assert data == original
    json.dumps(data)  # still plain JSON


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_install_then_uninstall_is_identity(data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(sorted(TARGETS.values(), key=lambda t: t.id)))
    _roundtrip(target, data.draw(settings_for(target)))


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_reinstall_replaces_a_stale_stato_entry(data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(sorted(TARGETS.values(), key=lambda t: t.id)))
    settings_obj = data.draw(settings_for(target))
    _install(settings_obj, target)
    # an older stato wrote a different timeout: install brings it to today's entry, once
    for _, entry in installed(settings_obj, target):
        entry[target.timeout_key] = 1
    _install(settings_obj, target)
    assert installed(settings_obj, target) == [(target.matcher, hook_entry(target))]
