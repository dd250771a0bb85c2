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
import functools
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import attrs

from planc.amounts import JSON_SCHEMA_VERSION, format_amount, format_percent, to_json_number
from planc.diagnostics import Diagnostic, error, warning
from planc.maths.allocate import round_half_up
from planc.review.actuals import ActualsFile, read
from planc.review.rollup import Actuals, Rollup
from planc.diagnostics.table import text_table
from planc.semantics import time
from planc.semantics.model import CrossNode, TargetNode, find_targets
from planc.semantics.time import Dates
from planc.pipeline import Compilation

@attrs.frozen
class Thresholds:
    """Pace (actual ÷ expected) at which a target is ahead, on track, behind;
    below `at_risk` it is at risk. `planc.toml` may set them ([review])."""

    ahead: Fraction = Fraction(105, 100)
    on_track: Fraction = Fraction(95, 100)
    at_risk: Fraction = Fraction(80, 100)

    def status(self, pace: Fraction | None) -> str:
        if pace is None:
            return "on track"  # nothing was expected yet
        if pace >= self.ahead:
            return "ahead"
        if pace >= self.on_track:
            return "on track"
        return "behind" if pace >= self.at_risk else "at risk"


@attrs.frozen
class Progress:
    path: str
    target: Fraction
    actual: Fraction
    expected: Fraction | None  # what the plan expected by the as-of date
    status: str = "on track"
    owner: str | None = None
    needs: tuple[tuple[str, Fraction], ...] = ()  # (month, what it now needs) for each remaining month

    @property
    def attainment(self) -> Fraction | None:
        return self.actual / self.target if self.target else None

    @property
    def pace(self) -> Fraction | None:
        return self.actual / self.expected if self.expected else None

    @property
    def gap(self) -> Fraction | None:
        """Actual − expected: below zero, behind the season."""
        return self.actual - self.expected if self.expected is not None else None

    @property
    def forecast(self) -> Fraction | None:
        return self.target * self.pace if self.pace is not None else None


def as_of_date(text: str | None, today: datetime.date | None = None) -> datetime.date | None:
    """`--as-of`: an ISO date (YYYY-MM-DD), or today without one; None if not a date.
    (The one reading of the option, for every command that takes it.)"""
    if not text:
        return today or datetime.date.today()
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        return None


def thresholds_for(plan: str) -> Thresholds:
    """The status thresholds of the configuration that applies to `plan`
    (`[review]` in planc.toml); the defaults when it has none or is broken
    (the compile step has reported that)."""
    from pathlib import Path

    from planc.lint.config import ConfigError, discover

    try:
        review = discover(Path(plan)).review
    except ConfigError:
        return Thresholds()
    names = {"ahead": "ahead", "on-track": "on_track", "at-risk": "at_risk"}
    return attrs.evolve(Thresholds(), **{names[k]: v for k, v in review.items()})


def plan_period(result: Compilation, as_of: datetime.date) -> Dates:
    model = result.model
    return (model.header.period if model is not None else None) or time.calendar_year(as_of)


def read_actuals(files: Sequence[ActualsFile], result: Compilation, as_of: datetime.date
                 ) -> tuple[Actuals, list[Diagnostic]]:
    """Every row of the actuals files, named by the plan and summed (review/actuals.py)."""
    if result.model is None:
        return Actuals(plan_period(result, as_of)), []
    return read(list(files), result.model, plan_period(result, as_of))


def rollup(result: Compilation, actuals: Actuals, as_of: datetime.date
           ) -> tuple[dict[str, Fraction], list[Diagnostic]]:
    """Actual to date of every target with data (review/rollup.py), and a
    warning (W010) for each row of a target its children do not add up to."""
    model = result.model
    if model is None:
        return {}, []
    if actuals.vectors is not None and not actuals.buckets:  # one clean file: the quick way
        from planc.review.vectors import roll

        quick = roll(model, actuals, as_of)
        if quick is not None:
            return quick, []
        actuals.spread()
    up = Rollup(model, actuals, as_of)
    out = {}
    for path, node in model.targets.items():
        value = up.actual(node)
        if value is not None:
            out[path] = value
    diags = []
    for d in up.disagreements():
        span, shown, when = actuals.locate(d.where, d.dates)
        what = f"`{d.where.path}`" + (f" in `{when.strip()}`" if when else "")
        diags.append(warning("W010", f"actuals of {what} disagree: its own row says {format_amount(d.own)}, "
                             f"its children by {d.by} add up to {format_amount(d.children)}", span, path=shown,
                             label="own actual", help="keep one of the two, or correct the rows that are wrong"))
    return out, diags


# A review asks for the dates of the same targets again and again (every target's
# profile walks its ancestors' periods, each remaining month twice): remembered for
# the process. Nodes hash by identity and do not change once the plan is resolved.
_coverage = functools.lru_cache(maxsize=1 << 16)(time.coverage)
_dates_of = functools.lru_cache(maxsize=1 << 16)(time.dates_of)
_coordinates = functools.lru_cache(maxsize=1 << 16)(time.time_coordinates)


def expected_share(node: TargetNode, values: dict[str, Fraction], period: Dates,
                   as_of: datetime.date, crosses: Sequence[CrossNode] = ()) -> Fraction:
    """How much of its target the plan expects `node` to have made by `as_of`.

    The target's own dates are the plan period narrowed by every time child
    on its way up (a cross cell `east.Q1` covers Q1). Within them it follows
    the nearest time profile — its own time split, else its own cross cells
    along a time dimension, else (a cross cell) its time row or column's,
    else an ancestor's — and runs in a straight line through each period of
    that profile; with no profile, in a straight line through its dates."""
    first, last = _coverage(node, period)
    if as_of < first:
        return Fraction(0)
    if as_of >= last:
        return Fraction(1)
    return _share_by((first, last), _profile(node, values, period, crosses), as_of)


def _share_by(dates: Dates, pieces: list[tuple[Dates, Fraction]] | None, as_of: datetime.date) -> Fraction:
    """`expected_share` of a target covering `dates` whose time profile is `pieces`."""
    first, last = dates
    if as_of < first:
        return Fraction(0)
    if as_of >= last:
        return Fraction(1)
    pieces = pieces or [((first, last), Fraction(1))]
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
    out = [node, *_coordinates(node, period)]
    step = node.parent
    while step is not None:
        out.append(step)
        step = step.parent
    return out


def _pieces(pairs, values: dict[str, Fraction], period: Dates) -> list[tuple[Dates, Fraction]] | None:
    """(dates, amount) for each (target, its time child) pair; None unless all are known."""
    out: list[tuple[Dates, Fraction]] = []
    for target, period_child in pairs:
        if target is None or target.path not in values or _dates_of(period_child, period) is None:
            return None
        out += _finer(target, values[target.path], values, period, 0)
    return out or None


def _finer(node: TargetNode, amount: Fraction, values: dict[str, Fraction], period: Dates, depth: int
           ) -> list[tuple[Dates, Fraction]]:
    """A period of the profile, into its own time children when it has them
    (a quarter into its months), else in the proportions of its time row or
    column's (a cell `east.Q2` as Q2's months): so that within the current
    month the expectation runs pro rata by days."""
    whole = [(_coverage(node, period), amount)]
    if depth > 8:
        return whole
    for step in (node, *_coordinates(node, period)):
        for split in step.splits:
            if not time.is_time_split(split):
                continue
            kids = [(c, values.get(c.path)) for c in split.children]
            total = sum((v for _, v in kids if v is not None), Fraction(0))
            if any(v is None for _, v in kids) or not total or \
                    any(_dates_of(c, period) is None for c, _ in kids):
                continue
            out: list[tuple[Dates, Fraction]] = []
            for child, value in kids:
                share = amount * value / total  # type: ignore[operator]
                out += _finer(child, share, values, period, depth + 1) if step is node else \
                    [(_coverage(child, period), share)]
            return out
    return whole


def track(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date,
          thresholds: Thresholds = Thresholds()) -> list[Progress]:
    """The review figures of every target with an actual, in plan order."""
    model, evaluation = result.model, result.evaluation
    if model is None or evaluation is None:
        return []
    values = evaluation.values
    period = plan_period(result, as_of)
    out = []
    for path, node in model.targets.items():
        actual, target = actuals.get(path), values.get(path)
        if actual is None or target is None:
            continue
        expected = target * expected_share(node, values, period, as_of, model.crosses)
        needs = _needs(node, values, period, as_of, target - actual, model, evaluation.units.get(path))
        pace = actual / expected if expected else None
        owner = node.attributes.get("owner")
        out.append(Progress(path, target, actual, expected, thresholds.status(pace),
                            str(owner.value) if owner is not None else None, needs))
    return out


def _needs(node: TargetNode, values: dict[str, Fraction], period: Dates, as_of: datetime.date,
           rest: Fraction, model, unit: str | None = None) -> tuple[tuple[str, Fraction], ...]:
    """What each remaining month must bring for the target to land: the rest
    (never below zero) spread over the months after the as-of date in
    proportion to what the plan expects in each, on the grid of the target's
    unit (the plan's rounding for money, a measure's own `round` for counts)."""
    from planc.evaluate.units import grid_of
    from planc.maths.allocate import largest_remainder

    first, last = _coverage(node, period)
    start = max(first, as_of + datetime.timedelta(days=1))
    if start > last:
        return ()
    months = time.months_of((start, last))
    day = datetime.timedelta(days=1)
    pieces = _profile(node, values, period, model.crosses)  # once: each month's share reads it twice
    weights = [_share_by((first, last), pieces, end) - _share_by((first, last), pieces, begin - day)
               for begin, end in months]
    if not any(weights):
        weights = [Fraction((end - begin).days + 1) for begin, end in months]
    amounts = largest_remainder(max(rest, Fraction(0)), weights, grid_of(model, unit)[0] or Fraction(1))
    return tuple((begin.strftime("%Y-%m"), amount) for (begin, _), amount in zip(months, amounts))


def _pct(x: Fraction | None) -> str:
    return format_percent(x) if x is not None else "—"


def _amount(x: Fraction | None) -> str:
    return format_amount(round_half_up(x, Fraction(1))) if x is not None else "—"


def render_text(rows: list[Progress], as_of: datetime.date) -> str:
    head = ("target", "plan", "actual", "attained", "expected", "gap", "pace", "forecast", "status")
    body = [(p.path, format_amount(p.target), format_amount(p.actual), _pct(p.attainment),
             _amount(p.expected), _amount(p.gap), _pct(p.pace), _amount(p.forecast), p.status) for p in rows]
    lines = [f"as of {as_of.isoformat()}", *text_table(head, body, "lrrrrrrrr", rule=True)]
    behind = [p for p in rows if p.status in ("behind", "at risk") and p.needs]
    if behind:
        lines += ["", "behind pace — what each remaining month now needs to land the period:"]
        for p in behind:
            who = f" ({p.owner})" if p.owner else ""
            lines.append(f"  {p.path}{who}: " + ", ".join(f"{m} {format_amount(a)}" for m, a in p.needs))
    return "\n".join(lines)


def to_json(rows: list[Progress], as_of: datetime.date) -> dict:
    def num(x):
        return to_json_number(x) if x is not None else None

    return {"as_of": as_of.isoformat(), "targets": {
        p.path: {"plan": num(p.target), "actual": num(p.actual), "attainment": num(p.attainment),
                 "expected": num(p.expected), "gap": num(p.gap), "pace": num(p.pace), "forecast": num(p.forecast),
                 "status": p.status, "owner": p.owner,
                 "needs": [{"month": m, "amount": num(a)} for m, a in p.needs]} for p in rows},
        "schema_version": JSON_SCHEMA_VERSION}


def review_assertions(result: Compilation, actuals: dict[str, Fraction], as_of: datetime.date
                      ) -> list[Diagnostic]:
    """The asserts on actuals (`assert actual(east) >= 90% of expected(east)`),
    checked as of the date: a target without actual rows has an actual of 0.
    One that fails is E048 at the assert."""
    from planc.evaluate.engine import COMPARE, is_review_assert
    from planc.semantics.expressions import arithmetic
    from planc.syntax import ast

    model, evaluation = result.model, result.evaluation
    if model is None or evaluation is None:
        return []
    values, period = evaluation.values, plan_period(result, as_of)

    def lookup(expr) -> Fraction | None:
        ref = expr.args[0] if isinstance(expr, ast.Call) else expr
        node = model.refs.get(id(ref))
        if not isinstance(node, TargetNode):
            return node if isinstance(node, Fraction) else None
        plan = values.get(node.path)
        if not isinstance(expr, ast.Call) or plan is None:
            return plan
        if expr.func == "actual":
            return actuals.get(node.path, Fraction(0))
        return plan * expected_share(node, values, period, as_of, model.crosses)

    diags: list[Diagnostic] = []
    for decl in model.asserts:
        if not is_review_assert(decl):
            continue
        left, right = arithmetic(decl.left, lookup, diags), arithmetic(decl.right, lookup, diags)
        if left is None or right is None or COMPARE[decl.op](left, right):
            continue
        shown = f"left is {_amount(left)}, right is {_amount(right)}"
        diags.append(error("E048", f"review assertion failed as of {as_of}: {decl.left.span.text} {decl.op} "
                           f"{decl.right.span.text}" + (f" ({decl.message})" if decl.message else "")
                           + f" ({shown})", decl.span, label=shown,
                           help="the actuals do not meet this rule of the plan yet"))
    return diags


def load_actuals(result: Compilation, plan: str, given: Sequence[str] | None, encoding: str,
                 allow_outside: Sequence[str], as_of: datetime.date
                 ) -> tuple[dict[str, Fraction] | None, list[Diagnostic]]:
    """The plan's actuals rolled up as of `as_of`, as `track`, `replan` and `build --actuals`
    read them: the files `given` on the command line, else the plan's `actuals = csv(…)`.
    (None, []) when neither names a file."""
    diags: list[Diagnostic] = []
    if given:
        files = [ActualsFile(Path(name), name, encoding) for name in given]
    else:
        files, diags = declared_actuals(result, plan, allow_outside, encoding)
        if not files and not diags:
            return None, []
    rows, more = read_actuals(files, result, as_of)
    actuals, also = rollup(result, rows, as_of)
    return actuals, diags + more + also


def declared_actuals(result: Compilation, plan: str, allow_outside: Sequence[str] = (), encoding: str = "utf-8"
                     ) -> tuple[list[ActualsFile], list[Diagnostic]]:
    """The actuals files the plan names (`actuals = csv("…"), …`), relative to
    the plan, confined like its data files to the project root, the folders
    of `--allow-outside` and of the configuration's `allow-outside`."""
    import os
    from pathlib import Path

    from planc.lint.config import ConfigError, discover
    from planc.semantics.loader import project_root
    from planc.syntax import ast

    model = result.model
    if model is None or not model.modules:
        return [], []
    try:
        extra = discover(Path(plan)).allow_outside
    except ConfigError:
        extra = ()
    base = Path(plan).resolve().parent
    allowed = [project_root(Path(plan).resolve()), *(Path(p).resolve() for p in (*allow_outside, *extra))]
    files, diags = [], []
    for stmt in model.modules[0].statements:
        if not isinstance(stmt, ast.ActualsDecl):
            continue
        for source in stmt.sources:
            path = (base / source.path).resolve()
            shown = os.path.join(os.path.dirname(plan), source.path)
            if not any(path == a or path.is_relative_to(a) for a in allowed):
                diags.append(error("E040", f"cannot read actuals file `{source.path}`: it is outside the project "
                                   "root", source.path_span, help="move it into the project, or name its folder "
                                   "with --allow-outside (or `allow-outside` in planc.toml)"))
                continue
            files.append(ActualsFile(path, shown, source.encoding or encoding, source.path_span))
    return files, diags
