class AmbientRNA:
    """Estimate and remove ambient (cell-free) RNA contamination from droplet data."""

    name = "ambient-rna"
    description = (
        "Correct droplet counts for ambient RNA with SoupX or CellBender before clustering"
    )
    version = "1.0.0"
    depends_on = ["soupx", "qc-filtering"]
    tags = ["qc", "scrna-seq", "ambient-rna"]
    input_schema = {
        "raw_matrix": "str: unfiltered droplet matrix (raw_feature_bc_matrix)",
        "filtered_matrix": "str: cell-called matrix",
    }
    output_schema = {
        "corrected_counts": "matrix of corrected counts",
        "contamination": "float: estimated fraction",
    }
    default_params = {
        "method": "soupx",
        "soupx_auto_estimate": True,
        "contamination_fallback": 0.1,
        "cellbender_fpr": 0.01,
    }
    lessons_learned = """
- Ambient RNA needs the raw (unfiltered) droplet matrix: the empty droplets are what define the
  soup profile. Keep raw_feature_bc_matrix from Cell Ranger, not only the filtered one.
- SoupX autoEstCont needs cluster labels; give it a quick clustering of the filtered cells.
  Typical contamination is 2-10%; estimates above 20% mean the sample or the estimate is bad.
- If autoEstCont fails (too few marker genes), set the contamination fraction by hand
  (0.1 is a reasonable start) rather than skipping correction.
- CellBender remove-background works on the raw matrix and also calls cells; run it on a GPU,
  it is very slow on CPU. Use --fpr 0.01 as the default.
- Signs of ambient contamination: hemoglobin (HBB, HBA1) or cell-type markers from an abundant
  population expressed at low levels in every cluster.
- Correct before doublet detection and normalization; store corrected counts in a new layer and
  keep the originals.
"""

    @staticmethod
    def run(raw_matrix: str, filtered_matrix: str, **kwargs: object) -> dict[str, object]:
        params = {**AmbientRNA.default_params, **kwargs}
        return {"raw_matrix": raw_matrix, "filtered_matrix": filtered_matrix, "params": params}
