class QualityControl:
    """Cell and gene filtering for scRNA-seq counts, with thresholds set per sample."""

    name = "qc-filtering"
    description = "Filter poor cells by counts, genes and mitochondrial fraction (per-sample MADs)"
    version = "1.0.0"
    depends_on = ["scanpy"]
    tags = ["qc", "scrna-seq", "filtering"]
    input_schema = {
        "adata_path": "str: .h5ad with raw counts in .X",
        "sample_key": "str: obs column naming the sample",
    }
    output_schema = {
        "adata": "AnnData with outliers removed",
        "report": "dict: cells kept per sample and thresholds used",
    }
    default_params = {
        "mito_prefix": "MT-",
        "ribo_prefixes": ["RPS", "RPL"],
        "nmads_counts": 5,
        "nmads_mito": 3,
        "max_pct_mito_floor": 8,
        "min_genes": 200,
        "min_cells": 3,
        "per_sample": True,
    }
    lessons_learned = """
- Compute QC metrics with sc.pp.calculate_qc_metrics(adata, qc_vars=["mt", "ribo"], log1p=True)
  on raw counts, before any normalization.
- Mitochondrial genes: human symbols start with "MT-", mouse with "mt-"; check that the mask
  is not empty before trusting pct_counts_mt (an all-zero column means the prefix is wrong).
- Prefer data-driven thresholds: flag a cell as an outlier when log1p(total_counts),
  log1p(n_genes_by_counts) or pct_counts_in_top_20_genes lie more than 5 MADs from the median,
  and pct_counts_mt more than 3 MADs above it. Fixed cut-offs copied from another dataset
  remove whole cell types.
- Compute the MAD thresholds per sample (batch): library depth differs between runs, and a
  pooled threshold empties the shallow samples.
- Keep a floor on the mitochondrial cut-off (about 8%): in very clean samples 3 MADs can be
  below 5% and would drop healthy, metabolically active cells (cardiomyocytes, hepatocytes).
- Single-nucleus data should have almost no mitochondrial reads; high pct_counts_mt there means
  cytoplasmic contamination, so use a much lower cut-off (1-5%).
- Filter genes after cells: min_cells=3 removes genes detected in too few cells to matter.
- Report cells kept per sample and the thresholds used; if a sample keeps less than 60% of its
  cells, the thresholds are probably wrong for it, not the sample.
- Order: QC filtering, then ambient RNA correction, then doublet detection, then normalization.
  Keep the raw counts in adata.layers["counts"] for the later steps.
"""

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        params = {**QualityControl.default_params, **kwargs}
        return {"adata_path": adata_path, "params": params}
