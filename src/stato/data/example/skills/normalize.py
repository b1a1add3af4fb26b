class Normalization:
    """Normalization of scRNA-seq counts."""

    name = "normalize"
    description = "Normalize counts per cell with scran size factors, then log-transform."
    version = "1.1.0"
    depends_on = ["scanpy", "qc_filtering"]
    default_params = {"method": "scran", "target_sum": 10000, "log1p": True}
    lessons_learned = """
- scran outperforms log-normalize for heterogeneous tissues (cortex: clearer cluster separation)
- For < 200 cells, fall back to simple library-size normalization: scran pooling is unstable
- Keep raw counts in adata.layers["counts"] before normalizing; HVG selection with seurat_v3 needs them
"""
    tags = ["normalization", "scrna"]

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        """Return the parameters to apply: the defaults overridden by kwargs."""
        return {**Normalization.default_params, **kwargs}
