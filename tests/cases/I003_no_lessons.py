# expect: I003
class QualityControl:
    """No lessons."""
    name = "qc"

    def run(self) -> None:
        pass
