"""Weeks, days and working days (docs/language.md, Weeks and working days):
ISO weeks inside the period, partial edges by their days, the calendar, and
weekly activity targets that add up exactly to the annual count."""

from __future__ import annotations

import datetime
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from planc.semantics import calendar, time

D = datetime.date
YEAR = (D(2027, 1, 1), D(2027, 12, 31))


def test_iso_weeks_inside_the_period_with_partial_edges():
    weeks = calendar.children("week", YEAR)
    assert weeks[0] == ("W2026_53", (D(2027, 1, 1), D(2027, 1, 3)))  # Friday to Sunday of 2026's last ISO week
    assert weeks[1] == ("W2027_01", (D(2027, 1, 4), D(2027, 1, 10)))
    assert weeks[-1] == ("W2027_52", (D(2027, 12, 27), D(2027, 12, 31)))
    assert len(weeks) == 53
    assert time.period_name("W2027_05") == ("isoweek", 202705) and time.period_name("D2027_02_30") is None


@settings(max_examples=60)
@given(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)), st.integers(min_value=0, max_value=800))
def test_weeks_and_days_cover_the_period_once(start, length):
    period = (start, start + datetime.timedelta(days=length))
    for dim in ("week", "day"):
        covered = [d for _, dates in calendar.children(dim, period) for d in calendar.days(dates)]
        assert covered == list(calendar.days(period))
    for _, (first, last) in calendar.children("week", period):
        assert first.isocalendar()[:2] == last.isocalendar()[:2]


def test_the_china_calendar_knows_holidays_and_make_up_days(plan):
    r = plan('plan "T" { period: 2026-01-01 .. 2026-12-31; calendar: cn_workdays }\nimport "std/calendar_cn"\n'
             "target y = 100\n")
    assert [d.code for d in r.diagnostics if d.is_error] == []
    from planc.evaluate.weeks import calendar_of

    cal = calendar_of(r.model)
    assert not cal.works(D(2026, 2, 17))  # 春节, a Tuesday
    assert cal.works(D(2026, 2, 14)) and cal.works(D(2026, 2, 28))  # 调休上班, Saturdays
    assert cal.works(D(2026, 1, 5)) and not cal.works(D(2026, 1, 10))  # an ordinary Monday, Saturday
    assert not cal.works(D(2027, 10, 1))  # 国庆节 2027
    # 10月1日至7日 off; the 8th and 9th worked, the 10th a make-up Saturday, the 11th a Sunday
    assert cal.working_days((D(2026, 10, 1), D(2026, 10, 11))) == 3


FUNNEL = """plan "T" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000; calendar: cn_workdays }
import "std/calendar_cn"
measure deals { rounding: up }
measure visits "拜访" { rounding: up }
target year = 10M
split year by quarter { Q1 = 10%; Q2 = 20%; Q3 = 30%; Q4 = rest }
split year by region { east = 60%; west = rest }
split east by rep { zhang = 50%; li = rest }
funnel activity for rep by week {
  deals = self / 150k in deals
  visits = deals / 10% in visits
}
"""


def test_weekly_activity_follows_the_profile_and_working_days_and_adds_up(plan):
    r = plan(FUNNEL)
    assert [d.code for d in r.diagnostics if d.is_error] == []
    v = r.evaluation.values
    annual = v["year.east.zhang.visits"]
    assert annual == 200  # 3M / 150k = 20 deals, / 10% = 200 visits
    weeks = {p.rsplit(".", 1)[1]: v[p] for p in v if p.startswith("year.east.zhang.visits.W")}
    assert len(weeks) == 53 and sum(weeks.values()) == annual
    assert weeks["W2026_53"] == 0  # 1 January is a holiday, then a weekend
    assert weeks["W2027_02"] < weeks["W2027_46"]  # Q1 carries 10% of the year, Q4 40%
    exact = {w: r.evaluation.derivations[f"year.east.zhang.visits.{w}"].exact for w in ("W2027_23", "W2027_24")}
    assert exact["W2027_23"] / exact["W2027_24"] == F(4, 5)  # 端午节 on Wednesday 9 June: four working days
    assert r.evaluation.units["year.east.zhang.visits.W2027_10"] == "visits"
    record = r.evaluation.derivations["year.east.zhang.visits.W2027_10"]
    assert record.expression == "working days × year by quarter" and abs(record.exact - record.rounded) < 1


def test_a_split_by_week_needs_the_period(plan):
    r = plan("target y = 100\nsplit y by week\n")
    (d,) = [d for d in r.diagnostics if d.code == "E057"]
    assert (d.line, d.column) == (2, 12) and "needs the plan's period" in d.message


def test_calendar_children_are_bounded(plan, monkeypatch):
    monkeypatch.setattr(calendar, "MAX_CHILDREN", 1000)  # the real bound, 250,000, takes a minute to reach
    reps = "; ".join(f"r{i} = even" for i in range(5))
    r = plan('plan "T" { period: 2027-01-01 .. 2027-12-31 }\nmeasure calls\ntarget y = 10M\n'
             f"split y by rep {{ {reps} }}\nfunnel f for rep by day {{\n  calls = self / 1k in calls\n}}\n")
    (d,) = [d for d in r.diagnostics if d.code == "E057"]
    assert "more than 1,000 targets" in d.message and (d.line, d.column) == (5, 21)
    assert sum(1 for p in r.evaluation.values if ".calls.D" in p) == 2 * 365  # two reps' days, then no more


def test_a_funnel_of_a_target_takes_only_the_members_under_it(plan):
    r = plan("measure calls\ntarget y = 10M\nsplit y by region { east = 60%; west = rest }\n"
             "split east by rep { a = 50%; b = rest }\nsplit west by rep { c = rest }\n"
             "funnel f for rep of east {\n  calls = self / 10k in calls\n}\n")
    assert [d.code for d in r.diagnostics if d.is_error] == []
    steps = sorted(p for p in r.evaluation.values if p.endswith(".calls"))
    assert steps == ["y.east.a.calls", "y.east.b.calls"]
    assert r.evaluation.values["y.east.a.calls"] == 300


def test_funnels_with_of_and_by_format_back():
    from planc.fmt import format_text

    text = ("measure calls\ntarget y = 10M\nsplit y by rep { a = rest }\n\n"
            'funnel f for rep of y by week "label" {\n  calls = self / 10k in calls  "calls"\n}\n')
    out, diags = format_text(text)
    assert diags == [] and out == text
