"""The float part of IPF for a small cross, in plain Python lists: the same
sweeps and the same exact repair as `planc.maths.ipf` does on numpy arrays,
with the same arithmetic in the same order, so both give the same cells
(tests/test_ipf_extreme.py compares them). A small cross does not pay for
importing numpy (about 0.1 s, more than its whole fit); a large one does not
pay for Python loops. Sweeps that fall short are finished by Newton steps in
`planc.maths.ipf`, which then loads numpy.
"""

from __future__ import annotations

import math
import sys
import time
from fractions import Fraction

from planc.maths.exact import ExactCells, grid_of, shares

TINY = 1e-300


def start(A: list[list[int]], support: list[tuple[int, int]], rows: list[Fraction], cols: list[Fraction],
          total: Fraction) -> tuple[list[list[float]], list[float], list[float]]:
    """The seed scaled by its largest cell, and the totals as parts of 1."""
    n, m = len(rows), len(cols)
    peak = max(A[i][j] for i, j in support)
    X = [[0.0] * m for _ in range(n)]
    for i, j in support:
        X[i][j] = float(Fraction(A[i][j], peak))
    a, T = shares(rows + cols, total)  # x / T rounds as float(Fraction(x, T))
    return X, [x / T for x in a[:n]], [x / T for x in a[n:]]


def ras(X: list[list[float]], rt: list[float], ct: list[float], tolerance: float, max_iterations: int,
        deadline: float | None, stall_window: int, stall_ratio: float
        ) -> tuple[list[list[float]], float, int, str]:
    """As planc.maths.ipf.ras: (X, error, sweeps, how it stopped)."""
    err = math.inf
    window: list[float] = []
    for sweep in range(1, max_iterations + 1):
        X = [[v * (t / s) for v in line] if s > 0 else line
             for line, t, s in zip(X, rt, map(_sum, X))]
        g = [t / s if s > 0 else 1.0 for t, s in zip(ct, map(_sum, zip(*X)))]
        X = [[v * gj for v, gj in zip(line, g)] for line in X]
        errors = [abs(_sum(line) - t) / max(t, TINY) for line, t in zip(X, rt)]
        errors += [abs(_sum(col) - t) / max(t, TINY) for col, t in zip(zip(*X), ct)]
        # NaN wins, as in numpy's max (Python's `max` keeps whatever it met first)
        err = math.nan if any(e != e for e in errors) else max(errors)
        window = (window + [err])[-stall_window:]
        stop = stopped(err, tolerance, window, stall_window, stall_ratio, deadline)
        if stop is not None:
            return X, err, sweep, stop
    return X, err, max_iterations, "cap"


def stopped(err: float, tolerance: float, window: list[float], stall_window: int, stall_ratio: float,
            deadline: float | None) -> str | None:
    """Why the sweeps stop after one whose error is `err` (`window`: the last
    errors, this one included): "nan", "converged", "stalled", "time" — or None."""
    if not math.isfinite(err):
        return "nan"
    if err <= tolerance:
        return "converged"
    if len(window) == stall_window and err > window[0] * stall_ratio:
        return "stalled"
    if deadline is not None and time.monotonic() > deadline:
        return "time"
    return None


def _sum_left_to_right(values) -> float:
    total = 0.0
    for v in values:
        total += v
    return total


# Left to right, one rounding per addition (as numpy's cumsum). Python 3.11's sum()
# of floats does that; from 3.12 it compensates, which would give other floats.
_sum = sum if sys.version_info < (3, 12) else _sum_left_to_right


def make_exact(X: list[list[float]], support: list[tuple[int, int]], rows: list[Fraction],
               cols: list[Fraction], total: Fraction, grid_bits: int) -> ExactCells | tuple[int, int]:
    """As planc.maths.ipf.make_exact."""
    n, m = len(rows), len(cols)
    rel, T = shares(rows + cols, total)  # the totals' parts of the grand total: rel[k] / T
    grid = grid_of(rel, T) << grid_bits  # steps per grand total
    lift = float(1 << grid_bits)
    N = [[round(v * lift) * (grid >> grid_bits) for v in line] for line in X]
    excess = [x * grid // T for x in rel]  # target minus current, rows then columns
    for i, j in support:
        excess[i] -= N[i][j]
        excess[n + j] -= N[i][j]
    parent = list(range(n + m))
    find = root_finder(parent)

    tree: list[list[tuple[int, int, int]]] = [[] for _ in range(n + m)]
    for i, j in sorted(support, key=lambda c: (-N[c[0]][c[1]], c)):  # Kruskal, biggest first
        a, b = find(i), find(n + j)
        if a != b:
            parent[a] = b
            tree[i].append((n + j, i, j))
            tree[n + j].append((i, i, j))
    for i, j, d in settle(tree, excess):
        N[i][j] += d
    for i, j in support:
        if N[i][j] < 0:
            return i, j
    return ExactCells(N, total / grid)


def settle(tree: list[list[tuple[int, int, int]]], excess: list[int]) -> list[tuple[int, int, int]]:
    """The moves (row, column, steps) along a spanning forest's cells (`tree`: each
    node's (neighbour, row, column), rows then columns as nodes) that bring every
    node's `excess` (target minus current, changed in place) to zero: leaves first,
    each node settled through the cell to its parent. Every component must balance."""
    moves = []
    seen = [False] * len(tree)
    for root in range(len(tree)):
        if seen[root]:
            continue
        seen[root] = True
        walk = [(root, root, -1, -1)]
        for v, _, _, _ in walk:  # BFS; the list grows while we walk it
            for w, i, j in tree[v]:
                if not seen[w]:
                    seen[w] = True
                    walk.append((w, v, i, j))
        for v, p, i, j in reversed(walk[1:]):
            d = excess[v]
            moves.append((i, j, d))
            excess[p] -= d
            excess[v] = 0
        assert excess[root] == 0, "a support component is unbalanced"
    return moves


def root_finder(parent: list[int]):
    """`find` of a union-find over `parent` (each node's parent; changed in
    place, with path halving): the root of a node's set."""
    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a
    return find
