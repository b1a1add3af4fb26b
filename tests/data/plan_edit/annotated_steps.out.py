# op: {"set_step": 1, "status": "running"}
class ProjectPlan:
    name: str = "p"
    objective: str = "o"
    steps: list = [
        {"id": 1, "action": "a", "status": "running"},
    ]
