"""The resolved plan: targets in a tree, splits, tables, assertions.

`resolve.py` builds it; `evaluate.py`, the lint rules and the reports read
it. Nodes are plain attrs classes linked both ways (parent <-> children),
built once by the resolver and not changed afterwards.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Union

import attrs

from planc.syntax import ast
from planc.source import Span


@attrs.define(eq=False, repr=False)  # a short repr: nodes link up and down the tree
class TargetNode:
    name: str
    path: str  # canonical path, e.g. year.east.Q1
    decl: Union[ast.Target, ast.Child, ast.FunnelStep, None]  # None for cross cells
    parent: "TargetNode | None" = None
    producer: "SplitNode | CrossNode | FunnelNode | None" = None  # what gives it its amount
    splits: list["SplitNode"] = attrs.Factory(list)
    aliases: list[str] = attrs.Factory(list)  # other paths that reach it (cross cells)
    cells: list["TargetNode"] = attrs.Factory(list)  # cross cells in this node's row
    derived: list["TargetNode"] = attrs.Factory(list)  # funnel steps of this target (`张伟.visits`)

    def __repr__(self) -> str:
        return f"TargetNode({self.path!r})"

    @property
    def depth(self) -> int:
        return self.path.count(".")

    @property
    def span(self) -> Span | None:
        return self.decl.name_span if self.decl is not None else None

    @property
    def label(self) -> str | None:
        return getattr(self.decl, "label", None)

    @property
    def attributes(self) -> dict[str, ast.Setting]:
        return {a.key: a for a in getattr(self.decl, "attributes", ())}

    @property
    def is_sum(self) -> bool:
        return isinstance(self.decl, ast.Target) and isinstance(self.decl.value, ast.SumMarker)


@attrs.define(eq=False, repr=False)
class SplitNode:
    decl: ast.Split
    parent: TargetNode
    children: list[TargetNode] = attrs.Factory(list)

    @property
    def dimension(self) -> str:
        return self.decl.dimension

    @property
    def bottom_up(self) -> bool:
        """The first split of a `sum` target defines the parent, not the reverse."""
        return self.parent.is_sum and bool(self.parent.splits) and self.parent.splits[0] is self

    def describe(self) -> str:
        return f"split of {self.parent.name} by {self.dimension}"

    def __repr__(self) -> str:
        return f"SplitNode({self.parent.path!r} by {self.dimension!r})"


@attrs.define(eq=False, repr=False)
class CrossNode:
    decl: ast.Cross
    parent: TargetNode
    rows: SplitNode
    cols: SplitNode
    cells: dict[tuple[str, str], TargetNode] = attrs.Factory(dict)
    seed: "Table | None" = None

    def describe(self) -> str:
        return f"cross of {self.rows.dimension} by {self.cols.dimension}"

    def __repr__(self) -> str:
        return f"CrossNode({self.parent.path!r}: {self.describe()})"


@attrs.define(eq=False, repr=False)
class FunnelNode:
    """One funnel applied to one member of its dimension: the member's steps."""

    decl: ast.Funnel
    member: TargetNode
    steps: list[TargetNode] = attrs.Factory(list)

    def describe(self) -> str:
        return f"funnel {self.decl.name} of {self.member.path}"

    def __repr__(self) -> str:
        return f"FunnelNode({self.decl.name!r} of {self.member.path!r})"


@attrs.frozen
class Table:
    name: str
    dims: tuple[str, ...]
    values: dict  # key -> Fraction (1-D) or (row, col) -> Fraction (2-D)
    span: Span  # where it is declared (name)
    imported: bool = False  # from the stdlib or another file
    units: dict = attrs.Factory(dict)  # key -> a value's measure or unit, where it has one (`3 deals`)

    @property
    def is_2d(self) -> bool:
        return len(self.dims) == 2


@attrs.frozen
class Header:
    title: str | None = None
    currency: str | None = None
    period: tuple[datetime.date, datetime.date] | None = None
    owner: str | None = None
    round: Fraction = Fraction(1)
    main: str | None = None  # the headline target, when `main:` names a root
    settings: dict[str, ast.Setting] = attrs.Factory(dict)
    span: Span | None = None


@attrs.define(eq=False, repr=False)
class Model:
    header: Header
    roots: list[TargetNode]
    targets: dict[str, TargetNode]  # canonical path -> node, in definition order
    splits: list[SplitNode]
    crosses: list[CrossNode]
    tables: dict[str, Table]
    asserts: list[ast.Assert]
    # How each reference was resolved: id(ast.Ref) -> TargetNode or a table value.
    refs: dict[int, Union[TargetNode, Fraction]]
    modules: tuple[ast.Module, ...] = ()
    used_tables: set[str] = attrs.Factory(set)
    # Names an imported file that did not parse might define (see `Program.unparsed_names`).
    unparsed_names: frozenset[str] = frozenset()
    actions: list = attrs.Factory(list)  # semantics.actions.ActionItem, in source order
    scenarios: list = attrs.Factory(list)  # the plan's `scenario` statements (ast.Scenario)
    measures: dict = attrs.Factory(dict)  # name -> semantics.measures.Measure
    funnels: list[FunnelNode] = attrs.Factory(list)
    # The resolver's name index: (path, node) for every path and alias, by its last
    # component and by its last two (`named` finds a reference's targets in it).
    by_name: dict[str, list] = attrs.Factory(dict)
    by_pair: dict[tuple[str, str], list] = attrs.Factory(dict)

    def named(self, parts: tuple[str, ...]) -> list[TargetNode]:
        """Language.md §4.3(b) through the index: the shallowest targets whose
        path (or alias) ends with `parts`, looking only at those sharing its last
        one or two components."""
        bucket = self.by_pair.get((parts[-2], parts[-1]), ()) if len(parts) > 1 else self.by_name.get(parts[0], ())
        return suffix_matches(bucket, parts)

    def walk(self):
        """Targets top-down: each parent before its children."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            if node.splits or node.cells or node.derived:  # not a leaf (most targets of a large plan are)
                kids = [c for s in node.splits for c in s.children] + node.cells + node.derived
                stack.extend(reversed(kids))


def suffix_matches(paths, parts: tuple[str, ...]) -> list:
    """Language.md §4.3(b): (path, node) pairs whose path ends with `parts`,
    component by component; only the shallowest of them."""
    dotted = ".".join(parts)
    tail = "." + dotted
    if len(paths) == 1:  # most names: one candidate, no depths to compare
        path, node = paths[0]
        return [node] if path == dotted or path.endswith(tail) else []
    found = [(path.count("."), node) for path, node in paths if path == dotted or path.endswith(tail)]
    if not found:
        return []
    best = min(depth for depth, _ in found)
    unique: list = []
    for depth, node in found:
        if depth == best and not any(node is u for u in unique):
            unique.append(node)
    return unique


def find_targets(model: Model, dotted: str) -> list[TargetNode]:
    """The targets a dotted name refers to (language.md §4.3): a full path, else
    the shallowest whose path or alias ends with it (through the resolver's index
    when the model has one)."""
    exact = model.targets.get(dotted)
    if exact is not None:
        return [exact]
    if model.by_name:  # indexed by the resolver
        return model.named(tuple(dotted.split(".")))
    pairs = [(n.path, n) for n in model.targets.values()]
    pairs += [(a, n) for n in model.targets.values() for a in n.aliases]
    return suffix_matches(pairs, tuple(dotted.split(".")))
