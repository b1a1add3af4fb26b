# expect: I006
class QualityControl:
    """run without hints."""
    name = "qc"
    lessons_learned = "-"

    def run(self, adata, params=None):
        return params
