# op: {"set_step": 3, "status": "complete", "output": "scran normalization applied"}
class AnalysisPlan:
    name = "cortex_analysis"
    objective = "Complete scRNA-seq analysis pipeline"
    steps = [
        {"id": 1, "action": "load_data", "status": "complete",
         "output": "loaded 15000 cells x 20000 genes"},
        {"id": 2, "action": "qc_filtering", "status": "complete"},
        {"id": 3, "action": "normalize", "status": "running"},
        {"id": 4, "action": "find_hvg", "status": "pending"},
    ]
