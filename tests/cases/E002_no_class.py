# expect: E002
name = "qc"
def run():
    pass
