"""What the standard library offers, for the messages that should point at it.

A plan that uses `retail_cn_quarterly` without `import "std/seasonality"`
gets E026/E028/E003; their help line names the import to add. A table from
the stdlib that lacks a key (E012) must not be edited in the installed
package; its help says to name the children after its keys or to copy the
table into the plan. Read only on those error paths.
"""

from __future__ import annotations

import functools

from planc.resources import resource_dir
from planc.source import Source
from planc.syntax import ast


@functools.lru_cache(maxsize=1)
def _tables() -> dict[str, str]:
    """Table name -> the import that brings it (`std/seasonality`)."""
    from planc.syntax.parse import parse  # the error path only

    out: dict[str, str] = {}
    folder = resource_dir("stdlib")
    for path in sorted(folder.glob("*.plan")):
        module, _ = parse(Source(f"std/{path.name}", path.read_text(encoding="utf-8")))
        for stmt in module.statements if module is not None else ():
            if isinstance(stmt, (ast.Table, ast.Data)):
                out.setdefault(stmt.name, f"std/{path.stem}")
    return out


def module_of(name: str) -> str | None:
    """The stdlib module that defines table `name`, or None."""
    return _tables().get(name)


def import_help(name: str) -> str | None:
    """`add `import "std/seasonality"` at the top of the plan` when `name` is a stdlib table."""
    module = module_of(name)
    if module is None:
        return None
    return f'`{name}` is a table of {module}: add `import "{module}"` at the top of the plan'


def is_stdlib(source: Source) -> bool:
    return source.path.startswith("std/")


def missing_key_help(table_name: str, key: str, keys: list[str]) -> str:
    """E012 on a stdlib table: its file is part of planc, not the plan."""
    shown = ", ".join(keys[:12]) + (", …" if len(keys) > 12 else "")
    return (f"`{table_name}` comes with planc and has the keys {shown}: name the children after them, "
            f"give `{key}` a fixed amount, or copy the table into your plan under a name of your own")
