"""Expressions evaluated exactly: numbers, percentages, references, `+ - * /`,
`min()`, `max()` and `P% of X`. The resolver uses it for table values, the
evaluator for every amount; how a reference gets its value is the caller's."""

from __future__ import annotations

import operator
import re
from fractions import Fraction
from typing import Callable, Union

from planc.diagnostics import Diagnostic, error
from planc.syntax import ast

Lookup = Callable[[ast.Ref], Union[Fraction, None]]


def arithmetic(expr, lookup: Lookup, diags: list[Diagnostic]) -> Fraction | None:
    """Evaluate an expression exactly; None when a part is unknown or invalid
    (the reason is already a diagnostic). Percentages are ratios here."""
    if isinstance(expr, ast.Number):
        return expr.value
    if isinstance(expr, ast.Percent):
        return expr.ratio
    if isinstance(expr, ast.Ref):
        return lookup(expr)
    if isinstance(expr, ast.Paren):
        return arithmetic(expr.inner, lookup, diags)
    if isinstance(expr, ast.Neg):
        v = arithmetic(expr.operand, lookup, diags)
        return None if v is None else -v
    if isinstance(expr, ast.PercentOf):
        base = arithmetic(expr.base, lookup, diags)
        return None if base is None else expr.percent.ratio * base
    if isinstance(expr, ast.Call):
        args = [arithmetic(a, lookup, diags) for a in expr.args]
        if any(a is None for a in args):
            return None
        return min(args) if expr.func == "min" else max(args)  # type: ignore[type-var]
    if isinstance(expr, ast.BinOp):
        left = arithmetic(expr.left, lookup, diags)
        right = arithmetic(expr.right, lookup, diags)
        if left is None or right is None:
            return None
        if expr.op == "/":
            if right == 0:
                diags.append(error("E021", "division by zero", expr.span,
                                   label=f"`{expr.right.span.text}` is 0"))
                return None
            return left / right
        return _BINOPS[expr.op](left, right)
    raise AssertionError(f"not an expression: {expr!r}")


_BINOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul}
COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
            "==": operator.eq, "!=": operator.ne}


def one_line(text: str) -> str:
    """An expression as written, on one line, without comments."""
    text = " ".join(re.sub(r"#[^\n]*", "", text).split())
    return re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
