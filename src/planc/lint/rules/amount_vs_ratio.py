"""An assertion compares an amount with a bare ratio.

A percentage on its own is a plain ratio: `35%` is 0.35. Compared with an
amount, as in `assert Q4 >= 10%`, the assertion checks the quarter against
0.1 yuan: it holds (or fails) for the wrong reason. A share of an amount is
written with `of`: `35% of year`. The help line names the parent of the
target on the other side when there is one target there.

Comparing a ratio with a ratio is what a share check looks like and is not
reported: `assert Q4 / year <= 35%`.

Bad:

```
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
assert Q4 >= 10%
```

Good:

```
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
assert Q4 >= 10% of year
```
"""

from __future__ import annotations

from planc.amounts import format_amount
from planc.syntax import ast
from planc.lint.rules.context import Context
from planc.lint.rules.kinds import AMOUNT, RATIO, kind
from planc.semantics.model import TargetNode

CODE = "W114"
NAME = "amount-vs-ratio"
SEVERITY = "warning"
OPTIONS: dict = {}


def _parent(ctx: Context, amount) -> TargetNode | None:
    """The parent of the one target the amount side names, if it has one."""
    found = {id(t): t for n in ast.walk_expr(amount) if isinstance(n, ast.Ref)
             for t in [ctx.model.refs.get(id(n))] if isinstance(t, TargetNode)}
    if len(found) != 1:
        return None
    return next(iter(found.values())).parent


def _fixed(ratio, parent: TargetNode) -> str:
    """The ratio as a share of `parent`: `35% of year`, `year * (10% + 5%)`."""
    if isinstance(ratio, ast.Percent):
        return f"{ratio.text} of {parent.path}"
    text = " ".join(ratio.span.text.split())
    return f"{parent.path} * ({text})" if isinstance(ratio, ast.BinOp) else f"{parent.path} * {text}"


def check(ctx: Context):
    for stmt in ctx.model.asserts:
        if not ctx.local(stmt.span):
            continue
        units = ctx.evaluation.units if ctx.evaluation is not None else {}
        kinds = (kind(stmt.left, ctx.model.refs, units), kind(stmt.right, ctx.model.refs, units))
        if set(kinds) != {AMOUNT, RATIO}:
            continue
        amount, ratio = (stmt.left, stmt.right) if kinds[0] == AMOUNT else (stmt.right, stmt.left)
        ratio_text = " ".join(ratio.span.text.split())
        parent = _parent(ctx, amount)
        if parent is None:
            example = _fixed(ratio, ctx.model.roots[0]) if ctx.model.roots else f"{ratio_text} of TOTAL"
            help = f"say what `{ratio_text}` is a share of, e.g. `{example}`, or compare with a fixed amount"
        else:
            fix = _fixed(ratio, parent)
            start, end = ratio.span.start - stmt.span.start, ratio.span.end - stmt.span.start
            statement = stmt.span.text[:start] + fix + stmt.span.text[end:]
            help = f"write `{fix}`: `{' '.join(statement.split())}`"
        yield ctx.report(
            f"`{' '.join(amount.span.text.split())}` is an amount but `{ratio_text}` is a bare ratio"
            f"{_plain(ratio)}: the assertion compares them as plain numbers",
            ratio.span, label="a ratio, not a share of an amount", help=help)



def _plain(ratio) -> str:
    if isinstance(ratio, ast.Percent):
        return f", the number {format_amount(ratio.ratio)}"
    return ""
