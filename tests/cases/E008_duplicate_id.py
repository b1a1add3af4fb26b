# expect: E008
class AnalysisPlan:
    """Two steps share an id."""
    name = "p"
    objective = "o"
    steps = [
        {"id": 1, "action": "load", "status": "complete"},
        {"id": 1, "action": "qc", "status": "pending"},
    ]
    decision_log = "-"
