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
from typing import Sequence

import numpy as np
import numpy.typing as npt

from planc.maths.exact import Infeasible
from planc.maths.flow import Bipartite
from planc.maths.support import can_be_positive, complete, scaled_totals

Ints = npt.NDArray[np.int64]
_LIMIT = 2**62  # totals and seeds below this stay exact in int64 sums


def seed_array(seed: Sequence[Sequence[object]], n: int, m: int) -> Ints | None:
    """The seed as int64 on one denominator (as planc.maths.matrix's list code
    puts it), or None: a cell not an int or a Fraction, negative, or too large."""
    flat = list(itertools.chain.from_iterable(seed))
    kinds = set(map(type, flat))
    if not kinds <= {int, Fraction} or not flat:
        return None
    if Fraction in kinds:
        D = math.lcm(*{v.denominator for v in flat if type(v) is Fraction})  # type: ignore[attr-defined]
        if D == 1:
            flat = [v if type(v) is int else v.numerator for v in flat]  # type: ignore[attr-defined]
        else:
            flat = [v * D if type(v) is int else v.numerator * (D // v.denominator)  # type: ignore[attr-defined]
                    for v in flat]
    try:
        A = np.array(flat, dtype=np.int64).reshape(n, m)
    except OverflowError:
        return None
    if A.min() < 0 or A.max() >= _LIMIT:
        return None
    return A


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
    starts = np.searchsorted(si, np.arange(n + 1)).tolist()
    flows, R_left, C_left = _north_west(si, sj, starts, R, C)
    flow = total - sum(R_left)
    ci, cj = si.tolist(), sj.tolist()
    by_col = np.argsort(sj, kind="stable")
    col_starts = np.searchsorted(sj[by_col], np.arange(m + 1)).tolist()
    cells_of = ([range(starts[i], starts[i + 1]) for i in range(n)],
                [by_col[col_starts[j]:col_starts[j + 1]].tolist() for j in range(m)])
    net = Bipartite(n, m, ci, cj, None, flows, R_left, C_left, cells_of)
    done = complete(net, flow, total, rows, cols, name_r, name_c)
    if isinstance(done, Infeasible):
        return done
    keep = _one_component(pos, np.array(done, dtype=np.int64), si, sj, R, C)
    if keep is None:
        keep = np.array(can_be_positive(n, m, ci, cj, done), dtype=bool)
    return si[keep], sj[keep]


def _north_west(si, sj, starts: list[int], R: list[int], C: list[int]) -> tuple[list[int], list[int], list[int]]:
    """The greedy start of planc.maths.flow.greedy (each cell in turn, row by row, takes
    what its row and column still have), a row at a time: after a row's k-th
    cell it has taken min(total, its columns' leftovers summed to k)."""
    Cl = np.array(C, dtype=np.int64)
    flows = np.zeros(len(si), dtype=np.int64)
    R_left = list(R)
    for i, r in enumerate(R):
        a, b = starts[i], starts[i + 1]
        if not r or a == b:
            continue
        J = sj[a:b]
        taken = np.minimum(np.cumsum(Cl[J]), r)
        take = np.diff(taken, prepend=0)
        flows[a:b] = take
        Cl[J] -= take
        R_left[i] = r - int(taken[-1])
    return flows.tolist(), R_left, Cl.tolist()


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
