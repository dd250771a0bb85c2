"""The float part of IPF (`planc.maths.matrix.ipf`) on numpy arrays: RAS
sweeps, then Newton steps in the log domain when the sweeps do not converge.

numpy is imported here at the top, and this module is imported only inside
`matrix.ipf`, so only a plan with a seeded cross loads numpy (`planc check`
on other plans never does).

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

import time

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]
TINY = 1e-300
_STEP_CAP = 30.0  # largest change of a log scale in one Newton step
_ARMIJO = 1e-4


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
        if not np.isfinite(err):
            return X, err, sweep, "nan"
        if err <= tolerance:
            return X, err, sweep, "converged"
        window = (window + [err])[-stall_window:]
        if len(window) == stall_window and err > window[0] * stall_ratio:
            return X, err, sweep, "stalled"
        if deadline is not None and time.monotonic() > deadline:
            return X, err, sweep, "time"
    return X, err, max_iterations, "cap"


def newton(X: Array, rt: Array, ct: Array, tolerance: float, steps: int,
           deadline: float | None) -> tuple[Array, float, int]:
    """Damped Newton steps on the dual from the positive iterate X: (X, error, steps used).

    Rows and columns without a positive cell (zero totals) are left alone."""
    transposed = X.shape[0] < X.shape[1]
    if transposed:  # the Schur system is over the columns: make them the smaller side
        X, rt, ct = X.T, ct, rt
    X = np.ascontiguousarray(X)
    live_r, live_c = X.sum(axis=1) > 0, X.sum(axis=0) > 0
    err = margin_error(X, rt, ct)
    used = 0
    for used in range(1, steps + 1):
        if err <= tolerance or not np.isfinite(err):
            used -= 1
            break
        if deadline is not None and time.monotonic() > deadline:
            break
        X = _newton_step(X, rt, ct, live_r, live_c)
        err = margin_error(X, rt, ct)
    return (X.T if transposed else X), err, used


def _newton_step(X: Array, rt: Array, ct: Array, live_r: npt.NDArray[np.bool_],
                 live_c: npt.NDArray[np.bool_]) -> Array:
    Y = X[np.ix_(live_r, live_c)]
    r, c = rt[live_r], ct[live_c]
    rs, cs = Y.sum(axis=1), Y.sum(axis=0)
    gr, gc = rs - r, cs - c  # the gradient of F
    inv = 1.0 / rs
    schur = np.diag(cs) - Y.T @ (Y * inv[:, None])
    rhs = -gc + Y.T @ (inv * gr)
    db = np.linalg.lstsq(schur, rhs, rcond=None)[0]
    da = inv * (-gr - Y @ db)
    biggest = max(float(np.max(np.abs(da))), float(np.max(np.abs(db))))
    if biggest > _STEP_CAP:
        da, db = da * (_STEP_CAP / biggest), db * (_STEP_CAP / biggest)
    slope = float(gr @ da + gc @ db)  # directional derivative of F, negative
    base = float(Y.sum())
    t = 1.0
    for _ in range(60):
        Z = Y * np.exp(t * da)[:, None] * np.exp(t * db)[None, :]
        drop = float(Z.sum()) - base - t * float(r @ da + c @ db)
        if np.isfinite(drop) and drop <= _ARMIJO * t * slope:
            break
        t /= 2
    out = X.copy()
    out[np.ix_(live_r, live_c)] = Z
    return out
