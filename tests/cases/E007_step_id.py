# expect: E007
class AnalysisPlan:
    """A step id that is a string."""
    name = "p"
    objective = "o"
    steps = [{"id": "one", "action": "load", "status": "pending"}]
    decision_log = "-"
