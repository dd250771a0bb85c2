"""Time in a plan: which splits are time splits, and the dates each time
child covers. The one home of this concept: lint, report and `track` all
ask here (docs/language.md, section Time, is the contract).

A split is a time split when its dimension is a time word (`quarter`,
`month`, `half`, `week`, `季度`, `月`, `半年`, `周`, …) or when every child
is named like a period. A time child's dates come from its name:

- ordinals count from the start of the plan period (a fiscal year may start
  in April): `Q1`…`Q4` / `一季度` / `第一季度` / `1季度` (three months each),
  `H1` `H2` / `上半年` `下半年` (six months), `M1`…`M12` (one month),
  `W1`…`W53` / `第1周` (seven days, the last one cut at the period's end);
  when that lies outside the enclosing time child (`Q3 by month { M1; M2;
  M3 }`), the ordinal counts from the enclosing child's start instead;
- calendar months name the calendar month: `Jan`…`Dec`, `January`…,
  `一月`…`十二月`, `1月`…`12月` — the first such month within the
  enclosing range (the plan period, or the quarter or half it splits).

Nested time splits compose: a month of `Q2` lies within `Q2`'s dates, and a
cross cell `east.Q1` covers `Q1`'s dates.

A weight table is read by meaning too (`matching_key`): a child `一季度`
takes the value of the key `Q1` when the table has no key `一季度`, so the
stdlib profiles (keyed `Q1`…`Q4`, `Jan`…`Dec`) serve plans in Chinese.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Union

from planc.semantics.model import CrossNode, SplitNode, TargetNode

Dates = tuple[datetime.date, datetime.date]  # first and last day, both included

TIME_DIMENSIONS = frozenset({
    "quarter", "quarters", "month", "months", "half", "halves", "week", "weeks", "season", "seasons",
    "period", "periods", "time", "day", "days",
    "季度", "季", "月", "月份", "月度", "周", "半年", "时间",
})

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LONG = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
         "october", "november", "december")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
              "十一": 11, "十二": 12}
_CN_MONTH = "|".join(sorted(_CN_DIGITS, key=len, reverse=True))

# (unit, pattern): the first group is the number, in digits or Chinese.
_PATTERN_TEXT = (
    ("quarter", r"q([1-4])"),
    ("quarter", r"第?([一二三四1-4])季度?"),
    ("half", r"h([12])"),
    ("month", r"m(0?[1-9]|1[0-2])"),
    ("week", r"w(0?[1-9]|[1-4][0-9]|5[0-3])"),
    ("week", r"第(0?[1-9]|[1-4][0-9]|5[0-3])周"),
    ("calendar", r"(0?[1-9]|1[0-2])月"),
    ("calendar", rf"({_CN_MONTH})月"),
)


@functools.lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """Compiled on first use: `planc check` on a plan without time names never pays for them."""
    return tuple((unit, re.compile(p, re.I)) for unit, p in _PATTERN_TEXT)


@functools.lru_cache(maxsize=4096)
def period_name(name: str) -> tuple[str, int] | None:
    """`Q2` -> ("quarter", 2), `上半年` -> ("half", 1), `Mar` / `三月` / `3月` ->
    ("calendar", 3), `M3` -> ("month", 3), `W5` -> ("week", 5); the children
    `split X by week` and `by day` make: `W2027_05` -> ("isoweek", 202705),
    `D2027_03_31` -> ("day", 20270331); None if no period."""
    lower = name.lower()
    if lower[:1] in ("w", "d") and "_" in lower:
        return _calendar_name(lower)
    if lower in ("上半年", "下半年"):
        return "half", 1 if lower == "上半年" else 2
    if lower in _MONTHS or lower in _LONG or lower == "sept":
        return "calendar", (_MONTHS.index(lower[:3]) + 1)
    for unit, pattern in _patterns():
        found = pattern.fullmatch(name)
        if found:
            text = found.group(1)
            number = int(text) if text.isdigit() else _CN_DIGITS[text]
            return unit, number
    return None


def _calendar_name(lower: str) -> tuple[str, int] | None:
    parts = lower[1:].split("_")
    if not all(p.isdigit() and p.isascii() for p in parts) or int(parts[0] or 0) < 1:
        return None
    if lower[0] == "w" and len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2 \
            and 1 <= int(parts[1]) <= 53:
        return "isoweek", int(parts[0]) * 100 + int(parts[1])
    if lower[0] == "d" and len(parts) == 3 and [len(p) for p in parts] == [4, 2, 2]:
        try:
            datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            return None
        return "day", int("".join(parts))
    return None


def week_name(iso_year: int, week: int) -> str:
    """The name of an ISO week's child in `split X by week`: `W2027_05`."""
    return f"W{iso_year}_{week:02d}"


def day_name(day: datetime.date) -> str:
    """The name of a day's child in `split X by day`: `D2027_03_31`."""
    return f"D{day.year}_{day.month:02d}_{day.day:02d}"


def is_time_name(name: str) -> bool:
    return period_name(name) is not None


def matching_key(name: str, keys) -> str | None:
    """The key of a table (`keys`) that holds `name`'s value: `name` itself, or else
    the one key that names the same period (`一季度` and `第一季度` ↔ `Q1`; `一月`, `1月`
    and `January` ↔ `Jan`), so a plan with Chinese period names can weigh by the
    stdlib profiles. None when no key, or more than one, names that period."""
    if name in keys:
        return name
    unit = period_name(name)
    if unit is None:
        return None
    same = [k for k in keys if isinstance(k, str) and period_name(k) == unit]
    return same[0] if len(same) == 1 else None


def is_time_split(split: SplitNode) -> bool:
    """By its dimension word, or by all its children being named like periods."""
    if split.dimension.lower() in TIME_DIMENSIONS:
        return True
    return bool(split.children) and all(is_time_name(c.name) for c in split.children)


# ---- dates -------------------------------------------------------------------------------

def calendar_year(day: datetime.date) -> Dates:
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def dates_of(node: TargetNode, period: Dates) -> Dates | None:
    """The dates a time child covers within `period`, or None when `node`
    is not a child of a time split or its name names no period there."""
    split = node.producer
    if not isinstance(split, SplitNode) or not is_time_split(split):
        return None
    unit = period_name(node.name)
    if unit is None:
        return None
    return _place(unit, coverage(split.parent, period), period)


def coverage(node: TargetNode, period: Dates) -> Dates:
    """The dates `node`'s amount belongs to: the plan period, narrowed by
    every time child on the way up (a cross cell by its time row or column)."""
    first, last = period
    for step in _coordinates(node):
        own = dates_of(step, period)
        if own is not None:
            first, last = max(first, own[0]), min(last, own[1])
    return first, last


def child_coverage(node: TargetNode, parent: Dates, period: Dates, timely: bool) -> Dates:
    """`coverage` of a child of a split, from its parent's (`parent`) and
    whether the split is a time split: for a caller that walks a tree top
    down and should not walk each node's ancestors again."""
    if not timely:
        return parent
    unit = period_name(node.name)
    own = _place(unit, parent, period) if unit is not None else None
    return (max(parent[0], own[0]), min(parent[1], own[1])) if own is not None else parent


def time_coordinates(node: TargetNode, period: Dates) -> list[TargetNode]:
    """The time children that narrow `node`'s dates, nearest first."""
    return [step for step in _coordinates(node) if dates_of(step, period) is not None]


def _coordinates(node: TargetNode) -> list[TargetNode]:
    """`node` and its ancestors; a cross cell counts as its row and its column."""
    out: list[TargetNode] = []
    stack: list[Union[TargetNode, None]] = [node]
    while stack:
        step = stack.pop()
        if step is None or any(step is o for o in out):
            continue
        if isinstance(step.producer, CrossNode):
            cross = step.producer
            column = next((c for c in cross.cols.children if c.name == step.name), None)
            stack += [step.parent, column]  # the row is the cell's parent
            continue
        out.append(step)
        stack.append(step.parent)
    return out


def _place(unit: tuple[str, int], within: Dates, period: Dates) -> Dates | None:
    kind, n = unit
    start, end = within
    if kind == "isoweek":  # Monday to Sunday, cut at the edges of what it lies in
        monday = datetime.date.fromisocalendar(n // 100, n % 100, 1) if n % 100 <= _iso_weeks(n // 100) else None
        return _clip((monday, monday + datetime.timedelta(days=6)), within) if monday else None
    if kind == "day":
        day = datetime.date(n // 10000, n // 100 % 100, n % 100)
        return _clip((day, day), within)
    if kind == "calendar":
        year = start.year if n >= start.month else start.year + 1
        first = datetime.date(year, n, 1)
        return _clip((first, _add_months(first, 1) - _DAY), within)
    for base in (period[0], start):  # from the plan period, else from the enclosing child
        if kind == "week":
            first = base + datetime.timedelta(days=7 * (n - 1))
            last = first + datetime.timedelta(days=6)
        else:
            months = {"quarter": 3, "half": 6, "month": 1}[kind]
            first = _add_months(base, months * (n - 1))
            last = _add_months(base, months * n) - _DAY
        if start <= first <= end:
            return _clip((first, last), within)
    return None


_DAY = datetime.timedelta(days=1)


def _iso_weeks(year: int) -> int:
    """52 or 53: the ISO week of 28 December is the year's last."""
    return datetime.date(year, 12, 28).isocalendar()[1]


def _clip(dates: Dates, within: Dates) -> Dates | None:
    first, last = max(dates[0], within[0]), min(dates[1], within[1])
    return (first, last) if first <= last else None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day of the month `months` later (the period's start day; the
    1st for calendar months), kept within shorter months."""
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    import calendar  # only where dates are worked out (track, the report)

    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_dates(text: str, period: Dates) -> Dates | None:
    """The dates a period written in an actuals file covers: a month
    (`2027-03`, `2027/03`), a day (`2027-03-15`), or a time name of the plan
    (`Mar`, `三月`, `3月`, `Q1`, `一季度`, `H1`, `M3`, `W5`) placed in the
    plan period as a time child of the whole period would be. None if
    `text` names no period (dates outside the plan period are returned as
    they are: the caller says so)."""
    text = text.strip()
    if len(text) == 10 and text[4] in "-/" and text[7] == text[4]:
        try:
            day = datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
        except ValueError:
            return None
        return day, day
    if len(text) in (6, 7) and text[4] in "-/" and text[:4].isdigit() and text[5:].isdigit():
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            return None
        first = datetime.date(year, month, 1)
        return first, _add_months(first, 1) - _DAY
    unit = period_name(text)
    return _place(unit, period, period) if unit is not None else None


def months_of(dates: Dates) -> list[Dates]:
    """The calendar months `dates` touches, each cut to `dates`."""
    out, first = [], dates[0]
    while first <= dates[1]:
        start = datetime.date(first.year, first.month, 1)
        end = _add_months(start, 1) - _DAY
        out.append((first, min(end, dates[1])))
        first = end + _DAY
    return out
