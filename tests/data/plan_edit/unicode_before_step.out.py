# op: {"set_step": 2, "status": "blocked", "output": "wartet auf Daten – Lieferung verspätet"}
class ProjectPlan:
    name = "plan"
    objective = "Normalisierung prüfen — größere Stichprobe"
    steps = [
        {"id": 1, "action": "Daten laden ✓", "status": "complete"}, {"id": 2, "action": "prüfen", "status": "blocked", "output": "wartet auf Daten – Lieferung verspätet"},
        {"id": 3, "action": "写报告", "status": "pending", "depends_on": [2]},
    ]
