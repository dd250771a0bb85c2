"""Cross tables render as matrices with row and column totals.

`cross` is being written in the core (crossing.py); until a plan can say it,
this test attaches a cross to a compiled model by hand, the way the
resolver and evaluator will: a CrossNode with cells, and the cells' amounts
in the evaluation.
"""

from __future__ import annotations

import re

from htmltree import parse, table_rows

from planc.syntax import ast
from planc.semantics.model import CrossNode, TargetNode
from planc.pipeline import compile_text
from planc.report.data import to_csv, to_json
from planc.report.gather import build_report
from planc.report.render import render_html, render_markdown
from planc.report.view import generation_time

PLAN = """
plan "Cross" { currency: CNY }
target year = 1000
split year by region { east = 60%; west = rest }
split year by quarter { Q1 = 20%; Q2 = 30%; Q3 = 20%; Q4 = rest }
"""


def crossed():
    result = compile_text(PLAN, "cross.plan")
    assert not result.has_errors
    model, values = result.model, result.evaluation.values
    year = model.targets["year"]
    rows, cols = year.splits
    decl = ast.Cross(("region", "quarter"), (rows.decl.span, cols.decl.span), None, rows.decl.span)
    cross = CrossNode(decl, year, rows, cols)
    for r in rows.children:
        for c in cols.children:
            node = TargetNode(f"{r.name}.{c.name}", f"year.{r.name}.{c.name}", None, parent=year, producer=cross,
                              aliases=[f"year.{c.name}.{r.name}"])
            cross.cells[(r.name, c.name)] = node
            values[node.path] = values[r.path] * values[c.path] / values["year"]
    model.crosses.append(cross)
    return result


def test_cross_matrix_in_html():
    result = crossed()
    report = build_report(result, PLAN.encode(), generation_time({"SOURCE_DATE_EPOCH": "0"}))
    assert len(report.crosses) == 1
    root, _ = parse(render_html(report))
    table = root.find("table", "cross")
    assert table is not None
    head = [" ".join(th.text().split()) for th in table.find("thead").find_all("th")]
    assert head == ["region \\ quarter", "Q1", "Q2", "Q3", "Q4", "Total"]
    assert table_rows(table) == [["east", "120", "180", "120", "180", "600"],
                                 ["west", "80", "120", "80", "120", "400"]]
    assert table_rows(table, "tfoot") == [["Total", "200", "300", "200", "300", "1,000"]]
    shades = [td.attrs.get("style", "") for td in table.find("tbody").find_all("td")]
    backs = [re.search(r"background-color: #([0-9a-f]{6})", s).group(1) for s in shades[:4]]
    darkness = [765 - sum(int(b[i:i + 2], 16) for i in (0, 2, 4)) for b in backs]
    assert darkness[1] == max(darkness) and darkness[0] < darkness[1]  # the biggest cell is the darkest


def test_cross_matrix_in_markdown_json_csv():
    result = crossed()
    report = build_report(result, PLAN.encode(), generation_time({"SOURCE_DATE_EPOCH": "0"}))
    md = render_markdown(report)
    assert "| region \\\\ quarter |      Q1 |      Q2 |      Q3 |      Q4 |     Total |" in md
    assert "| east              |     120 |     180 |     120 |     180 |   **600** |" in md
    assert "| **Total**         | **200** | **300** | **200** | **300** | **1,000** |" in md
    doc = to_json(report)
    assert '"year.east.Q1": 120' in doc and '"rows": "region"' in doc
    csv_text = to_csv(report)
    assert "year.east.Q1,year,region × quarter,120," in csv_text
