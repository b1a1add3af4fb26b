class ProjectState:
    """Current working memory for the analysis."""

    phase = "analysis"
    tasks = [
        "Run HVG selection with flavor='seurat_v3'",
        "Test different resolution parameters for clustering",
    ]
    known_issues = {
        "batch_effect": "Samples 3 and 7 cluster separately, may need Harmony",
    }
    reflection = "QC removed 15% of cells, consistent with expectations for cortex."
    error_history = [
        "ImportError: scanpy missing",  # fixed by pip install
    ]
    last_updated = "2025-01-15"
