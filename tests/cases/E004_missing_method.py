# expect: E004
# type: skill
class QualityControl:
    """A skill without run()."""
    name = "qc"
