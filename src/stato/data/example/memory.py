class AnalysisState:
    """Working memory of the cortex analysis."""

    phase = "analysis"
    tasks = [
        "Run HVG selection with flavor='seurat_v3' on the raw counts layer",
        "Test clustering resolutions 0.6, 0.8 and 1.0",
    ]
    known_issues = {
        "batch_effect": "Plates 1 and 2 cluster separately; correct with Harmony before clustering",
    }
    reflection = "QC removed 17% of cells, consistent with expectations for cortex tissue."
    error_history = []
    last_updated = "2026-11-20"
