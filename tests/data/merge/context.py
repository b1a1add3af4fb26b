class ProjectContext:
    """Context."""

    project = "cortex"
    description = "Mouse cortex"
