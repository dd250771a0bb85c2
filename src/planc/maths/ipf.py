"""The float part of IPF (`planc.maths.matrix.ipf`) on numpy arrays: RAS
sweeps, then Newton steps in the log domain when the sweeps do not converge
(`fit`); and the exact repair of the float fit (`make_exact`, integers on one
grid, settled along a maximum-weight spanning forest).

numpy is imported here at the top, and this module is imported only inside
`matrix.ipf`, for a cross of more than `matrix.SMALL_CROSS` cells or when
the sweeps need Newton steps (`planc.maths.ras` fits smaller crosses on
lists), so `planc check` on other plans never loads numpy.

* `ras` is the sweep loop exactly as it was written over Python lists, with
  the same arithmetic in the same order: every row and column sum is a
  left-to-right running sum (`cumsum`, as `sum()` over a list of floats in
  Python 3.11), each line is scaled by `total / sum`, and the error is the
  largest relative margin error. So a fit that converged before converges
  after the same sweep to the same floats, and the exact cells made from
  them are the same fractions.
* `newton` minimises the convex dual of the fit, F(a, b) = sum of
  X[i,j] exp(a[i] + b[j]) - rows . a - cols . b, whose minimum is the RAS
  limit (the I-projection of the seed on the seed's support). A Newton step
  solves the Hessian system through its Schur complement on the smaller
  side (least squares: the system is singular along a + c, b - c), with a
  backtracking line search on F. Seeds whose cells span 10^6 to 10^9 with
  weakly linked blocks make RAS crawl (its rate is the second singular value
  of the scaled seed, close to 1); Newton converges in a few dozen steps.
"""

from __future__ import annotations

import functools
import time
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from planc.maths.exact import ExactCells, grid_of, shares
from planc.maths.ras import root_finder, settle, stopped

Array = npt.NDArray[np.float64]
# The cells an exact fit may make positive, row by row: (row, column) pairs, or
# their rows and columns as arrays (planc.maths.bigcross)
Support = list[tuple[int, int]] | tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]


def _quiet(fn):
    """numpy's overflow and invalid-value warnings off: a fit that breaks down is
    found by its margin error and reported as E035, never as a warning on stderr."""
    @functools.wraps(fn)
    def run(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    return run
TINY = 1e-300
_STEP_CAP = 30.0  # largest change of a log scale in one Newton step
_ARMIJO = 1e-4
_POLISH = 1e-5  # Newton steps aim at tolerance x this


def margin_error(X: Array, rt: Array, ct: Array) -> float:
    """The largest relative error of a row or column sum (sums left to right)."""
    rows = np.cumsum(X, axis=1)[:, -1]
    cols = np.cumsum(X, axis=0)[-1]
    return float(max(np.max(np.abs(rows - rt) / np.maximum(rt, TINY)),
                     np.max(np.abs(cols - ct) / np.maximum(ct, TINY))))


def ras(X: Array, rt: Array, ct: Array, tolerance: float, max_iterations: int, deadline: float | None,
        stall_window: int, stall_ratio: float) -> tuple[Array, float, int, str]:
    """Sweeps until the error is within `tolerance`: (X, error, sweeps, how it stopped:
    "converged", "nan", "stalled", "time" or "cap")."""
    err = float("inf")
    window: list[float] = []
    for sweep in range(1, max_iterations + 1):
        s = np.cumsum(X, axis=1)[:, -1]
        f = np.divide(rt, s, out=np.ones_like(s), where=s > 0)
        X = X * f[:, None]
        s = np.cumsum(X, axis=0)[-1]
        g = np.divide(ct, s, out=np.ones_like(s), where=s > 0)
        X = X * g[None, :]
        err = margin_error(X, rt, ct)
        window = (window + [err])[-stall_window:]
        stop = stopped(err, tolerance, window, stall_window, stall_ratio, deadline)
        if stop is not None:
            return X, err, sweep, stop
    return X, err, max_iterations, "cap"


def newton(X: Array, rt: Array, ct: Array, tolerance: float, steps: int,
           deadline: float | None) -> tuple[Array, float, int]:
    """Damped Newton steps on the dual from the positive iterate X: (X, error, steps used).

    Rows and columns without a positive cell (zero totals) are left alone."""
    transposed = X.shape[0] < X.shape[1]
    if transposed:  # the Schur system is over the columns: make them the smaller side
        X, rt, ct = X.T, ct, rt
    X = np.array(X, dtype=np.float64, order="C")  # our own copy: steps write into it
    parts = _components(X)
    err = margin_error(X, rt, ct)
    used = 0
    # Newton converges fast near the fit, so it polishes well past `tolerance`: the
    # exact repair then moves cells far less, and tiny cells do not turn negative.
    goal = tolerance * _POLISH
    for used in range(1, steps + 1):
        if err <= goal or not np.isfinite(err):
            used -= 1
            break
        if deadline is not None and time.monotonic() > deadline:
            break
        for rows, cols in parts:
            block = np.ix_(rows, cols)
            if _rel_error(X[block], rt[rows], ct[cols]) > goal / 2:
                X[block] = _newton_step(X[block], rt[rows], ct[cols])
        before, err = err, margin_error(X, rt, ct)
        if err <= tolerance and err >= before:  # within tolerance and no better: float noise
            break
    return (X.T if transposed else X), err, used


def _components(X: Array) -> list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]]:
    """The connected parts of the positive cells (rows and columns as nodes): F
    splits into one problem per part, each singular along its own constant."""
    n, m = X.shape
    parent = list(range(n + m))
    find = root_finder(parent)

    si, sj = np.nonzero(X > 0)
    for i, j in zip(si.tolist(), sj.tolist()):
        a, b = find(i), find(n + j)
        if a != b:
            parent[a] = b
    live = set(si.tolist()) | {n + j for j in sj.tolist()}
    groups: dict[int, list[int]] = {}
    for v in sorted(live):
        groups.setdefault(find(v), []).append(v)
    return [(np.array([v for v in g if v < n], dtype=np.intp), np.array([v - n for v in g if v >= n], dtype=np.intp))
            for g in groups.values()]


def _newton_step(Y: Array, r: Array, c: Array) -> Array:
    """One damped Newton step on one connected part: the part's new cells."""
    rs, cs = Y.sum(axis=1), Y.sum(axis=0)
    gr, gc = rs - r, cs - c  # the gradient of F
    inv = 1.0 / rs
    schur = np.diag(cs) - Y.T @ (Y * inv[:, None])
    rhs = -gc + Y.T @ (inv * gr)
    # Scaled to a unit diagonal, so columns whose sums are 10^9 apart weigh alike in the solve.
    d = 1.0 / np.sqrt(np.maximum(np.diag(schur), TINY))
    scaled = schur * d[:, None] * d[None, :]
    # The system is singular along db = constant (z = 1/d scaled): pin that direction
    # with a rank-one term and solve exactly (a least-squares cut-off would also drop
    # the nearly singular directions a seed with 10^9 ratios needs).
    w = 1.0 / d
    w /= np.linalg.norm(w)
    try:
        z = np.linalg.solve(scaled + np.outer(w, w), d * rhs)
    except np.linalg.LinAlgError:  # several components: least squares
        z = np.linalg.lstsq(scaled, d * rhs, rcond=None)[0]
    db = d * z
    da = inv * (-gr - Y @ db)
    biggest = max(float(np.max(np.abs(da))), float(np.max(np.abs(db))))
    if biggest > _STEP_CAP:
        da, db = da * (_STEP_CAP / biggest), db * (_STEP_CAP / biggest)
    slope = float(gr @ da + gc @ db)  # directional derivative of F, negative
    base = float(Y.sum())
    Z = Y * np.exp(da)[:, None] * np.exp(db)[None, :]
    if biggest <= 1.0 and _rel_error(Z, r, c) < _rel_error(Y, r, c):
        # Near the fit F's decrease falls below float noise and Armijo cannot see it:
        # a full step that brings the margins closer is taken (quadratic convergence).
        return Z
    t = 1.0
    for _ in range(60):
        Z = Y * np.exp(t * da)[:, None] * np.exp(t * db)[None, :]
        drop = float(Z.sum()) - base - t * float(r @ da + c @ db)
        if np.isfinite(drop) and drop <= _ARMIJO * t * slope:
            break
        t /= 2
    return Z


def _rel_error(Y: Array, r: Array, c: Array) -> float:
    return float(max(np.max(np.abs(Y.sum(axis=1) - r) / r), np.max(np.abs(Y.sum(axis=0) - c) / c)))


@_quiet
def fit(A: list[list[int]] | npt.NDArray[np.int64], support: Support, rows: list[Fraction], cols: list[Fraction],
        total: Fraction, tolerance: float, max_iterations: int, max_seconds: float | None,
        deadline: float | None, newton_steps: int,
        stall_window: int, stall_ratio: float, swept: tuple | None = None) -> Array | str:
    """The float fit, on totals normalised to sum 1: RAS sweeps (stopped early
    when a window of sweeps gains almost nothing or the deadline passes), then
    Newton steps if the sweeps did not converge. A = the seed on one
    denominator; `swept`: the sweeps already done in lists (planc.maths.ras),
    (X, rt, ct, error, sweeps, how). The floats, or why they failed (E035's words)."""
    if swept is not None:
        X0, rt0, ct0, err, sweeps, how = swept
        X, rt, ct = np.array(X0, dtype=np.float64), np.array(rt0), np.array(ct0)
    else:
        X, rt, ct = _start(A, support, rows, cols, total)
        X, err, sweeps, how = ras(X, rt, ct, tolerance, max_iterations, deadline, stall_window, stall_ratio)
    if how == "converged":
        return X
    if how == "nan":
        return "the fit broke down numerically (a margin became infinite)"
    if newton_steps > 0 and (deadline is None or time.monotonic() < deadline):
        X2, err2, steps = newton(X, rt, ct, tolerance, newton_steps, deadline)
        if err2 <= tolerance:
            return X2
        if how != "time" and deadline is not None and time.monotonic() > deadline:
            how, err = "time", err2
        else:
            err = min(err, err2)
        sweeps_text = f"{sweeps} sweeps and {steps} Newton steps"
    else:
        sweeps_text = f"{sweeps} sweeps"
    if how == "stalled":
        return f"did not converge after {sweeps_text}: the fit stalled (max margin error {err:.3g})"
    if how == "time":
        return f"did not converge after {sweeps_text} ({max_seconds:g} s) (max margin error {err:.3g})"
    return f"did not converge after {sweeps_text} (max margin error {err:.3g})"


@_quiet
def polish(X: Array | list[list[float]], rows: list[Fraction], cols: list[Fraction], total: Fraction,
           tolerance: float, steps: int, deadline: float | None) -> Array | None:
    """Newton steps from a fit that met `tolerance` but is too loose for the exact
    repair (a cell smaller than the margins' errors would turn negative): the
    fit to well within it, or None."""
    a, T = shares(rows + cols, total)
    rt, ct = np.array([x / T for x in a[:len(rows)]]), np.array([x / T for x in a[len(rows):]])
    Y, err, _ = newton(np.array(X, dtype=np.float64), rt, ct, tolerance * _POLISH, steps, deadline)
    return Y if err <= tolerance else None


def _start(A: list[list[int]] | npt.NDArray[np.int64], support: Support, rows: list[Fraction], cols: list[Fraction],
           total: Fraction) -> tuple[Array, Array, Array]:
    """The seed scaled by its largest cell, and the totals as parts of 1 (as planc.maths.ras.start)."""
    n, m = len(rows), len(cols)
    si, sj = indices(support)
    vals = A[si, sj].tolist() if isinstance(A, np.ndarray) else [A[i][j] for i, j in zip(si.tolist(), sj.tolist())]
    peak = max(vals)
    X = np.zeros((n, m))
    if peak < 2**53:  # exact as floats, so one division rounds as float(Fraction) does
        X[si, sj] = np.array(vals, dtype=np.float64) / float(peak)
    else:
        X[si, sj] = [float(Fraction(v, peak)) for v in vals]
    a, T = shares(rows + cols, total)  # x / T rounds as float(Fraction(x, T))
    return X, np.array([x / T for x in a[:n]]), np.array([x / T for x in a[n:]])


def make_exact(X: Array, support: Support, rows: list[Fraction], cols: list[Fraction],
               total: Fraction, grid_bits: int) -> ExactCells | tuple[int, int]:
    """Exact cells from the float fit (see planc.maths.matrix), or the first
    cell the repair would turn negative. Each cell is q = round(x * 2**grid_bits)
    steps of 2**-grid_bits of the grand total; the row and column sums of q
    are exact integer sums (q split in 32-bit halves)."""
    n, m = len(rows), len(cols)
    rel, T = shares(rows + cols, total)  # the totals' parts of the grand total: rel[k] / T
    K = grid_of(rel, T)  # the grid: K << grid_bits steps per grand total
    grid = K << grid_bits
    Q = np.rint(X * float(1 << grid_bits))  # whole numbers, exactly, as floats
    hi = np.floor(Q / 2.0**32)
    lo = (Q - hi * 2.0**32).astype(np.int64)
    hi = hi.astype(np.int64)
    row_q = [(int(h) << 32) + int(x) for h, x in zip(hi.sum(axis=1).tolist(), lo.sum(axis=1).tolist())]
    col_q = [(int(h) << 32) + int(x) for h, x in zip(hi.sum(axis=0).tolist(), lo.sum(axis=0).tolist())]
    excess = [x * grid // T - K * q for x, q in zip(rel, row_q + col_q)]  # target minus current
    si, sj = indices(support)
    tree, adjust = _biggest_forest(Q, si, sj, n, m)
    for i, j, d in settle(tree, excess):
        adjust[i, j] = d
    N: dict[tuple[int, int], int] = {}  # the tree's cells, moved by the repair (in steps of the grid)
    for (i, j), d in adjust.items():
        N[i, j] = int(Q[i, j]) * K + d
    negative = sorted(cell for cell, v in N.items() if v < 0)
    if negative:
        return negative[0]
    out = _times(Q, K)  # an unmoved cell is q * K steps
    for (i, j), v in N.items():
        out[i][j] = v
    return ExactCells(out, total / grid, (Q, K, N))


def _times(Q: Array, K: int) -> list[list[int]]:
    """int(q) * K for every q of Q (whole numbers below 2**64, as floats), as lists."""
    top = int(Q.max()) if Q.size else 0
    if K < 2**63 and top * K < 2**63:
        return (Q.astype(np.int64) * K).tolist()
    if top < 2**63:
        return (Q.astype(np.int64).astype(object) * K).tolist()
    return [[int(q) * K for q in line] for line in Q.tolist()]


def indices(support: Support) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The support's rows and columns as arrays (row by row)."""
    if isinstance(support, tuple):
        return support
    si = np.fromiter((i for i, _ in support), dtype=np.intp, count=len(support))
    sj = np.fromiter((j for _, j in support), dtype=np.intp, count=len(support))
    return si, sj


def _biggest_forest(Q: Array, si, sj, n: int, m: int):
    """spanning_forest over the support's cells, biggest first (ties by position: the
    support is row-major). Tried first on the biggest cells only (those at least
    the 8 x nodes-th biggest, in the same order): a forest complete within them
    is the one the whole order gives."""
    nodes = len(np.unique(si)) + len(np.unique(sj))
    values = Q[si, sj]
    head = 8 * nodes
    if head < len(values):
        cut = np.partition(values, len(values) - head)[len(values) - head]
        top = np.nonzero(values >= cut)[0]
        order = top[np.argsort(-values[top], kind="stable")]
        tree, adjust = spanning_forest(n, m, si[order].tolist(), sj[order].tolist(), nodes)
        if len(adjust) == nodes - 1:
            return tree, adjust
    order = np.argsort(-values, kind="stable")
    return spanning_forest(n, m, si[order].tolist(), sj[order].tolist(), nodes)


def spanning_forest(n: int, m: int, si: list[int], sj: list[int], nodes: int
                    ) -> tuple[list[list[tuple[int, int, int]]], dict[tuple[int, int], int]]:
    """Kruskal over cells in the given order (rows as nodes 0..n-1, columns as
    n..n+m-1): the tree's adjacency and its cells (each with a repair of 0).
    Stops once `nodes` - 1 cells joined the nodes that have cells."""
    parent = list(range(n + m))
    find = root_finder(parent)

    tree: list[list[tuple[int, int, int]]] = [[] for _ in range(n + m)]
    adjust: dict[tuple[int, int], int] = {}
    joined = 0
    for i, j in zip(si, sj):
        a, b = find(i), find(n + j)
        if a != b:
            parent[a] = b
            tree[i].append((n + j, i, j))
            tree[n + j].append((i, i, j))
            adjust[i, j] = 0
            joined += 1
            if joined == nodes - 1:
                break
    return tree, adjust
