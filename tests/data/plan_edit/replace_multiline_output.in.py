# op: {"set_step": 1, "output": "new summary"}
class ProjectPlan:
    name = "p"
    objective = "o"
    steps = [
        {"id": 1, "action": "a", "status": "complete", "output": """
        line one
        line two
        """, "depends_on": []},
        {"id": 2, "action": "b", "status": "pending"},
    ]
