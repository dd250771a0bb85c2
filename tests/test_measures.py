"""Measures and funnels (docs/language.md, Measures and Funnels): counts on
their own grid and mode, units through expressions, activity targets
derived per member with rates from tables."""

from __future__ import annotations

from fractions import Fraction as F

from planc.fmt import format_text

HEAD = 'plan "T" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1000 }\n'
MEASURES = ('measure deals "单" { rounding: up }\nmeasure proposals "方案" { rounding: up }\n'
            'measure visits "拜访" { round: 5; rounding: up }\n')
FUNNEL = HEAD + MEASURES + """
table deal_size { east = 150k; west = 100k }
table win_rate { zhang = 25%; li = 30%; wang = 20% }
target year = 10M
split year by region { east = 60%; west = rest }
split east by rep { zhang = 50%; li = rest }
split west by rep { wang = rest }
funnel 销售漏斗 for rep {
  deals = self / deal_size(region) in deals
  proposals = deals / win_rate(rep) in proposals
  visits = proposals / 40% in visits
}
target east_visits = zhang.visits + li.visits
assert li.visits >= 170 visits
"""


def codes(result) -> list[str]:
    return [d.code for d in result.diagnostics if d.is_error]


def test_a_count_rounds_on_its_own_grid_and_mode_while_money_keeps_round(plan):
    r = plan(HEAD + MEASURES + "target year = 120_400_000\ntarget calls = 461 visits\n"
             "split calls by quarter { Q1 = 30%; Q2 = 30%; Q3 = 25%; Q4 = rest }\n"
             "split year by quarter { Q1 = 30%; Q2 = 30%; Q3 = 25%; Q4 = rest }\n")
    values, units = r.evaluation.values, r.evaluation.units
    assert values["calls"] == 465  # 461 rounded up to the grid of 5
    assert [values[f"calls.Q{i}"] for i in range(1, 5)] == [140, 140, 115, 70]
    assert sum(values[f"calls.Q{i}"] for i in range(1, 5)) == 465
    assert all((values[f"year.Q{i}"] / 1000).denominator == 1 for i in range(1, 5))
    assert units == {"calls": "visits", **{f"calls.Q{i}": "visits" for i in range(1, 5)}}


def test_units_follow_expressions(plan):
    r = plan(HEAD + 'measure accounts "新客户"\ntarget year = 120M\ntarget logos = 45 accounts\n'
             "target per_logo = year / logos\ntarget share = year / 200M CNY\ntarget scaled = year / 2\ntarget more = logos * 110%\n"
             "target penetration = 15%\n")
    assert codes(r) == []
    assert r.evaluation.units == {"logos": "accounts", "share": "ratio", "more": "accounts",
                                  "penetration": "ratio"}
    assert r.evaluation.values["more"] == 50  # 49.5 to the nearest whole account
    assert r.evaluation.values["penetration"] == F(3, 20)


def test_mixed_units_name_both_at_their_places(plan):
    r = plan("measure visits\nmeasure deals\ntarget a = 5 visits\ntarget b = 3 deals\ntarget c = max(a, b)\n"
             "assert a > 10M CNY\n")
    found = [(d.code, d.line, d.column, d.message) for d in r.diagnostics if d.code == "E051"]
    assert found == [("E051", 5, 16, "max() mixes `visits` and `deals`"),
                     ("E051", 6, 8, "cannot compare `visits` and money")]


def test_a_funnel_derives_each_reps_activity_with_rates_from_tables(plan):
    r = plan(FUNNEL)
    assert codes(r) == []
    v = r.evaluation.values
    # zhang: 3M / 150k = 20 deals, / 25% = 80 proposals, / 40% = 200 visits
    assert [v[f"year.east.zhang.{s}"] for s in ("deals", "proposals", "visits")] == [20, 80, 200]
    # li: 20 deals / 30% = 66.7 -> 67 proposals (up), / 40% = 167.5 -> 170 visits (up, grid 5)
    assert [v[f"year.east.li.{s}"] for s in ("deals", "proposals", "visits")] == [20, 67, 170]
    # wang, in the west: 4M / 100k (the west's deal size)
    assert v["year.west.wang.deals"] == 40
    assert v["east_visits"] == 370 and r.evaluation.units["east_visits"] == "visits"
    record = r.evaluation.derivations["year.east.li.proposals"]
    assert (record.method, record.exact, record.rounded) == ("funnel", F(200, 3), 67)
    assert [(i.name, i.value) for i in record.inputs] == [("deals", 20), ("win_rate.li", F(3, 10))]
    assert r.evaluation.units["year.east.li.visits"] == "visits"


def test_funnel_rates_are_checked_per_member(plan):
    text = FUNNEL.replace("li = 30%", "li = 0%").replace("wang = 20%", "wang = 120%")
    r = plan(text)
    found = sorted((d.code, d.line, d.column, d.message) for d in r.diagnostics if d.is_error)
    assert found == [
        ("E054", 14, 23, "`win_rate.li` is 0%: a conversion rate or deal size must be above zero"),
        ("E055", 14, 23, "`win_rate.wang` is 120%, above 100%: a conversion rate is a probability"),
    ]
    assert r.evaluation.values["year.east.zhang.visits"] == 200  # the others are still computed


def test_funnel_steps_format_back_aligned():
    text = FUNNEL.replace("  deals = ", "  deals     = ").replace("  visits = ", "  visits    = ")
    out, diags = format_text(FUNNEL)
    assert diags == [] and out is not None
    assert "  deals     = self / deal_size(region) in deals\n" in out
    assert format_text(out)[0] == out
    assert 'measure visits "拜访" { round: 5; rounding: up }' in out
    assert text.count("deals     =") == 1
