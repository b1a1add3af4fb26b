"""Regressions found by checking the core against ../shared/spec (error codes, store commands)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from stato.adapters.store import Store
from stato.errors import ModuleInvalid
from stato.ops.write import save_checked

Run = Callable[..., Result]
SKILL = (
    'class Other:\n    """o"""\n    name = "{name}"\n    lessons_learned = "l"\n\n'
    "    def run(self) -> None:\n        pass\n"
)


def test_write_refuses_a_skill_whose_name_another_skill_uses(run: Run, example: Path) -> None:
    # E-codes block writes: E011 (two skills of one name) included. `stato write` wrote the
    # module, and the next `stato validate` failed the whole project.
    skills = example / ".stato" / "skills"
    before = {p.name: p.read_bytes() for p in skills.iterdir()}
    refused = run("write", "skills/dup.py", "--json", input=SKILL.format(name="qc_filtering"))
    assert refused.exit_code == 1
    doc = json.loads(refused.stdout)
    assert doc["written"] is False
    assert [d["code"] for d in doc["diagnostics"]] == ["E011"]
    assert "skills/qc.py" in doc["diagnostics"][0]["message"]
    assert {p.name: p.read_bytes() for p in skills.iterdir()} == before
    assert run("validate").exit_code == 0
    # The skill itself may be rewritten under its own name, and a new name is fine.
    own = (skills / "qc.py").read_text().replace('"1.2.0"', '"1.3.0"')
    assert run("write", "skills/qc.py", input=own).exit_code == 0
    assert run("write", "skills/dup.py", input=SKILL.format(name="fresh")).exit_code == 0
    assert run("validate").exit_code == 0


def test_the_mcp_write_path_refuses_the_clash_too(example: Path) -> None:
    store = Store(example)
    with pytest.raises(ModuleInvalid, match="E011"):
        save_checked(store, "skills/dup.py", SKILL.format(name="normalize"))
    assert not (example / ".stato" / "skills" / "dup.py").exists()


def _skill(*lines: str, before: str = "") -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return before + 'class Qc:\n    """q"""\n' + body + "    def run(self) -> None:\n        pass\n"


@pytest.mark.parametrize(
    "field",
    [
        "name = undefined_fn('qc')",  # the callee is looked up first: NameError
        "name = undefined_mod.attr",  # so is an attribute's owner
        "name = Qc.other",  # the class is bound only after its body ran
        "name = a.b.c(1)",
    ],
)
def test_an_undefined_name_behind_a_call_or_attribute_is_e005(field: str) -> None:
    # spec/README.md ruling 1: E005 when evaluating a field would raise (an undefined name);
    # these were I007 ("could not be checked") though Python raises NameError on each.
    from stato.core.compiler import compile_source

    r = compile_source(_skill(field))
    assert "E005" in r.codes() and "I007" not in r.codes()


@pytest.mark.parametrize(
    "before",
    [
        "import os as a\n",
        "from x import *\n",
        "for a in []: pass\n",
        "with open('f') as a: pass\n",
        "try:\n    import a\nexcept ImportError:\n    a = None\n",
        "def a(): pass\n",
        "a: int\n",
    ],
)
def test_a_name_bound_at_module_level_stays_advice(before: str) -> None:
    from stato.core.compiler import compile_source

    r = compile_source(_skill('name = "qc"', "description = a.sep", "tags = a()", before=before))
    assert "E005" not in r.codes(), r.diagnostics
