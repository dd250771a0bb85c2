"""A name hides another one of the same name.

A table defined in the plan with the name of an imported table (say
`retail_monthly` beside `import "std/seasonality"`) silently replaces the
imported one; a target with the name of a table makes `NAME.KEY` mean the
table, not the target's children. Both read one way and mean another.

Bad:

```
import "std/seasonality"
table retail_monthly { Jan = 9; Feb = 7 }
target year = 16M
split year by month using weight(retail_monthly) { Jan; Feb }
```

Good:

```
import "std/seasonality"
table my_monthly { Jan = 9; Feb = 7 }
target year = 16M
split year by month using weight(my_monthly) { Jan; Feb }
```
"""

from __future__ import annotations

from pathlib import Path

from planc.syntax import ast
from planc.lint.rules.context import Context

CODE = "W112"
NAME = "shadowed-name"
SEVERITY = "warning"
OPTIONS: dict = {}


def _where(path: str) -> str:
    from planc.resources import resource_dir

    try:
        if Path(path).resolve().parent == resource_dir("stdlib").resolve():
            return f"std/{Path(path).stem}"
    except OSError:
        pass
    return path


def check(ctx: Context):
    imported: dict[str, str] = {}
    for module in ctx.model.modules[1:]:
        for stmt in module.statements:
            if isinstance(stmt, (ast.Table, ast.Data)):
                imported.setdefault(stmt.name, module.source.path)
    local_tables = set()
    for stmt in ctx.statements():
        if isinstance(stmt, (ast.Table, ast.Data)):
            local_tables.add(stmt.name)
            if stmt.name in imported:
                yield ctx.report(
                    f"table `{stmt.name}` hides the table of the same name from {_where(imported[stmt.name])}",
                    stmt.name_span, help=f"give your table its own name, e.g. `my_{stmt.name}`")
    tables = set(ctx.model.tables) | local_tables
    by_name = ctx.model.by_name
    if by_name:  # the resolver's index: the targets named like a table, not every target
        named = {id(node): node for name in sorted(tables) for _path, node in by_name.get(name, ())}
        nodes = [node for node in named.values() if node.decl is not None and ctx.local(node.decl.span)]
    else:
        nodes = list(ctx.targets())
    for node in nodes:
        if node.name in tables:
            yield ctx.report(
                f"target `{node.path}` has the name of table `{node.name}`; "
                f"`{node.name}.KEY` means the table", node.span,
                help="rename the target or the table")
