"""An amount is written as arithmetic on percentages alone, so it is a ratio.

A bare `20%` that is a child's whole allocation means 20% of the parent.
Inside arithmetic a percentage is just a ratio (0.2), and an expression made
of percentages and plain numbers, with no target or table in it, comes out
as a tiny number rather than an amount: `Q1 = 10% * 2` is 0.2, not 20% of
the year. The same holds for a root target or a cap.

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

from planc.syntax import ast
from planc.lint.rules.context import Context

CODE = "W113"
NAME = "ratio-as-amount"
SEVERITY = "warning"
OPTIONS: dict = {}


def ratio_only(expr) -> bool:
    """Arithmetic with a bare percentage and no target or table: a ratio."""
    if expr is None or isinstance(expr, (ast.Percent, ast.PercentOf, ast.Rest, ast.Even, ast.Weight)):
        return False
    nodes = list(ast.walk_expr(expr))
    bare = {id(n.percent) for n in nodes if isinstance(n, ast.PercentOf)}
    has_percent = any(isinstance(n, ast.Percent) and id(n) not in bare for n in nodes)
    return has_percent and not any(isinstance(n, (ast.Ref, ast.PercentOf)) for n in nodes)


def check(ctx: Context):
    for node in ctx.targets():
        decl = node.decl
        parts: list = []
        if isinstance(decl, ast.Target):
            parts = [decl.value]
        elif isinstance(decl, ast.Child):
            parts = [decl.alloc, decl.min, decl.max]
        else:
            continue  # a cross cell: no expression of its own
        for expr in parts:
            if expr is not None and ratio_only(expr):
                yield ctx.report(
                    f"`{' '.join(expr.span.text.split())}` is a ratio, not an amount: "
                    f"percentages in arithmetic are plain numbers", expr.span,
                    help="write the percentage alone (`20%` means 20% of the parent), "
                         "or say of what: `20% of year`")
