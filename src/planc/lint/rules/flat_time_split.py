"""A time split gives every period the same amount.

Sales follow seasons, holidays and launch cycles; a year cut into equal
quarters or months is almost never what the business will do, and the
targets then miss in the strong months and overshoot in the weak ones
(method.md §2, "never a flat average by default"). A split is a time split
when its dimension is a time word (`quarter`, `month`, `half`, `week`,
季度, 月, 半年, 周, …) or when all its children are named like periods
(`Q1`…`Q4`, `一季度`, `H1`, `上半年`, `Jan`…`Dec`, `1月`…`12月`, `W1`…; the
list is in language.md, section Time). It is flat when all children get
the same exact amount (before rounding). When rounding then gives the
periods different amounts (45 split evenly into quarters with `round:
1000` is 45, 0, 0, 0), the message says so rather than "the same amount".

Bad:

```
target year = 120M
split year by quarter using even { Q1; Q2; Q3; Q4 }
```

Good: reflect seasonality, from last year's actuals or a stdlib profile.

```
import "std/seasonality"
target year = 120M
split year by quarter using weight(retail_cn_quarterly)
```
"""

from __future__ import annotations

from planc.amounts import format_amount
from planc.lint.rules.context import Context
from planc.semantics.time import is_time_split

CODE = "W101"
NAME = "flat-time-split"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    for split in ctx.splits():
        if len(split.children) < 2 or not is_time_split(split):
            continue
        first = ctx.exact(split.children[0])
        if first is None or first == 0 or any(ctx.exact(c) != first for c in split.children[1:]):
            continue  # (at the first period that differs: a seasonal split asks for two records)
        count, rounded = len(split.children), ctx.children_values(split)
        if len(set(rounded)) == 1:
            message = f"{split.describe()} gives all {count} periods the same amount"
        else:
            shown = ", ".join(format_amount(r) for r in rounded if r is not None)
            message = (f"{split.describe()} gives all {count} periods the same share, "
                       f"{format_amount(first)} each before rounding ({shown} after)")
        yield ctx.report(
            message,
            split.decl.dimension_span, label="a flat time split",
            help="reflect seasonality: weight the periods by last year's actuals or a profile "
                 "from std/seasonality")
