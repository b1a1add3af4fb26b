"""The scanner on one-line modules of 2 MB: ordinary text, and inputs built to make a
backtracking engine stall (tests/data/privacy/long_lines.py).

Nothing here is timed: benchmarks/scanner.py measures each line against a one-regex floor and
checks that the work grows linearly. The scans run in a child process with a hang guard
(catastrophic backtracking takes hours; each line takes well under a second), so a regression
fails this test instead of stalling the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stato.core.privacy import scan_text

DATA = Path(__file__).parent / "data" / "privacy"
HANG_GUARD_SECONDS = 900

SCAN_EVERY_LINE = r'''
import json, sys
sys.path.insert(0, sys.argv[1])
import long_lines
from stato.core.privacy import scan_text
out = {}
for name, line in {**long_lines.LINES, **long_lines.ADVERSARIAL}.items():
    module = f'class Big:\n    name = "big"\n    lessons_learned = """{line}"""\n'
    out[name] = [[f.start, f.end, f.category, f.text == module[f.start:f.end]]
                 for f in scan_text(module)]
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def findings() -> dict[str, list[list[object]]]:
    done = subprocess.run(
        [sys.executable, "-c", SCAN_EVERY_LINE, str(DATA)],
        capture_output=True,
        text=True,
        check=True,
        timeout=HANG_GUARD_SECONDS,
    )
    result: dict[str, list[list[object]]] = json.loads(done.stdout)
    return result


def test_every_long_line_is_scanned(findings: dict[str, list[list[object]]]) -> None:
    sys.path.insert(0, str(DATA))
    try:
        import long_lines
    finally:
        sys.path.remove(str(DATA))
    assert set(findings) == set(long_lines.LINES) | set(long_lines.ADVERSARIAL)


def test_ordinary_and_adversarial_lines_hold_no_finding(
    findings: dict[str, list[list[object]]],
) -> None:
    # Only a run of `password=` assigns a value, again and again; every other line is noise.
    flagged = {name for name, found in findings.items() if found}
    assert flagged == {"password run"}


def test_each_finding_in_a_run_is_a_secret_at_its_exact_span(
    findings: dict[str, list[list[object]]],
) -> None:
    found = findings["password run"]
    assert len(found) > 10_000
    assert all(category == "secret" and exact for _, _, category, exact in found)
    ends = [end for _, end, _, _ in found]
    starts = [start for start, _, _, _ in found]
    assert all(end <= start for end, start in zip(ends, starts[1:], strict=False))


def test_findings_in_a_long_line_keep_exact_positions() -> None:
    filler = "x " * 500_000
    secret = "ghp_Zq8rT2mW9xL4kP7vB3nY6cH1jF5sD0aE8gUu"
    (f,) = scan_text(filler + secret + " " + filler)
    assert (f.line, f.column, f.text) == (1, len(filler), secret)
