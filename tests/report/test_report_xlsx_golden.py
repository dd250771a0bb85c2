"""The example's workbook, read back with openpyxl, against a golden text dump.

Every sheet, in order: its frozen panes, autofilter and column widths, then
every cell that holds something (value or formula, number format, bold, top
border) and every row's outline level. The write path is tuned for speed
(report/xlsx.py); this pins what it writes, cell by cell, so a faster path
cannot change the workbook unnoticed. The dumps were made before the tuning.
Regenerate on purpose with `PLANC_UPDATE_GOLDEN=1` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from report_helpers import EXAMPLE, run_build

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "xlsx"
UPDATE = os.environ.get("PLANC_UPDATE_GOLDEN") == "1"


def dump(path: Path) -> str:
    """A readable, complete account of a workbook's content and formatting."""
    wb = openpyxl.load_workbook(path)
    cached = openpyxl.load_workbook(path, data_only=True)
    out = []
    for ws in wb.worksheets:
        out.append(f"== {ws.title}  freeze={ws.freeze_panes} filter={ws.auto_filter.ref} "
                   f"summary_below={ws.sheet_properties.outlinePr.summaryBelow if ws.sheet_properties.outlinePr else None}")
        widths = {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width}
        out.append(f"   widths={widths}")
        for row in ws.iter_rows():
            r = row[0].row
            level = ws.row_dimensions[r].outline_level
            cells = []
            for c in row:
                if c.value is None:
                    continue
                text = f"{c.coordinate}={c.value!r}"
                if isinstance(c.value, str) and c.value.startswith("="):
                    text += f" ({cached[ws.title][c.coordinate].value!r})"
                if c.number_format != "General":
                    text += f" fmt={c.number_format}"
                if c.font.b:
                    text += " bold"
                if c.border.top.style:
                    text += f" top={c.border.top.style}"
                cells.append(text)
            if cells or level:
                out.append(f"{r}{f' L{level}' if level else ''}: " + " | ".join(cells))
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_example_workbook_matches_golden(tmp_path, lang):
    code, _, err = run_build([EXAMPLE], tmp_path, "xlsx", lang=lang)
    assert code == 0, err
    produced = dump(tmp_path / "fy2027.xlsx")
    golden = GOLDEN / f"fy2027.{lang}.txt"
    if UPDATE:
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")
