"""Shared helpers: compile plan text in a temporary folder, run the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planc.pipeline import Compilation, compile_plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def plan(tmp_path):
    """plan(text, files={name: content}) -> Compilation of `main.plan` in tmp_path.

    A `bytes` content is written raw (for encoding tests)."""

    def compile_(text: str, files: dict[str, str | bytes] | None = None) -> Compilation:
        for name, content in (files or {}).items():
            path = tmp_path / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        main = tmp_path / "main.plan"
        main.write_text(text, encoding="utf-8")
        return compile_plan(main, display="main.plan")

    return compile_


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


# Tests parse thousands of generated plans: keep them out of the user's parse cache.
os.environ["PLANC_NO_CACHE"] = "1"
