# expect: E007
class QualityControl:
    """A skill's depends_on cannot be an int."""
    name = "qc"
    depends_on = 42

    def run(self) -> None:
        pass
