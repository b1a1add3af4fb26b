# expect: E001
class Broken:
    name = "x"
    def run(self
