"""Percentages already sum to 100% beside a `rest` child.

If the percentage children of a split already add up to the whole parent
(100%, or the `overassign` percentage), the `rest` child can only get
zero: it is either left over from an edit or a sign that one of the
percentages is wrong.

Bad:

```
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = 30%; extra = rest }
```

Good:

```
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
```
"""

from __future__ import annotations

from fractions import Fraction

from planc.syntax import ast
from planc.semantics.model import SplitNode
from planc.lint.rules.context import Context

CODE = "W109"
NAME = "redundant-rest"
SEVERITY = "warning"
OPTIONS: dict = {}


def percentages_fill(split: SplitNode) -> bool:
    """A `rest` child beside percentage children summing to the split's total."""
    children = [c.decl for c in split.children if isinstance(c.decl, ast.Child)]
    shares = [c.alloc.ratio for c in children if isinstance(c.alloc, ast.Percent)]
    if not shares or not any(isinstance(c.alloc, ast.Rest) for c in children):
        return False
    total = split.decl.overassign.ratio if split.decl.overassign is not None else Fraction(1)
    return sum(shares, Fraction(0)) == total


def check(ctx: Context):
    # A split to look at has a `rest` child: found among the targets that write something
    splits = {id(node.producer): node.producer for node in ctx.written()
              if isinstance(node.decl, ast.Child) and isinstance(node.decl.alloc, ast.Rest)}
    for split in splits.values():
        if not isinstance(split, SplitNode) or not percentages_fill(split):
            continue
        rest = next(c.decl for c in split.children
                    if isinstance(c.decl, ast.Child) and isinstance(c.decl.alloc, ast.Rest))
        assert isinstance(rest, ast.Child) and rest.alloc is not None
        total = split.decl.overassign.text if split.decl.overassign is not None else "100%"
        yield ctx.report(
            f"the percentages of the {split.describe()} already sum to {total}, "
            f"so `{rest.name} = rest` gets nothing", rest.alloc.span,
            help=f"remove `{rest.name}`, or make one of the percentages `rest`")
