"""Helpers shared by the tests (fixtures are in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from planc.pipeline import Compilation

ROOT = Path(__file__).resolve().parent.parent


def values(result: Compilation) -> dict:
    assert result.evaluation is not None, [d.message for d in result.diagnostics]
    return result.evaluation.values


def codes(result: Compilation) -> list[str]:
    return [d.code for d in result.diagnostics]


def errors(result: Compilation) -> list:
    return [d for d in result.diagnostics if d.is_error]


def run_planc(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """The real entry point, in a subprocess."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "planc", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, env=env, timeout=120)


def top_level_statements(text: str) -> list[str]:
    """Split plan text into top-level statements (a `{` block stays whole)."""
    out, current, depth = [], [], 0
    for line in text.splitlines():
        current.append(line)
        depth += line.count("{") - line.count("}")
        if depth == 0:
            out.append("\n".join(current))
            current = []
    return out
