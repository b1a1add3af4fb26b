# expect: I007
import os


class QualityControl:
    """A field computed by a call is never run, so it is unchecked."""
    name = "qc"
    default_params = {"threads": os.cpu_count()}
    lessons_learned = "-"

    def run(self) -> None:
        pass
