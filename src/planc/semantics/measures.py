"""Measures: the units a target can be in besides the plan's money.

One home for the concept (docs/language.md, Measures). A `measure`
statement declares a unit that is not money (accounts, deals, visits) with
its own grid (`round`) and rounding mode (`nearest`, `up`, `down`). A number
may carry one (`45 accounts`); a target's unit follows from its expression
and passes to its children.

Units are strings: `MONEY` (the plan's currency), `RATIO` (a plain ratio,
`15%`, money ÷ money), or a measure's name. A bare number (`3`, `120M`) has
no unit of its own and takes the unit of what it meets; a target whose
whole value is a bare number is money, as it always was.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Iterable, Optional

import attrs

from planc.diagnostics import Diagnostic, Label, error
from planc.syntax import ast
from planc.source import Span

MONEY = "money"
RATIO = "ratio"
MODES = ("nearest", "up", "down")
RESERVED = frozenset({MONEY, RATIO})
RATIO_GRID = Fraction(1, 10_000)  # a ratio split (rare) is apportioned in basis points

# The unit of an expression while it is typed: a unit, `None` for a bare
# number (it adapts), or `BROKEN` after an error (it adapts silently too).
BROKEN = "\0broken"
Unit = Optional[str]


@attrs.frozen
class Measure:
    name: str
    label: str | None
    grid: Fraction  # `round`, default 1
    mode: str  # nearest | up | down
    span: Span  # the name where it is declared

    @property
    def shown(self) -> str:
        """What reports print next to an amount in this measure."""
        return self.label or self.name


def collect(statements, diags: list[Diagnostic]) -> dict[str, Measure]:
    """Every `measure` statement of the plan and its imports, checked (E052)."""
    out: dict[str, Measure] = {}
    for stmt in statements:
        if not isinstance(stmt, ast.Measure):
            continue
        if stmt.name in RESERVED or (len(stmt.name) == 3 and stmt.name.isascii() and stmt.name.isupper()):
            diags.append(error("E052", f"`{stmt.name}` cannot name a measure", stmt.name_span,
                               label="reserved for money and ratios" if stmt.name in RESERVED
                               else "looks like a currency code",
                               help="choose another name, e.g. `accounts`"))
            continue
        prior = out.get(stmt.name)
        if prior is not None:
            diags.append(error("E052", f"measure `{stmt.name}` is declared twice", stmt.name_span,
                               label="second declaration", related=(Label(prior.span, "first declared here"),),
                               help="keep one declaration"))
            continue
        grid, mode = Fraction(1), "nearest"
        for s in stmt.settings:
            if s.key == "round" and s.kind == "amount" and isinstance(s.value, Fraction) and s.value > 0 \
                    and not (s.text.split()[1:] and s.text.split()[1] != stmt.name):
                grid = s.value
            elif s.key == "rounding" and s.kind == "name" and s.value in MODES:
                mode = str(s.value)
            elif s.key == "round":
                diags.append(error("E052", "a measure's `round` must be a positive number", _whole(s),
                                   help="e.g. `round: 1` for whole counts, `round: 5` for fives"))
            elif s.key == "rounding":
                diags.append(error("E052", "`rounding` must be one of nearest, up, down", _whole(s),
                                   help="e.g. `rounding: up` so a count never falls short"))
            else:
                diags.append(error("E052", f"unknown measure setting `{s.key}`", s.key_span,
                                   help="a measure takes `round: N` and `rounding: nearest|up|down`"))
        out[stmt.name] = Measure(stmt.name, stmt.label, grid, mode, stmt.name_span)
    return out


def _whole(s: ast.Setting) -> Span:
    """A setting from its key to the end of its value as written."""
    text = s.key_span.source.text
    at = text.find(s.text, s.key_span.end)
    end = at + len(s.text) if at >= 0 else s.span.end
    return Span(s.key_span.source, s.key_span.start, max(end, s.span.end))


def check_literals(numbers: Iterable[ast.Number], measures: dict[str, Measure], diags: list[Diagnostic],
                   maybe_defined: Callable[[str], bool] = lambda name: False) -> None:
    """E050 for every `N NAME` among `numbers` whose NAME is no declared measure."""
    for number in numbers:
        if number.measure and number.measure not in measures and not maybe_defined(number.measure):
            from planc.diagnostics.suggest import did_you_mean  # the error path only

            from planc.syntax.typos import suffix_hint

            hint = suffix_hint(number.text, number.measure) or did_you_mean(number.measure, list(measures))
            diags.append(error(
                "E050", f"unknown measure `{number.measure}`", number.measure_span or number.span,
                label="no measure of this name",
                help=hint or f"declare it: `measure {number.measure} {{ round: 1 }}`"))


def words(unit: Unit) -> str:
    """A unit in a message: `money`, `a ratio`, `visits`."""
    if unit is None:
        return "a plain number"
    return {MONEY: "money", RATIO: "a ratio"}.get(unit, f"`{unit}`")


class Typer:
    """The unit of an expression, reporting mixed units (E051) where they meet.

    `ref_unit` gives the unit of a reference (a target's, or a table value's);
    `None` for a bare number, `BROKEN` when unknown."""

    def __init__(self, ref_unit: Callable[[ast.Ref], Unit], diags: list[Diagnostic]) -> None:
        self.ref_unit = ref_unit
        self.diags = diags

    def unit(self, expr) -> Unit:
        # Recursion is safe: the builder refuses nesting deeper than 256 (E030).
        if isinstance(expr, ast.Number):
            if expr.currency:
                return MONEY
            return expr.measure
        if isinstance(expr, ast.Percent):
            return RATIO
        if isinstance(expr, (ast.Ref, ast.Lookup)):
            return self.ref_unit(expr)  # type: ignore[arg-type]  # a funnel's knows `T(DIM)`
        if isinstance(expr, ast.Paren):
            return self.unit(expr.inner)
        if isinstance(expr, ast.Neg):
            return self.unit(expr.operand)
        if isinstance(expr, ast.PercentOf):
            return self.unit(expr.base)
        if isinstance(expr, ast.Call):
            out: Unit = None
            for arg in expr.args:
                out = self.same(out, self.unit(arg), expr, expr.args[0], arg, f"{expr.func}()")
            return out
        if isinstance(expr, ast.BinOp):
            left, right = self.unit(expr.left), self.unit(expr.right)
            if expr.op in "+-":
                return self.same(left, right, expr, expr.left, expr.right, "add" if expr.op == "+" else "subtract")
            if expr.op == "*":
                return self.product(left, right, expr)
            return self.quotient(left, right, expr)
        return BROKEN  # allocations (`rest`, `even`, `weight`) have no unit of their own

    def same(self, left: Unit, right: Unit, where, lhs, rhs, verb: str) -> Unit:
        """Adding, comparing, min/max: two units that must agree (a bare number or a ratio adapts)."""
        if left == BROKEN or right == BROKEN:
            return BROKEN
        if left in (None, RATIO):
            return right if right is not None else left
        if right in (None, RATIO) or right == left:
            return left
        self.mixed(verb, left, right, where, lhs, rhs)
        return BROKEN

    def product(self, left: Unit, right: Unit, expr: ast.BinOp) -> Unit:
        if left == BROKEN or right == BROKEN:
            return BROKEN
        if left in (None, RATIO):
            return right if right is not None else left
        if right in (None, RATIO):
            return left
        if left == right == MONEY:
            return MONEY  # money × money: bounded as ever (E039), kept for old plans
        self.mixed("multiply", left, right, expr, expr.left, expr.right)
        return BROKEN

    def quotient(self, left: Unit, right: Unit, expr: ast.BinOp) -> Unit:
        if left == BROKEN or right == BROKEN:
            return BROKEN
        if right in (None, RATIO):
            return left
        if left == right:
            return RATIO  # money ÷ money, visits ÷ visits
        if left == MONEY:
            return MONEY  # money per account: an average amount
        self.mixed("divide", left, right, expr, expr.left, expr.right)
        return BROKEN

    def mixed(self, verb: str, left: Unit, right: Unit, where, lhs, rhs) -> None:
        what = {"add": "add", "subtract": "subtract", "multiply": "multiply", "divide": "divide",
                "compare": "compare"}.get(verb)
        message = (f"cannot {what} {words(left)} and {words(right)}" if what
                   else f"{verb} mixes {words(left)} and {words(right)}")
        self.diags.append(error(
            "E051", message, lhs.span, label=f"this is {words(left)}",
            related=(Label(rhs.span, f"this is {words(right)}"),) if rhs is not lhs else (),
            help="a plan adds like to like: convert one side with a rate (`visits / 40%`) "
                 "or an average (`year / 150k`) first"))


def shown(measures: dict[str, Measure], units: dict[str, str], path: str) -> str | None:
    """What is printed next to a target's amount: its measure's label, `%` for a
    ratio, or None for money (the plan's currency)."""
    unit = units.get(path)
    if unit is None or unit == MONEY:
        return None
    if unit == RATIO:
        return "%"
    measure = measures.get(unit)
    return measure.shown if measure is not None else unit


def final(unit: Unit) -> str | None:
    """The unit a target keeps: a bare number is money; None when it could not be typed."""
    if unit == BROKEN:
        return None
    return MONEY if unit is None else unit
