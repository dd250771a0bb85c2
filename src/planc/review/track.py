"""`planc track PLAN --actuals FILE.csv [--as-of DATE]`: actuals against plan.

For every target with an actual to date: attainment (actual / target), the
amount the plan expected by the as-of date — following the seasonal time
profile (the nearest quarter or month split above or at the target), not a
straight line — the pace against that expectation, and a forecast for the
period at that pace.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import attrs

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, to_json_number
from planc.diagnostics import Diagnostic, error
from planc.semantics.model import TargetNode, find_targets
from planc.pipeline import Compilation

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_INDEX = {m.lower(): i for i, m in enumerate(MONTHS)}
_MONTH_INDEX.update({f"{i + 1}月": i for i in range(12)})


@attrs.frozen
class Progress:
    path: str
    target: Fraction
    actual: Fraction
    expected: Fraction | None  # what the plan expected by the as-of date

    @property
    def attainment(self) -> Fraction | None:
        return self.actual / self.target if self.target else None

    @property
    def pace(self) -> Fraction | None:
        return self.actual / self.expected if self.expected else None

    @property
    def forecast(self) -> Fraction | None:
        return self.target * self.pace if self.pace is not None else None


def read_actuals(path: Path, result: Compilation) -> tuple[dict[str, Fraction], list[Diagnostic]]:
    """A CSV of `target,value` rows; targets are named as in the plan."""
    from planc.syntax import ast
    from planc.semantics.loader import read_csv
    from planc.source import Source, Span

    shown = str(path)
    stub = Source(shown, "")
    decl = ast.Data("actuals", (), shown, Span(stub, 0, 0), Span(stub, 0, 0), Span(stub, 0, 0))
    diags: list[Diagnostic] = []
    table = read_csv(decl, path, diags)
    # The CSV's problems belong to the CSV file, not to a place in a plan.
    diags = [attrs.evolve(d, span=None, path=shown, help=None if d.code == "E015" else d.help) for d in diags]
    if table is None:
        return {}, diags
    if table.dims:
        diags.append(error("E017", f"`{shown}` must have two columns: target,value", path=shown))
        return {}, diags
    actuals = {}
    for name, value in table.values.items():
        found = find_targets(result.model, name) if result.model else []
        if len(found) != 1:
            what = "is ambiguous" if found else "is not a target of the plan"
            diags.append(error("E003", f"actuals for `{name}`: `{name}` {what}", path=shown))
            continue
        actuals[found[0].path] = value
    return actuals, diags


def _is_time_split(split) -> bool:
    names = [c.name.lower() for c in split.children]
    return split.dimension in ("quarter", "month") or all(n in _MONTH_INDEX for n in names) \
        or all(n in ("q1", "q2", "q3", "q4") for n in names)


def _time_split(node: TargetNode | None):
    """The nearest split by quarter or month at or above `node`."""
    while node is not None:
        for split in node.splits:
            if _is_time_split(split):
                return split
        node = node.parent
    return None


def _period_shares(split, values, start: datetime.date, end: datetime.date):
    """(first day, last day, share of the whole) for each child of a time split."""
    total = sum((values.get(c.path, Fraction(0)) for c in split.children), Fraction(0))
    out = []
    for c in split.children:
        name = c.name.lower()
        if name in _MONTH_INDEX:
            month = _MONTH_INDEX[name] + 1
            year = start.year if month >= start.month else start.year + 1
            first = datetime.date(year, month, 1)
            nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
        elif name in ("q1", "q2", "q3", "q4"):
            k = int(name[1]) - 1
            first = _add_months(start, 3 * k)
            nxt = _add_months(start, 3 * k + 3)
        else:
            return None
        share = values.get(c.path, Fraction(0)) / total if total else Fraction(0)
        out.append((first, nxt - datetime.timedelta(days=1), share))
    return out


def _add_months(day: datetime.date, months: int) -> datetime.date:
    m = day.month - 1 + months
    return datetime.date(day.year + m // 12, m % 12 + 1, 1)


def expected_share(node: TargetNode, values, period, as_of: datetime.date) -> Fraction | None:
    """How much of its target the plan expects `node` to have made by `as_of`."""
    if period is None:
        return None
    start, end = period
    if as_of < start:
        return Fraction(0)
    if as_of >= end:
        return Fraction(1)
    producer = node.producer
    if producer is not None and hasattr(producer, "dimension") and _is_time_split(producer) \
            and not any(_is_time_split(s) for s in node.splits):
        # A quarter or month itself: a straight line through its own dates.
        own = _period_shares(producer, values, start, end)
        if own:
            first, last, _ = own[producer.children.index(node)]
            if as_of < first:
                return Fraction(0)
            return min(Fraction(1), Fraction((as_of - first).days + 1, (last - first).days + 1))
    split = _time_split(node)
    shares = _period_shares(split, values, start, end) if split is not None else None
    if not shares:  # no seasonal profile: a straight line through the period
        return Fraction((as_of - start).days + 1, (end - start).days + 1)
    done = Fraction(0)
    for first, last, share in shares:
        if as_of >= last:
            done += share
        elif as_of >= first:
            done += share * Fraction((as_of - first).days + 1, (last - first).days + 1)
    return done


def track(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date) -> list[Progress]:
    values = result.evaluation.values
    period = result.model.header.period
    out = []
    for path, actual in actuals.items():
        node = result.model.targets[path]
        target = values.get(path)
        if target is None:
            continue
        share = expected_share(node, values, period, as_of)
        out.append(Progress(path, target, actual, target * share if share is not None else None))
    return out


def _pct(x: Fraction | None) -> str:
    return f"{float(x) * 100:.1f}%" if x is not None else "—"


def render_text(rows: list[Progress], as_of: datetime.date) -> str:
    head = ("target", "plan", "actual", "attained", "expected", "pace", "forecast")
    body = [(p.path, format_amount(p.target), format_amount(p.actual), _pct(p.attainment),
             format_amount(round(p.expected)) if p.expected is not None else "—", _pct(p.pace),
             format_amount(round(p.forecast)) if p.forecast is not None else "—") for p in rows]
    widths = [max(len(r[i]) for r in body + [head]) for i in range(len(head))]
    fmt = lambda r: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
    return "\n".join([f"as of {as_of.isoformat()}", fmt(head), fmt(tuple("-" * w for w in widths))]
                     + [fmt(r) for r in body])


def to_json(rows: list[Progress], as_of: datetime.date) -> dict:
    def num(x):
        return to_json_number(x) if x is not None else None

    return {"as_of": as_of.isoformat(), "targets": {
        p.path: {"plan": num(p.target), "actual": num(p.actual), "attainment": num(p.attainment),
                 "expected": num(p.expected), "pace": num(p.pace), "forecast": num(p.forecast)} for p in rows},
        "schema_version": JSON_SCHEMA_VERSION}
