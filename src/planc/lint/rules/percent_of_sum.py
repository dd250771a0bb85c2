"""`110% of a + b` reads as a share of a sum, but `of` takes one name.

`of` binds tighter than `+` and `-` (language.md, Expressions): `110% of a +
b` is `(110% of a) + b`, not 110% of `a + b`. The plan means one of the two;
parentheses say which, for the next reader as much as for planc.

Bad:

```
target year = 100M
target stretch = 110% of year + 5M
```

Good: either of

```
target year = 100M
target stretch = (110% of year) + 5M
target stretch2 = 110% of (year + 5M)
```
"""

from __future__ import annotations

from typing import Iterator

from planc.syntax import ast, bare
from planc.lint.rules.context import Context

CODE = "W115"
NAME = "percent-of-sum"
SEVERITY = "warning"
OPTIONS: dict = {}


def _expressions(stmt) -> Iterator[object]:
    if isinstance(stmt, ast.Target):
        yield stmt.value
    elif isinstance(stmt, ast.Split) and type(stmt.children) is not bare.BareChildren:  # (names only: none)
        for child in stmt.children:
            if child.alloc is not None or child.min is not None or child.max is not None:
                yield from (child.alloc, child.min, child.max)
    elif isinstance(stmt, ast.Assert):
        yield from (stmt.left, stmt.right)


def _last(expr):
    """The right-most operand of a chain of + - * / (what `of` may have swallowed)."""
    while isinstance(expr, ast.BinOp):
        expr = expr.right
    return expr


def _text(node) -> str:
    return " ".join(node.span.text.split())


def check(ctx: Context):
    for stmt in ctx.statements():
        for expr in _expressions(stmt):
            for node in ast.walk_expr(expr):
                if not (isinstance(node, ast.BinOp) and node.op in "+-"):
                    continue
                of = _last(node.left)
                if not isinstance(of, ast.PercentOf):
                    continue
                base, rest = _text(of.base), _text(node.right)
                yield ctx.report(
                    f"`{of.percent.text} of {base} {node.op} {rest}` is `({_text(of)}) {node.op} {rest}`: "
                    f"`of` takes only `{base}`",
                    of.span, label=f"{of.percent.text} of `{base}` alone",
                    help=f"add parentheses to say which you mean: `({_text(of)}) {node.op} {rest}` or "
                         f"`{of.percent.text} of ({base} {node.op} {rest})`")
