"""A target grows more over last year's actuals than the threshold allows.

A target far above history is unlikely to be achieved and demotivates its
owner (method.md §1: targets must be achievable). The rule compares each
target with its value in a history table (`history` unless the global
option `history-tables` names others), keyed by target name or by a path
suffix such as `east.Q1`, and warns when the growth is above `max-growth`
(100% by default: more than doubling last year; a plan's growth spreads
unevenly, and a small unit with a large potential can rightly grow much
faster than the whole). Keys that name no target, or more than one, are
skipped; so are zero history values.

Bad:

```
table history { east = 28M; north = 20M; west = 12M }
target year = 90M
split year by region { east = 40M; north = 24M; west = rest }
```

Good:

```
table history { east = 28M; north = 20M; west = 12M }
target year = 70M
split year by region { east = 33M; north = 23M; west = rest }
```
"""

from __future__ import annotations

from fractions import Fraction

from planc.amounts import format_amount, format_percent as percent
from planc.lint.rules.context import Context

CODE = "W102"
NAME = "high-growth"
SEVERITY = "warning"
OPTIONS = {
    "max-growth": (Fraction(1), "percent"),
}


def check(ctx: Context):
    limit = ctx.options["max-growth"]
    for table, node, before, after, change in ctx.growth():
        if change > limit:
            yield ctx.report(
                f"`{node.path}` grows {percent(change)} over `{table.name}` "
                f"({format_amount(before)} -> {format_amount(after)}), above {percent(limit)}",
                node.span, label=f"+{percent(change)} over history",
                help="a target far above history is unlikely to be reached; lower it, or explain it "
                     "in a note and raise `max-growth` for this plan")
