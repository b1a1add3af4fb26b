"""Benchmark the evaluator's budgets: the worst modules we know, against ast.parse of the same text.

Run: python benchmarks/budget.py [--repeat 3]
Each module is built to spend one budget of core/budget.py to its end (work, value size, nesting,
format fields, shared references, many fields). Prints the best-of-N compile time, the time of
ast.parse alone, their ratio, and the peak of traced memory (target: every module well under a
second and a few hundred MB; docs/security.md, "Bounded work").
"""

from __future__ import annotations

import argparse
import ast
import time
import tracemalloc

from stato.core.compiler import compile_source


def module(lines: list[str]) -> str:
    body = "".join(f"    {line}\n" for line in lines)
    return f"class Worst:\n    name = 'x'\n{body}    def run(self): pass\n"


CASES: dict[str, list[str]] = {
    "doubling chains": [
        line
        for k in range(30)
        for line in [f"a{k} = [{k}.5] * 64", *[f"a{k} = a{k} + a{k}" for _ in range(14)]]
    ],
    "split": ["s = 'ab ' * 60000", *[f"l{k} = s.split()" for k in range(100)]],
    "sorted": ["s = [0.5, 1.5, 2.5] * 100000", *[f"l{k} = sorted(s)" for k in range(100)]],
    "compare": ["a = [[1, 2]] * 150000", *[f"c{k} = a == a" for k in range(100)]],
    "str of nested": ["a = [[0.5] * 30] * 1000", *[f"s{k} = str(a)" for k in range(100)]],
    "f-string widths": ["a = 'x' * 50000", *[f"s{k} = f'{{a:>100000}}'" for k in range(200)]],
    "str.format": ["a = [0.25] * 3000", *[f"s{k} = '{{}}{{}}'.format(a, a)" for k in range(200)]],
    "format fields": ["f = '{0}' * 50000", *[f"x{k} = f.format(1)" for k in range(100)]],
    "dict items": [
        "d = {" + ", ".join(f"'k{i}': [{i}]" for i in range(2000)) + "}",
        *[f"x{k} = d.items()" for k in range(300)],
    ],
    "case mapping": ["a = 'ß' * 300000", *[f"u{k} = a.upper()" for k in range(50)]],
    "many fields": ["b = [0.5] * 300000", *[f"n{k} = b" for k in range(2000)]],
    "shared refs": ["a = [[1]] * 110000", *[f"b{k} = [*a]" for k in range(100)]],
    "deep and wide": ["a = [0.5]", *["a = [a, a]"] * 99],
    "int growth": ["x = 7", *["x = x * x"] * 20, *[f"y{k} = x ** 3" for k in range(100)]],
}


def best(thunk: object, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        thunk()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'module':18} {'bytes':>8} {'parse ms':>9} {'compile ms':>11} {'ratio':>6} {'peak MB':>8}"
    )
    for name, lines in CASES.items():
        src = module(lines)
        floor = best(lambda s=src: ast.parse(s), args.repeat)
        spent = best(lambda s=src: compile_source(s), args.repeat)
        tracemalloc.start()
        compile_source(src)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(
            f"{name:18} {len(src):8d} {floor * 1000:9.1f} {spent * 1000:11.1f} "
            f"{spent / floor:6.1f} {peak / 2**20:8.1f}"
        )


if __name__ == "__main__":
    main()
