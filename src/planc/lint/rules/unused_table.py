"""A `table` or `data` is defined but never used.

A table no `weight(…)`, `T.key` reference or `cross … seed` reads is
dead data: perhaps a weight was meant to use it and does not. Tables that
come from an import (the stdlib, another plan) are not reported, and a
history table that the growth rules read (`history-tables`) counts as used.

Bad:

```
table history { east = 20M; west = 16M }
table potential { east = 5; west = 4 }
target year = 40M
split year by region using weight(history) { east; west }
```

Good:

```
table history { east = 20M; west = 16M }
table potential { east = 5; west = 4 }
target year = 40M
split year by region using weight(history: 60%, potential: 40%) { east; west }
```
"""

from __future__ import annotations

from planc.syntax import ast
from planc.lint.rules.context import Context

CODE = "W107"
NAME = "unused-table"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(ctx: Context):
    used = set(ctx.model.used_tables)
    for cross in ctx.model.crosses:
        if cross.decl.seed is not None:
            used.add(cross.decl.seed.parts[0])
    used.update(table.name for table, _node, _amount in ctx.history())
    for stmt in ctx.statements():
        if isinstance(stmt, (ast.Table, ast.Data)) and stmt.name not in used:
            table = ctx.model.tables.get(stmt.name)
            if table is None or table.imported or table.span != stmt.name_span:
                continue  # not loaded (an error says why), or another definition won
            kind = "table" if isinstance(stmt, ast.Table) else "data"
            yield ctx.report(f"{kind} `{stmt.name}` is never used", stmt.name_span,
                             help=f"use it in `weight({stmt.name})` or as `{stmt.name}.KEY`, or delete it")
