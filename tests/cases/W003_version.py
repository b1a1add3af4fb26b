# expect: W003
class QualityControl:
    """Annotated version without patch."""
    name = "qc"
    version: str = "1.0"

    def run(self) -> None:
        pass
