# expect: I001
class ProjectMemory:
    """Memory by its phase field, but not named ...State."""
    phase = "analysis"
