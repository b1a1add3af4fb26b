# expect: E005
class QualityControl:
    """Division by zero in a field."""
    name = "qc"
    default_params = {"ratio": 1 / 0}

    def run(self) -> None:
        pass
