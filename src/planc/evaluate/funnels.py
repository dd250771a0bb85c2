"""One funnel applied to one member: its steps computed top to bottom.

Each step is an expression over `self` (the member's final amount), the
steps above it (their final, rounded counts), `T(DIM)` table lookups and
ordinary references. A divisor must be above zero (E054); a ratio that
divides or multiplies a step is a conversion rate, a probability, so at
most 100% (E055). A step's count is put on its measure's grid in the
measure's mode (`up`: never short), so the next step sees the count the
report shows.
"""

from __future__ import annotations

from fractions import Fraction
from typing import cast

import planc.evaluate.units as units
import planc.semantics.measures as m
from planc.amounts import format_amount, format_percent
from planc.diagnostics import Label, error
from planc.evaluate.record import Derivation, Input, Trace
from planc.maths.allocate import round_to
from planc.semantics.expressions import arithmetic, one_line
from planc.semantics.funnels import SELF, member_key
from planc.semantics.model import FunnelNode, TargetNode
from planc.syntax import ast


def evaluate_funnel(ev: units.Evaluator, node: FunnelNode, lookup) -> None:
    """`lookup` is the engine's: a reference's final amount or table value."""
    member = node.member
    base = ev.result.values.get(member.path)
    if base is None:
        return  # unknown (reported where it failed)
    made: dict[str, Fraction] = {}
    made_units: dict[str, m.Unit] = {}
    by_name = {t.name: t for t in node.steps}

    def value(ref) -> Fraction | None:
        if isinstance(ref, ast.Lookup):
            return _table_value(ev, node, ref)
        if len(ref.parts) == 1 and ref.parts[0] == SELF:
            return base
        if len(ref.parts) == 1 and ref.parts[0] in by_name:
            return made.get(ref.parts[0])
        return lookup(ref)

    def unit(ref) -> m.Unit:
        if isinstance(ref, ast.Lookup):
            table = ev.model.tables.get(ref.table)
            key = member_key(member, ref.dimension)
            return table.units.get(key) if table is not None else m.BROKEN
        if len(ref.parts) == 1 and ref.parts[0] == SELF:
            return units.unit_of(ev, member)
        if len(ref.parts) == 1 and ref.parts[0] in by_name:
            return made_units.get(ref.parts[0], m.BROKEN)
        return units.ref_unit(ev, ref)

    typer = m.Typer(unit, ev.diags)
    failed = False
    for step in node.decl.steps:
        target = by_name.get(step.name)
        # The rates of every step are checked, even below a failed one (literal rates have no member).
        if not _rates_fit(ev, node, step.value, value, typer) or target is None:
            failed = True
        if failed or target is None:
            continue
        trace = _StepTrace(value, ev.model, made, member)
        exact = arithmetic(step.value, trace, ev.diags)
        typed = typer.unit(step.value)
        if exact is None or typed == m.BROKEN:
            failed = True
            continue
        measure = step.measure or (step.name if step.name in ev.model.measures else None)
        kind = measure or m.final(typed) or m.MONEY
        units.record(ev, target, kind)
        units.use_grid(ev, kind)
        rounded = round_to(exact, ev.unit, ev.mode) if kind in ev.model.measures else exact
        made[step.name], made_units[step.name] = rounded, kind
        ev.result.values[target.path] = rounded
        ev.result.derivations[target.path] = Derivation(
            "funnel", exact, rounded, inputs=trace.inputs(step.value), expression=one_line(step.value.span.text),
            dimension=(node.decl.dimension,))


class _StepTrace(Trace):
    """A step's inputs: `self` and earlier steps named by their paths, table lookups by key."""

    def __init__(self, lookup, model, made: dict[str, Fraction], member: TargetNode) -> None:
        super().__init__(lookup, model)
        self.made = made
        self.member = member

    def __call__(self, ref) -> Fraction | None:
        if isinstance(ref, ast.Lookup):
            value = self.lookup(cast(ast.Ref, ref))  # the funnel's lookup knows `T(DIM)`
            key = member_key(self.member, ref.dimension)
            name = f"{ref.table}.{key}"
            if value is not None and name not in self.seen:
                self.seen[name] = Input("table", name, value)
            return value
        if len(ref.parts) == 1 and (ref.parts[0] == SELF or ref.parts[0] in self.made):
            value = self.lookup(ref)
            path = self.member.path if ref.parts[0] == SELF else f"{self.member.path}.{ref.parts[0]}"
            if value is not None and ref.dotted not in self.seen:
                self.seen[ref.dotted] = Input("target", path.rsplit(".", 1)[-1] if ref.parts[0] == SELF
                                              else ref.dotted, value, path)
            return value
        return super().__call__(ref)


def _table_value(ev: units.Evaluator, node: FunnelNode, ref: ast.Lookup) -> Fraction | None:
    table = ev.model.tables.get(ref.table)
    if table is None:
        return None  # reported by the resolver
    key = member_key(node.member, ref.dimension)
    if key is None:
        ev.diags.append(error(
            "E056", f"`{node.member.path}` is not within a split by `{ref.dimension}`", ref.dimension_span,
            label=f"no `{ref.dimension}` for `{node.member.name}`",
            help=f"look up by the funnel's dimension `{node.decl.dimension}` or one above it"))
        return None
    if key not in table.values:
        ev.diags.append(error(
            "E056", f"table `{ref.table}` has no value for `{key}` (funnel `{node.decl.name}`)", ref.span,
            related=(Label(table.span, f"`{ref.table}` is declared here"),),
            help=f"add `{key} = …` to `{ref.table}`"))
        return None
    return cast(Fraction, table.values[key])


def _rates_fit(ev: units.Evaluator, node: FunnelNode, expr, value, typer: m.Typer) -> bool:
    """Every divisor above zero (E054); a ratio dividing or multiplying, at most 100% (E055)."""
    ok = True
    quiet = m.Typer(typer.ref_unit, [])
    for sub in ast.walk_expr(expr):
        if not isinstance(sub, ast.BinOp) or sub.op not in "*/":
            continue
        sides = (sub.right,) if sub.op == "/" else (sub.left, sub.right)
        for side in sides:
            is_ratio = quiet.unit(side) == m.RATIO
            if sub.op == "*" and not is_ratio:
                continue
            v = arithmetic(side, value, [])
            if v is None:
                continue
            what = _what(side, node)
            if v <= 0:
                said = f"{what} is {_show(v, is_ratio)}" if _looked_up(side) else f"dividing by {what}"
                ev.diags.append(error(
                    "E054", f"{said}: a conversion rate or deal size must be above zero",
                    side.span, label=f"{_show(v, is_ratio)} for `{node.member.name}`" if _looked_up(side) else None,
                    help="a funnel divides by its rates and sizes: give a positive value"))
                ok = False
            elif is_ratio and v > 1:
                ev.diags.append(error(
                    "E055", f"{what} is {_show(v, True)}, above 100%: a conversion rate is a probability",
                    side.span, label=f"{_show(v, True)} for `{node.member.name}`" if _looked_up(side) else None,
                    help="a win or proposal rate is at most 100%; to scale up, multiply by a plain number"))
                ok = False
    return ok


def _looked_up(expr) -> bool:
    return any(isinstance(s, (ast.Ref, ast.Lookup)) for s in ast.walk_expr(expr))


def _what(expr, node: FunnelNode) -> str:
    if isinstance(expr, ast.Lookup):
        key = member_key(node.member, expr.dimension)
        return f"`{expr.table}.{key}`"
    return f"`{one_line(expr.span.text)}`"


def _show(value: Fraction, ratio: bool) -> str:
    return format_percent(value) if ratio else format_amount(value)
