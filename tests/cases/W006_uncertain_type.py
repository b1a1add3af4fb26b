# expect: W006 E004
class Thing:
    """Nothing says what this is."""
    name = "thing"
