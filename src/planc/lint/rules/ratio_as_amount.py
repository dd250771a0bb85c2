"""An amount is written as arithmetic on percentages alone, so it is a ratio.

A bare `20%` that is a child's whole allocation means 20% of the parent.
Inside arithmetic a percentage is just a ratio (0.2), and an expression made
of percentages and plain numbers, with no target or table in it, comes out
as a tiny number rather than an amount: `Q1 = 10% * 2` is 0.2, not 20% of
the year. The same holds for a root target or a cap.

An amount times a percentage is an amount, and is not reported:
`120M * 110%` (growth), `2.5M * 50%` (proration), `history.east * 110%`.
A number with a scale suffix or a currency, or of 100 or more, is an
amount; a smaller plain number (`2`, `12`) is a count.

Bad:

```
target year = 100M
split year by quarter { Q1 = 10% * 2; Q2 = 30%; Q3 = 25%; Q4 = rest }
```

Good:

```
target year = 100M
split year by quarter { Q1 = 20%; Q2 = 30%; Q3 = 25%; Q4 = rest }
```
"""

from __future__ import annotations

from planc.amounts import format_percent
from planc.semantics.expressions import arithmetic
from planc.syntax import ast
from planc.lint.rules.context import Context
from planc.lint.rules.kinds import RATIO, kind

CODE = "W113"
NAME = "ratio-as-amount"
SEVERITY = "warning"
OPTIONS: dict = {}


def ratio_only(expr, refs) -> bool:
    """Arithmetic on percentages and counts, with no target or table: a ratio."""
    if expr is None or isinstance(expr, (ast.Percent, ast.PercentOf, ast.Rest, ast.Even, ast.Weight)):
        return False
    if any(isinstance(n, (ast.Ref, ast.PercentOf)) for n in ast.walk_expr(expr)):
        return False
    return kind(expr, refs) == RATIO


def check(ctx: Context):
    for node in ctx.written():
        decl = node.decl
        parts: list = []
        if isinstance(decl, ast.Target):
            parts = [decl.value]
        elif isinstance(decl, ast.Child):
            parts = [decl.alloc, decl.min, decl.max]
        else:
            continue  # a cross cell: no expression of its own
        for expr in parts:
            if expr is not None and ratio_only(expr, ctx.model.refs):
                yield ctx.report(
                    f"`{' '.join(expr.span.text.split())}` is a ratio, not an amount: "
                    f"percentages in arithmetic are plain numbers", expr.span,
                    help=_help(ctx, node, expr))


def _help(ctx: Context, node, expr) -> str:
    """The fix with this expression's own share: `20%` for a child, `20% of …` elsewhere."""
    value = arithmetic(expr, lambda ref: None, [])
    share = format_percent(value) if value is not None and value > 0 else None
    if share is None:
        return ("write the percentage alone (`20%` means 20% of the parent), "
                "or say of what: `20% of year`")
    if isinstance(node.decl, ast.Child) and node.parent is not None:
        written = f"{node.name} = {share}" if expr is node.decl.alloc else \
            f"{'min' if expr is node.decl.min else 'max'} {share}"
        return f"write the share alone: `{written}` means {share} of `{node.parent.path}`"
    base = node.parent.path if node.parent is not None else next(
        (r.name for r in ctx.model.roots if r is not node), "TOTAL")
    return f"say what it is a share of: `{share} of {base}`"
