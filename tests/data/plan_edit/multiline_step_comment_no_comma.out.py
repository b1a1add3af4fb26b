# op: {"set_step": 1, "output": "done in 3 min"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [
        {
            "id": 1,
            "action": "fetch",
            "status": "complete",  # fetched from the mirror, not the origin
            "output": "done in 3 min"
        },
        {"id": 2, "action": "train", "status": "pending", "depends_on": [1]}
    ]
    decision_log = "mirror is faster"
