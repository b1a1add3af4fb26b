class QualityControl:
    """Quality-control filtering of cells and genes for scRNA-seq data."""

    name = "qc_filtering"
    description = "Filter low-quality cells by gene count and mitochondrial fraction, then drop rare genes."
    version = "1.2.0"
    depends_on = ["scanpy"]
    default_params = {
        "min_genes": 200,
        "max_genes": 5000,
        "max_pct_mito": 20,
        "min_cells": 3,
    }
    lessons_learned = """
- Cortex tissue: max_pct_mito=20 retains ~85% of cells
- FFPE samples: increase to max_pct_mito=40
- Mouse data: use the mt- prefix (lowercase); human data: MT-
- If retention < 60%, the thresholds are probably too aggressive
"""
    tags = ["qc", "scrna"]

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        """Return the parameters to apply: the defaults overridden by kwargs."""
        return {**QualityControl.default_params, **kwargs}
