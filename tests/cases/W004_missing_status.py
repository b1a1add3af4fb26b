# expect: W004
class AnalysisPlan:
    """A step without status."""
    name = "p"
    objective = "o"
    steps = [{"id": 1, "action": "load"}]
    decision_log = "-"
