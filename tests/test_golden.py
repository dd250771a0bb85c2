"""Golden files: the exact text `planc check` prints for some broken plans.

tests/golden/diagnostics/<case>.plan -> <case>.stderr. Regenerate on
purpose with PLANC_UPDATE_GOLDEN=1 and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from helpers import run_planc

GOLDEN = Path(__file__).resolve().parent / "golden" / "diagnostics"
CASES = sorted(p.stem for p in GOLDEN.glob("*.plan"))


@pytest.mark.parametrize("case", CASES)
def test_diagnostics_text_matches_golden(case):
    proc = run_planc("check", f"{case}.plan", cwd=GOLDEN)
    expected_file = GOLDEN / f"{case}.stderr"
    if os.environ.get("PLANC_UPDATE_GOLDEN"):
        expected_file.write_text(proc.stderr, encoding="utf-8")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr == expected_file.read_text(encoding="utf-8")
