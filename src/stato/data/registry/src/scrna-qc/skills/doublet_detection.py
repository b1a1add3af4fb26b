class DoubletDetection:
    """Find and remove droplets that captured two cells."""

    name = "doublet-detection"
    description = (
        "Score doublets per sample with scDblFinder or Scrublet and remove predicted doublets"
    )
    version = "1.0.0"
    depends_on = ["scanpy", "qc-filtering"]
    tags = ["qc", "scrna-seq", "doublets"]
    input_schema = {
        "adata": "AnnData after cell filtering, raw counts",
        "sample_key": "str: obs column naming the sample",
    }
    output_schema = {"doublet_score": "obs column", "predicted_doublet": "obs column (bool)"}
    default_params = {
        "method": "scdblfinder",
        "per_sample": True,
        "expected_rate_per_1000_cells": 0.008,
        "scrublet_n_prin_comps": 30,
    }
    lessons_learned = """
- Run doublet detection per sample (per 10x lane): doublets only form within one capture, and
  mixing samples creates artificial doublets between them.
- The expected doublet rate grows with the number of cells loaded: roughly 0.8% per 1,000
  recovered cells on 10x Chromium (about 8% at 10,000 cells).
- scDblFinder (R, via anndata2ri or a saved .h5ad) was among the most accurate methods in
  benchmarks; sc.pp.scrublet (scanpy >= 1.10) is the quick Python option.
- Run it on counts after basic QC and ambient correction, before normalization and HVG
  selection.
- Check the result: predicted doublets should score high for two unrelated marker sets
  (e.g. neuron and microglia); a whole cluster of "doublets" may be a real transitional state.
- Remove doublets before HVG selection and clustering, then re-check for small clusters that
  express markers of two lineages.
"""

    @staticmethod
    def run(adata: object, sample_key: str = "sample", **kwargs: object) -> dict[str, object]:
        params = {**DoubletDetection.default_params, **kwargs}
        return {"sample_key": sample_key, "params": params}
