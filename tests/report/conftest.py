"""Fixtures of the report tests (helpers live in report_helpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # report_helpers, htmltree

from report_helpers import ROOT  # noqa: E402


@pytest.fixture
def write_plan(tmp_path):
    def write(text: str, name: str = "plan.plan", **data: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for file, content in data.items():
            (tmp_path / file).write_text(content, encoding="utf-8")
        return path
    return write


@pytest.fixture(autouse=True, scope="session")
def _this_checkout():
    """Test the planc of this checkout (pyproject sets pythonpath = src), not another install."""
    import planc

    assert Path(planc.__file__).resolve().is_relative_to(ROOT / "src"), planc.__file__
