"""numpy for the per-cell work of a large cross (more than
`planc.maths.matrix.SMALL_CROSS` cells): the seed as one integer array, the
support check's greedy start and strong-component test, and controlled
rounding's floors and fractional parts. Imported only inside planc.maths.matrix
for such a cross, as planc.maths.ipf is.

Each function gives exactly what the list code gives (planc.maths.support,
planc.maths.rounding), or None where it does not apply (a seed that is not
all ints and Fractions, or numbers beyond 64-bit integers), and then the
list code runs.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import numpy.typing as npt

from planc.maths.exact import ExactCells, Infeasible
from planc.maths.flow import Bipartite
from planc.maths.rounding import Prepared
from planc.maths.support import can_be_positive, complete, scaled_totals

Ints = npt.NDArray[np.int64]
_LIMIT = 2**62  # totals and seeds below this stay exact in int64 sums


def seed_array(seed: Sequence[Sequence[object]], n: int, m: int) -> Ints | None:
    """The seed as int64 on one denominator (as planc.maths.matrix's list code
    puts it), or None: a cell not an int or a Fraction, negative, or too large."""
    flat = list(itertools.chain.from_iterable(seed))
    # A seed read from CSV shares one object per distinct number: work on those, by identity, in C loops.
    distinct = dict(zip(map(id, flat), flat))
    kinds = set(map(type, distinct.values()))
    if not kinds <= {int, Fraction} or not flat:
        return None
    if Fraction in kinds:
        D = math.lcm(*{v.denominator for v in distinct.values() if type(v) is Fraction})
        whole = {key: v * D if type(v) is int else v.numerator * (D // v.denominator)  # type: ignore[attr-defined]
                 for key, v in distinct.items()}
        flat = list(map(whole.__getitem__, map(id, flat)))
    try:
        A = np.array(flat, dtype=np.int64).reshape(n, m)
    except OverflowError:
        return None
    if A.min() < 0 or A.max() >= _LIMIT:
        return None
    return A


def prepare(cells: ExactCells, unit: Fraction, snap: int | None) -> Prepared:
    """planc.maths.rounding.prepare for ExactCells, on arrays: cell / unit =
    numerator * a / b = floor + rem / b, b shared (Python ints in object arrays)."""
    split = _split_coarse(cells, unit, snap)
    if split is None:
        split = _split(cells, unit, snap)
    floors, flex, key = split
    n, m = floors.shape
    fi, fj = np.nonzero(flex)
    order = np.argsort(-key[fi, fj], kind="stable")  # keys as in the list code: -(rem / den)
    ci, cj = fi[order], fj[order]
    ci_list, cj_list = ci.tolist(), cj.tolist()

    def network(bumps: list[int], r_left: list[int], c_left: list[int]) -> Bipartite:
        small = np.uint16 if max(n, m) < 2**16 else np.int64  # 16-bit keys sort by radix
        by_row = np.argsort(ci.astype(small), kind="stable")
        row_starts = np.searchsorted(ci[by_row], np.arange(n + 1)).tolist()
        by_col = np.argsort(cj.astype(small), kind="stable")
        col_starts = np.searchsorted(cj[by_col], np.arange(m + 1)).tolist()
        cells_of = ([by_row[row_starts[i]:row_starts[i + 1]].tolist() for i in range(n)],
                    [by_col[col_starts[j]:col_starts[j + 1]].tolist() for j in range(m)])
        net = Dense(n, m, ci_list, cj_list, 1, bumps, r_left, c_left, cells_of)
        back = np.zeros((n, m), dtype=bool)
        bumped = np.array(bumps, dtype=bool)
        back[ci[bumped], cj[bumped]] = True
        net.dense(ci, cj, flex & ~back, back)
        return net

    def finish(bumps: list[int]) -> list[list[int]]:
        bumped = np.array(bumps, dtype=bool)
        done = floors.copy()
        done[ci[bumped], cj[bumped]] += 1
        return done.tolist()

    return Prepared([], floors.sum(axis=1).tolist(), floors.sum(axis=0).tolist(),
                    np.count_nonzero(flex, axis=1).tolist(), np.count_nonzero(flex, axis=0).tolist(),
                    ci_list, cj_list, network, finish)


def _split(cells: ExactCells, unit: Fraction, snap: int | None):
    """(floors, flex, fractional parts as floats): cell / unit = numerator * a / b =
    floor + rem / b, b shared, on object arrays (Python ints); snapped as the
    list code snaps (planc.maths.rounding._snapped)."""
    ratio = cells.step / unit
    a, b = ratio.numerator, ratio.denominator
    scaled = np.array(cells.numerators, dtype=object) * a
    floors = scaled // b
    rems = scaled - floors * b
    if snap:
        low = (b - 1) // snap + 1  # rem * snap < b  <=>  rem < low
        up = (rems > b - low).astype(bool)  # (b - rem) * snap < b: counts as 1
        flex = ~(rems < low).astype(bool) & ~up
        floors = floors + up.astype(object)  # Python ints stay Python ints
    else:
        flex = (rems != 0).astype(bool)
    key = np.zeros(flex.shape)
    key[flex] = (rems[flex] / b).astype(np.float64)  # int / int: correctly rounded
    return floors, flex, key


def _split_coarse(cells: ExactCells, unit: Fraction, snap: int | None):
    """_split in 64-bit integers, for cells from the float fit (ExactCells.coarse):
    an unmoved cell / unit is q * K * step / unit = q * a / 2**e with q below
    2**64 and, when the totals are multiples of the unit, a odd and e <= 64.
    q * a is formed from q's 32-bit halves. The moved cells are worked out
    apart, in Python ints. None when the numbers do not fit."""
    if cells.coarse is None:
        return None
    coarse: Any = cells.coarse
    Q, K, moved = coarse
    ratio = K * cells.step / unit
    a, b = ratio.numerator, ratio.denominator
    e = b.bit_length() - 1
    if b != 1 << e or not 32 <= e <= 64 or a >= 2**31 or not Q.size or Q.max() >= 2.0**64:
        return None
    q = Q.astype(np.uint64)
    mask32 = np.uint64(2**32 - 1)
    t = (q & mask32) * np.uint64(a)
    w = (q >> np.uint64(32)) * np.uint64(a) + (t >> np.uint64(32))  # q * a = w * 2**32 + t % 2**32
    floors = (w >> np.uint64(e - 32)).astype(np.int64)
    rems = ((w & np.uint64(2 ** (e - 32) - 1)) << np.uint64(32)) | (t & mask32)
    if snap:
        low = (b - 1) // snap + 1
        up = rems > np.uint64(b - low)
        flex = (rems >= np.uint64(low)) & ~up
        floors += up
    else:
        flex = rems != 0
    key = np.zeros(flex.shape)
    key[flex] = rems[flex].astype(np.float64) / 2.0**e  # exact scaling of a correctly rounded float
    ratio = cells.step / unit
    a, b = ratio.numerator, ratio.denominator
    for (i, j), v in moved.items():
        fl, rem = divmod(v * a, b)
        if snap and rem * snap < b:
            rem = 0
        elif snap and (b - rem) * snap < b:
            fl, rem = fl + 1, 0
        floors[i, j], flex[i, j], key[i, j] = fl, rem != 0, rem / b if rem else 0.0
    return floors, flex, key


def fit_support(A: Ints, rows: list[Fraction], cols: list[Fraction], name_r, name_c
                ) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | Infeasible | None:
    """planc.maths.support.fit_support on an array: the cells (row and column
    indices, row by row), Infeasible, or None if the totals are too large."""
    n, m = A.shape
    R, C = scaled_totals(rows, cols)
    total = sum(R)
    if total >= _LIMIT:
        return None
    pos = A > 0
    si, sj = np.nonzero(pos)
    flows, R_left, C_left = _north_west(pos, si, sj, R, C)
    flow = total - sum(R_left)
    ci, cj = si.tolist(), sj.tolist()
    cells_of = None
    if flow < total:  # Dinic will run: each row's and column's cells (a row's are consecutive)
        starts = np.searchsorted(si, np.arange(n + 1)).tolist()
        by_col = np.argsort(sj, kind="stable")
        col_starts = np.searchsorted(sj[by_col], np.arange(m + 1)).tolist()
        cells_of = ([range(starts[i], starts[i + 1]) for i in range(n)],
                    [by_col[col_starts[j]:col_starts[j + 1]].tolist() for j in range(m)])
    net = Dense(n, m, ci, cj, None, flows, R_left, C_left, cells_of)
    net.dense(si, sj, pos)
    done = complete(net, flow, total, rows, cols, name_r, name_c)
    if isinstance(done, Infeasible):
        return done
    keep = _one_component(pos, np.array(done, dtype=np.int64), si, sj, R, C)
    if keep is None:
        keep = np.array(can_be_positive(n, m, ci, cj, done), dtype=bool)
    return si[keep], sj[keep]


def _north_west(pos, si, sj, R: list[int], C: list[int]) -> tuple[list[int], list[int], list[int]]:
    """A start for the max flow (any start gives the same support): the greedy of
    planc.maths.flow.greedy, row by row, each row from the first column with
    something left and only until its total is placed."""
    n, m = pos.shape
    seeded = pos.tolist()
    C_left, R_left = list(C), list(R)
    placed_i, placed_j, placed_f = [], [], []
    first = 0
    for i in range(n):
        r, line = R_left[i], seeded[i]
        j = first
        while r and j < m:
            c = C_left[j]
            if c and line[j]:
                f = r if r < c else c
                r -= f
                C_left[j] = c - f
                placed_i.append(i)
                placed_j.append(j)
                placed_f.append(f)
            j += 1
        R_left[i] = r
        while first < m and not C_left[first]:
            first += 1
    index = np.full((n, m), -1, dtype=np.int64)
    index[si, sj] = np.arange(len(si))
    flows = np.zeros(len(si), dtype=np.int64)
    flows[index[placed_i, placed_j]] = placed_f
    return flows.tolist(), R_left, C_left


def _one_component(pos, flows: Ints, si, sj, R: list[int], C: list[int]):
    """The cells to keep when every row and column with a positive total lies in one
    strong component of the residual graph (row -> column for a seeded cell,
    column -> row for a cell with flow): those of such rows and columns; else None."""
    n, m = pos.shape
    live_r, live_c = np.array(R) > 0, np.array(C) > 0
    if not live_r.any():
        return None
    used = np.zeros((n, m), dtype=bool)
    used[si[flows > 0], sj[flows > 0]] = True
    start = int(np.argmax(live_r))
    ahead = _reach(start, pos, used)  # row -> column by seed, column -> row by flow
    behind = _reach(start, used, pos)  # the same edges backwards
    both_r, both_c = ahead[0] & behind[0], ahead[1] & behind[1]
    if not (np.array_equal(both_r, live_r) and np.array_equal(both_c, live_c)):
        return None
    return live_r[si] & live_c[sj]


def _reach(start: int, out_of_rows, out_of_cols):
    """Rows and columns reached from row `start`: a row reaches the columns where
    out_of_rows is set, a column the rows where out_of_cols is set."""
    n, m = out_of_rows.shape
    seen_r, seen_c = np.zeros(n, dtype=bool), np.zeros(m, dtype=bool)
    seen_r[start] = True
    frontier = seen_r.copy()
    while frontier.any():
        new_c = out_of_rows[frontier].any(axis=0) & ~seen_c
        seen_c |= new_c
        frontier = out_of_cols[:, new_c].any(axis=1) & ~seen_r
        seen_r |= frontier
    return seen_r, seen_c


class Dense(Bipartite):
    """Bipartite whose breadth-first search runs a level at a time on boolean
    matrices (the same levels); the depth-first search is Bipartite's."""

    def dense(self, si, sj, fwd, back=None) -> None:
        """fwd: the cells with room for more flow; back: those with flow (made from
        the flows if not given)."""
        self.si, self.sj, self.fwd = si, sj, fwd
        if back is None:
            back = np.zeros(fwd.shape, dtype=bool)
            has = np.array(self.flows, dtype=np.int64) > 0  # flows below 2**62
            back[si[has], sj[has]] = True
        self.back = back

    def levels(self, stop_at_sink: bool = True) -> tuple[list[int], int]:
        for k in self.touched:
            i, j, f = self.ci[k], self.cj[k], self.flows[k]
            self.back[i, j] = f > 0
            if self.cap is not None:
                self.fwd[i, j] = f < self.cap
        self.touched.clear()
        n, m = self.n, self.m
        level_r, level_c = np.full(n, -1, dtype=np.int64), np.full(m, -1, dtype=np.int64)
        short_c = np.array([x > 0 for x in self.c_left], dtype=bool)
        front = np.array([x > 0 for x in self.r_left], dtype=bool)
        level_r[front] = 1
        depth, sink = 1, -1
        while front.any() and not (stop_at_sink and 0 <= sink <= depth + 1):
            cols = self.fwd[front].any(axis=0) & (level_c < 0)
            level_c[cols] = depth + 1
            depth += 1
            if sink < 0 and (cols & short_c).any():
                sink = depth + 1
            if not cols.any() or (stop_at_sink and 0 <= sink <= depth + 1):
                break
            front = self.back[:, cols].any(axis=1) & (level_r < 0)
            level_r[front] = depth + 1
            depth += 1
        return level_r.tolist() + level_c.tolist(), sink
