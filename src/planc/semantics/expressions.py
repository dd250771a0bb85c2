"""Expressions evaluated exactly: numbers, percentages, references, `+ - * /`,
`min()`, `max()` and `P% of X`. The resolver uses it for table values, the
evaluator for every amount; how a reference gets its value is the caller's."""

from __future__ import annotations

import operator
import re
from fractions import Fraction
from typing import Callable, Union, cast

from planc.amounts import MAX_STEP, describe_size, out_of_range
from planc.diagnostics import Diagnostic, error
from planc.syntax import ast

# A reference's value. A funnel's lookup is also asked for its `T(DIM)` nodes
# (`ast.Lookup`); any other lookup never sees one (the resolver refuses them, E056).
Lookup = Callable[[ast.Ref], Union[Fraction, None]]


def arithmetic(expr, lookup: Lookup, diags: list[Diagnostic]) -> Fraction | None:
    """Evaluate an expression exactly; None when a part is unknown or invalid
    (the reason is already a diagnostic). Percentages are ratios here.
    The value must be an amount (|v| <= 10^18) and each step inside it within
    MAX_STEP, else E039 at the first expression out of range."""
    value = _value(expr, lookup, diags)
    if value is not None and not isinstance(expr, (ast.Number, ast.Percent, ast.Ref, ast.Lookup)) \
            and out_of_range(value):
        _too_large(expr, value, diags)
        return None
    return value


def _value(expr, lookup: Lookup, diags: list[Diagnostic]) -> Fraction | None:
    # Recursion is safe: the builder refuses nesting deeper than 256 (E030).
    if isinstance(expr, ast.Number):
        return expr.value
    if isinstance(expr, ast.Percent):
        return expr.ratio
    if isinstance(expr, ast.Ref):
        return lookup(expr)
    if isinstance(expr, ast.Lookup):  # `T(DIM)`: only a funnel's lookup knows it
        return lookup(cast(ast.Ref, expr))
    if isinstance(expr, ast.Paren):
        return _value(expr.inner, lookup, diags)
    if isinstance(expr, ast.Neg):
        v = _value(expr.operand, lookup, diags)
        return None if v is None else -v
    if isinstance(expr, ast.PercentOf):
        base = _value(expr.base, lookup, diags)
        return None if base is None else _step(expr, expr.percent.ratio * base, diags)
    if isinstance(expr, ast.Call) and expr.func in ("margin", "profit"):
        ratio = lookup(expr)  # type: ignore[arg-type]  # the resolver keyed the margin by the call
        if ratio is None or expr.func == "margin":
            return ratio
        base = _value(expr.args[0], lookup, diags)
        return None if base is None else _step(expr, base * ratio, diags)
    if isinstance(expr, ast.Call):
        if expr.func in ast.REVIEW_CALLS:  # only with actuals: the caller's lookup knows them
            return lookup(expr)  # type: ignore[arg-type]
        args = [_value(a, lookup, diags) for a in expr.args]
        if any(a is None for a in args):
            return None
        if expr.func in ("min", "max"):
            return min(args) if expr.func == "min" else max(args)  # type: ignore[type-var]
        return _step_call(expr, args, diags)  # type: ignore[arg-type]
    if isinstance(expr, ast.BinOp):
        left = _value(expr.left, lookup, diags)
        right = _value(expr.right, lookup, diags)
        if left is None or right is None:
            return None
        if expr.op == "/":
            if right == 0:
                diags.append(error("E021", "division by zero", expr.span,
                                   label=f"`{expr.right.span.text}` is 0",
                                   help="divide by an amount that is not zero here"))
                return None
            return _step(expr, left / right, diags)
        return _step(expr, _BINOPS[expr.op](left, right), diags)
    raise AssertionError(f"not an expression: {expr!r}")


def _step_call(expr: ast.Call, args: list[Fraction], diags: list[Diagnostic]) -> Fraction | None:
    """`round(x, step)`, `ceil(x, step)`, `floor(x, step)` (semantics/functions.py);
    any other name was reported by the resolver."""
    from planc.semantics.functions import STEP_FUNCTIONS, step_value

    if expr.func not in STEP_FUNCTIONS or len(args) != 2:
        return None
    if args[1] <= 0:
        diags.append(error("E060", f"`{expr.func}` needs a positive step", expr.args[1].span,
                           label=f"`{one_line(expr.args[1].span.text)}` is not above 0",
                           help=f"e.g. `{expr.func}(x, 100k)` for whole hundred thousands"))
        return None
    return _step(expr, step_value(expr.func, args[0], args[1]), diags)


def _step(expr, value: Fraction, diags: list[Diagnostic]) -> Fraction | None:
    if out_of_range(value, MAX_STEP):
        _too_large(expr, value, diags)
        return None
    return value


def _too_large(expr, value: Fraction, diags: list[Diagnostic]) -> None:
    diags.append(out_of_range_error(f"`{one_line(expr.span.text)}`", value, expr.span))


def out_of_range_error(what: str, value: Fraction, span,
                       help: str = "a product of two amounts is not an amount") -> Diagnostic:
    """E039: a computed value beyond the bounds of language.md "Exact arithmetic"."""
    return error("E039", f"{what} {describe_size(value)}, beyond the bounds of an amount", span,
                 label="amounts are limited to ±10^18, with a denominator below 2^256", help=help)


_BINOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}


def one_line(text: str) -> str:
    """An expression as written, on one line, without comments."""
    if not any(c in text for c in ("\n", "\t", "#", "  ", "( ", " )")):
        return text.strip()  # the usual case, without the regular expressions below
    text = " ".join(re.sub(r"#[^\n]*", "", text).split())
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
