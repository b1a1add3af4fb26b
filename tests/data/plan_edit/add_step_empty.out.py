# op: {"add_step": "first thing"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "first thing", "status": "pending", "depends_on": []}]
