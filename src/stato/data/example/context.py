class ProjectContext:
    """Project facts for the cortex scRNA-seq analysis."""

    project = "cortex_scrna"
    description = "Mouse cortex P14 scRNA-seq analysis, 10x Chromium v3"
    datasets = [
        {"name": "cortex_p14", "path": "data/raw/cortex_p14.h5ad", "cells": 15000},
    ]
    environment = {"python": "3.11", "scanpy": "1.10.0", "anndata": "0.10.7"}
    conventions = [
        "Use scanpy for all analysis",
        "Store results in adata.obs and adata.uns, never in side files",
        "Save figures to figures/ as PDF",
        "Use .h5ad for every intermediate file",
    ]
    tools = ["scanpy", "harmonypy", "scran (via rpy2)"]
