"""Pure maths for `cross` (language.md §4 rule 10): proportional cells, IPF and
controlled rounding. Stdlib and attrs (numpy in planc.maths.ipf); nothing else from planc.

* Data problems come back as an `Infeasible` value; programming errors (bad
  shapes, unit <= 0) raise ValueError. Lines are named by row_names/col_names,
  else by 0-based index ("row 3"), the same index as `Infeasible.row`.
* ipf first checks feasibility exactly: sums, signs, all-zero lines, and a
  max flow over the seed's support. The same flow tells which seeded cells
  every exact fit leaves at zero; they are zeroed up front. That is the RAS
  limit anyway, and it keeps the iteration linearly convergent rather than
  creeping towards zero. Floats only in the fit (planc.maths.ipf on numpy
  arrays, or planc.maths.ras on lists for a small cross): RAS sweeps (rows, then
  columns; every margin checked after each sweep; capped at max_iterations
  and max_seconds, and stopped when a window of sweeps gains almost
  nothing), then, if they fell short, Newton steps in the log domain.
* Exactness: the float fit is put on an exact grid (2**-64 of the grand
  total, refined so every total is a whole number of steps) and the integer
  leftovers are pushed along a maximum-weight spanning forest of the support
  (rows and columns as nodes, cells as edges), so they land on big cells.
  ipf's rows AND columns are therefore exact, and seed zeros are exactly 0.
* controlled_round: floors plus one unit on some cells with a fractional part,
  chosen by max flow (Bacharach 1966, Cox 1987), so it cannot fail on exact
  input. Tie rule: cells are bumped greedily by decreasing fractional part
  (compared as floats; ties by row, then column) while their row and column
  still need units; Dinic completes the rest, possibly re-routing a greedy
  bump. Fractional parts within 1e-9 of 0 or 1 are snapped to that end first,
  so float-noise around whole values stays put; if the snapped problem has no
  solution the exact one is solved. Deterministic throughout.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Sequence

import attrs

Number = Fraction | int | float
_SNAP = 10**9  # fractional parts within 1/_SNAP of 0 or 1 are snapped
_GRID_BITS = 64  # grid step of the exact repair: 2**-64 of the grand total
# RAS stalls when the error shrinks by less than 10% over 100 sweeps: at that
# pace another ten orders of magnitude would take tens of thousands of sweeps.
_STALL_WINDOW = 100
_STALL_RATIO = 0.9
NEWTON_STEPS = 100  # at most this many Newton steps after RAS fails to converge
# Up to this many cells the sweeps run on lists (planc.maths.ras): importing numpy
# costs about 0.1 s, more than such a fit. Both give the same floats.
SMALL_CROSS = 10_000


@attrs.frozen
class Infeasible:
    """Why a fit or rounding cannot be done: returned as a value, never raised."""

    reason: str
    row: int | None = None
    col: int | None = None


def proportional_cells(rows: Sequence[Fraction], cols: Sequence[Fraction]) -> list[list[Fraction]]:
    """Unseeded cross: cell[i][j] = rows[i] * cols[j] / total, exact (total = sum(rows))."""
    total = sum(map(Fraction, rows), Fraction(0))
    if total == 0:
        return [[Fraction(0)] * len(cols) for _ in rows]
    return [[Fraction(r) * c / total for c in cols] for r in rows]


def ipf(seed: Sequence[Sequence[Number]], rows: Sequence[Fraction], cols: Sequence[Fraction], *,
        tolerance: float = 1e-9, max_iterations: int = 10_000, max_seconds: float | None = None,
        newton_steps: int = NEWTON_STEPS, row_names: Sequence[str] | None = None,
        col_names: Sequence[str] | None = None) -> list[list[Fraction]] | Infeasible:
    """Iterative proportional fitting (RAS) of a non-negative seed to row and column totals.

    Returns exact Fractions whose rows and columns sum exactly to the totals.
    `max_iterations` caps the RAS sweeps; when they do not converge, at most
    `newton_steps` Newton steps in the log domain finish the fit.
    """
    n, m = len(rows), len(cols)
    _check_shape(seed, n, m)
    if max_iterations < 1:
        raise ValueError("max_iterations must be at least 1")
    name_r, name_c = _namers(row_names, col_names)
    rows, cols = [Fraction(x) for x in rows], [Fraction(x) for x in cols]
    ints = _seed_ints(seed, name_r, name_c)
    if isinstance(ints, Infeasible):
        return ints
    A, D = ints  # seed = A / D exactly
    total = sum(rows, Fraction(0))
    if total != sum(cols, Fraction(0)):  # exact: inputs are Fractions
        return Infeasible(f"the rows total {_fmt(total)} but the columns total {_fmt(sum(cols))}")
    row_any = [any(line) for line in A]
    col_any = [any(line[j] for line in A) for j in range(m)]
    for kind, totals, name, seeded in (("row", rows, name_r, row_any), ("col", cols, name_c, col_any)):
        for k, (t, any_seed) in enumerate(zip(totals, seeded)):
            if t < 0:
                return Infeasible(f"{name([k])} has a negative total ({_fmt(t)})", **{kind: k})
            if t > 0 and not any_seed:
                return Infeasible(f"{name([k])} has an all-zero seed but a total of {_fmt(t)}",
                                  **{kind: k})
    if total == 0:
        return [[Fraction(0)] * m for _ in range(n)]
    support = _fit_support([[v > 0 for v in line] for line in A], rows, cols, name_r, name_c)
    if isinstance(support, Infeasible):
        return support
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    swept = None
    if n * m <= SMALL_CROSS:  # plain lists: the same floats, without importing numpy
        from planc.maths import ras as lists

        X, rt, ct = lists.start(A, support, rows, cols, total)
        X, err, sweeps, how = lists.ras(X, rt, ct, tolerance, max_iterations, deadline, _STALL_WINDOW,
                                        _STALL_RATIO)
        if how == "converged":
            exact = lists.make_exact(X, support, rows, cols, total, _GRID_BITS)
            if not isinstance(exact, tuple):
                return exact
            return _polished(X, exact, support, rows, cols, total, tolerance, newton_steps, deadline,
                             name_r, name_c)
        swept = (X, rt, ct, err, sweeps, how)
    from planc.maths import ipf as floats  # numpy: only a large seeded cross, or Newton steps, load it

    fitted = floats.fit(A, support, rows, cols, total, tolerance, max_iterations, max_seconds, deadline,
                        newton_steps, _STALL_WINDOW, _STALL_RATIO, swept)
    if isinstance(fitted, str):
        return Infeasible(fitted)
    exact = floats.make_exact(fitted, support, rows, cols, total, _GRID_BITS)
    if not isinstance(exact, tuple):
        return exact
    return _polished(fitted, exact, support, rows, cols, total, tolerance, newton_steps, deadline,
                     name_r, name_c)


def _polished(X, negative, support, rows, cols, total, tolerance, newton_steps, deadline, name_r, name_c):
    """The exact repair would turn a cell negative: Newton steps tighten the fit
    and the repair is tried again (numpy is loaded here if it was not)."""
    from planc.maths import ipf as floats

    if newton_steps > 0:
        tighter = floats.polish(X, rows, cols, total, tolerance, newton_steps, deadline)
        if tighter is not None:
            exact = floats.make_exact(tighter, support, rows, cols, total, _GRID_BITS)
            if not isinstance(exact, tuple):
                return exact
            negative = exact
    return _too_loose(negative, name_r, name_c)


def _too_loose(cell, name_r, name_c):
    i, j = cell
    return Infeasible(f"the fit is too loose to make the margins exact (cell "
                      f"({name_r([i])}, {name_c([j])}) would turn negative); "
                      "use a smaller tolerance", i, j)


def controlled_round(cells: Sequence[Sequence[Fraction]], rows: Sequence[Fraction],
                     cols: Sequence[Fraction], unit: Fraction, *,
                     row_names: Sequence[str] | None = None,
                     col_names: Sequence[str] | None = None) -> list[list[Fraction]] | Infeasible:
    """Round every cell to a multiple of `unit` so that each result is floor or ceil (to a
    multiple of unit) of the input cell, and each row sums exactly to rows[i] and each
    column to cols[j]."""
    unit = Fraction(unit)
    if unit <= 0:
        raise ValueError("the rounding unit must be positive")
    n, m = len(rows), len(cols)
    _check_shape(cells, n, m)
    name_r, name_c = _namers(row_names, col_names)
    R, C = [Fraction(x) / unit for x in rows], [Fraction(x) / unit for x in cols]
    for kind, totals, name in (("row", R, name_r), ("col", C, name_c)):
        for k, t in enumerate(totals):
            if t.denominator != 1:
                return Infeasible(f"{name([k])} total {_fmt(t * unit)} is not a multiple of the "
                                  f"rounding unit {_fmt(unit)}", **{kind: k})
    if sum(R) != sum(C):
        return Infeasible(f"the rows total {_fmt(sum(R) * unit)} but the columns total "
                          f"{_fmt(sum(C) * unit)}")
    # cell / unit = floor + rem / den, in plain ints (Fraction arithmetic is slow)
    parts: list[list[tuple[int, int, int]]] = []
    p, q = unit.numerator, unit.denominator
    for line in cells:
        row: list[tuple[int, int, int]] = []
        parts.append(row)
        for c in line:
            if type(c) is not Fraction:
                c = Fraction(c)
            num, den = c.numerator * q, c.denominator * p
            row.append((*divmod(num, den), den))
    result = _round_units(parts, [int(t) for t in R], [int(t) for t in C], unit, _SNAP, name_r, name_c)
    if isinstance(result, Infeasible):  # snapping may cost the only solution
        result = _round_units(parts, R, C, unit, None, name_r, name_c)
    if isinstance(result, Infeasible):
        return result
    # k units, made once per distinct k and shared: a large cross repeats few amounts
    distinct = set().union(*result)
    if q == 1:  # a whole unit: k * unit is a whole number (Fraction(int) skips the gcd)
        amounts = {k: Fraction(k * p) for k in distinct}
    else:
        amounts = {k: k * unit for k in distinct}
    return [list(map(amounts.__getitem__, line)) for line in result]


# --- IPF internals ------------------------------------------------------------

def _fit_support(pos, rows, cols, name_r, name_c):
    """Cells that can be positive in an exact fit; Infeasible if there is no fit.

    Rows are sources (capacity = total), columns sinks, seeded cells unbounded
    edges: a fit with the seed's support exists iff the max flow is the grand
    total. Integer capacities: every total times the common denominator.
    """
    n, m = len(rows), len(cols)
    scale = math.lcm(*(x.denominator for x in rows + cols))
    R, C = [int(x * scale) for x in rows], [int(x * scale) for x in cols]
    total = sum(R)
    cells = [(i, j) for i in range(n) for j in range(m) if pos[i][j]]
    R_left, C_left = R[:], C[:]
    flows, flow = _greedy(cells, R_left, C_left)  # greedy start (north-west corner); Dinic corrects it
    if flow < total:
        net, s, t = _network(R, R_left, C, C_left, cells, total + 1, flows)
        flow += net.max_flow(s, t)
        flows = net.cap[2 * (n + m) + 1::2]  # the cells' flows: their reverse capacities
    if flow < total:  # rows on the source side of the min cut over-ask their columns
        level = net.levels(s)
        bad = [i for i in range(n) if level[i] >= 0]
        reach = sorted({j for (i, j) in cells if level[i] >= 0})
        need, have = sum(rows[i] for i in bad), sum((cols[j] for j in reach), Fraction(0))
        return Infeasible(f"{name_r(bad)} need{'s' if len(bad) == 1 else ''} {_fmt(need)} "
                          f"but the seeded columns ({name_c(reach)}) total only {_fmt(have)}",
                          row=bad[0])
    # A zero-flow cell can become positive iff some other fit uses it, i.e. its
    # column reaches its row in the residual graph (they share a strong component).
    adj: list[list[int]] = [[] for _ in range(n + m)]
    for (i, j), f in zip(cells, flows):
        adj[i].append(n + j)
        if f > 0:
            adj[n + j].append(i)
    comp = _strong_components(adj)
    return [(i, j) for (i, j), f in zip(cells, flows) if f > 0 or comp[i] == comp[n + j]]


def _greedy(cells, R, C, cap=None):
    """Each cell in turn takes what its row and column still have, at most `cap`:
    (flows, total). R and C are used up in place."""
    flows = []
    total = 0
    for i, j in cells:
        f = R[i] if R[i] < C[j] else C[j]
        if cap is not None and f > cap:
            f = cap
        if f:
            R[i] -= f
            C[j] -= f
            total += f
        flows.append(f)
    return flows, total


def _seed_ints(seed, name_r, name_c):
    """The seed as integers on one denominator, (A, D) with seed = A / D; or
    Infeasible at the first cell (row by row) that is not finite or is negative."""
    S = [[v if type(v) is int or type(v) is Fraction else
          Fraction(v) if not isinstance(v, float) or math.isfinite(v) else None
          for v in line] for line in seed]
    for i, seed_line in enumerate(S):
        for j, v in enumerate(seed_line):
            if v is None or (v if type(v) is int else v.numerator) < 0:
                what = "is not a finite number" if v is None else f"is negative ({_fmt(v)})"
                return Infeasible(f"seed cell ({name_r([i])}, {name_c([j])}) {what}", i, j)
    D = math.lcm(*{v.denominator for line in S for v in line if type(v) is not int})  # type: ignore[union-attr]
    if D == 1:
        return [[v if type(v) is int else v.numerator for v in line] for line in S], 1  # type: ignore[union-attr]
    return [[v * D if type(v) is int else v.numerator * (D // v.denominator) for v in line]  # type: ignore[union-attr]
            for line in S], D


# --- controlled rounding internals ---------------------------------------------

def _round_units(parts, R, C, unit, snap, name_r, name_c):
    """Integer rounding in units: floors plus 0/1 bumps that meet R and C exactly.

    parts[i][j] = (floor, rem, den): the cell is floor + rem/den units. With
    `snap` = k, a fractional part below 1/k counts as 0 and above 1 - 1/k as 1.
    """
    n, m = len(R), len(C)
    base = []
    flex = []  # (i, j) of the cells with a fractional part, row by row
    keys = []  # their -fractional part (floats)
    for i, line in enumerate(parts):
        floors = []
        for j, (fl, rem, den) in enumerate(line):
            if snap and rem * snap < den:
                rem = 0
            elif snap and (den - rem) * snap < den:
                fl, rem = fl + 1, 0
            floors.append(fl)
            if rem:
                flex.append((i, j))
                keys.append(-(rem / den))
        base.append(floors)
    # Biggest fractional part first; a stable sort keeps exact ties in row, then column, order
    order = sorted(range(len(keys)), key=keys.__getitem__)
    r = [R[i] - sum(base[i]) for i in range(n)]
    c = [C[j] - s for j, s in enumerate(map(sum, zip(*base)))] if n else [C[j] for j in range(m)]
    room_r, room_c = [0] * n, [0] * m
    for i, j in flex:
        room_r[i] += 1
        room_c[j] += 1
    for kind, need, room, total, name in (("row", r, room_r, R, name_r), ("col", c, room_c, C, name_c)):
        for k in range(len(need)):
            if not 0 <= need[k] <= room[k]:
                return Infeasible(f"{name([k])} cannot reach its total of {_fmt(total[k] * unit)}: its "
                                  f"cells round down to {_fmt((total[k] - need[k]) * unit)} and at "
                                  f"most {room[k]} of them can round up by {_fmt(unit)}", **{kind: k})
    cells = [flex[k] for k in order]
    r_left, c_left = r[:], c[:]
    bumps, placed = _greedy(cells, r_left, c_left, 1)  # biggest fractional parts first
    if placed < sum(r):  # Dinic completes the greedy start, possibly re-routing it
        net, s, t = _network(r, r_left, c, c_left, cells, 1, bumps)  # rows try big fracs first
        net.max_flow(s, t)
        for i in range(n):
            if net.cap[2 * i]:
                return Infeasible(f"the cells cannot be rounded so that {name_r([i])} and every "
                                  "column meet their totals (the cells' margins do not match)", row=i)
        bumps = net.cap[2 * (n + m) + 1::2]
    for (i, j), f in zip(cells, bumps):
        base[i][j] += f
    return base


# --- small shared tools --------------------------------------------------------

def _network(R, R_left, C, C_left, cells, cap, flows):
    """Source -> row i (capacity R[i]), column j -> sink (C[j]), row -> column
    for each cell (`cap`), added in that order (edge 2k is the k-th), each
    already carrying the flow of a greedy start (R - R_left, C - C_left, flows)."""
    n, m = len(R), len(C)
    net, s, t = _Flow(n + m + 2), n + m, n + m + 1
    net.add_all([(s, i) for i in range(n)], R, [a - b for a, b in zip(R, R_left)])
    net.add_all([(n + j, t) for j in range(m)], C, [a - b for a, b in zip(C, C_left)])
    net.add_all([(i, n + j) for i, j in cells], [cap] * len(cells), flows)
    return net, s, t


class _Flow:
    """Dinic max flow on integer capacities. Adjacency keeps insertion order, so
    the result is deterministic and earlier-added edges are preferred."""

    def __init__(self, size: int) -> None:
        self.adj: list[list[int]] = [[] for _ in range(size)]
        self.to: list[int] = []
        self.cap: list[int] = []

    def add(self, u: int, v: int, cap: int) -> int:
        e = len(self.to)
        self.to += (v, u)
        self.cap += (cap, 0)
        self.adj[u].append(e)
        self.adj[v].append(e + 1)
        return e

    def add_all(self, pairs: list[tuple[int, int]], caps: list[int], flows: list[int]) -> None:
        """add(u, v, cap) for each in turn, then push its flow: the same network, in bulk."""
        adj, to, cap, e = self.adj, self.to, self.cap, len(self.to)
        for (u, v), c, f in zip(pairs, caps, flows):
            to += (v, u)
            cap += (c - f, f)
            adj[u].append(e)
            adj[v].append(e + 1)
            e += 2

    def push(self, e: int, f: int) -> None:
        self.cap[e] -= f
        self.cap[e ^ 1] += f

    def flow(self, e: int) -> int:
        return self.cap[e ^ 1]  # reverse edges start at 0

    def levels(self, s: int) -> list[int]:
        """BFS distances in the residual graph; -1 = unreachable (the min cut)."""
        level = [-1] * len(self.adj)
        level[s] = 0
        queue = [s]
        for u in queue:
            for e in self.adj[u]:
                v = self.to[e]
                if self.cap[e] > 0 and level[v] < 0:
                    level[v] = level[u] + 1
                    queue.append(v)
        return level

    def max_flow(self, s: int, t: int) -> int:
        total = 0
        while (level := self.levels(s))[t] >= 0:
            nxt = [0] * len(self.adj)  # current arc per node
            path: list[int] = []
            u = s
            while True:
                if u == t:
                    f = min(self.cap[e] for e in path)
                    for e in path:
                        self.push(e, f)
                    total, path, u = total + f, [], s
                    continue
                adj = self.adj[u]
                while nxt[u] < len(adj):
                    e = adj[nxt[u]]
                    if self.cap[e] > 0 and level[self.to[e]] == level[u] + 1:
                        break
                    nxt[u] += 1
                else:  # dead end: retreat one edge
                    if u == s:
                        break
                    u = self.to[path.pop() ^ 1]
                    nxt[u] += 1
                    continue
                path.append(e)
                u = self.to[e]
        return total


def _strong_components(adj: list[list[int]]) -> list[int]:
    """Kosaraju, iterative (no recursion limit): component id per node."""
    n, order, seen = len(adj), [], [False] * len(adj)
    for r in range(n):
        if seen[r]:
            continue
        seen[r] = True
        stack = [(r, iter(adj[r]))]
        while stack:
            v, it = stack[-1]
            for w in it:
                if not seen[w]:
                    seen[w] = True
                    stack.append((w, iter(adj[w])))
                    break
            else:
                stack.pop()
                order.append(v)
    radj: list[list[int]] = [[] for _ in range(n)]
    for v in range(n):
        for w in adj[v]:
            radj[w].append(v)
    comp, c = [-1] * n, 0
    for r in reversed(order):  # decreasing finish time, on the reversed graph
        if comp[r] >= 0:
            continue
        comp[r], stack2, c = c, [r], c + 1
        while stack2:
            for w in radj[stack2.pop()]:
                if comp[w] < 0:
                    comp[w] = comp[r]
                    stack2.append(w)
    return comp


def _check_shape(matrix: Sequence[Sequence[object]], n: int, m: int) -> None:
    if len(matrix) != n or any(len(line) != m for line in matrix):
        raise ValueError(f"expected a {n} x {m} matrix")


def _namers(row_names, col_names):
    return (lambda idx: _label("row", row_names, idx),
            lambda idx: _label("column", col_names, idx))


def _label(kind: str, names: Sequence[str] | None, idx: Sequence[int]) -> str:
    """'row 'east'', 'rows 'east', 'west'', 'column 3'."""
    parts = [f"'{names[k]}'" if names else str(k) for k in idx]
    return f"{kind}{'s' if len(parts) > 1 else ''} {', '.join(parts)}"


def _fmt(x: Fraction | int) -> str:
    """Thousands separators, exact when whole (same style as planc.amounts)."""
    x = Fraction(x)
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{float(x):,.6f}".rstrip("0").rstrip(".")
