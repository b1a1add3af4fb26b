# stato_bundle.py -- Crystallized from web AI conversation
# Import with: stato import-bundle stato_bundle.py

SKILLS = {
    "qc_filtering": '''
class QualityControl:
    """Single-cell RNA-seq quality control filtering."""
    name = "qc_filtering"
    version = "1.2.0"
    depends_on = ["scanpy"]
    default_params = {"min_genes": 200, "max_genes": 5000, "max_pct_mito": 20}
    lessons_learned = """
    - Mouse uses lowercase mt- prefix for mitochondrial genes
    - FFPE samples need max_pct_mito=40
    """

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        return {**QualityControl.default_params, **kwargs}
''',
    "normalize": '''
class Normalization:
    """Normalization for scRNA-seq data."""
    name = "normalize"
    version = "1.1"
    depends_on = "qc_filtering"
    default_params = {"method": "scran"}
    lessons_learned = """
    - scran outperforms log-normalize for heterogeneous tissues
    """

    @staticmethod
    def run(adata_path: str, **kwargs: object) -> dict[str, object]:
        return kwargs
''',
}

PLAN = '''
class AnalysisPlan:
    """scRNA-seq analysis plan."""
    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis of mouse cortex P14"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete"},
        {"id": 2, "action": "qc_filtering", "status": "complete", "depends_on": [1]},
        {"id": 3, "action": "normalize", "status": "running", "depends_on": [2]},
        {"id": 4, "action": "cluster", "depends_on": [3]},
    ]
    decision_log = "Chose scran over log-normalize."
'''

MEMORY = '''
class ProjectState:
    """Working memory for the analysis."""
    phase = "normalization"
    tasks = ["Run HVG selection with flavor='seurat_v3'"]
    known_issues = {"batch_effect": "Samples 3 and 7 cluster separately"}
'''

CONTEXT = '''
class ProjectContext:
    """Mouse cortex scRNA-seq project."""
    project = "cortex_scrna"
    description = "Mouse cortex P14 scRNA-seq analysis, 10x Chromium"
    conventions = ["Use scanpy naming conventions"]
'''
