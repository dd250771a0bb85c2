"""The package type-checks: mypy with the settings in pyproject.toml ([tool.mypy])."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_mypy_finds_no_errors(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "mypy"),
                           "--config-file", str(ROOT / "pyproject.toml")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Success: no issues found" in proc.stdout


def test_no_blanket_ignores():
    # Every `type: ignore` names the error it silences, and no module opts out whole.
    blanket = []
    for path in sorted((ROOT / "src" / "planc").rglob("*.py")):
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if "type: ignore" in line and "type: ignore[" not in line:
                blanket.append(f"{path.relative_to(ROOT)}:{no}")
            if line.strip().startswith("# mypy:") or "ignore_errors" in line:
                blanket.append(f"{path.relative_to(ROOT)}:{no}")
    assert blanket == []
