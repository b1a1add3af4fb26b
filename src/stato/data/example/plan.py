class AnalysisPlan:
    """scRNA-seq analysis pipeline for the mouse cortex P14 dataset."""

    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis of mouse cortex P14"
    version = "1.0.0"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete",
         "output": "loaded 15000 cells x 20000 genes"},
        {"id": 2, "action": "qc_filtering", "status": "complete", "depends_on": [1],
         "output": "filtered to 12500 cells using max_pct_mito=20"},
        {"id": 3, "action": "normalize", "status": "complete", "depends_on": [2],
         "output": "scran normalization applied"},
        {"id": 4, "action": "find_hvg", "status": "running", "depends_on": [3]},
        {"id": 5, "action": "dim_reduction", "status": "pending", "depends_on": [4]},
        {"id": 6, "action": "clustering", "status": "pending", "depends_on": [5]},
        {"id": 7, "action": "marker_genes", "status": "blocked", "depends_on": [6],
         "notes": "waiting for the curated marker list from the lab"},
    ]
    decision_log = """
- Chose scran over log-normalize based on benchmark results on this tissue
- Will use leiden clustering: the dataset has > 5000 cells
"""
