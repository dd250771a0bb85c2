"""Max flow on the transport network of a cross, for `ipf`'s feasibility check
and `controlled_round` (planc.maths.matrix). Stdlib only.

The network: source -> row i (capacity R[i]), row i -> column j for each cell
(capacity `cap`, or unbounded), column j -> sink (C[j]). `Bipartite` keeps it
implicit (the rows' and columns' leftovers and one flow per cell) instead of an
edge list, and runs Dinic exactly as on the explicit network built in this
order: the source's edges by row; a row's cell edges, and a column's sink edge
then its cells' reverse edges, in the order of `cells`. So earlier cells are
preferred and the result is deterministic.
"""

from __future__ import annotations

from typing import Sequence


def greedy(ci: Sequence[int], cj: Sequence[int], R: list[int], C: list[int], cap: int | None = None
           ) -> tuple[list[int], int]:
    """Each cell (ci[k], cj[k]) in turn takes what its row and column still have, at
    most `cap`: (flows, total). R and C are used up in place."""
    flows = [0] * len(ci)
    total = 0
    if cap == 1:  # controlled rounding: 0/1 bumps, the hot loop of a large cross
        k = 0
        for i, j in zip(ci, cj):
            if R[i] and C[j]:
                R[i] -= 1
                C[j] -= 1
                flows[k] = 1
                total += 1
            k += 1
        return flows, total
    for k, (i, j) in enumerate(zip(ci, cj)):
        f = R[i] if R[i] < C[j] else C[j]
        if cap is not None and f > cap:
            f = cap
        if f:
            R[i] -= f
            C[j] -= f
            total += f
            flows[k] = f
    return flows, total


class Bipartite:
    """Dinic on the implicit network. r_left / c_left: what each row / column still
    has to send (the residual source and sink edges); flows: each cell's flow."""

    def __init__(self, n: int, m: int, ci: Sequence[int], cj: Sequence[int], cap: int | None,
                 flows: list[int], r_left: list[int], c_left: list[int],
                 cells_of: tuple[Sequence[Sequence[int]], Sequence[Sequence[int]]] | None = None) -> None:
        """`cells_of`: each row's and each column's cells (indices, in order), if
        already known; made on first use otherwise."""
        self.n, self.m, self.ci, self.cj, self.cap = n, m, ci, cj, cap
        self.flows, self.r_left, self.c_left = flows, r_left, c_left
        self._cells_of = cells_of
        self.touched: list[int] = []  # the cells whose flow Dinic changed

    def cells_of(self) -> tuple[Sequence[Sequence[int]], Sequence[Sequence[int]]]:
        if self._cells_of is None:
            row_cells: list[list[int]] = [[] for _ in range(self.n)]
            col_cells: list[list[int]] = [[] for _ in range(self.m)]
            for k, (i, j) in enumerate(zip(self.ci, self.cj)):
                row_cells[i].append(k)
                col_cells[j].append(k)
            self._cells_of = row_cells, col_cells
        return self._cells_of

    def levels(self, stop_at_sink: bool = True) -> tuple[list[int], int]:
        """BFS distances from the source in the residual network: (levels of the rows
        then the columns, -1 = unreachable; the sink's level or -1). With
        `stop_at_sink`, nodes as far as the sink or farther are left at -1: no
        path to the sink in the level graph passes through them."""
        n, flows, cap, ci, cj = self.n, self.flows, self.cap, self.ci, self.cj
        row_cells, col_cells = self.cells_of()
        level = [-1] * (n + self.m)
        queue = [i for i in range(n) if self.r_left[i] > 0]
        for i in queue:
            level[i] = 1
        sink = -1
        for u in queue:  # the list grows while we walk it
            lu = level[u]
            if stop_at_sink and sink >= 0 and lu + 1 >= sink:
                break
            if u < n:
                for k in row_cells[u]:
                    v = n + cj[k]
                    if level[v] < 0 and (cap is None or flows[k] < cap):
                        level[v] = lu + 1
                        queue.append(v)
            else:
                if sink < 0 and self.c_left[u - n] > 0:
                    sink = lu + 1
                for k in col_cells[u - n]:
                    v = ci[k]
                    if level[v] < 0 and flows[k] > 0:
                        level[v] = lu + 1
                        queue.append(v)
        return level, sink

    def max_flow(self) -> int:
        """Push flow until no augmenting path is left: the flow added."""
        total = 0
        while True:
            level, sink = self.levels()
            if sink < 0:
                return total
            total += self._blocking_flow(level, sink)

    def _blocking_flow(self, level: list[int], sink: int) -> int:
        """One Dinic phase, a depth-first search with a current arc per node. Nodes:
        rows 0..n-1, columns n..n+m-1; the source is -1. A path is a list of
        steps (kind, index): 0 = source -> row, 1 = cell forward, 2 = cell
        backward, 3 = column -> sink."""
        n, m, cap, flows = self.n, self.m, self.cap, self.flows
        ci, cj, r_left, c_left = self.ci, self.cj, self.r_left, self.c_left
        row_cells, col_cells = self.cells_of()
        nxt = [0] * (n + m)
        nxt_s = 0
        total = 0
        path: list[tuple[int, int]] = []
        u = -1
        while True:
            step = None
            if u < 0:  # the source: its edges by row
                while nxt_s < n:
                    if r_left[nxt_s] > 0 and level[nxt_s] == 1:
                        step, v = (0, nxt_s), nxt_s
                        break
                    nxt_s += 1
                else:
                    return total
            elif u < n:
                cells, want = row_cells[u], level[u] + 1
                p = nxt[u]
                while p < len(cells):
                    k = cells[p]
                    if level[n + cj[k]] == want and (cap is None or flows[k] < cap):
                        step, v = (1, k), n + cj[k]
                        break
                    p += 1
                nxt[u] = p
            else:
                j, want = u - n, level[u] + 1
                p = nxt[u]
                if p == 0:
                    if c_left[j] > 0 and want == sink:
                        step, v = (3, j), -2
                    else:
                        p = 1
                if step is None:
                    cells = col_cells[j]
                    while p <= len(cells):
                        k = cells[p - 1]
                        if flows[k] > 0 and level[ci[k]] == want:
                            step, v = (2, k), ci[k]
                            break
                        p += 1
                nxt[u] = p
            if step is None:  # dead end: retreat one edge
                kind, x = path.pop()
                u = -1 if kind == 0 else ci[x] if kind == 1 else n + cj[x]
                if u < 0:
                    nxt_s += 1
                else:
                    nxt[u] += 1
                continue
            path.append(step)
            if v != -2:
                u = v
                continue
            f = int(min(self._residual(kind, x) for kind, x in path))  # the source edge is finite
            for kind, x in path:
                if kind == 0:
                    r_left[x] -= f
                elif kind == 1:
                    flows[x] += f
                    self.touched.append(x)
                elif kind == 2:
                    flows[x] -= f
                    self.touched.append(x)
                else:
                    c_left[x] -= f
            total += f
            path, u = [], -1

    def _residual(self, kind: int, x: int) -> int | float:
        if kind == 0:
            return self.r_left[x]
        if kind == 1:
            return float("inf") if self.cap is None else self.cap - self.flows[x]
        if kind == 2:
            return self.flows[x]
        return self.c_left[x]


def strong_components(adj: list[list[int]]) -> list[int]:
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
