# expect: I002
class ProjectState:
    phase = "analysis"
