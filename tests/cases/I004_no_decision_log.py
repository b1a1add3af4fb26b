# expect: I004
class AnalysisPlan:
    """No decision log."""
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "load", "status": "pending"}]
