"""Actuals as data (review/actuals.py): the shapes, the roll-up, the review figures."""

from __future__ import annotations

import datetime
import json
from fractions import Fraction as F
from pathlib import Path

import pytest

from helpers import run_planc
from planc.pipeline import compile_plan
from planc.review import track as tracking
from planc.review.actuals import ActualsFile

PLAN = """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region {
  华东 = 70M [owner: "Chen Jie", status: agreed]
  west = rest
}
split 华东 by rep { ann = 50%; bob = rest }
split year by product { pa = 50%; pb = rest }
cross region by quarter
cross region by product
"""

AS_OF = datetime.date(2027, 4, 15)


def review(tmp_path, csv_text: str, plan: str = PLAN, encoding: str = "utf-8", as_of=AS_OF, raw=None):
    (tmp_path / "p.plan").write_text(plan, encoding="utf-8")
    path = tmp_path / "a.csv"
    path.write_bytes(raw if raw is not None else csv_text.encode(encoding))
    result = compile_plan(tmp_path / "p.plan")
    assert not result.has_errors, result.diagnostics
    rows, diags = tracking.read_actuals([ActualsFile(path, "a.csv", encoding)], result, as_of)
    actuals, more = tracking.rollup(result, rows, as_of)
    return result, actuals, diags + more


LONG = """target,period,amount
华东.ann.pa,2027-01,1000
华东.ann.pb,2027-01,2000.5
华东.bob.pa,2027-02,300
west.pa,2027-03,4000
west.pb,2027-05,999
"""


def test_leaf_actuals_roll_up_every_split_and_both_margins(tmp_path):
    result, actuals, diags = review(tmp_path, LONG.replace("华东.ann.pa", "ann.pa").replace("华东.ann.pb", "ann.pb")
                                    .replace("华东.bob.pa", "bob.pa"), PLAN.replace(
                                        "cross region by product\n", "split ann by product { pa = 50%; pb = rest }\n"
                                        "split bob by product { pa = 50%; pb = rest }\n"
                                        "split west by product { pa = 50%; pb = rest }\n"))
    assert diags == []
    # May is after the as-of date and does not count.
    assert actuals["year"] == F(1000 + 2000.5 + 300 + 4000)
    assert actuals["year.华东"] == 3300.5 and actuals["year.华东.ann"] == 3000.5 and actuals["year.west"] == 4000
    assert actuals["year.Q1"] == actuals["year"] and actuals["year.华东.Q1"] == 3300.5
    assert "year.Q2" not in actuals


def test_cross_margins_agree(tmp_path):
    result, actuals, diags = review(tmp_path, "target,period,amount\n华东.pa,2027-01,10\n华东.pb,2027-02,20\n"
                                    "west.pa,2027-03,30\nwest.pb,2027-04,40\n")
    assert diags == []
    assert actuals["year.华东"] == 30 and actuals["year.west"] == 70
    assert actuals["year.pa"] == 40 and actuals["year.pb"] == 60  # the other margin
    assert actuals["year"] == 100 == actuals["year.pa"] + actuals["year.pb"]
    # the time margin: 华东 in Q1, the year in Q2
    assert actuals["year.华东.Q1"] == 30 and actuals["year.west.Q2"] == 40 and actuals["year.Q2"] == 40


@pytest.mark.parametrize("shape,text", [
    ("long", "target,period,amount\nwest,2027-01,10\nwest,2027-02,20\n华东,2027-02,5\n"),
    ("transactions", "date,target,amount\n2027-01-03,west,4\n2027-01-20,west,6\n2027-02-01,west,20\n"
                     "2027-02-28,华东,5\n"),
    ("wide", "target,Jan,Feb,Mar\nwest,10,20,\n华东,,5,\n"),
    ("wide Chinese", "目标,一月,二月\nwest,10,20\n华东,,5\n"),
    ("wide months", "name,2027-01,2027-02\nwest,10,20\n华东,0,5\n"),
])
def test_every_shape_gives_the_same_roll_up(tmp_path, shape, text):
    _, actuals, diags = review(tmp_path, text)
    assert diags == []
    assert actuals["year.west"] == 30 and actuals["year.华东"] == 5 and actuals["year"] == 35
    assert actuals["year.Q1"] == 35 and actuals["year.west.Q1"] == 30


def test_totals_to_date_and_gb18030(tmp_path):
    _, actuals, diags = review(tmp_path, "目标,金额\nwest,1.5M\n华东,\"2,000\"\n", encoding="gb18030")
    assert diags == [] and actuals["year"] == 1_502_000


def test_a_parent_row_that_its_children_disagree_with_is_a_warning(tmp_path):
    _, actuals, diags = review(tmp_path, "target,period,amount\nyear,2027-01,100\nwest,2027-01,30\n华东,2027-01,50\n")
    assert actuals["year"] == 100  # its own row
    [d] = diags
    assert d.code == "W010" and (d.line, d.column) == (2, 1)
    assert "own row says 100" in d.message and "by region add up to 80" in d.message


def test_review_figures_follow_the_season_and_land_the_year(tmp_path):
    result, actuals, _ = review(tmp_path, "target,period,amount\nwest,2027-01,10M\nwest,2027-03,8M\n")
    [west] = [p for p in tracking.track(result, actuals, AS_OF) if p.path == "year.west"]
    # west follows its own cells: all of Q1 (10M) and 15 of Q2's 91 days of 12.5M.
    expected = F(10_000_000) + F(12_500_000) * 15 / 91
    assert west.expected == expected and west.gap == 18_000_000 - expected
    assert west.status == "ahead" and west.pace == 18_000_000 / expected
    # what is left (32M) over the months after the as-of date, in the season's proportions
    assert sum(a for _, a in west.needs) == 50_000_000 - 18_000_000
    assert [m for m, _ in west.needs][:2] == ["2027-04", "2027-05"] and west.needs[-1][0] == "2027-12"
    q3, = {a for m, a in west.needs if m == "2027-07"}
    assert abs(q3 - F(32_000_000) * (F(12_500_000) * 31 / 92) / (50_000_000 - expected)) <= 1000


def test_status_thresholds_come_from_planc_toml(tmp_path):
    (tmp_path / "planc.toml").write_text('[review]\nahead = "300%"\non-track = "50%"\n', encoding="utf-8")
    result, actuals, _ = review(tmp_path, "target,period,amount\nwest,2027-01,10M\nwest,2027-03,8M\n")
    thresholds = tracking.thresholds_for(str(tmp_path / "p.plan"))
    assert thresholds.ahead == 3 and thresholds.on_track == F(1, 2) and thresholds.at_risk == F(4, 5)
    [west] = [p for p in tracking.track(result, actuals, AS_OF, thresholds) if p.path == "year.west"]
    assert west.status == "on track"
    assert tracking.Thresholds().status(F(79, 100)) == "at risk" and tracking.Thresholds().status(F(9, 10)) == "behind"


def test_track_cli_json_and_exit_codes(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    good = tmp_path / "a.csv"
    good.write_text("target,period,amount\n华东.Q1,2027-02,5M\nwest,2027-04,1M\n", encoding="utf-8")
    proc = run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(good), "--as-of", "2027-04-15",
                     "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["targets"]
    assert out["year"]["actual"] == 6_000_000 and out["year.华东"]["owner"] == "Chen Jie"
    assert out["year.华东.Q1"]["status"] == "behind" or out["year.华东.Q1"]["pace"] < 1
    assert sum(n["amount"] for n in out["year"]["needs"]) == 114_000_000
    bad = tmp_path / "b.csv"
    bad.write_text("target,period,amount\nwset,2027-01,5\n", encoding="utf-8")
    proc = run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(bad), "--as-of", "2027-04-15")
    assert proc.returncode == 1 and "b.csv:2:1: error[E046]" in proc.stderr and "`west`" in proc.stderr
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("target,amount\n华东,5\n".encode("gb18030"))
    proc = run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(gbk))
    assert proc.returncode == 1 and "error[E041]" in proc.stderr and "--encoding gb18030" in proc.stderr
    proc = run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(gbk), "--encoding", "gb18030",
                     "--as-of", "2027-04-15", "--format", "json")
    assert json.loads(proc.stdout)["targets"]["year.华东"]["actual"] == 5
    assert run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(tmp_path / "none.csv")).returncode == 2


def test_a_million_rows_are_not_needed_to_find_a_problem_late_in_a_file(tmp_path):
    body = "".join(f"west,2027-{m:02d},{m}\n" for m in range(1, 13))
    _, _, diags = review(tmp_path, "target,period,amount\n" + body + "west,2027-13,1\nwest,2027-02,x1\n")
    assert [(d.code, d.line, d.column) for d in diags] == [("E045", 14, 6), ("E043", 15, 14)]


MONTHS = PLAN + "split Q2 by 月 { 四月 = 20%; 五月 = 30%; 六月 = rest }\n"


def test_expected_runs_pro_rata_by_days_inside_the_current_month(tmp_path):
    result, actuals, _ = review(tmp_path, "target,period,amount\nwest,2027-04,1\n华东,2027-04,1\n", MONTHS)
    figures = {p.path: p for p in tracking.track(result, actuals, AS_OF)}
    values = result.evaluation.values
    # The year: all of Q1, then 15 of April's 30 days of April's own amount (not 15/91 of Q2).
    assert figures["year"].expected == values["year.Q1"] + F(values["year.Q2.四月"]) * 15 / 30
    # A cell of the cross follows its quarter's months too: 华东.Q2 in April is 20% of it, half gone.
    cell = values["year.华东.Q2"]
    assert figures["year.华东.Q2"].expected == F(cell) * F(20, 100) * 15 / 30
    # ...and 华东 adds its Q1 cell to that.
    assert figures["year.华东"].expected == values["year.华东.Q1"] + F(cell) * F(20, 100) * 15 / 30


def test_totals_of_some_children_only_are_no_disagreement(tmp_path):
    # To-date totals of the year, of Q1 and of one region: no split of the year has all its children.
    _, actuals, diags = review(tmp_path, 'target,value\nyear,"31,500,000"\nQ1,24600000\n华东,13200000\n')
    assert diags == [] and actuals["year"] == 31_500_000 and actuals["year.Q1"] == 24_600_000
    # Both regions given: now they must add up to the year.
    _, _, diags = review(tmp_path, 'target,value\nyear,"31,500,000"\nwest,1\n华东,13200000\n')
    assert [d.code for d in diags] == ["W010"] and "13,200,001" in diags[0].message


def test_a_plan_names_its_actuals_and_their_encoding(tmp_path):
    plan = PLAN.replace("target year", 'actuals = csv("data/a.csv"), csv("data/b.csv", encoding: "gb18030")\n'
                        "target year", 1)
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.csv").write_text("target,period,amount\nwest,2027-01,5\n", encoding="utf-8")
    (tmp_path / "data" / "b.csv").write_bytes("target,period,amount\n华东,2027-02,7\n".encode("gb18030"))
    (tmp_path / "p.plan").write_text(plan, encoding="utf-8")
    proc = run_planc("track", str(tmp_path / "p.plan"), "--as-of", "2027-03-01", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["targets"]["year"]["actual"] == 12
    # --actuals overrides the plan's files
    other = tmp_path / "other.csv"
    other.write_text("target,amount\nwest,1\n", encoding="utf-8")
    proc = run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(other), "--as-of", "2027-03-01",
                     "--format", "json")
    assert json.loads(proc.stdout)["targets"]["year"]["actual"] == 1
    # fmt keeps the statement, in one line
    assert run_planc("fmt", str(tmp_path / "p.plan")).returncode == 0
    assert 'actuals = csv("data/a.csv"), csv("data/b.csv", encoding: "gb18030")\n' in \
        (tmp_path / "p.plan").read_text(encoding="utf-8")
    assert run_planc("fmt", "--check", str(tmp_path / "p.plan")).returncode == 0
    # a file outside the project root is refused at the plan's `csv("…")`
    (tmp_path / ".git").mkdir()
    bad = tmp_path / "p.plan"
    bad.write_text(bad.read_text(encoding="utf-8").replace('csv("data/a.csv")', 'csv("../outside.csv")'), encoding="utf-8")
    proc = run_planc("track", str(bad), "--as-of", "2027-03-01")
    assert proc.returncode == 2 and "p.plan:2:15: error[E040]" in proc.stderr and "outside the project" in proc.stderr
    without = tmp_path / "q.plan"
    without.write_text(PLAN, encoding="utf-8")
    assert run_planc("track", str(without)).returncode == 2


def test_replan_fixes_closed_periods_and_keeps_the_year(tmp_path):
    plan = PLAN.replace('plan "P" {', 'plan "P" { version: "v1";') + "split Q2 by month { Apr = 30%; May = 30%; Jun = rest }\n"
    (tmp_path / "p.plan").write_text(plan, encoding="utf-8")
    (tmp_path / "a.csv").write_text("target,period,amount\nwest,2027-01,10M\n华东,2027-03,9.5M\nwest,2027-04,"
                                    "3000400.50\n华东,2027-05,1M\n", encoding="utf-8")
    new = tmp_path / "new.plan"
    proc = run_planc("replan", str(tmp_path / "p.plan"), "--actuals", str(tmp_path / "a.csv"), "--as-of",
                     "2027-04-30", "-o", str(new))
    assert proc.returncode == 0, proc.stderr
    text = new.read_text(encoding="utf-8")
    assert text.startswith("# Re-planned by planc replan as of 2027-04-30: Q1, Apr fixed at their actuals")
    assert 'version: "v2 — re-planned as of 2027-04-30"' in text
    assert "Q1 = 19500000" in text and "Apr = 3000000" in text  # on the plan's grid of 1,000
    assert run_planc("check", str(new)).returncode == 0
    assert run_planc("fmt", "--check", str(new)).returncode == 0
    before = json.loads(run_planc("eval", str(tmp_path / "p.plan"), "--format", "json").stdout)["targets"]
    after = json.loads(run_planc("eval", str(new), "--format", "json").stdout)["targets"]
    assert after["year"] == before["year"] == 120_000_000  # the year still adds up
    # the open quarters share the rest in the proportions the plan had for them
    rest = 120_000_000 - 19_500_000
    for q in ("Q2", "Q3", "Q4"):
        assert abs(after[f"year.{q}"] - rest * before[f"year.{q}"] / (120_000_000 - 24_000_000)) <= 1000
    assert after["year.Q2.Apr"] == 3_000_000 and after["year.Q2"] == after["year.Q2.Apr"] + after["year.Q2.May"] \
        + after["year.Q2.Jun"]
    changes = {c["path"] for c in json.loads(run_planc("diff", str(tmp_path / "p.plan"), str(new), "--format",
                                                       "json").stdout)["changes"]}
    assert {"year.Q1", "year.Q2", "year.Q2.Apr", "year.Q4"} <= changes and "year" not in changes


def test_build_adds_the_review_section_to_every_format(tmp_path):
    (tmp_path / "p.plan").write_text(PLAN, encoding="utf-8")
    (tmp_path / "a.csv").write_text("target,period,amount\nwest.pa,2027-01,2M\n华东.pa,2027-02,30M\n"
                                    "west.pb,2027-03,1M\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_planc("build", str(tmp_path / "p.plan"), "--actuals", str(tmp_path / "a.csv"), "--as-of",
                     "2027-03-31", "-o", str(out), "--format", "all")
    assert proc.returncode == 0, proc.stderr
    review = json.loads((out / "p.json").read_text(encoding="utf-8"))["review"]
    figures = {t["path"]: t for t in review["targets"]}
    tracked = json.loads(run_planc("track", str(tmp_path / "p.plan"), "--actuals", str(tmp_path / "a.csv"),
                                   "--as-of", "2027-03-31", "--format", "json").stdout)["targets"]
    assert {p: f["actual"] for p, f in figures.items() if p in tracked} == {p: f["actual"] for p, f in tracked.items()}
    # every other target is there too: 0 to date if its dates start after the as-of date, else unknown
    assert {p: f["actual"] for p, f in figures.items() if p not in tracked} == {
        "year.Q2": 0, "year.Q3": 0, "year.Q4": 0, **{f"year.{r}.Q{q}": 0 for r in ("华东", "west") for q in (2, 3, 4)},
        "year.华东.ann": None, "year.华东.bob": None, "year.华东.pb": None}
    assert figures["year.west"]["status"] == "at risk" and "year.west" in review["behind"]
    assert figures["year.华东"]["season"] == figures["year.华东.Q1"]["plan"] / figures["year.华东"]["plan"]
    html = (out / "p.html").read_text(encoding="utf-8")
    assert '<section id="review"' in html and "Pace by cell: region × quarter" in html
    assert "background-color: #f9d9dc; color: #5c0b12" in html  # at risk, dark text on a light ground
    md = (out / "p.md").read_text(encoding="utf-8")
    assert "## Review as of 2027-03-31" in md and "### Behind pace" in md
    sheet = (out / "p.owners" / "chen-jie.md").read_text(encoding="utf-8")
    assert "## Your attainment as of 2027-03-31" in sheet and "year.华东" in sheet
    assert (out / "p.review.csv").read_text(encoding="utf-8-sig").splitlines()[0].startswith("path,owner,plan")
    zh = run_planc("build", str(tmp_path / "p.plan"), "--actuals", str(tmp_path / "a.csv"), "--as-of",
                   "2027-03-31", "-o", str(out), "--format", "md", "--lang", "zh")
    assert zh.returncode == 0 and "截至 2027-03-31 的执行回顾" in (out / "p.md").read_text(encoding="utf-8")


def _contrast(fg: str, bg: str) -> float:
    def lum(hex_colour: str) -> float:
        rgb = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_heat_map_text_contrast_is_at_least_4_5():
    import re

    from planc.report.review import STATUS_STYLE

    for style in STATUS_STYLE.values():
        bg, fg = re.findall(r"#[0-9a-f]{6}", style)
        assert _contrast(fg, bg) >= 4.5, style


def test_amounts_that_are_not_finite_or_too_large_are_errors(tmp_path):
    _, actuals, diags = review(tmp_path, "target,period,amount\nwest,2027-01,NaN\nwest,2027-02,1e30\n"
                                         "west,2027-03,-Infinity\n华东,2027-01,5\n")
    assert sorted((d.code, d.line) for d in diags) == [("E043", 2), ("E043", 3), ("E043", 4)]
    assert actuals["year"] == 5 and "year.west" not in actuals


def test_build_compare_shows_what_changed_since_an_old_plan(tmp_path):
    (tmp_path / "old.plan").write_text(PLAN, encoding="utf-8")
    (tmp_path / "new.plan").write_text(PLAN.replace('status: agreed]', 'status: disputed]')
                                       .replace("target year = 120M", "target year = 121M"), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_planc("build", str(tmp_path / "new.plan"), "--compare", str(tmp_path / "old.plan"), "-o", str(out),
                     "--format", "html,md,json")
    assert proc.returncode == 0, proc.stderr
    changes = json.loads((out / "new.json").read_text(encoding="utf-8"))["changes"]
    by_path = {c["path"]: c for c in changes["changes"]}
    assert changes["since"] == "old.plan" and by_path["year"]["delta"] == 1_000_000
    assert by_path["year.华东"]["fields"] == [{"field": "status", "old": "agreed", "new": "disputed"}]
    md = (out / "new.md").read_text(encoding="utf-8")
    assert "## What changed since old.plan" in md and "+1,000,000 (+0.8%)" in md
    assert '<section id="changes"' in (out / "new.html").read_text(encoding="utf-8")
