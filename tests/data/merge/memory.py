class ProjectState:
    """Memory."""

    phase = "analysis"
    tasks = ["a"]
