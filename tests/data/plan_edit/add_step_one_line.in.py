# op: {"add_step": "report", "depends_on": [1]}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "a", "status": "complete"}]
