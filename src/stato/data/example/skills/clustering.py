class Clustering:
    """Graph-based clustering of cells."""

    name = "clustering"
    description = "Build a kNN graph on the PCA embedding and cluster cells with Leiden."
    version = "0.3.0"
    depends_on = ["scanpy", "normalize"]
    default_params = {"n_neighbors": 15, "n_pcs": 30, "resolution": 0.8, "algorithm": "leiden"}
    lessons_learned = """
- Datasets > 5000 cells: leiden at resolution 0.8 gives stable clusters across seeds
- If two known cell types merge, raise resolution in steps of 0.2, not more
"""
    tags = ["clustering", "scrna"]

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        """Return the parameters to apply: the defaults overridden by kwargs."""
        return {**Clustering.default_params, **kwargs}
