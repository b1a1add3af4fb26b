# expect: E011
class QualityControl:
    """First."""
    name = "qc"
    lessons_learned = "-"

    def run(self) -> None:
        pass
