"""The examples of ../shared/spec (module-format.txt, cli-guide.txt) compile clean: right type, no E/W code."""

from __future__ import annotations

import pytest

from stato.core.compiler import compile_source

SPEC_EXAMPLES = {
    "skill": '''class QualityControl:
    """Single-cell RNA-seq quality control filtering."""
    name = "qc_filtering"
    description = "Filter cells by gene count and mitochondrial percentage"
    version = "1.2.0"
    depends_on = ["normalize"]
    default_params = {
        "min_genes": 200,
        "max_genes": 5000,
        "max_pct_mito": 20,
    }
    lessons_learned = """
    Mouse uses lowercase mt- prefix for mitochondrial genes.
    FFPE samples need max_pct_mito=40.
    """
    tags = ["qc", "scrna"]

    def run(self, adata, params=None): ...
''',
    "plan": '''class AnalysisPlan:
    """scRNA-seq analysis pipeline plan."""
    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis of mouse cortex P14"
    version = "1.0.0"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete", "depends_on": []},
        {"id": 2, "action": "qc_filtering", "status": "complete", "depends_on": [1]},
        {"id": 3, "action": "normalize", "status": "complete", "depends_on": [2]},
        {"id": 4, "action": "find_hvg", "status": "pending", "depends_on": [3]},
        {"id": 5, "action": "cluster", "status": "pending", "depends_on": [4]},
    ]
    decision_log = """
    Chose SCTransform over log-normalize for better variance stabilization.
    """
''',
    "memory": '''class ProjectState:
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
    last_updated = "2025-01-15"
''',
    "context": '''class ProjectContext:
    """Project metadata for cortex scRNA-seq analysis."""
    project = "cortex_scrna"
    description = "Mouse cortex P14 scRNA-seq analysis, 10x Chromium"
    datasets = [
        {"name": "cortex_p14", "path": "data/cortex_p14.h5ad", "cells": 12000},
    ]
    environment = {
        "python": "3.11",
        "scanpy": "1.9.6",
        "anndata": "0.10.3",
    }
    conventions = [
        "Use scanpy naming conventions",
        "Store results in adata.obs and adata.uns",
    ]
''',
    "protocol": '''class AnalysisProtocol:
    """Handoff protocol for multi-agent analysis pipeline."""
    name = "analysis_handoff"
    handoff_schema = {
        "required": ["adata_path", "completed_steps"],
        "optional": ["parameters", "warnings"],
    }
    description = "Schema for passing analysis state between agents"
    validation_rules = ["adata_path must exist", "completed_steps must be non-empty"]
''',
    "guide-skill": '''class QualityControl:
    """QC filtering for scRNA-seq data."""
    name = "qc_filtering"
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
    - Mouse data: use mt- prefix (lowercase). Human: MT-
    - If retention < 60%, thresholds are probably too aggressive
    """

    @staticmethod
    def run(adata_path, **kwargs):
        params = {**QualityControl.default_params, **kwargs}
        return params
''',
    "guide-normalize": '''class Normalization:
    """Normalization for scRNA-seq data."""
    name = "normalize"
    version = "1.1.0"
    depends_on = ["scanpy", "qc_filtering"]
    default_params = {"method": "scran"}
    lessons_learned = """
    - scran outperforms log-normalize for heterogeneous tissues
    - For < 200 cells, fall back to simple normalization
    """

    @staticmethod
    def run(adata_path, **kwargs):
        return kwargs
''',
    "guide-plan": '''class AnalysisPlan:
    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis pipeline"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete",
         "output": "loaded 15000 cells x 20000 genes"},
        {"id": 2, "action": "qc_filtering", "status": "complete",
         "output": "filtered to 12500 cells using max_pct_mito=20"},
        {"id": 3, "action": "normalize", "status": "complete",
         "output": "scran normalization applied"},
        {"id": 4, "action": "find_hvg", "status": "pending"},
        {"id": 5, "action": "dim_reduction", "status": "pending", "depends_on": [4]},
        {"id": 6, "action": "clustering", "status": "pending", "depends_on": [5]},
        {"id": 7, "action": "marker_genes", "status": "pending", "depends_on": [6]},
    ]
    decision_log = """
    - Chose scran over log-normalize based on benchmark results
    - Will use leiden clustering based on dataset size > 5000 cells
    """
''',
    "guide-memory": '''class AnalysisState:
    phase = "analysis"
    tasks = ["find_hvg", "dim_reduction", "clustering", "markers"]
    known_issues = {"batch_effect": "plates 1 and 2 show batch effect"}
    reflection = """
    QC and normalization complete. Data quality is good.
    Batch effect between plates needs correction before clustering.
    """
''',
    "guide-context": """class ProjectContext:
    project = "cortex_scrna"
    description = "scRNA-seq analysis of mouse cortex P14"
    datasets = ["data/raw/cortex_p14.h5ad"]
    environment = {"scanpy": "1.10.0", "python": "3.11"}
    conventions = [
        "Use scanpy for all analysis",
        "Save figures to figures/ directory",
        "Use .h5ad for all intermediate files",
    ]
""",
}


@pytest.mark.parametrize("key", sorted(SPEC_EXAMPLES))
def test_the_spec_examples_compile_clean(key: str) -> None:
    r = compile_source(SPEC_EXAMPLES[key])
    assert r.valid and r.module_type == key.rsplit("-", 1)[-1].replace("normalize", "skill")
    assert not [c for c in r.codes() if c[0] in "EW"], r.diagnostics
    assert r.corrected_source == SPEC_EXAMPLES[key]  # nothing to fix
