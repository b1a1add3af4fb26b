# op: {"set_step": 4, "status": "running"}
"""The spec's example plan, with comments that must survive."""


class AnalysisPlan:
    """scRNA-seq analysis pipeline plan."""

    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis of mouse cortex P14"
    version = "1.0.0"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete", "depends_on": []},
        {"id": 2, "action": "qc_filtering", "status": "complete", "depends_on": [1]},  # 12500 cells
        {"id": 3, "action": "normalize", "status": "complete", "depends_on": [2]},
        {"id": 4, "action": "find_hvg", "status": "running", "depends_on": [3]},
        {"id": 5, "action": "cluster", "status": "pending", "depends_on": [4]},
    ]
    decision_log = """
    Chose SCTransform over log-normalize for better variance stabilization.
    """
