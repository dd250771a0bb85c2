"""Crossed dimensions at resolve time (language.md §4.10): `cross A by B [seed T]`
creates a cell for every (row child, column child) pair of two splits of the
same parent, at `parent.row.col` and also reachable as `parent.col.row`.
The cells' amounts are computed in `planc.evaluate.crosses`.
A three-way cross is refused (see docs/language.md: exact 3-D controlled
rounding does not always exist, and we will not silently break a total).
"""

from __future__ import annotations

from itertools import repeat
from typing import Protocol

from planc.diagnostics import Diagnostic, Label, error
from planc.diagnostics.suggest import did_you_mean
from planc.semantics.model import CellGrid, CellNode, CrossNode, SplitNode, Table, TargetNode
from planc.syntax import ast



class Names(Protocol):
    """What a cross needs from the resolver: its name tables, and where problems go."""

    diags: list[Diagnostic]
    targets: dict[str, TargetNode]
    tables: dict[str, Table]
    used_tables: set[str]
    split_dims: dict[str, set[int]]  # dimension -> ids of the targets split by it

    def index(self, path: str, node: TargetNode) -> None:
        """Make `node` findable by `path` (its own path or an alias) and its suffixes."""

    def cross_clash(self, cross: CrossNode, node: TargetNode) -> None:
        """`node`, defined by a split, is also a cell of `cross` (one E033 per cross)."""

    def maybe_unparsed(self, *names: str | None) -> bool:
        """Could an imported file that did not parse have defined one of these names?"""

PENDING = object()  # the splits it needs are not attached yet

# Every cell is a target, fitted and rounded: `check` and `eval` of a 2000 × 200 cross
# (400,000 cells) peak at about 280 MB (benchmarks/bench_cross.py); 2000 × 2000 would
# take gigabytes. Documented in language.md §5.
MAX_CROSS_CELLS = 500_000


def attach_cross(resolver: Names, decl: ast.Cross, final: bool = False):
    """A CrossNode, None after an error, or PENDING (try again next round)."""
    if len(decl.dims) != 2:
        resolver.diags.append(error(
            "E034", "a three-way cross is not supported", decl.span,
            help="cross two dimensions, then split the cells (e.g. `split east.Q1 by product …`)"))
        return None
    row_dim, col_dim = decl.dims
    if row_dim == col_dim:
        resolver.diags.append(error("E032", f"cannot cross `{row_dim}` with itself", decl.span,
                                    help=f"cross two different dimensions, e.g. `cross {row_dim} by quarter`"))
        return None
    # Which targets are split by each dimension is indexed: a cross waiting while
    # thousands of splits attach must not scan every target each time.
    few, many = sorted((resolver.split_dims.get(row_dim, set()), resolver.split_dims.get(col_dim, set())), key=len)
    parents = [] if not any(t in many for t in few) else [
        t for t in resolver.targets.values() if _split_by(t, row_dim) is not None and _split_by(t, col_dim) is not None]
    if not parents:
        if not final:
            return PENDING
        if not resolver.maybe_unparsed(*decl.dims):  # else its splits may be in a file that did not parse
            resolver.diags.append(_no_parent(resolver, decl))
        return None
    if len(parents) > 1:
        names = ", ".join(f"`{p.path}`" for p in parents)
        resolver.diags.append(error("E032", f"cross of {row_dim} by {col_dim} is ambiguous: {names} are "
                                    f"each split by both", decl.span,
                                    help="rename one of the dimensions so each cross names one parent"))
        return None
    parent = parents[0]
    row0, col0 = _split_by(parent, row_dim).children, _split_by(parent, col_dim).children  # type: ignore[union-attr]
    if row0 and col0:
        existing = resolver.targets.get(f"{parent.path}.{row0[0].name}.{col0[0].name}") or \
            resolver.targets.get(f"{parent.path}.{col0[0].name}.{row0[0].name}")
        if existing is not None and existing.decl is None and existing.producer is not None:
            resolver.diags.append(error("E007", f"cross of {row_dim} by {col_dim} is declared twice", decl.span,
                                        related=(Label(existing.producer.decl.span, "first declared here"),),
                                        help="delete one of the two `cross` lines"))
            return None
    if len(row0) * len(col0) > MAX_CROSS_CELLS:
        resolver.diags.append(error(
            "E032", f"cross of {row_dim} by {col_dim} would have {len(row0) * len(col0):,} cells "
            f"({len(row0):,} × {len(col0):,}), more than the {MAX_CROSS_CELLS:,} a cross may have", decl.span,
            help="cross coarser dimensions, or split the cells of a smaller cross further"))
        return None
    cross = CrossNode(decl, parent, _split_by(parent, row_dim), _split_by(parent, col_dim))  # type: ignore[arg-type]
    if decl.seed is not None:
        cross.seed = _seed_table(resolver, decl, cross)
        if cross.seed is None:
            return None
    _make_cells(resolver, cross)
    return cross


def _split_by(target: TargetNode, dimension: str) -> SplitNode | None:
    return next((s for s in target.splits if s.dimension == dimension), None)


def _no_parent(resolver: Names, decl: ast.Cross):
    by_dim = {d: sorted({s.parent.path for t in resolver.targets.values() for s in t.splits
                         if s.dimension == d}) for d in decl.dims}
    known = "; ".join(f"`{d}` splits {', '.join(p) if p else 'nothing'}" for d, p in by_dim.items())
    return error("E032", f"cross of {decl.dims[0]} by {decl.dims[1]}: no target is split by both", decl.span,
                 help=f"a cross needs two splits of the same parent ({known})")


def _seed_table(resolver: Names, decl: ast.Cross, cross: CrossNode) -> Table | None:
    ref = decl.seed
    assert ref is not None
    table = resolver.tables.get(ref.parts[0])
    if table is None:
        if not resolver.maybe_unparsed(ref.parts[0]):
            resolver.diags.append(error("E026", f"seed `{ref.dotted}` is not a table", ref.span,
                                        help=did_you_mean(ref.dotted, resolver.tables)))
        return None
    resolver.used_tables.add(table.name)
    if not table.is_2d:
        resolver.diags.append(error("E036", f"seed `{table.name}` is a 1-D table; a cross needs a 2-D seed",
                                    ref.span, help=f"declare it `table {table.name} by {decl.dims[0]}, {decl.dims[1]} "
                                    "{ row: col = v, … }`"))
        return None
    dims = tuple(table.dims)
    if dims == (decl.dims[1], decl.dims[0]):  # written the other way round: transpose
        table = Table(table.name, decl.dims, {(c, r): v for (r, c), v in table.values.items()}, table.span,
                      table.imported)
    elif dims != tuple(decl.dims):
        resolver.diags.append(error("E036", f"seed `{table.name}` is by {', '.join(dims)}; the cross is by "
                                    f"{', '.join(decl.dims)}", ref.span,
                                    help=f"use a seed declared `table {table.name} by {', '.join(decl.dims)}`"))
        return None
    rows = [c.name for c in cross.rows.children]
    cols = [c.name for c in cross.cols.children]
    problems = []
    row_set, col_set = set(rows), set(cols)  # sets: a 1000 x 100 seed has 100,000 keys to check
    unknown = sorted({k for k in table.values if k[0] not in row_set or k[1] not in col_set})
    # Every key a cell and one key per cell: nothing is missing (the keys are unique)
    if len(table.values) - len(unknown) < len(row_set) * len(col_set):
        missing = [f"{r}: {c}" for r in rows for c in cols if (r, c) not in table.values]
        if missing:
            more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
            problems.append((f"has no value for {', '.join(missing[:3])}{more}",
                             f"add `{missing[0]} = …` to `{table.name}` (0 if the cell has no sales)"))
    if unknown:
        problems.append(("has keys that are not cells of the cross: " +
                         ", ".join(f"{r}: {c}" for r, c in unknown[:3]),
                         "name the rows and columns after the children of the two splits"))
    negative = [k for k, v in table.values.items() if v.numerator < 0]  # no Fraction comparison per value
    if negative:
        problems.append((f"has a negative value at {negative[0][0]}: {negative[0][1]}",
                         "a seed's values are zero or more"))
    for p, fix in problems:
        resolver.diags.append(error("E036", f"seed `{table.name}` {p}", ref.span, help=fix))
    return None if problems else table


def _make_cells(resolver: Names, cross: CrossNode) -> None:
    """A target per (row, column) pair, at `parent.row.col` (its alias `parent.col.row`).
    A 1000 x 100 cross makes 100,000 of them, so a cell is lean (`CellNode`): the path
    prefixes are made once per row and only the paths formatted per cell, and cells are
    not put in the name index: a name finds them through its cross (`CrossNode.cell_entries`)."""
    parent, targets = cross.parent, resolver.targets
    col_names = [col.name for col in cross.cols.children]
    cross.cells = grid = CellGrid([row.name for row in cross.rows.children], col_names)
    # A path can only be taken already below a row or column that is split, has funnel
    # steps or is in another cross: otherwise no path is looked up (a 1000 x 100 cross
    # would format 100,000 aliases for nothing).
    clashes = any(n.splits or n.derived or n.cells for n in (*cross.rows.children, *cross.cols.children))
    for row in cross.rows.children:
        rname = row.name
        row_prefix = f"{parent.path}.{rname}."
        paths = [row_prefix + cname for cname in col_names]
        if not clashes:  # the usual case, in bulk
            line: list[TargetNode | None] = list(map(CellNode, col_names, paths, repeat(row), repeat(cross)))
            targets.update(zip(paths, line))  # type: ignore[arg-type]
        else:
            line = []
            for cname, path in zip(col_names, paths):
                clash = targets.get(path) or targets.get(f"{parent.path}.{cname}.{rname}")
                if clash:
                    resolver.cross_clash(cross, clash)
                    line.append(None)
                    continue
                cell = CellNode(cname, path, row, cross)
                targets[path] = cell
                line.append(cell)
        row.cells = [*row.cells, *(cell for cell in line if cell is not None)]  # (a row may be in two crosses)
        grid.add_line(line)
