"""Weeks, days and working days: the children `split X by week` and
`split X by day` make, and the calendar that says which days are worked.

Part of the concept of time (`semantics/time.py` names and places every
time child; this module makes the calendar's own). `split X by week` with no
block and no `using` gives X one child per ISO week (Monday to Sunday) that
meets the plan period, named `W2027_05`; the weeks at the period's edges are
partial and weigh only their days inside it. `split X by day` gives one
child per day, `D2027_03_31`. docs/language.md, Weeks and working days.

The plan header's `calendar:` says which days are worked: `weekdays` (Monday
to Friday), or a table keyed by date (`"2027-10-01" = 0` a holiday, `= 1` a
make-up working day; every other day as `weekdays`) such as
`cn_workdays` of `std/calendar_cn`. Without one, every day counts.
"""

from __future__ import annotations

import datetime
from typing import Iterator

from planc.semantics import time
from planc.semantics.model import Table
from planc.syntax import ast

WEEK_DIMENSIONS = frozenset({"week", "weeks", "周"})
DAY_DIMENSIONS = frozenset({"day", "days", "日", "天"})
WEEKDAYS = "weekdays"  # the generic calendar: weekends off
MAX_DAYS = 366 * 5  # a daily split over more than five years is surely a mistake
MAX_CHILDREN = 250_000  # weeks and days made in one plan, as many as a cross's cells (E032)

Dates = time.Dates
_DAY = datetime.timedelta(days=1)


def is_calendar_split(decl: ast.Split) -> bool:
    """`split X by week` / `by day` with neither a block nor `using`: its children are made here."""
    return not decl.has_block and decl.method is None and \
        decl.dimension.lower() in WEEK_DIMENSIONS | DAY_DIMENSIONS


def days(dates: Dates) -> Iterator[datetime.date]:
    day, last = dates
    while day <= last:
        yield day
        day += _DAY


def children(dimension: str, period: Dates) -> list[tuple[str, Dates]]:
    """(name, dates) of each week or day child within `period`, in order."""
    if dimension.lower() in DAY_DIMENSIONS:
        return [(time.day_name(d), (d, d)) for d in days(period)]
    out: list[tuple[str, Dates]] = []
    first, last = period
    while first <= last:
        year, week, weekday = first.isocalendar()
        end = min(first + datetime.timedelta(days=7 - weekday), last)
        out.append((time.week_name(year, week), (first, end)))
        first = end + _DAY
    return out


class Calendar:
    """Which days are worked: none named (every day), `weekdays`, or a table of exceptions."""

    def __init__(self, name: str | None, table: Table | None) -> None:
        self.name = name
        self.exceptions: dict[str, object] = dict(table.values) if table is not None else {}

    def works(self, day: datetime.date) -> bool:
        if self.name is None:
            return True
        found = self.exceptions.get(day.isoformat())
        if found is not None:
            return found != 0
        return day.weekday() < 5

    def working_days(self, dates: Dates) -> int:
        return sum(1 for d in days(dates) if self.works(d))
