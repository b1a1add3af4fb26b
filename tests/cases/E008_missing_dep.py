# expect: E008
class AnalysisPlan:
    """A dependency on a step that does not exist."""
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "load", "status": "pending", "depends_on": [9]}]
    decision_log = "-"
