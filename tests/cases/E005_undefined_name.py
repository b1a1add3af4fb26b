# expect: E005
class QualityControl:
    """A name that is bound nowhere."""
    name = "qc"
    tags = [UNDEFINED_TAG]

    def run(self) -> None:
        pass
