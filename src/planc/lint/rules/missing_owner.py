"""A target has no owner in a plan whose header asks for owners.

Targets become real when someone accepts them (method.md §3). With
`owners: required` in the `plan` header every target needs an
`[owner: "…"]`. A root target may take the header's `owner`; children of a
time split (quarters, months) belong to their parent's owner and are not
reported unless `time-splits-inherit = false`; with `inherit = true` every
target takes the owner of its nearest owned ancestor. Children taken from a table's keys
(a split with no `{ }` block) have no line to carry an owner and are not
checked.

Bad:

```
plan "FY2027" { owners: required; owner: "Wang Fang"; period: 2027-01-01 .. 2027-12-31 }
target year = 120M
split year by region {
  east = 60%  [owner: "Chen Jie"]
  west = rest
}
```

Good:

```
plan "FY2027" { owners: required; owner: "Wang Fang"; period: 2027-01-01 .. 2027-12-31 }
target year = 120M
split year by region {
  east = 60%  [owner: "Chen Jie"]
  west = rest [owner: "Li Na"]
}
```
"""

from __future__ import annotations

from planc.syntax import ast
from planc.lint.rules.context import Context, synthesized
from planc.semantics.model import SplitNode
from planc.semantics.time import is_time_split

CODE = "W104"
NAME = "missing-owner"
SEVERITY = "warning"
OPTIONS = {
    "inherit": (False, "bool"),
    "time-splits-inherit": (True, "bool"),
}


def check(ctx: Context):
    setting = ctx.model.header.settings.get("owners")
    if setting is None or setting.value != "required":
        return
    inherit, time_inherit = ctx.options["inherit"], ctx.options["time-splits-inherit"]
    header_owner = ctx.model.header.owner

    def owned(node) -> bool:
        while True:  # up the parents, iteratively: a split chain can be thousands deep
            if "owner" in node.attributes:
                return True
            if node.parent is None:
                return isinstance(node.decl, ast.Target) and bool(header_owner)
            via_time = time_inherit and isinstance(node.producer, SplitNode) and is_time_split(node.producer)
            if not (inherit or via_time):
                return False
            node = node.parent

    for node in ctx.targets():
        if synthesized(node) or owned(node):
            continue
        if time_inherit and isinstance(node.producer, SplitNode) and is_time_split(node.producer):
            continue  # a period of its parent: the parent is the one to own (or to be reported)
        yield ctx.report(f"`{node.path}` has no owner", node.span,
                         help=f'the plan asks for owners (`owners: required`): add `[owner: "…"]` '
                              f"to `{node.name}`")
