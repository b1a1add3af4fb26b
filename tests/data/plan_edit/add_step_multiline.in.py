# op: {"add_step": "marker_genes", "depends_on": [2, 3]}
class ProjectPlan:
    """Plan."""

    name = "p"
    objective = "o"
    steps = [
        {"id": 1, "action": "a", "status": "complete"},
        {"id": 2, "action": "b", "status": "complete", "depends_on": [1]},
        {"id": 3, "action": "c", "status": "pending", "depends_on": [1]},  # later
    ]

    constraints = ["keep it small"]
