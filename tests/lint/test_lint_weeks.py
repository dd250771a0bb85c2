"""W125 weeks-without-calendar: splits by week or day need a calendar."""

from __future__ import annotations

HEAD = 'plan "FY2027" { currency: CNY; period: 2027-01-01 .. 2027-12-31%s }\n'
BODY = ("measure visits\ntarget v = 480 visits\nsplit v by week\ntarget y = 10M\nsplit y by rep { a = rest }\n"
        "funnel f for rep by day {\n  calls = self / 10k in visits\n}\n")


def w125(result) -> list[tuple[int, int]]:
    return [(d.line, d.column) for d in result.diagnostics if d.code == "W125"]


def test_weeks_and_days_without_a_calendar_are_reported_where_they_are_asked_for(plan):
    assert w125(plan(HEAD % "" + BODY)) == [(4, 12), (7, 21)]


def test_a_calendar_silences_it(plan):
    assert w125(plan(HEAD % "; calendar: weekdays" + BODY)) == []
    result = plan(HEAD % "; calendar: weekdays" + BODY)
    assert not any(d.is_error for d in result.diagnostics)
