"""New-hire ramp: a child with `[start: DATE]` (and `ramp: TABLE`) shares by its ramped capacity.

A rep who starts in July, or who is still ramping, can carry only part of a
full year's load. Their capacity is the mean, over the months of the plan
period, of what they can carry each month: 0 before the month of their
start date, then the ramp profile month by month (`ramp: ramp_standard`:
`m1 = 0%`, `m2 = 25%`, …), then 100%. Without a `ramp:` the profile is
empty: 100% from the month they start.

- Among flexible siblings (`even`, `weight(…)`), a ramping child's score is
  multiplied by its capacity, so it gets its share of the parent in
  proportion to what it can carry (every split still sums exactly: the
  shares are apportioned by the largest remainder as always).
- A time split of a ramping target (`split 陈浩 by quarter using even`)
  weighs each period by the mean capacity over its months, so the monthly
  and quarterly profile starts at the start date.

Fixed amounts stay as written. All of it is exact: factors are Fractions.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

from planc.diagnostics import Diagnostic, error
from planc.evaluate.record import Input
from planc.semantics.model import Model, SplitNode, TargetNode
from planc.semantics.time import calendar_year, dates_of, is_time_split

_KEY = re.compile(r"m(\d{1,2})")


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def months(period: tuple[datetime.date, datetime.date]) -> list[int]:
    """The months of a period, as month indexes."""
    return list(range(_month_index(period[0]), _month_index(period[1]) + 1))


def profile(model: Model, node: TargetNode, diags: list[Diagnostic]) -> list[Fraction] | None:
    """The ramp profile of a child (month 1, month 2, …); [] without `ramp:`; None when it is broken (E063)."""
    setting = node.attributes.get("ramp")
    if setting is None:
        return []
    table = model.tables.get(str(setting.value))
    if table is None or table.is_2d:
        diags.append(error("E063", f"`ramp: {setting.text}` does not name a table of month factors", setting.span,
                           help='e.g. `import "std/ramp"` and `[ramp: ramp_standard]`, or '
                                "`table my_ramp { m1 = 0%; m2 = 50% }`"))
        return None
    values: dict[int, Fraction] = {}
    for key, value in table.values.items():
        found = _KEY.fullmatch(str(key))
        if found is None or not 0 <= value <= 1:
            diags.append(error("E063", f"ramp table `{table.name}`: `{key} = {value}` is not a month factor",
                               setting.span, help="keys are m1, m2, … and values between 0% and 100%"))
            return None
        values[int(found.group(1))] = value
    count = max(values, default=0)
    if sorted(values) != list(range(1, count + 1)):
        diags.append(error("E063", f"ramp table `{table.name}` skips a month", setting.span,
                           help="give every month from m1 to the last one"))
        return None
    return [values[k] for k in range(1, count + 1)]


def start_of(node: TargetNode) -> datetime.date | None:
    setting = node.attributes.get("start")
    return setting.value if setting is not None and isinstance(setting.value, datetime.date) else None


def monthly(model: Model, node: TargetNode, diags: list[Diagnostic]) -> dict[int, Fraction] | None:
    """What a ramping child can carry in each month of the plan period (None: not ramping or broken)."""
    start = start_of(node)
    if start is None:
        return None
    steps = profile(model, node, diags)
    if steps is None:
        return None
    period = model.header.period or calendar_year(start)
    first = _month_index(start)
    out = {}
    for m in months(period):
        k = m - first
        out[m] = Fraction(0) if k < 0 else (steps[k] if k < len(steps) else Fraction(1))
    return out


def capacity(model: Model, node: TargetNode, diags: list[Diagnostic]) -> Fraction | None:
    """The mean of `monthly` over the plan period: 1 for a full year, 1/2 from July."""
    by_month = monthly(model, node, diags)
    if not by_month:
        return None
    return sum(by_month.values(), Fraction(0)) / len(by_month)


def period_factor(model: Model, rep: TargetNode, period_node: TargetNode, diags: list[Diagnostic]) -> Fraction | None:
    """For a time child of a ramping target: the mean capacity over the months it covers."""
    by_month = monthly(model, rep, diags)
    plan_period = model.header.period
    if not by_month or plan_period is None:
        return None
    dates = dates_of(period_node, plan_period)
    if dates is None:
        return None
    covered = [by_month[m] for m in range(_month_index(dates[0]), _month_index(dates[1]) + 1) if m in by_month]
    return sum(covered, Fraction(0)) / len(covered) if covered else None


def ramp_scores(model: Model, split: SplitNode, nodes: list[TargetNode], scores: list[Fraction],
                diags: list[Diagnostic]) -> tuple[list[Fraction], list[Input | None]]:
    """The flexible children's scores with ramp applied, and the factor each was
    multiplied by (an `Input` of role `ramp` for its record; None: unchanged)."""
    time_of_ramping = is_time_split(split) and start_of(split.parent) is not None
    out: list[Fraction] = []
    factors: list[Input | None] = []
    for node, score in zip(nodes, scores):
        if time_of_ramping:
            factor = period_factor(model, split.parent, node, diags)
        else:
            factor = capacity(model, node, diags)
        if factor is None:
            out.append(score)
            factors.append(None)
            continue
        out.append(score * factor)
        factors.append(Input("ramp", "ramp", factor))
    if any(scores) and not any(out):
        diags.append(error("E063", f"no child of the {split.describe()} can carry any of it: "
                           "every start date is after the plan period", split.decl.span,
                           help="check the `start:` dates against the plan's `period`"))
        return scores, [None] * len(scores)
    return out, factors
