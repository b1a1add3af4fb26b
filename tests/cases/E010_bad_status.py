# expect: E010
class AnalysisPlan:
    """A status outside the allowed set."""
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "load", "status": "done"}]
    decision_log = "-"
