"""Named functions in expressions: `round`, `ceil`, `floor`, `last`, `growth`, `margin`, `profit`.

`margin(core)` is the `margin:` attribute of target `core` as a ratio and
`profit(core)` is `core × margin(core)`, so a profit target or an assertion
on a blended margin needs no second table of margins.

`round(x, step)`, `ceil(x, step)` and `floor(x, step)` are arithmetic: the
nearest multiple of `step` (halfway goes up, as the rounding of amounts
does), the next one up, the next one down. `last(T)` and `growth(T, P)`
speak of the child they are written in, so the resolver turns them into
ordinary table references before anything else reads the split:

- a child `east = last(history) * 105%` reads `history.east`;
- `split year by region using growth(history, 112%)` gives every child
  without an amount of its own `history.CHILD * 112%` (a fixed amount: the
  split is bottom-up with `target year = sum`, and under a fixed parent the
  gap is an over- or under-allocation, or goes to a `rest` child). Without
  a block the children are the table's keys, as for `weight(T)`.

What is left after that (a `last` outside a split child, an unknown name,
the wrong number of arguments) is an error here.
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs

from planc.diagnostics import Diagnostic, error
from planc.syntax import ast
from planc.syntax.ast import NAMED_FUNCTIONS

ARITY = {"round": 2, "ceil": 2, "floor": 2, "last": 1, "growth": 2, "margin": 1, "profit": 1, "min": 0, "max": 0,
         "actual": 1, "expected": 1}  # actual/expected: in an assert, checked by planc track (E047 elsewhere)
MARGIN_FUNCTIONS = ("margin", "profit")  # a target's `margin:` as a ratio; its amount × that ratio
STEP_FUNCTIONS = ("round", "ceil", "floor")
CHILD_FUNCTIONS = ("last", "growth")  # only in a split child, where they name the child's key
# The parser reads `NAME(NAME)` as a call only for these names (syntax/ast.py, NAMED_FUNCTIONS).
assert set(MARGIN_FUNCTIONS + STEP_FUNCTIONS + CHILD_FUNCTIONS + ast.REVIEW_CALLS) == set(NAMED_FUNCTIONS)


def step_value(func: str, value: Fraction, step: Fraction) -> Fraction:
    """`round`/`ceil`/`floor` of `value` to a multiple of `step` (> 0)."""
    ratio = value / step
    if func == "ceil":
        return math.ceil(ratio) * step
    if func == "floor":
        return math.floor(ratio) * step
    return math.floor(ratio + Fraction(1, 2)) * step


def check_call(call: ast.Call, diags: list[Diagnostic]) -> bool:
    """E060 for an unknown function or a wrong number of arguments; E061 for
    `last`/`growth` where there is no child to speak of. True when it is fine."""
    if call.func not in ARITY:
        known = ", ".join(f"`{f}`" for f in ARITY)
        diags.append(error("E060", f"unknown function `{call.func}`", call.span, help=f"the functions are {known}"))
        return False
    want = ARITY[call.func]
    if want and len(call.args) != want:
        usage = {"last": "last(TABLE)", "growth": "growth(TABLE, 112%)"}.get(call.func, f"{call.func}(AMOUNT, STEP)")
        diags.append(error("E060", f"`{call.func}` takes {want} argument{'s' if want > 1 else ''}, "
                           f"not {len(call.args)}", call.span, help=f"write `{usage}`"))
        return False
    if call.func in CHILD_FUNCTIONS:
        diags.append(error("E061", f"`{call.func}(…)` is only meaningful for a split's child", call.span,
                           help=f"in a root target or an assertion write the table value itself, "
                                f"e.g. `{_table_name(call) or 'history'}.east`"))
        return False
    return True


def margin_of(call: ast.Call, target: object, diags: list[Diagnostic]) -> Fraction | None:
    """The margin `margin(T)`/`profit(T)` reads: T's `margin:` attribute (E060 when it has none)."""
    attributes = getattr(target, "attributes", None)
    setting = attributes.get("margin") if isinstance(attributes, dict) else None
    if setting is None or not isinstance(setting.value, Fraction):
        what = f"`{call.args[0].span.text}`" if call.args else "it"
        diags.append(error("E060", f"`{call.func}(…)` needs a target with a margin, and {what} has none",
                           call.span, help="give the target `[margin: 35%]`, or name one that has it"))
        return None
    return setting.value


def _table_name(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    return first.parts[0] if isinstance(first, ast.Ref) and len(first.parts) == 1 else None


def desugar_split(decl: ast.Split, tables: dict, diags: list[Diagnostic]) -> ast.Split:
    """`using growth(T, P)` and `last(T)` in a child: ordinary table references."""
    method = decl.method
    growth = None
    if isinstance(method, ast.Call):
        if not check_growth(method, diags):
            return attrs.evolve(decl, method=None, children=decl.children if decl.has_block else ())
        growth = method
        if not decl.has_block:
            table = tables.get(_table_name(method))
            keys = list(table.values) if table is not None and not table.is_2d else []
            decl = attrs.evolve(decl, has_block=True, children=tuple(
                ast.Child(key, None, None, None, None, (), decl.span, decl.dimension_span) for key in keys
                if key.isidentifier() and key not in ast.KEYWORDS))
        decl = attrs.evolve(decl, method=None)
    # (most children of a large plan have no allocation at all: listed, then looked at)
    if growth is None and not any(map(_has_child_call, [c.alloc for c in decl.children if c.alloc is not None])):
        return decl
    return attrs.evolve(decl, children=tuple(_child(c, growth) for c in decl.children))


def check_growth(method: ast.Call, diags: list[Diagnostic]) -> bool:
    if method.func != "growth":
        diags.append(error("E060", f"`using {method.func}(…)` is not a split method", method.span,
                           help="a split uses `even`, `weight(…)` or `growth(TABLE, P%)`"))
        return False
    if len(method.args) != 2 or _table_name(method) is None:
        diags.append(error("E060", "`growth` takes a table and a ratio", method.span,
                           help="write `growth(history, 112%)`"))
        return False
    return True


def _has_child_call(alloc: ast.Alloc) -> bool:
    return any(isinstance(n, ast.Call) and n.func in CHILD_FUNCTIONS for n in ast.walk_expr(alloc))


def _child(child: ast.Child, growth: ast.Call | None) -> ast.Child:
    alloc = child.alloc
    if alloc is None and growth is not None:
        table = _table_name(growth)
        ref = ast.Ref((table, child.name), growth.args[0].span)  # type: ignore[arg-type]
        return attrs.evolve(child, alloc=ast.BinOp("*", ref, growth.args[1], growth.span))
    if alloc is None or isinstance(alloc, (ast.Rest, ast.Even, ast.Weight)):
        return child
    return attrs.evolve(child, alloc=_replace(alloc, child.name))


def _replace(expr, name: str):
    """`expr` with `last(T)` read as `T.name` and `growth(T, P)` as `T.name * P`."""
    if isinstance(expr, ast.Call) and expr.func in CHILD_FUNCTIONS:
        table = _table_name(expr)
        if table is None or len(expr.args) != ARITY[expr.func]:
            return expr  # reported by check_call
        ref = ast.Ref((table, name), expr.span)
        return ref if expr.func == "last" else ast.BinOp("*", ref, expr.args[1], expr.span)
    if isinstance(expr, ast.BinOp):
        return attrs.evolve(expr, left=_replace(expr.left, name), right=_replace(expr.right, name))
    if isinstance(expr, ast.Neg):
        return attrs.evolve(expr, operand=_replace(expr.operand, name))
    if isinstance(expr, ast.Paren):
        return attrs.evolve(expr, inner=_replace(expr.inner, name))
    if isinstance(expr, ast.PercentOf):
        return attrs.evolve(expr, base=_replace(expr.base, name))
    if isinstance(expr, ast.Call):
        return attrs.evolve(expr, args=tuple(_replace(a, name) for a in expr.args))
    return expr
