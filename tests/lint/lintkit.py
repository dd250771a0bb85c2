"""Helpers and the `lint` fixture for the lint, config, suppression and fmt tests.

Not a conftest.py: the suite's own tests do `from conftest import …`, and a
second conftest.py would shadow it. Test modules import the fixture from here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from planc.pipeline import Compilation, compile_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def lint(tmp_path):
    """lint(text, files={name: text}) -> Compilation of `main.plan` in a fresh folder
    (so no configuration applies unless a test writes one)."""

    def compile_(text: str, files: dict[str, str] | None = None, name: str = "main.plan") -> Compilation:
        for fname, content in (files or {}).items():
            path = tmp_path / fname
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(content), encoding="utf-8")
        main = tmp_path / name
        main.parent.mkdir(parents=True, exist_ok=True)
        main.write_text(textwrap.dedent(text), encoding="utf-8")
        return compile_plan(main, display=name)

    return compile_


def found(result: Compilation, code: str) -> list[tuple[int, int]]:
    return [(d.line, d.column) for d in result.diagnostics if d.code == code]


def codes(result: Compilation) -> list[str]:
    return [d.code for d in result.diagnostics]


def run_planc(*args: str, cwd: Path | None = None, input: str | None = None) -> subprocess.CompletedProcess:
    """The real entry point, in a subprocess."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8", NO_COLOR="1")
    env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "planc", *args], cwd=cwd, input=input,
                          capture_output=True, text=True, env=env, timeout=120)
