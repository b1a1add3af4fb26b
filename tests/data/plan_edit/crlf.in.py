# op: {"set_step": 2, "status": "complete", "output": "ok"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [
        {
            "id": 1,
            "action": "a",
            "status": "complete",
        },
        {
            "id": 2,
            "action": "b",
            "status": "running"
        },
    ]
