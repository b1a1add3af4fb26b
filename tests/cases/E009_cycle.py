# expect: E009
class AnalysisPlan:
    """2 -> 3 -> 4 -> 2."""
    name = "p"
    objective = "o"
    steps = [
        {"id": 1, "action": "load", "status": "complete"},
        {"id": 2, "action": "qc", "status": "pending", "depends_on": [1, 4]},
        {"id": 3, "action": "normalize", "status": "pending", "depends_on": [2]},
        {"id": 4, "action": "hvg", "status": "pending", "depends_on": [3]},
    ]
    decision_log = "-"
