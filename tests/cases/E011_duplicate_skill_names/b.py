class QualityControlAgain:
    """Second, same name."""
    name = "qc"
    lessons_learned = "-"

    def run(self) -> None:
        pass
