"""Helpers for the report tests: compile a plan text and build its reports in memory or on disk."""

from __future__ import annotations

import argparse
import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "report"
EXAMPLE = ROOT / "examples" / "fy2027" / "fy2027.plan"
EPOCH = "1798761600"  # 2027-01-01 00:00 UTC
ENV = {"SOURCE_DATE_EPOCH": EPOCH}


def run_build(plans, out: Path, fmt: str = "html,md", lang: str = "en", environ=None):
    """`planc build` in-process: (exit code, stdout, stderr)."""
    from planc.report.build import run

    args = argparse.Namespace(plans=[str(p) for p in plans], output=str(out), format=fmt, lang=lang)
    so, se = io.StringIO(), io.StringIO()
    with redirect_stdout(so), redirect_stderr(se):
        code = run(args, environ=ENV if environ is None else environ)
    return code, so.getvalue(), se.getvalue()


def render(plan: Path, fmt: str = "html", lang: str = "en") -> dict[str, str]:
    """Every output of one plan, in memory: {relative name: text}."""
    from planc.pipeline import compile_plan
    from planc.report.build import render_all

    result = compile_plan(plan)
    assert not result.has_errors, [d.message for d in result.diagnostics]
    files = render_all(result, plan.read_bytes(), fmt.split(","), lang, Path("out"), ENV)
    return {str(p.relative_to("out")): data.decode("utf-8") for p, data in files.items()}


@pytest.fixture
def write_plan(tmp_path):
    def write(text: str, name: str = "plan.plan", **data: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        for file, content in data.items():
            (tmp_path / file).write_text(content, encoding="utf-8")
        return path
    return write


@pytest.fixture(autouse=True)
def _src_on_path():
    # The report code is imported from this checkout (pyproject sets pythonpath = src).
    assert str(ROOT / "src") in [str(Path(p).resolve()) for p in sys.path if p], sys.path
