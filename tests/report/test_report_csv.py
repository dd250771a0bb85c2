"""The CSV pivots: `level` and `is_leaf` columns (`parent` was there), so summing
the leaves gives the total instead of counting every level (issue 13)."""

from __future__ import annotations

import csv
import io

from report_helpers import EXAMPLE, run_build

from planc.report.data import CSV_COLUMNS

TREE = """plan "p" { currency: CNY; round: 1000 }
target year = 100M
split year by region { east = 60%; west = rest }
split east by team { a = 30M; b = rest }
"""


def rows_of(folder, stem):
    text = (folder / f"{stem}.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_level_and_is_leaf_are_added_after_the_old_columns():
    assert CSV_COLUMNS[:16] == ("path", "parent", "dimension", "amount", "share", "method", "owner", "status",
                                "name", "label", "detail", "history", "growth", "margin", "due", "note")
    assert CSV_COLUMNS[16:] == ("level", "is_leaf", "unit")


COUNTS = ('plan "P" { currency: CNY; round: 1000 }\nmeasure visits "拜访" { round: 5; rounding: up }\n'
          "target year = 100M\nsplit year by region { east = 60%; west = rest }\n"
          "target calls = 461 visits\nsplit calls by region { east = 50%; west = rest }\ntarget rate = 15%\n")


def test_a_pivot_of_leaves_by_unit_never_adds_counts_to_money(tmp_path, write_plan):
    assert run_build([write_plan(COUNTS)], tmp_path / "o", "csv")[0] == 0
    rows = rows_of(tmp_path / "o", "plan")
    by_unit: dict = {}
    for r in rows:
        if r["is_leaf"] == "true":
            by_unit.setdefault(r["unit"], []).append(r["amount"])
    assert sorted(by_unit) == ["%", "CNY", "拜访"]
    assert sum(int(a) for a in by_unit["CNY"]) == 100_000_000
    assert sum(int(a) for a in by_unit["拜访"]) == 465  # 461 rounded up on the grid of 5, split exactly


def test_the_leaves_sum_to_the_total(tmp_path, write_plan):
    plan = write_plan(TREE)
    assert run_build([plan], tmp_path / "o", "csv")[0] == 0
    rows = rows_of(tmp_path / "o", "plan")
    assert [(r["path"], r["level"], r["parent"], r["is_leaf"]) for r in rows] == [
        ("year", "0", "", "false"), ("year.east", "1", "year", "false"), ("year.east.a", "2", "year.east", "true"),
        ("year.east.b", "2", "year.east", "true"), ("year.west", "1", "year", "true")]
    assert sum(int(r["amount"]) for r in rows) == 260_000_000  # every level counted: what a naive pivot shows
    assert sum(int(r["amount"]) for r in rows if r["is_leaf"] == "true") == 100_000_000


def test_the_example_levels_and_leaves(tmp_path):
    assert run_build([EXAMPLE], tmp_path, "csv")[0] == 0
    rows = rows_of(tmp_path, "fy2027")
    by_path = {r["path"]: r for r in rows}
    assert all(int(r["level"]) == r["path"].count(".") for r in rows)
    # a cross cell is a leaf, and the region above it is not, whatever the cell's parent column says
    assert by_path["year.西部.Q1"]["is_leaf"] == "true" and by_path["year.西部"]["is_leaf"] == "false"
    assert by_path["year.Q1"]["is_leaf"] == "false" and by_path["year.Q1.Jan"]["is_leaf"] == "true"
    months = [r for r in rows if r["dimension"] == "month" and r["is_leaf"] == "true"]
    assert len(months) == 12 and sum(int(r["amount"]) for r in months) == int(by_path["year"]["amount"])


def test_the_json_report_names_the_units_as_eval_does(tmp_path, write_plan):
    import json
    import subprocess
    import sys

    plan = write_plan(COUNTS)
    assert run_build([plan], tmp_path / "o", "json")[0] == 0
    doc = json.loads((tmp_path / "o" / "plan.json").read_text(encoding="utf-8"))
    evaluated = subprocess.run([sys.executable, "-m", "planc", "eval", str(plan), "--format", "json"],
                               capture_output=True, text=True, timeout=120)
    assert doc["units"] == json.loads(evaluated.stdout)["units"]
    assert doc["units"] == {"calls": "visits", "calls.east": "visits", "calls.west": "visits", "rate": "ratio"}
