"""One child holds more than a threshold of its split.

When one region, team or rep carries most of a split, the plan depends on
it alone, and the split is probably drawn at the wrong level (method.md
§2: "fair yet motivating"). The threshold is `max-share` (75% by default)
of the sum of the split's children; splits with fewer than `min-children`
children (2) are skipped, and so are new/existing customer splits, where
existing customers usually carry most of the revenue (see
`existing-customers-only`).

Bad:

```
target year = 100M
split year by region { east = 85M; north = 10M; west = rest }
```

Good:

```
target year = 100M
split year by region { east = 45M; north = 30M; west = rest }
```
"""

from __future__ import annotations

from fractions import Fraction
from operator import attrgetter

from planc.amounts import format_percent as percent
from planc.lint.rules.context import Context
from planc.maths.apportion import exact_sum
from planc.semantics.concepts import customer_split

_numerator, _denominator = attrgetter("numerator"), attrgetter("denominator")

CODE = "W106"
NAME = "dominant-child"
SEVERITY = "warning"
OPTIONS = {
    "max-share": (Fraction(3, 4), "percent"),
    "min-children": (2, "int"),
}


def check(ctx: Context):
    limit, fewest = Fraction(ctx.options["max-share"]), ctx.options["min-children"]
    for split in ctx.splits():
        if len(split.children) < max(2, fewest):
            continue
        known = ctx.children_values(split)
        amounts = [a for a in known if a is not None]
        if len(amounts) != len(known):
            continue
        numerators = list(map(_numerator, amounts))
        if min(numerators) < 0:
            continue
        if max(map(_denominator, amounts)) == 1:  # (whole amounts, most splits: integers, in C)
            whole = sum(numerators)
            if whole <= 0 or max(numerators) * limit.denominator <= limit.numerator * whole:
                continue  # no child above the limit
        total = exact_sum(amounts)
        if total <= 0 or customer_split(split):  # (asked last: few splits have a child above the limit)
            continue
        most = limit * total  # share > limit, without a division for every child
        top, bottom = most.numerator, most.denominator  # (compared in integers)
        for child, amount in zip(split.children, amounts):
            if amount.numerator * bottom > top * amount.denominator:
                share = amount / total
                yield ctx.report(
                    f"`{child.name}` holds {percent(share)} of the {split.describe()}",
                    child.span, label=f"more than {percent(limit)}",
                    help="a plan that rests on one unit is fragile; split the big unit further, "
                         "or raise `max-share` if this is how the business is")
