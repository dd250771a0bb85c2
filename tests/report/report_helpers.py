"""Helpers for the report tests: build reports in memory or on disk.

(Named uniquely, not `conftest`, so `tests/` may have other conftest files.)
"""

from __future__ import annotations

import argparse
import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "report"
EXAMPLE = ROOT / "examples" / "fy2027" / "fy2027.plan"
EPOCH = "1798761600"  # 2027-01-01 00:00 UTC
ENV = {"SOURCE_DATE_EPOCH": EPOCH}


def run_build(plans, out: Path, fmt: str = "html,md", lang: str = "en", environ=None):
    """`planc build` in-process: (exit code, stdout, stderr)."""
    from planc.cli.build import run

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


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "style", "body", "header", "div", "p", "h1", "h2", "h3", "dl", "dt", "dd",
    "span", "nav", "a", "section", "svg", "rect", "text", "line", "table", "thead", "tbody", "tfoot", "tr", "th",
    "td", "code", "strong", "ul", "li", "br", "figure", "figcaption", "footer", "details", "summary",
}


def md_tables_with_units(markdown: str) -> list[tuple[str | None, list[str]]]:
    """Each Markdown table of `markdown` with the `单位：…` line just above it (or None)."""
    out, lines = [], markdown.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("| ") and (i == 0 or not lines[i - 1].startswith("|")):
            unit = lines[i - 2] if i >= 2 and lines[i - 2].startswith("单位：") else None
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            out.append((unit, block))
        i += 1
    return out
