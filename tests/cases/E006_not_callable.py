# expect: E006
class QualityControl:
    """run is a string."""
    name = "qc"
    run = "text"
