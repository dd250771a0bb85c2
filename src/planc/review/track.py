"""`planc track PLAN --actuals FILE.csv [--as-of DATE]`: actuals against plan.

For every target with an actual to date: attainment (actual / target), the
amount the plan expected by the as-of date — within the dates the target
covers, following the nearest seasonal time profile, not a straight line
(time splits and their dates: `planc.semantics.time`) — the pace against
that expectation, and a forecast for the target's period at that pace.
The rules are in docs/cli.md, "planc track".
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import attrs

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, format_percent, to_json_number
from planc.diagnostics import Diagnostic, error
from planc.diagnostics.table import text_table
from planc.semantics import time
from planc.semantics.model import CrossNode, TargetNode, find_targets
from planc.semantics.time import Dates
from planc.pipeline import Compilation

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


def expected_share(node: TargetNode, values: dict[str, Fraction], period: Dates,
                   as_of: datetime.date, crosses: Sequence[CrossNode] = ()) -> Fraction:
    """How much of its target the plan expects `node` to have made by `as_of`.

    The target's own dates are the plan period narrowed by every time child
    on its way up (a cross cell `east.Q1` covers Q1). Within them it follows
    the nearest time profile — its own time split, else its own cross cells
    along a time dimension, else (a cross cell) its time row or column's,
    else an ancestor's — and runs in a straight line through each period of
    that profile; with no profile, in a straight line through its dates."""
    first, last = time.coverage(node, period)
    if as_of < first:
        return Fraction(0)
    if as_of >= last:
        return Fraction(1)
    pieces = _profile(node, values, period, crosses) or [((first, last), Fraction(1))]
    done = whole = Fraction(0)
    for (start, end), weight in pieces:
        length = (end - start).days + 1
        start, end = max(start, first), min(end, last)  # the part within the target's own dates
        if start > end:
            continue
        whole += weight * Fraction((end - start).days + 1, length)
        if as_of >= start:
            done += weight * Fraction((min(as_of, end) - start).days + 1, length)
    return done / whole if whole else Fraction((as_of - first).days + 1, (last - first).days + 1)


def _profile(node: TargetNode, values: dict[str, Fraction], period: Dates, crosses: Sequence[CrossNode]
             ) -> list[tuple[Dates, Fraction]] | None:
    """(dates, amount) of each period of the nearest time profile, or None."""
    for step in _nearest(node, period):
        for split in step.splits:
            if time.is_time_split(split):
                pieces = _pieces([(c, c) for c in split.children], values, period)
                if pieces:
                    return pieces
        for cross in crosses:  # a row (or column) of a cross along a time dimension
            for mine, other, key in ((cross.rows, cross.cols, 0), (cross.cols, cross.rows, 1)):
                if any(c is step for c in mine.children) and time.is_time_split(other):
                    cells = [(cross.cells.get((step.name, c.name) if key == 0 else (c.name, step.name)), c)
                             for c in other.children]
                    pieces = _pieces(cells, values, period)
                    if pieces:
                        return pieces
    return None


def _nearest(node: TargetNode, period: Dates) -> list[TargetNode]:
    """`node`, then (for a cross cell) its time row or column, then their ancestors."""
    out = [node, *time.time_coordinates(node, period)]
    step = node.parent
    while step is not None:
        out.append(step)
        step = step.parent
    return out


def _pieces(pairs, values: dict[str, Fraction], period: Dates) -> list[tuple[Dates, Fraction]] | None:
    """(dates, amount) for each (target, its time child) pair; None unless all are known."""
    out = []
    for target, period_child in pairs:
        if target is None or target.path not in values or time.dates_of(period_child, period) is None:
            return None
        out.append((time.coverage(target, period), values[target.path]))
    return out or None


def track(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date) -> list[Progress]:
    model, evaluation = result.model, result.evaluation
    if model is None or evaluation is None:
        return []
    values = evaluation.values
    period = model.header.period or time.calendar_year(as_of)
    out = []
    for path, actual in actuals.items():
        target = values.get(path)
        if target is None:
            continue
        share = expected_share(model.targets[path], values, period, as_of, model.crosses)
        out.append(Progress(path, target, actual, target * share))
    return out


def _pct(x: Fraction | None) -> str:
    return format_percent(x) if x is not None else "—"


def render_text(rows: list[Progress], as_of: datetime.date) -> str:
    head = ("target", "plan", "actual", "attained", "expected", "pace", "forecast")
    body = [(p.path, format_amount(p.target), format_amount(p.actual), _pct(p.attainment),
             format_amount(round(p.expected)) if p.expected is not None else "—", _pct(p.pace),
             format_amount(round(p.forecast)) if p.forecast is not None else "—") for p in rows]
    return "\n".join([f"as of {as_of.isoformat()}", *text_table(head, body, "lrrrrrr", rule=True)])


def to_json(rows: list[Progress], as_of: datetime.date) -> dict:
    def num(x):
        return to_json_number(x) if x is not None else None

    return {"as_of": as_of.isoformat(), "targets": {
        p.path: {"plan": num(p.target), "actual": num(p.actual), "attainment": num(p.attainment),
                 "expected": num(p.expected), "pace": num(p.pace), "forecast": num(p.forecast)} for p in rows},
        "schema_version": JSON_SCHEMA_VERSION}
