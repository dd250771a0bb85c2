"""The report reads the plan concepts of `planc.semantics` (issue 8): the
headline target, the history tables, cross cells under their row, and
owner-sheet periods on the rounding grid."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction
from pathlib import Path

from report_helpers import render

HEAD = 'plan "P" {\n  currency: CNY\n  period: 2027-01-01 .. 2027-12-31\n  round: 1000\n}\n'


def write(tmp_path: Path, text: str, name: str = "p.plan") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def summary(md: str) -> str:
    return md.split("## Summary", 1)[1].split("\n- **Targets:**", 1)[0]


def test_total_target_is_the_headline_not_a_sum_of_roots(tmp_path):
    plan = write(tmp_path, HEAD + "target year = 48M\ntarget stretch = 110% of year\n"
                 "split year by region { east = 50%; west = rest }\n")
    out = render(plan, "md,json")
    assert "**Total target:** 48,000,000 CNY (year)" in summary(out["p.md"])
    assert "100,800,000" not in out["p.md"]
    assert json.loads(out["p.json"])["report"]["headline"] == "year"


def test_a_board_figure_and_a_roll_up_are_not_added(tmp_path):
    plan = write(tmp_path, HEAD + "target board = 50M\ntarget company = sum\n"
                 "split company by region { east = 30M; west = 20M }\n")
    md = render(plan, "md")["p.md"]
    assert "**Total target:** 50,000,000 CNY (company)" in summary(md)
    assert "100,000,000" not in md


def test_several_split_roots_are_each_shown(tmp_path):
    plan = write(tmp_path, HEAD + "target revenue = 48M\ntarget services = 12M\n"
                 "split revenue by region { east = 50%; west = rest }\n"
                 "split services by region { east = 50%; west = rest }\n")
    out = render(plan, "md,html")
    assert "**Top-level targets:** revenue 48,000,000 · services 12,000,000 CNY" in summary(out["p.md"])
    assert "60,000,000" not in out["p.md"] and "60,000,000" not in out["p.html"]
    assert "Total target" not in out["p.html"]


def test_the_header_names_the_headline(tmp_path):
    plan = write(tmp_path, HEAD.replace("round: 1000", "round: 1000\n  main: stretch")
                 + "target year = 48M\ntarget stretch = 110% of year\nsplit year by region { east = 50%; west = rest }\n")
    assert "**Total target:** 52,800,000 CNY (stretch)" in render(plan, "md")["p.md"]


def test_history_tables_setting_drives_the_report(tmp_path):
    (tmp_path / "planc.toml").write_text('history-tables = ["fy2026"]\n', encoding="utf-8")
    plan = write(tmp_path, HEAD + "table fy2026 { year = 40M; east = 20M }\ntarget year = 48M\n"
                 "split year by region using weight(fy2026) { east; west = 24M }\n")
    out = render(plan, "md,json")
    details = json.loads(out["p.json"])["details"]
    assert details["year"]["history"] == 40_000_000 and details["year.east"]["history"] == 20_000_000
    assert "(+20.0% on last year)" in summary(out["p.md"])


def test_history_keys_name_targets_as_references_do(tmp_path):
    # A key names the shallowest target ending with it (language.md §4.3(b)), as in the lint:
    # `east` is year.east, not also year.west.east.
    plan = write(tmp_path, HEAD + "table history { east = 20M }\ntarget year = 48M\n"
                 "split year by region { east = 50%; west = rest }\nsplit west by district { east = 40%; north = rest }\n")
    details = json.loads(render(plan, "json")["p.json"])["details"]
    assert details["year.east"]["history"] == 20_000_000 and "history" not in details["year.west.east"]


CROSSED = HEAD + """target year = 100M
split year by region { east = 60%; west = rest }
split year by quarter { Q1 = 20%; Q2 = 30%; Q3 = 30%; Q4 = rest }
cross region by quarter
"""


def test_a_cross_cell_is_a_share_of_its_row(tmp_path):
    out = render(write(tmp_path, CROSSED), "csv,md")
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO(out["p.csv"].lstrip("\ufeff")))}
    cell = rows["year.east.Q1"]
    assert cell["parent"] == "year.east"
    assert Fraction(cell["share"]) == Fraction(cell["amount"]) / Fraction(rows["year.east"]["amount"])
    assert "  - **Q1** (region × quarter): 12,000,000 · 20.0%" in out["p.md"]


def test_owner_sheet_periods_are_on_the_grid_and_add_up(tmp_path):
    # An off-grid rep (a fixed amount, W001) spread by the year's quarters:
    # whole thousands, the odd 300 on one quarter, adding up to the rep's target.
    plan = write(tmp_path, HEAD + "target year = 38M\n"
                 "split year by quarter { Q1 = 21%; Q2 = 23.7%; Q3 = 23.5%; Q4 = rest }\n"
                 'split year by rep { zhao = 12_606_300 [owner: "赵磊"]; sun = rest }\n')
    sheet = render(plan, "md")["p.owners/赵磊.md"]
    table = [line for line in sheet.split("indicative", 1)[1].splitlines() if line.startswith("|")]
    cells = [c.strip() for c in table[2].strip("|").split("|")]
    amounts = [Fraction(c.replace(",", "")) for c in cells]
    assert sum(amounts) == 12_606_300
    assert all("." not in c for c in cells)
    assert sum(1 for a in amounts if a % 1000) == 1


def test_a_part_of_one_quarter_is_not_spread_over_the_year(tmp_path):
    plan = write(tmp_path, HEAD + "target year = 40M\nsplit year by quarter { Q1 = 25%; Q2 = 25%; Q3 = 25%; Q4 = rest }\n"
                 'split Q1 by region { east = 60% [owner: "Li"]; west = rest }\n')
    sheet = render(plan, "md")["p.owners/li.md"]
    assert "6,000,000" in sheet and "indicative" not in sheet


def test_an_overassigned_total_shows_exact_and_shared_on_the_grid(tmp_path):
    # 110% of 38,233,000 is 42,056,300; the reps share 42,056,000 (issue 8: off the grid before)
    plan = write(tmp_path, HEAD + "target north = 38233000\n"
                 "split north by rep overassign 110% { a = weight(1); b = weight(1); c = weight(1) }\n")
    out = render(plan, "md,json,html")
    assert "42,056,300 exactly, shared as 42,056,000 on the rounding grid" in out["p.md"]
    assert "42,056,300 exactly, shared as 42,056,000" in out["p.html"]
    data = json.loads(out["p.json"])
    (split,) = data["splits"]
    assert split["overassigned_exact"] == 42_056_300
    reps = [data["targets"][f"north.{r}"] for r in "abc"]
    assert sum(reps) == 42_056_000 and all(r % 1000 == 0 for r in reps)


def test_a_split_shared_exactly_says_nothing_of_the_grid(tmp_path):
    plan = write(tmp_path, HEAD + "target north = 40M\nsplit north by rep overassign 110% { a = 50%; b = rest }\n")
    out = render(plan, "md,json")
    assert "rounding grid" not in out["p.md"]
    assert json.loads(out["p.json"])["splits"][0]["overassigned_exact"] == 44_000_000
