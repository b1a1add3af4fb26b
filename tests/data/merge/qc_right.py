class QualityControl:
    """QC."""
    name = "qc"
    version = "1.1.0"
    depends_on = ["normalize", "load"]
    default_params = {"min_genes": 300, "max_pct_mito": 20}
    lessons_learned = """
    - b
    - c
    """
    extra = 5

    def run(self, adata, params=None):
        return adata

    def helper(self):
        return 1
