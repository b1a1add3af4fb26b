# expect: E012
"""A skill both branches changed: git left the version between conflict markers."""


class QualityControl:
    """QC."""

    name = "qc_filtering"
<<<<<<< ours
    version = "1.3.0"
=======
    version = "2.0.0"
>>>>>>> theirs

    def run(self, adata, params=None):
        return adata
