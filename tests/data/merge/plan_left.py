class AnalysisPlan:
    """scRNA-seq analysis plan."""

    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis of mouse cortex P14"
    version = "1.0.0"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete", "depends_on": []},
        {"id": 2, "action": "qc_filtering", "status": "complete", "depends_on": [1]},
        {"id": 3, "action": "normalize", "status": "pending", "depends_on": [2]},
    ]
    decision_log = """
    Chose SCTransform over log-normalize.
    """
