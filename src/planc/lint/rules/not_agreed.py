"""A target's status is not `agreed` in a plan marked final.

A plan whose header says `status: final` is the agreed one: every target
in it should have been discussed and accepted by its owner (method.md §3).
A `draft`, `proposed` or `disputed` target in it is an open disagreement.
With `require-status = true` a target with no status at all is reported
too.

Bad:

```
plan "FY2027" { status: final; period: 2027-01-01 .. 2027-12-31 }
target year = 120M
split year by region {
  east = 60%  [status: disputed]
  west = rest [status: agreed]
}
```

Good:

```
plan "FY2027" { status: final; period: 2027-01-01 .. 2027-12-31 }
target year = 120M
split year by region {
  east = 60%  [status: agreed]
  west = rest [status: agreed]
}
```
"""

from __future__ import annotations

from planc.lint.rules.context import Context, synthesized
from planc.semantics.concepts import target_status

CODE = "W105"
NAME = "not-agreed"
SEVERITY = "warning"
OPTIONS = {
    "require-status": (False, "bool"),
}


def check(ctx: Context):
    setting = ctx.model.header.settings.get("status")
    if setting is None or setting.value != "final":
        return
    for node in ctx.targets():
        status = node.attributes.get("status")
        if status is None:
            if ctx.options["require-status"] and not synthesized(node):
                yield ctx.report(f"`{node.path}` has no status in a plan marked final", node.span,
                                 help="add `[status: agreed]` once its owner has accepted it")
            continue
        if target_status(node) != "agreed":
            yield ctx.report(
                f"`{node.path}` is `{status.text}` in a plan marked final", status.span,
                help="settle it with its owner and mark it `agreed`, or take `status: final` "
                     "off the plan header")
