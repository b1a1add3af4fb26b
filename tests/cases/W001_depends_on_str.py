# expect: W001
class QualityControl:
    """depends_on as a string."""
    name = "scanpy"
    depends_on = "scanpy"

    def run(self) -> None:
        pass
