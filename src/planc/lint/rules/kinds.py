"""What an expression stands for: an amount, a ratio, a plain count, or not known.

Rules that judge how percentages are used ask here (W113, W114). The
arithmetic is the usual one of quantities: an amount times a ratio or a
count is an amount (`120M * 110%`), an amount over an amount is a ratio
(`east / year`), a ratio times a count is a ratio (`10% * 2`).

A number literal is an amount when it has a scale suffix (`120M`, `850k`,
`4500万`) or a currency code, or when it is 100 or more (`48000000`); a
smaller plain number is a count (`2`, `12`). A reference to a target is an
amount, unless the evaluator found it is not money (`units`: a measure's
count, or a ratio target); a table value (a weight, or last year's figure)
is not known.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Mapping

from planc.syntax import ast

AMOUNT = "amount"
RATIO = "ratio"
COUNT = "count"
UNKNOWN = None

_SUFFIXES = ("k", "M", "B", "万", "亿")

_TIMES = {
    frozenset({AMOUNT, RATIO}): AMOUNT, frozenset({AMOUNT, COUNT}): AMOUNT,
    frozenset({RATIO, COUNT}): RATIO, frozenset({RATIO}): RATIO, frozenset({COUNT}): COUNT,
}
_OVER = {
    (AMOUNT, AMOUNT): RATIO, (AMOUNT, COUNT): AMOUNT, (AMOUNT, RATIO): AMOUNT,
    (RATIO, COUNT): RATIO, (RATIO, RATIO): RATIO, (COUNT, COUNT): COUNT, (COUNT, RATIO): COUNT,
}


def number_kind(number: ast.Number) -> str:
    if number.currency or number.text.endswith(_SUFFIXES):
        return AMOUNT
    return AMOUNT if abs(number.value) >= 100 else COUNT


def _mix(kinds: list[str | None]) -> str | None:
    """Sums and min/max: the amounts or ratios among plain counts."""
    found = set(kinds) - {COUNT}
    if not found:
        return COUNT
    return found.pop() if len(found) == 1 and UNKNOWN not in found else UNKNOWN


def kind(expr, refs: Mapping[int, object], units: Mapping[str, str] | None = None) -> str | None:
    """AMOUNT, RATIO, COUNT or UNKNOWN (None); `refs` is the model's resolved references,
    `units` the evaluation's units of the targets not in money (path -> measure or `ratio`)."""
    units = units or {}
    if isinstance(expr, ast.Number):
        return number_kind(expr)
    if isinstance(expr, ast.Percent):
        return RATIO
    if isinstance(expr, ast.PercentOf):
        base = kind(expr.base, refs, units)
        return RATIO if base == COUNT else base
    if isinstance(expr, ast.Ref):
        target = refs.get(id(expr))
        if target is None or isinstance(target, Fraction):
            return UNKNOWN
        unit = units.get(getattr(target, "path", ""))
        return AMOUNT if unit is None else (RATIO if unit == "ratio" else COUNT)
    if isinstance(expr, ast.Neg):
        return kind(expr.operand, refs, units)
    if isinstance(expr, ast.Paren):
        return kind(expr.inner, refs, units)
    if isinstance(expr, ast.Call):
        return _mix([kind(a, refs, units) for a in expr.args])
    if isinstance(expr, ast.BinOp):
        left, right = kind(expr.left, refs, units), kind(expr.right, refs, units)
        if left is UNKNOWN or right is UNKNOWN:
            return UNKNOWN
        if expr.op in "+-":
            return _mix([left, right])
        if expr.op == "*":
            return _TIMES.get(frozenset({left, right}), UNKNOWN)
        return _OVER.get((left, right), UNKNOWN)
    return UNKNOWN
