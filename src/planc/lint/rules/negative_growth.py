"""A target is planned below last year's actuals.

A target under history asks a unit to sell less than it already did. It
can be deliberate (a product being phased out, a region handed over), but
more often it is a mistake in a fixed amount or in the weights. Same
history tables as `high-growth`; the threshold is `min-growth` (0% by
default: any decline).

Bad:

```
table history { east = 28M; north = 20M; west = 20M }
target year = 70M
split year by region { east = 31M; north = 21M; west = rest }
```

Good:

```
table history { east = 28M; north = 20M; west = 20M }
target year = 75M
split year by region { east = 31M; north = 22M; west = rest }
```
"""

from __future__ import annotations

from fractions import Fraction

from planc.amounts import format_amount, format_percent as percent
from planc.lint.rules.context import Context

CODE = "W103"
NAME = "negative-growth"
SEVERITY = "warning"
OPTIONS = {
    "min-growth": (Fraction(0), "percent"),
}


def check(ctx: Context):
    limit = ctx.options["min-growth"]
    for table, node, before, after, change in ctx.growth():
        if change < limit:
            yield ctx.report(
                f"`{node.path}` is {percent(-change)} below `{table.name}` "
                f"({format_amount(before)} -> {format_amount(after)})",
                node.span, label=f"{percent(change)} against history",
                help="if the decline is intended, say why in a `note:` and suppress this line "
                     "with `# planc: disable=W103`")
