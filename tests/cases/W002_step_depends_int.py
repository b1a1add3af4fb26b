# expect: W002
class AnalysisPlan:
    """A step's depends_on as an int."""
    name = "p"
    objective = "o"
    steps = [
        {"id": 1, "action": "load", "status": "complete"},
        {"id": 2, "action": "qc", "status": "pending", "depends_on": 1},
    ]
    decision_log = "-"
