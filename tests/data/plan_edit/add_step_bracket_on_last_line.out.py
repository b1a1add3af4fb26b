# op: {"add_step": "c", "depends_on": [2]}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "a", "status": "complete"},
             {"id": 2, "action": "b", "status": "pending"},
             {"id": 3, "action": "c", "status": "pending", "depends_on": [2]}]  # two so far
