# op: {"add_step": "first thing"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = []
