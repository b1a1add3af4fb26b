# op: {"set_step": 2, "status": "failed", "output": "ran out of memory at 64 GB"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [
        {
            "id": 1,
            "action": "fetch",
            "status": "complete",
        },
        {
            "id": 2,
            "action": "train",
            "status": "failed",
            "depends_on": [1],
            "output": "ran out of memory at 64 GB",
        },
        {
            "id": 3,
            "action": "evaluate",
            "status": "pending",
            "depends_on": [2],
        },
    ]
