"""A split over the calendar (`split X by week`, `funnel … by week`): each
week's or day's share follows the target's time profile and the working days.

Each day of the split's dates weighs `works(day) × share of its period /
working days of its period`, where the periods and their shares are the
time profile of the nearest target on the way up from X that is split by
time (a rep's funnel steps follow the year's quarters or months), and
`works` is the plan's calendar (semantics/calendar.py). A child weighs the
sum of its days. The children are then apportioned from X by largest
remainder on X's grid (a measure's `round`), so they add up exactly to X.
"""

from __future__ import annotations

from fractions import Fraction

import planc.evaluate.units as units
import planc.semantics.time as time
from planc.diagnostics import error
from planc.evaluate.record import Derivation, Factor, Input
from planc.maths.allocate import largest_remainder
from planc.semantics.calendar import Calendar, days
from planc.semantics.model import CrossNode, SplitNode, TargetNode

WORKING_DAYS = "working days"


def calendar_of(model) -> Calendar:
    setting = model.header.settings.get("calendar")
    name = str(setting.value) if setting is not None and setting.kind == "name" else None
    table = model.tables.get(name) if name else None
    return Calendar(name, table if table is not None and not table.is_2d else None)


def profile(ev: units.Evaluator, split: SplitNode, period: time.Dates):
    """[(dates, share)] of the nearest time split on the way up from the split's
    parent (or its cross cells by time), with the name of what it is; None: flat."""
    node: TargetNode | None = split.parent
    while node is not None:
        for other in node.splits:
            if other is split or not time.is_time_split(other):
                continue
            parts = [(time.dates_of(c, period), ev.result.values.get(c.path)) for c in other.children]
            found = _shares(parts)
            if found:
                return found, f"{node.name} by {other.dimension}"
        cells = [(time.coverage(c, period), ev.result.values.get(c.path)) for c in node.cells
                 if time.time_coordinates(c, period)]
        found = _shares(cells)
        if found:
            producer = node.cells[0].producer
            return found, (producer.describe() if isinstance(producer, CrossNode) else node.name)
        node = node.parent
    return None, None


def _shares(parts) -> list | None:
    if not parts or any(d is None or v is None for d, v in parts):
        return None
    total = sum((v for _, v in parts), Fraction(0))
    if total <= 0 or any(v < 0 for _, v in parts):
        return None
    return [(d, v / total) for d, v in parts]


def evaluate_calendar_split(ev: units.Evaluator, split: SplitNode, value) -> None:
    parent = value(split.parent)
    period = ev.model.header.period
    if parent is None or period is None:
        return
    cal = calendar_of(ev.model)
    parts, source = profile(ev, split, period)
    day_weight: dict = {}
    if parts is None:
        for c in split.children:
            dates = time.dates_of(c, period)
            for d in days(dates) if dates else ():
                day_weight[d] = Fraction(1 if cal.works(d) else 0)
    else:
        for dates, share in parts:
            worked = cal.working_days(dates)
            for d in days(dates):
                day_weight[d] = share / worked if worked and cal.works(d) else Fraction(0)
    weights = []
    for c in split.children:
        dates = time.dates_of(c, period)
        weights.append(sum((day_weight.get(d, Fraction(0)) for d in days(dates)), Fraction(0)) if dates else Fraction(0))
    total = sum(weights, Fraction(0))
    if total == 0:
        ev.diags.append(error("E057", f"{split.describe()} has no working day to share {parent} over",
                              split.decl.dimension_span, help="check the plan's `calendar` and `period`"))
        return
    quotas = [parent * w / total for w in weights]
    amounts = largest_remainder(parent, quotas, ev.unit)
    what = WORKING_DAYS + (f" × {source}" if source else "")
    base = Input("parent", split.parent.name, parent, split.parent.path)
    for c, w, q, a in zip(split.children, weights, quotas, amounts):
        ev.result.values[c.path] = a
        ev.result.derivations[c.path] = Derivation(
            "weight", q, a, share=w / total, inputs=(base,), weights=(Factor(what, Fraction(1), w, total),),
            score=w / total, expression=what, dimension=(split.dimension,))
