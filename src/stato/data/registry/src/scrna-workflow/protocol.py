class AnalysisHandoffProtocol:
    """What one agent passes to the next between steps of an scRNA-seq analysis."""

    name = "scrna_handoff"
    description = "Handoff of the AnnData file and the state of the analysis between agents"
    handoff_schema = {
        "required": ["adata_path", "completed_steps", "layers", "n_cells", "n_genes"],
        "optional": ["qc_thresholds", "warnings", "chosen_resolution", "notes"],
    }
    validation_rules = [
        "adata_path points to an .h5ad file that exists",
        "completed_steps is a non-empty list of plan step ids",
        "layers contains 'counts' (raw counts are never lost)",
        "n_cells and n_genes match the file",
    ]
    error_handling = (
        "If validation fails, the receiving agent stops, reports the failing rule and asks for "
        "the file or the step to be redone instead of guessing."
    )
