"""The resolved plan: targets in a tree, splits, tables, assertions.

`resolve.py` builds it; `evaluate.py`, the lint rules and the reports read
it. Nodes are plain attrs classes linked both ways (parent <-> children),
built once by the resolver and not changed afterwards.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Iterator, Sequence, Union

import attrs

from planc.syntax import ast, bare
from planc.source import Span


def writes(decl: object) -> bool:
    """A declaration that writes more than a name: a root, a funnel step, or a
    child with an amount, a cap, a label or settings. A bare child (`p7;`, most
    of a large plan's targets) and a cross cell have no expression or setting."""
    if not isinstance(decl, ast.Child):
        return decl is not None
    return decl.alloc is not None or decl.min is not None or decl.max is not None \
        or bool(decl.attributes) or decl.label is not None


def written_among(children: Sequence["TargetNode"]) -> list["TargetNode"]:
    """The `children` of one split (declared by `ast.Child`ren) that `writes`: all
    the children of most splits are bare, which one pass in C finds out."""
    if bare.only_names([child.decl for child in children]):  # type: ignore[misc]
        return []
    return [child for child in children if writes(child.decl)]


@attrs.define(eq=False, repr=False)  # a short repr: nodes link up and down the tree
class TargetNode:
    name: str
    path: str  # canonical path, e.g. year.east.Q1
    decl: Union[ast.Target, ast.Child, ast.FunnelStep, None]  # None for cross cells
    parent: "TargetNode | None" = None
    producer: "SplitNode | CrossNode | FunnelNode | None" = None  # what gives it its amount
    # Shared empty tuples until something is added (`add_split`, `add_derived`): most
    # targets of a large plan are leaves, and a million of them carry no empty lists.
    splits: Sequence["SplitNode"] = ()
    aliases: Sequence[str] = ()  # other paths that reach it (below a cross cell)
    cells: Sequence["TargetNode"] = ()  # cross cells in this node's row
    derived: Sequence["TargetNode"] = ()  # funnel steps of this target (`张伟.visits`)

    def __repr__(self) -> str:
        return f"TargetNode({self.path!r})"

    def add_split(self, split: "SplitNode") -> None:
        self.splits = _grown(self.splits, split)

    def add_derived(self, step: "TargetNode") -> None:
        self.derived = _grown(self.derived, step)

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


def _grown(items: Sequence, item) -> list:
    """`items` with `item` appended: in place when it is a list, else (a cell's shared
    empty tuple) a new list."""
    own = items if isinstance(items, list) else list(items)
    own.append(item)
    return own


@attrs.define(eq=False, repr=False)
class SplitNode:
    decl: ast.Split
    parent: TargetNode
    children: list[TargetNode] = attrs.Factory(list)
    # The children that `writes`, when the resolver found them as it added them
    written: list[TargetNode] | None = attrs.field(default=None, init=False)

    def written_children(self) -> list[TargetNode]:
        """The children that `writes` (an amount, a cap, a label, settings): none
        for most splits of a large plan. Asked after resolve."""
        if self.written is None:
            self.written = written_among(self.children)
        return self.written

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


class CellNode(TargetNode):
    """A cross cell (`parent.row.col`): no declaration, its row as parent, its cross as
    producer. Its alias `parent.col.row` is made when asked and its lists are shared empty
    tuples until it is split, so a cell costs its path and a few slots."""

    __slots__ = ()

    def __init__(self, name: str, path: str, row: TargetNode, cross: "CrossNode") -> None:
        self.name, self.path, self.decl, self.parent, self.producer = name, path, None, row, cross
        self.splits = self.cells = self.derived = ()

    @property  # read-only: a cell's alias follows from its place
    def aliases(self) -> Sequence[str]:  # type: ignore[override]
        cross = self.producer
        assert isinstance(cross, CrossNode) and self.parent is not None
        return (f"{cross.parent.path}.{self.name}.{self.parent.name}",)


class CellGrid:
    """A cross's cells, row by row (None where a split already defines the cell's path,
    E033), looked up by (row name, column name) as a dict would be (`get`, `[]`, `in`,
    `len`, `keys`, `values`, `items`, in row-major order; `[key] = cell` adds one), without
    a tuple key and a dict entry for each of 400,000 cells."""

    __slots__ = ("lines", "row_names", "col_names", "row_at", "col_at", "size")

    def __init__(self, row_names: Sequence[str] = (), col_names: Sequence[str] = ()) -> None:
        self.row_names, self.col_names = list(row_names), list(col_names)
        self.row_at = {name: i for i, name in enumerate(row_names)}
        self.col_at = {name: j for j, name in enumerate(col_names)}
        self.lines: list[list[TargetNode | None]] = []  # filled row by row (`add_line`)
        self.size = 0

    def add_line(self, line: list[TargetNode | None]) -> None:
        self.lines.append(line)
        self.size += len(line) - line.count(None)

    def at(self, i: int, j: int) -> TargetNode | None:
        """The cell of row i and column j, None where there is none."""
        line = self.lines[i] if i < len(self.lines) else ()
        return line[j] if j < len(line) else None

    def get(self, key: tuple[str, str], default=None):
        i, j = self.row_at.get(key[0]), self.col_at.get(key[1])
        cell = self.at(i, j) if i is not None and j is not None else None
        return default if cell is None else cell

    def __getitem__(self, key: tuple[str, str]) -> TargetNode:
        cell = self.get(key)
        if cell is None:
            raise KeyError(key)
        return cell

    def __setitem__(self, key: tuple[str, str], cell: TargetNode) -> None:
        for name, at, names in ((key[0], self.row_at, self.row_names), (key[1], self.col_at, self.col_names)):
            if name not in at:
                at[name] = len(names)
                names.append(name)
        i, j = self.row_at[key[0]], self.col_at[key[1]]
        self.lines.extend([] for _ in range(i + 1 - len(self.lines)))
        line = self.lines[i]
        line.extend([None] * (j + 1 - len(line)))
        self.size += line[j] is None
        line[j] = cell

    def __contains__(self, key: object) -> bool:
        return isinstance(key, tuple) and len(key) == 2 and self.get(key) is not None

    def __len__(self) -> int:
        return self.size

    def values(self) -> Iterator[TargetNode]:
        return (cell for line in self.lines for cell in line if cell is not None)

    def items(self) -> Iterator[tuple[tuple[str, str], TargetNode]]:
        return (((self.row_names[i], self.col_names[j]), cell)
                for i, line in enumerate(self.lines) for j, cell in enumerate(line) if cell is not None)

    def keys(self) -> Iterator[tuple[str, str]]:
        return (key for key, _ in self.items())

    __iter__ = keys


@attrs.define(eq=False, repr=False)
class CrossNode:
    decl: ast.Cross
    parent: TargetNode
    rows: SplitNode
    cols: SplitNode
    cells: CellGrid = attrs.Factory(CellGrid)
    seed: "Table | None" = None

    def describe(self) -> str:
        return f"cross of {self.rows.dimension} by {self.cols.dimension}"

    def cell_entries(self, before: str, last: str) -> list[tuple[str, TargetNode]]:
        """(path, cell) for the cells whose path or alias ends with `before.last`: what
        the name index would hold for them (the resolver does not index cells)."""
        out: list[tuple[str, TargetNode]] = []
        grid = self.cells
        row, col = grid.row_at.get(before), grid.col_at.get(last)
        if row is not None and col is not None and (cell := grid.at(row, col)) is not None:
            out.append((cell.path, cell))  # parent.row.col
        row, col = grid.row_at.get(last), grid.col_at.get(before)
        if row is not None and col is not None and (cell := grid.at(row, col)) is not None:
            out.append((f"{self.parent.path}.{before}.{last}", cell))  # its alias, parent.col.row
        return out

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
    by_pair: "PairIndex | dict[tuple[str, str], list]" = attrs.Factory(dict)
    # The targets whose declaration `writes` more than a name, in definition order:
    # what the checks that read expressions or settings look at.
    written: list[TargetNode] = attrs.Factory(list)

    def named(self, parts: tuple[str, ...]) -> list[TargetNode]:
        """Language.md §4.3(b) through the index: the shallowest targets whose
        path (or alias) ends with `parts`, looking only at those sharing its last
        one or two components."""
        return named_in(self, parts)

    def walk(self):
        """Targets top-down: each parent before its children."""
        stack = list(reversed(self.roots))
        while stack:
            node = stack.pop()
            yield node
            if node.splits or node.cells or node.derived:  # not a leaf (most targets of a large plan are)
                kids = [*(c for s in node.splits for c in s.children), *node.cells, *node.derived]
                stack.extend(reversed(kids))


class PairIndex:
    """The name index by a path's last two components (`before`, `last`): (path,
    node) entries, in the order they were indexed. It is grouped from the index
    by last component (`by_name`) the first time a two-part name ending in
    `last` is looked up, and kept current after that (`indexed`): most targets
    of a large plan (a million products by month) are never named by two parts,
    so they get no second entry. Reads as a dict: `get` and `in`."""

    __slots__ = ("by_name", "groups")

    def __init__(self, by_name: dict[str, list]) -> None:
        self.by_name = by_name
        self.groups: dict[str, dict[str, list]] = {}  # last -> before -> entries

    def get(self, key: tuple[str, str], default=None):
        before, last = key
        group = self.groups.get(last)
        if group is None:
            group = self.groups[last] = {}
            for entry in self.by_name.get(last, ()):
                head, dot, _ = entry[0].rpartition(".")
                if dot:  # (a one-part path has no component before its last)
                    group.setdefault(head.rpartition(".")[2], []).append(entry)
        return group.get(before, default)

    def __contains__(self, key: tuple[str, str]) -> bool:
        return self.get(key) is not None

    def indexed(self, before: str | None, lasts: Sequence[str], paths: Sequence[str],
                nodes: Sequence[TargetNode]) -> None:
        """`paths` and `nodes` were just added to `by_name` (one for each of `lasts`), with
        the same component `before` their last: a group already made gets them too."""
        groups = self.groups
        if before is None or groups.keys().isdisjoint(lasts):
            return
        for last, path, node in zip(lasts, paths, nodes):
            group = groups.get(last)
            if group is not None:
                group.setdefault(before, []).append((path, node))


def pair_entries(by_pair: "PairIndex | dict", crosses: Sequence[CrossNode], before: str, last: str) -> Sequence:
    """The index's (path, node) entries for paths ending `before.last`, cross cells
    included. A one-part name needs no cells: a cell's row or column, one level up,
    always shadows it (§4.3(b): the shallowest match)."""
    bucket = by_pair.get((before, last), ())
    for cross in crosses:
        found = cross.cell_entries(before, last)
        if found:
            bucket = [*bucket, *found]
    return bucket


def named_in(index, parts: tuple[str, ...]) -> list[TargetNode]:
    """`Model.named` on any holder of the index (`targets`, `by_name`, `by_pair`,
    `crosses`): the model, or the resolver while it builds them."""
    if len(parts) > 1:
        found = suffix_matches(pair_entries(index.by_pair, index.crosses, parts[-2], parts[-1]), parts)
        return made_order(found, index.targets)
    return suffix_matches(index.by_name.get(parts[0], ()), parts)


def made_order(found: list, targets: dict) -> list:
    """`found` (targets a name matches) in the order they were made, their order in
    `targets`: the order the name index listed them in when cross cells were in it, so
    an ambiguity (E004) names its candidates as it always did. Only a tie that mixes
    cells with other targets needs it, and that is an error: the walk stops at the last."""
    if len(found) < 2 or not any(type(n) is CellNode for n in found):
        return found
    wanted, rank = {id(n) for n in found}, {}
    for i, node in enumerate(targets.values()):
        if id(node) in wanted:
            rank[id(node)] = i
            if len(rank) == len(wanted):
                break
    return sorted(found, key=lambda n: rank.get(id(n), len(targets)))


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
