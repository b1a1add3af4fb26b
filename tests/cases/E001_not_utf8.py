# expect: E001
class A:
    name = "ÿþ"
