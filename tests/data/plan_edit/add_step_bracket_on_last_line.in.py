# op: {"add_step": "c", "depends_on": [2]}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "a", "status": "complete"},
             {"id": 2, "action": "b", "status": "pending"}]  # two so far
