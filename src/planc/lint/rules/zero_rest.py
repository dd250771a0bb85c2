"""A `rest` child comes out as zero.

`rest` takes what the other children leave. When they already take the
whole parent, the `rest` child gets nothing: either it should be removed,
or one of its siblings is too big. (When the other children are all
percentages that sum to 100%, `redundant-rest` reports it instead.)

Bad:

```
target year = 100M
split year by region { east = 60M; north = 40M; west = rest }
```

Good:

```
target year = 100M
split year by region { east = 60M; north = 30M; west = rest }
```
"""

from __future__ import annotations

from planc.syntax import ast
from planc.lint.rules.context import Context
from planc.lint.rules.redundant_rest import percentages_fill
from planc.semantics.model import SplitNode

CODE = "W108"
NAME = "zero-rest"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    for child in ctx.written():
        decl, split = child.decl, child.producer
        if not isinstance(decl, ast.Child) or not isinstance(decl.alloc, ast.Rest) \
                or not isinstance(split, SplitNode):
            continue
        if ctx.exact(child) == 0 and not percentages_fill(split):
            yield ctx.report(
                f"`{child.name} = rest` comes out as zero: the other children of the "
                f"{split.describe()} take all of it", decl.alloc.span,
                help=f"remove `{child.name}`, or lower one of its siblings")
