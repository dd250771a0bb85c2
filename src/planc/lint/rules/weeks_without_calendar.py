"""A split by week or day in a plan that names no calendar.

Without the header's `calendar:` every day counts the same, Saturdays,
Sundays and public holidays included, so weekly targets ask as much of a
holiday week as of any other (docs/language.md, Weeks and working days).
Say which days are worked: `calendar: weekdays`, or a table of holidays
and make-up working days such as `cn_workdays` of `std/calendar_cn`.

Bad:

```
plan "FY2027" { currency: CNY; period: 2027-01-01 .. 2027-12-31 }
measure visits
target visits_2027 = 480 visits
split visits_2027 by week
```

Good:

```
import "std/calendar_cn"
plan "FY2027" { currency: CNY; period: 2027-01-01 .. 2027-12-31; calendar: cn_workdays }
measure visits
target visits_2027 = 480 visits
split visits_2027 by week
```
"""

from __future__ import annotations

from planc.source import Span
from planc.syntax import ast
from planc.lint.rules.context import Context
from planc.semantics.calendar import DAY_DIMENSIONS, WEEK_DIMENSIONS, is_calendar_split

CODE = "W125"
NAME = "weeks-without-calendar"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    if "calendar" in ctx.model.header.settings:
        return
    for stmt in ctx.statements():
        where: Span | None
        if isinstance(stmt, ast.Split) and is_calendar_split(stmt):
            where = stmt.dimension_span
        elif isinstance(stmt, ast.Funnel) and stmt.by is not None and \
                stmt.by.lower() in WEEK_DIMENSIONS | DAY_DIMENSIONS:
            where = stmt.by_span
        else:
            continue
        yield ctx.report("the plan names no calendar: every day counts, weekends and holidays included",
                         where, help="add `calendar: weekdays` to the header, or import \"std/calendar_cn\" "
                                     "and add `calendar: cn_workdays`")
