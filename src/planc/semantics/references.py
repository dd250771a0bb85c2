"""References: what a name in an expression stands for (language.md §4.3) —
a sibling first, then the shallowest target whose path ends like it, or a
table's value — and the errors when none or several do (E003, E004, E026)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from planc.diagnostics import Diagnostic, error, labels
from planc.semantics.functions import CHILD_FUNCTIONS, MARGIN_FUNCTIONS, check_call, margin_of
from planc.semantics.model import Model, PairIndex, Table, TargetNode, named_in
from planc.semantics.name_index import NameIndex
from planc.source import Span
from planc.syntax import ast

if TYPE_CHECKING:
    from planc.diagnostics.suggest import Suggester


class References:
    """The resolver's lookups and the resolution of every reference (`resolve._Resolver`
    is one: the state below is its own, filled as it attaches the target tree)."""

    diags: list[Diagnostic]
    targets: dict[str, TargetNode]
    by_name: NameIndex
    by_pair: PairIndex
    crosses: list
    tables: dict[str, Table]
    refs: dict
    used_tables: set[str]
    broken_tables: set[str]
    unparsed_names: set[str]
    written: list[TargetNode]
    suggesters: dict[str, tuple[tuple[int, int], Suggester]]

    def maybe_unparsed(self, *names: str | None) -> bool:
        """Could a file that did not parse have defined one of these names?"""
        return any(name in self.unparsed_names for name in names if name)

    # ---- lookup ---------------------------------------------------------------------
    def lookup(self, parts: tuple[str, ...], scope: TargetNode | None) -> list[TargetNode]:
        """Sibling first (inside a split of `scope`), then shallowest suffix match."""
        if scope is not None:
            sibling = self.targets.get(f"{scope.path}.{'.'.join(parts)}")
            if sibling is not None:
                return [sibling]
        return named_in(self, parts)

    def ambiguous(self, ref: ast.Ref, found: list[TargetNode]) -> None:
        names = ", ".join(f"`{n.path}`" for n in found)
        self.diags.append(error("E004", f"`{ref.dotted}` is ambiguous: it could be {names}", ref.span,
                                related=labels([(_defined_at(n), f"`{n.path}` is defined here") for n in found]),
                                help=f"write more of the path, e.g. `{found[0].path}`"))

    def undefined(self, ref: ast.Ref, what: str) -> None:
        if self.maybe_unparsed(*ref.parts):
            return  # it may be defined in a file that did not parse (reported there)
        self.diags.append(error("E003", f"undefined name `{ref.dotted}`", ref.span,
                                label="no target or table of this name",
                                help=import_help(ref.parts[0])
                                or self.suggest("names", self.names).did_you_mean(ref.dotted)))

    def names(self) -> list[str]:
        return list(self.by_name) + list(self.targets) + list(self.tables)

    def suggest(self, key: str, candidates) -> Suggester:
        """One index per candidate set, rebuilt only when targets or tables were added:
        thousands of misspelt names must not rebuild it each time (issue 14)."""
        size = (len(self.targets), len(self.tables))
        cached = self.suggesters.get(key)
        if cached is None or cached[0] != size:
            from planc.diagnostics.suggest import Suggester  # the error path only

            cached = self.suggesters[key] = (size, Suggester(candidates()))
        return cached[1]

    # ---- references in expressions -----------------------------------------------
    def resolve_refs(self, model: Model) -> None:
        for node in list(self.written):
            decl = node.decl
            if isinstance(decl, ast.Target):
                self.resolve_expr(decl.value, None)
            elif isinstance(decl, ast.Child) and not (decl.alloc is None and decl.min is None and decl.max is None):
                scope = node.parent
                for part in (decl.alloc, decl.min, decl.max):
                    self.resolve_expr(part, scope)
        for split in model.splits:
            if split.decl.method is not None:
                self.resolve_expr(split.decl.method, split.parent)
        for stmt in model.asserts:
            self.resolve_expr(stmt.left, None)
            self.resolve_expr(stmt.right, None)

    def resolve_expr(self, expr, scope: TargetNode | None) -> None:
        if expr is None:
            return
        if isinstance(expr, ast.Weight):  # its arguments name tables, not targets
            for arg in expr.args:
                self.resolve_weight_arg(arg)
            return
        tables: set[int] = set()  # `last(T)`, `growth(T, P)`: T names a table (semantics/functions.py)
        for sub in ast.walk_expr(expr):
            if isinstance(sub, ast.Ref) and id(sub) not in self.refs and id(sub) not in tables:
                self.resolve_ref(sub, scope)
            elif isinstance(sub, ast.Call) and sub.func not in ("min", "max"):
                check_call(sub, self.diags)
                tables.update(self.function_tables(sub))
        self.resolve_margins(expr)

    def resolve_margins(self, expr) -> None:
        """`margin(T)`, `profit(T)`: the margin of target T, keyed by the call (semantics/functions.py)."""
        for sub in ast.walk_expr(expr):
            if not (isinstance(sub, ast.Call) and sub.func in MARGIN_FUNCTIONS and len(sub.args) == 1):
                continue
            target = self.refs.get(id(sub.args[0])) if isinstance(sub.args[0], ast.Ref) else None
            if target is None and isinstance(sub.args[0], ast.Ref):
                continue  # unresolved: already reported
            value = margin_of(sub, target, self.diags)
            if value is not None:
                self.refs[id(sub)] = value

    def function_tables(self, call: ast.Call) -> list[int]:
        """The table argument of `last(T)`/`growth(T, P)`: used, and not a target reference."""
        first = call.args[0] if call.args else None
        if call.func not in CHILD_FUNCTIONS or not isinstance(first, ast.Ref) or first.parts[0] not in self.tables:
            return []
        self.used_tables.add(first.parts[0])
        return [id(first)]

    def resolve_weight_arg(self, arg: ast.WeightArg) -> None:
        name = arg.table
        if name in self.broken_tables:
            return  # its data file failed to load: reported there
        if name is None and isinstance(arg.value, ast.Ref) and len(arg.value.parts) == 1:
            name = arg.value.parts[0]
            if name in self.broken_tables or (name not in self.tables and self.maybe_unparsed(name)):
                return
            if name not in self.tables:
                self.diags.append(error("E026", f"`{name}` is not a table", arg.value.span,
                                        help=import_help(name) or
                                        self.suggest("tables", lambda: list(self.tables)).did_you_mean(name) or
                                        "weight(T) takes a table name, or a number for a raw score"))
                return
            self.used_tables.add(name)
            self.refs[id(arg.value)] = self.tables[name]
            return
        if name is not None:
            if name in self.tables:
                self.used_tables.add(name)
            elif not self.maybe_unparsed(name):
                self.diags.append(error("E026", f"`{name}` is not a table", arg.span,
                                        help=import_help(name) or
                                        self.suggest("tables", lambda: list(self.tables)).did_you_mean(name)))
            else:
                self.used_tables.add(name)
        # The weight itself (60%, 3, …) is an ordinary expression.
        for sub in ast.walk_expr(arg.value):
            if isinstance(sub, ast.Ref) and id(sub) not in self.refs:
                self.resolve_ref(sub, None)

    def resolve_ref(self, ref: ast.Ref, scope: TargetNode | None) -> None:
        parts = ref.parts
        if parts[0] in self.broken_tables:
            return  # its data file failed to load: reported there
        table = self.tables.get(parts[0])
        if table is not None and len(parts) > 1:
            self.used_tables.add(table.name)
            key = parts[1] if len(parts) == 2 and not table.is_2d else tuple(parts[1:])
            if key in table.values:
                self.refs[id(ref)] = table.values[key]
                return
            if (len(parts) == 2) == (not table.is_2d):
                shown = key if isinstance(key, str) else ".".join(key)
                keys = self.suggest(f"table {table.name}", lambda: [k if isinstance(k, str) else ".".join(k)
                                                                     for k in table.values])
                self.diags.append(error("E026", f"table `{table.name}` has no key `{shown}`", ref.span,
                                        help=keys.did_you_mean(shown)))
                return
            # `T.a` on a 2-D table or `T.a.b` on a 1-D table: maybe a target after all.
        found = self.lookup(parts, scope)
        if len(found) == 1:
            self.refs[id(ref)] = found[0]
        elif found:
            self.ambiguous(ref, found)
        elif table is not None:
            self.diags.append(error("E026", f"table `{table.name}` is used as an amount", ref.span,
                                    help=f"pick one value, e.g. `{table.name}.{_first_key(table)}`"))
        else:
            self.undefined(ref, "reference")


def _first_key(table: Table) -> str:
    for key in table.values:
        return key if isinstance(key, str) else ".".join(key)
    return "KEY"


def _defined_at(node: TargetNode) -> Span | None:
    """Where a target is defined: its name, or for a cross cell the `cross` that makes it."""
    if node.span is not None:
        return node.span
    producer = node.producer
    return producer.decl.span if producer is not None else None


def import_help(name: str) -> str | None:
    """`import "std/…"` for a stdlib table used without its import (the error path only)."""
    from planc.semantics.stdlib import import_help

    return import_help(name)
