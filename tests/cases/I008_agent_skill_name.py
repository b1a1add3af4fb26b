# expect: I008
class QualityControl:
    """A name that the Agent Skills rules do not allow as-is."""
    name = "QC Filtering!"
    description = "Filter cells."
    lessons_learned = "-"

    def run(self) -> None:
        pass
