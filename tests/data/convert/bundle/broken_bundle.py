"""A bundle where one skill is broken and the plan has a cycle."""
import os

SKILLS = {
    "good": '''
class GoodSkill:
    """Works."""
    name = "good"

    @staticmethod
    def run(**kwargs: object) -> dict[str, object]:
        return kwargs
''',
    "no_run": '''
class NoRun:
    """Forgot run()."""
    name = "no_run"
''',
}

PLAN = '''
class LoopPlan:
    name = "loop"
    objective = "never ends"
    steps = [
        {"id": 1, "action": "a", "status": "pending", "depends_on": [2]},
        {"id": 2, "action": "b", "status": "pending", "depends_on": [1]},
    ]
'''

MEMORY = "phase = " + "'x'"
