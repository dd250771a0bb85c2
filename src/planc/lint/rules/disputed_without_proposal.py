"""A target is `disputed` but its owner's counter-proposal is not written down.

A dispute is a negotiation (method.md §3): the owner thinks the assigned
target is wrong, and the plan should say what they would accept instead, so
the report can show the gap between the assigned and the proposed amount.
Record it with `proposed: AMOUNT` next to the status (`有异议` is the
same status in Chinese).

Bad:

```
target year = 120M
split year by region {
  east = 70M  [owner: "李娜", status: disputed]
  west = rest
}
```

Good:

```
target year = 120M
split year by region {
  east = 70M  [owner: "李娜", status: disputed, proposed: 62M]
  west = rest
}
```
"""

from __future__ import annotations

from planc.lint.rules.context import Context
from planc.semantics.concepts import target_status

CODE = "W130"
NAME = "disputed-without-proposal"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    for node in ctx.written():  # (a status is a setting)
        if target_status(node) != "disputed":
            continue
        attributes = node.attributes
        if "proposed" not in attributes:
            status = attributes["status"]
            yield ctx.report(
                f"`{node.path}` is `{status.text}` but records no counter-proposal", status.span,
                help="add the owner's figure, e.g. `proposed: 62M`, so the report shows the gap")
