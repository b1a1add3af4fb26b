class QualityControl:
    """QC."""
    name = "qc"
    version = "1.0.0"
    depends_on = ["normalize"]
    default_params = {"min_genes": 200, "max_genes": 5000}
    lessons_learned = """
    - a
    - b
    """
    tags = ["qc"]

    def run(self, adata, params=None):
        return adata
