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
