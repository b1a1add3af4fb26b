# expect: W005
class QualityControl:
    """First class is the module."""
    name = "qc"

    def run(self) -> None:
        pass


class Helper:
    pass
