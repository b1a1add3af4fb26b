# expect: E003
class QualityControl:
    """No name."""
    version = "1.0.0"

    def run(self) -> None:
        pass
