# expect:
class QualityControl:
    """A clean skill."""
    name = "qc"
    description = "Filter cells by quality."
    version = "1.2.0"
    depends_on = ["scanpy"]
    default_params = {"min_genes": 200}
    lessons_learned = """
- FFPE samples: max_pct_mito=40
"""

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        return dict(kwargs)
