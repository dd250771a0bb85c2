"""Golden Markdown reports: tests/golden/report/<case>.plan -> <case>.md (English),
<case>.zh.md (Chinese) and <case>.owners/*.md (owner sheets).

Regenerate on purpose with `PLANC_UPDATE_GOLDEN=1 pytest tests/report/test_golden.py`
and review the diff like code.
"""

from __future__ import annotations

import os

import pytest

from report_helpers import GOLDEN, render

CASES = sorted(p.stem for p in GOLDEN.glob("*.plan"))
UPDATE = os.environ.get("PLANC_UPDATE_GOLDEN") == "1"


def expected_files(case: str) -> dict[str, str]:
    out = {}
    for lang in ("en", "zh"):
        for name, text in render(GOLDEN / f"{case}.plan", "md", lang).items():
            if name.endswith(".md") and "/" not in name:
                name = f"{case}.md" if lang == "en" else f"{case}.zh.md"
            elif lang == "zh":
                continue  # owner sheets are compared in English only
            out[name] = text
    return out


def test_there_are_golden_cases():
    assert len(CASES) >= 3


@pytest.mark.parametrize("case", CASES)
def test_markdown_matches_golden(case):
    produced = expected_files(case)
    if UPDATE:
        for stale in [*GOLDEN.glob(f"{case}.md"), *GOLDEN.glob(f"{case}.zh.md"), *GOLDEN.glob(f"{case}.owners/*.md")]:
            stale.unlink()
        for name, text in produced.items():
            (GOLDEN / name).parent.mkdir(exist_ok=True)
            (GOLDEN / name).write_text(text, encoding="utf-8", newline="")
        pytest.skip("golden files regenerated")
    on_disk = {str(p.relative_to(GOLDEN)) for p in [*GOLDEN.glob(f"{case}.md"), *GOLDEN.glob(f"{case}.zh.md"),
                                                   *GOLDEN.glob(f"{case}.owners/*.md")]}
    assert on_disk == set(produced), "golden files differ; regenerate with PLANC_UPDATE_GOLDEN=1"
    for name, text in produced.items():
        golden = (GOLDEN / name).read_text(encoding="utf-8")
        assert text == golden, f"{name} differs from its golden file; regenerate with PLANC_UPDATE_GOLDEN=1 and review"
