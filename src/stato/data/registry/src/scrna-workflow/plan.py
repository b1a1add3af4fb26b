class AnalysisPlan:
    """Template plan for a standard droplet scRNA-seq analysis, from raw counts to annotation."""

    name = "scrna_analysis"
    objective = "Go from raw droplet counts to annotated cell types with documented QC decisions"
    version = "1.0.0"
    steps = [
        {
            "id": 1,
            "action": "load_data",
            "status": "pending",
            "notes": "Read raw and filtered matrices per sample; record cells and genes per sample",
        },
        {
            "id": 2,
            "action": "qc_filtering",
            "status": "pending",
            "depends_on": [1],
            "notes": "Per-sample MAD outliers on counts, genes and mitochondrial fraction",
        },
        {
            "id": 3,
            "action": "ambient_rna",
            "status": "pending",
            "depends_on": [2],
            "notes": "SoupX or CellBender; keep corrected counts in a new layer",
        },
        {
            "id": 4,
            "action": "doublet_detection",
            "status": "pending",
            "depends_on": [3],
            "notes": "Per sample; remove predicted doublets",
        },
        {
            "id": 5,
            "action": "normalize",
            "status": "pending",
            "depends_on": [4],
            "notes": "Size factors + log1p; keep raw counts in layers['counts']",
        },
        {
            "id": 6,
            "action": "find_hvg",
            "status": "pending",
            "depends_on": [5],
            "notes": "2000-3000 genes; batch-aware selection when there are several samples",
        },
        {
            "id": 7,
            "action": "integrate_batches",
            "status": "pending",
            "depends_on": [6],
            "notes": "Only if samples separate by batch: Harmony or scVI",
        },
        {
            "id": 8,
            "action": "dim_reduction",
            "status": "pending",
            "depends_on": [7],
            "notes": "PCA, neighbors graph, UMAP for display only",
        },
        {
            "id": 9,
            "action": "clustering",
            "status": "pending",
            "depends_on": [8],
            "notes": "Leiden at several resolutions; record the one chosen and why",
        },
        {
            "id": 10,
            "action": "marker_genes",
            "status": "pending",
            "depends_on": [9],
            "notes": "Wilcoxon per cluster; check known markers per expected cell type",
        },
        {
            "id": 11,
            "action": "annotation",
            "status": "pending",
            "depends_on": [10],
            "notes": "From markers, cross-checked with a reference (CellTypist, label transfer)",
        },
    ]
    constraints = [
        "Never overwrite raw counts; every transformation goes to a new layer or a copy",
        "QC thresholds are chosen per sample and written to decision_log",
        "UMAP is for display; clustering and distances use the neighbors graph",
        "Skip integrate_batches (mark it complete with a note) when samples already mix",
    ]
    decision_log = """
- Record each threshold, resolution and method choice here with the reason and the numbers
  that supported it (cells kept per sample, contamination estimate, doublet rate).
"""
