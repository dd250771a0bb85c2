"""`planc diff` and `planc track`."""

from __future__ import annotations

import json
from fractions import Fraction as F

from helpers import run_planc

PLAN = """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
split year by region {
  east = 70M [owner: "Chen", status: agreed]
  west = rest
}
"""


def write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")
    return str(tmp_path / name)


def test_diff_reports_changed_added_removed_and_status(tmp_path):
    old = write(tmp_path, "old.plan", PLAN)
    new = write(tmp_path, "new.plan", PLAN.replace("east = 70M", "east = 72M").replace("agreed", "disputed")
                .replace("west = rest", "west = rest\n  north = 0"))
    proc = run_planc("diff", old, new, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    changes = {c["path"]: c for c in json.loads(proc.stdout)["changes"]}
    assert changes["year.east"]["delta"] == 2_000_000
    assert changes["year.east"]["notes"] == ["status: agreed → disputed"]
    assert changes["year.west"]["new"] == 48_000_000
    assert changes["year.north"]["kind"] == "added"
    assert "year.Q1" not in changes
    text = run_planc("diff", old, new).stdout
    assert "+2,000,000 (+2.9%)" in text and text.rstrip().endswith("2 changed, 1 added, 0 removed")


def test_diff_of_identical_plans_and_of_a_broken_plan(tmp_path):
    old = write(tmp_path, "a.plan", PLAN)
    assert "no differences" in run_planc("diff", old, old).stdout
    broken = write(tmp_path, "b.plan", PLAN + "target year = 1\n")
    proc = run_planc("diff", old, broken)
    assert proc.returncode == 1 and "error[E007]" in proc.stderr
    assert run_planc("diff", old, str(tmp_path / "missing.plan")).returncode == 2


def test_track_follows_the_seasonal_profile(tmp_path):
    plan = write(tmp_path, "p.plan", PLAN)
    actuals = write(tmp_path, "a.csv", "target,value\nyear,30M\nQ1,25M\neast,10M\n")
    proc = run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-04-15", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)["targets"]
    # Q1 is over (24M), and 15 of Q2's 91 days have passed (30M in Q2).
    expected = 24_000_000 + F(30_000_000) * 15 / 91
    assert abs(out["year"]["expected"] - float(expected)) < 1e-6
    assert out["year.Q1"]["expected"] == 24_000_000 and out["year.Q1"]["attainment"] == 25 / 24
    assert abs(out["year"]["forecast"] - float(120_000_000 * 30_000_000 / expected)) < 1e-3


def test_track_reports_bad_actuals(tmp_path):
    plan = write(tmp_path, "p.plan", PLAN)
    actuals = write(tmp_path, "a.csv", "target,value\nnowhere,5\nyear,1M\n")
    proc = run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-06-30")
    assert proc.returncode == 1 and "`nowhere` is not a target" in proc.stderr
    assert "year" in proc.stdout
    assert run_planc("track", plan, "--actuals", str(tmp_path / "none.csv")).returncode == 2
    assert run_planc("track", plan, "--actuals", actuals, "--as-of", "soon").returncode == 2


CHINESE = """plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }
target year = 100M
split year by 季度 { 一季度 = 25.75M; 二季度 = 24.25M; 三季度 = 20M; 四季度 = rest }
"""


def test_track_follows_a_chinese_time_split(tmp_path):
    plan = write(tmp_path, "p.plan", CHINESE)
    actuals = write(tmp_path, "a.csv", "target,value\nyear,26M\n一季度,26M\n")
    out = json.loads(run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-03-31",
                               "--format", "json").stdout)["targets"]
    # Q1 (一季度) is over: the plan expected all of it, not a straight line through the year.
    assert out["year"]["expected"] == 25_750_000
    assert out["year.一季度"]["expected"] == 25_750_000


CROSSED = PLAN.replace("split year by region {", "cross region by quarter\nsplit year by region {")


def test_track_of_a_cross_cell_covers_only_its_period(tmp_path):
    plan = write(tmp_path, "p.plan", CROSSED)
    cells = json.loads(run_planc("eval", plan, "--format", "json").stdout)["targets"]
    q1 = cells["year.east.Q1"]
    actuals = write(tmp_path, "a.csv", f"target,value\neast.Q1,{q1}\neast,{q1}\n")
    proc = run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-04-15", "--format", "json")
    out = json.loads(proc.stdout)["targets"]
    # Q1 is over and met: all of the cell was expected, pace 100%, forecast the cell itself.
    assert out["year.east.Q1"]["expected"] == q1
    assert out["year.east.Q1"]["pace"] == 1 and out["year.east.Q1"]["forecast"] == q1
    # east follows its own cells: all of its Q1, and 15 of Q2's 91 days.
    expected = q1 + F(cells["year.east.Q2"]) * 15 / 91
    assert abs(out["year.east"]["expected"] - float(expected)) < 1e-6


def test_time_names_and_the_dates_they_cover():
    import datetime

    from planc.semantics.time import period_name

    assert [period_name(n) for n in ("一季度", "第二季度", "3季度", "Q4", "上半年", "H2", "W53", "第5周")] == [
        ("quarter", 1), ("quarter", 2), ("quarter", 3), ("quarter", 4), ("half", 1), ("half", 2), ("week", 53),
        ("week", 5)]
    assert [period_name(n) for n in ("一月", "十二月", "1月", "January", "Sept", "M3")] == [
        ("calendar", 1), ("calendar", 12), ("calendar", 1), ("calendar", 1), ("calendar", 9), ("month", 3)]
    assert period_name("east") is None and period_name("Q5") is None and period_name("W54") is None

    from planc.pipeline import compile_text
    from planc.semantics.time import coverage

    # A fiscal year from April: ordinals count from the period's start, month names are calendar months.
    result = compile_text('plan "P" { period: 2027-04-01 .. 2028-03-31 }\ntarget year = 120M\n'
                          "split year by half { 上半年 = 50%; 下半年 = rest }\n"
                          "split 下半年 by quarter { Q3 = 50%; Q4 = rest }\n"
                          "split Q4 by month { 一月 = 30%; 二月 = 30%; 三月 = rest }\n"
                          "split 上半年 by quarter { Q1 = 50%; Q2 = rest }\n"
                          "split Q2 by month { M1 = 30%; M2 = 30%; M3 = rest }\n")
    period = result.model.header.period
    d = datetime.date
    dates = {p: coverage(n, period) for p, n in result.model.targets.items()}
    assert dates["year.上半年"] == (d(2027, 4, 1), d(2027, 9, 30))
    assert dates["year.下半年.Q3"] == (d(2027, 10, 1), d(2027, 12, 31))
    assert dates["year.下半年.Q4.二月"] == (d(2028, 2, 1), d(2028, 2, 29))
    assert dates["year.上半年.Q2.M1"] == (d(2027, 7, 1), d(2027, 7, 31))  # M1 of Q2, not of the year


def test_text_tables_align_chinese_names(tmp_path):
    from planc.diagnostics import display_width

    plan = write(tmp_path, "p.plan", CHINESE)
    actuals = write(tmp_path, "a.csv", "target,value\nyear,26M\n一季度,26M\n")
    lines = run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-03-31").stdout.splitlines()[1:]
    assert len({display_width(line) for line in lines}) == 1, lines  # the last column is right-aligned
    assert " 26% " in lines[2]  # one percent format everywhere: amounts.format_percent

    new = write(tmp_path, "new.plan", CHINESE.replace("二季度 = 24.25M", "二季度 = 23.25M"))
    lines = run_planc("diff", plan, new).stdout.splitlines()[:-1]
    ends = {display_width(line[: line.index(new_amount) + len(new_amount)])
            for line, new_amount in zip(lines, ("new.plan", "23,250,000", "31,000,000"))}
    assert len(ends) == 1, lines


def test_track_without_a_period_takes_the_calendar_year_of_the_as_of_date(tmp_path):
    plan = write(tmp_path, "p.plan", PLAN.replace("period: 2027-01-01 .. 2027-12-31; ", ""))
    actuals = write(tmp_path, "a.csv", "target,value\nQ1,25M\n")
    out = json.loads(run_planc("track", plan, "--actuals", actuals, "--as-of", "2027-04-15",
                               "--format", "json").stdout)["targets"]
    assert out["year.Q1"]["expected"] == 24_000_000


def test_diff_shows_every_attribute_and_label_that_changed(tmp_path):
    old = write(tmp_path, "old.plan", PLAN.replace('status: agreed]', 'status: agreed, note: "two reps", due: 2027-01-15, margin: 30%]'))
    new = write(tmp_path, "new.plan", PLAN.replace('east = 70M [owner: "Chen", status: agreed]',
                                                   'east = 70M "East China" [owner: "Li Na", status: agreed, '
                                                   'note: "three reps", margin: 32%, due: 2027-02-01]'))
    proc = run_planc("diff", old, new, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    [east] = [c for c in json.loads(proc.stdout)["changes"] if c["path"] == "year.east"]
    assert east["delta"] == 0 and east["fields"] == [
        {"field": "owner", "old": "Chen", "new": "Li Na"}, {"field": "note", "old": "two reps", "new": "three reps"},
        {"field": "due", "old": "2027-01-15", "new": "2027-02-01"}, {"field": "margin", "old": "30%", "new": "32%"},
        {"field": "label", "old": None, "new": "East China"}]
    text = run_planc("diff", old, new).stdout
    assert "owner: Chen → Li Na; note: two reps → three reps; due: 2027-01-15 → 2027-02-01; margin: 30% → 32%; " \
           "label: — → East China" in text
