"""Fixtures: compile plan text in a temporary folder. Helpers are in helpers.py."""

from __future__ import annotations

import os

import pytest

from planc.pipeline import Compilation, compile_plan

# Tests parse thousands of generated plans: keep them out of the user's parse cache.
os.environ["PLANC_NO_CACHE"] = "1"


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
