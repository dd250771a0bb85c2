"""Growth is carried by existing customers alone.

A plan should say how much comes from new customers as well as from
selling more to existing ones (method.md §2, "Customers and markets").
The rule looks at splits whose children are existing and new customers
(named `existing`, `existing_customers`, `retained`, `renewal`, 老客户,
存量…, and `new`, `new_customers`, `acquisition`, 新客户, 增量…) and
warns when:

- the split is by customers (`customers`, `customer_type`, 客户, …) and
  has an existing-customers child but no new-customers child;
- the new-customers child gets nothing;
- a history table has both children and only the existing customers grow.

Bad:

```
table history { existing = 80M; new = 20M }
target year = 120M
split year by customers { existing = 102M; new = rest }
```

Good:

```
table history { existing = 80M; new = 20M }
target year = 120M
split year by customers { existing = 90M; new = rest }
```
"""

from __future__ import annotations

from planc.amounts import format_amount
from planc.lint.rules.context import Context
from planc.semantics.concepts import children_kinds, is_customer_dimension

CODE = "W110"
NAME = "existing-customers-only"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    history = {id(node): amount for _t, node, amount in ctx.history()}
    for split in ctx.splits():
        kinds = children_kinds(split)
        if "existing" not in kinds:
            continue
        new = [c for c, k in zip(split.children, kinds) if k == "new"]
        old = [c for c, k in zip(split.children, kinds) if k == "existing"]
        if not new:
            if is_customer_dimension(split.dimension):
                yield ctx.report(
                    f"the {split.describe()} has no target for new customers",
                    split.decl.dimension_span,
                    help="add a child for new customers (how many, worth how much), "
                         "so growth does not rest on existing accounts alone")
            continue
        amounts = ctx.values(new)
        if all(a is not None and a <= 0 for a in amounts):
            yield ctx.report(
                f"`{new[0].name}` gets nothing: growth rests on existing customers alone",
                new[0].span, help="give new customers a target of their own")
            continue
        if any(id(c) not in history for c in new + old):
            continue
        now_old = sum((ctx.value(c) or 0) for c in old)
        now_new = sum((ctx.value(c) or 0) for c in new)
        was_old = sum(history[id(c)] for c in old)
        was_new = sum(history[id(c)] for c in new)
        if now_old > was_old and now_new <= was_new:
            yield ctx.report(
                f"only existing customers grow: `{new[0].name}` goes from {format_amount(was_new)} "
                f"to {format_amount(now_new)}", new[0].span,
                help="plan growth from new customers too, or say why in a note")
