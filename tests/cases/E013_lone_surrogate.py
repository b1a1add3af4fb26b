# expect: E013
class QualityControl:
    """A lone surrogate escape is valid Python but can never be written out as UTF-8."""

    name = "qc_filtering"
    description = "Filter cells \ud800 by gene count"
    lessons_learned = "-"

    def run(self, adata: object) -> object:
        return adata
