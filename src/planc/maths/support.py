"""Which seeded cells an exact fit can make positive (planc.maths.matrix.ipf's
feasibility check), by max flow. Stdlib only; planc.maths.bigcross feeds it
numpy-made starts and adjacency for a large cross.

Rows are sources (capacity = total), columns sinks, seeded cells unbounded
edges: a fit with the seed's support exists iff the max flow is the grand
total. Integer capacities: every total times the common denominator. The
answer (the cells, or the rows that over-ask their columns) depends on the
problem only, not on which maximum flow is found.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

from planc.maths.exact import Infeasible, fmt
from planc.maths.flow import Bipartite, greedy, strong_components


def scaled_totals(rows: list[Fraction], cols: list[Fraction]) -> tuple[list[int], list[int]]:
    """The totals as integers: times the common denominator."""
    scale = math.lcm(*(x.denominator for x in rows + cols))
    return ([x.numerator * (scale // x.denominator) for x in rows],
            [x.numerator * (scale // x.denominator) for x in cols])


def fit_support(pos, rows, cols, name_r, name_c) -> list[tuple[int, int]] | Infeasible:
    """Cells that can be positive in an exact fit (row by row); Infeasible if there is no fit."""
    n, m = len(rows), len(cols)
    R, C = scaled_totals(rows, cols)
    cells = [(i, j) for i in range(n) for j in range(m) if pos[i][j]]
    ci, cj = [i for i, _ in cells], [j for _, j in cells]
    R_left, C_left = R[:], C[:]
    flows, flow = greedy(ci, cj, R_left, C_left)  # greedy start (north-west corner); Dinic corrects it
    net = Bipartite(n, m, ci, cj, None, flows, R_left, C_left)
    done = complete(net, flow, sum(R), rows, cols, name_r, name_c)
    if isinstance(done, Infeasible):
        return done
    return [cell for cell, k in zip(cells, can_be_positive(n, m, ci, cj, done)) if k]


def can_be_positive(n: int, m: int, ci: Sequence[int], cj: Sequence[int], flows: Sequence[int]) -> list[bool]:
    """Per cell of a maximum flow: can some exact fit make it positive? A zero-flow
    cell can iff some other fit uses it, i.e. its column reaches its row in the
    residual graph (they share a strong component)."""
    adj: list[list[int]] = [[] for _ in range(n + m)]
    for i, j, f in zip(ci, cj, flows):
        adj[i].append(n + j)
        if f > 0:
            adj[n + j].append(i)
    comp = strong_components(adj)
    return [f > 0 or comp[i] == comp[n + j] for i, j, f in zip(ci, cj, flows)]


def complete(net: Bipartite, flow: int, total: int, rows: Sequence[Fraction], cols: Sequence[Fraction],
             name_r, name_c) -> list[int] | Infeasible:
    """Dinic from the greedy start `flow` to a maximum flow: the cells' flows, or
    Infeasible when it falls short of `total` (the rows on the source side of
    the min cut over-ask the columns they are seeded in)."""
    if flow < total:
        flow += net.max_flow()
    if flow == total:
        return net.flows
    level, _ = net.levels(stop_at_sink=False)
    n = len(rows)
    bad = [i for i in range(n) if level[i] >= 0]
    reach = sorted({j for i, j in zip(net.ci, net.cj) if level[i] >= 0})
    need, have = sum(rows[i] for i in bad), sum((cols[j] for j in reach), Fraction(0))
    return Infeasible(f"{name_r(bad)} need{'s' if len(bad) == 1 else ''} {fmt(need)} "
                      f"but the seeded columns ({name_c(reach)}) total only {fmt(have)}",
                      row=bad[0])
