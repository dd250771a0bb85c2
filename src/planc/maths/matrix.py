"""Pure maths for `cross` (language.md §4 rule 10): proportional cells, IPF and
controlled rounding. Stdlib and attrs (numpy in planc.maths.ipf and planc.maths.bigcross,
imported only for a large cross); nothing else from planc.

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
  ipf_exact returns them on that grid (ExactCells: an integer per cell and
  one step), ipf as Fractions; proportional_exact / proportional_cells alike.
* A cross of more than SMALL_CROSS cells does its per-cell work on numpy
  arrays (planc.maths.bigcross): the seed, the flow's start and levels, and
  the rounding's floors and fractional parts. Same results: the support and
  an Infeasible's rows do not depend on which maximum flow is found, and
  Dinic runs in the same order on either network.
* controlled_round: floors plus one unit on some cells with a fractional part,
  chosen by max flow (Bacharach 1966, Cox 1987), so it cannot fail on exact
  input. Tie rule: cells are bumped greedily by decreasing fractional part
  (compared as floats; ties by row, then column) while their row and column
  still need units; Dinic completes the rest, possibly re-routing a greedy
  bump. Fractional parts within 1e-9 of 0 or 1 are snapped to that end first,
  so float-noise around whole values stays put; if the snapped problem has no
  solution the exact one is solved. Deterministic throughout. Given
  ExactCells, it works from the numerators (one multiply and divmod per cell,
  no Fraction); the result depends on the cells' values only.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction
from typing import Any, Sequence

from planc.maths.exact import ExactCells, Infeasible, check_shape, fmt, namers, zeros
from planc.maths.exact import proportional_exact
from planc.maths import rounding
from planc.maths.support import fit_support

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


def proportional_cells(rows: Sequence[Fraction], cols: Sequence[Fraction]) -> list[list[Fraction]]:
    """Unseeded cross: cell[i][j] = rows[i] * cols[j] / total, exact (total = sum(rows));
    proportional_exact's cells as Fractions."""
    return proportional_exact(rows, cols).fractions()


def ipf(seed: Sequence[Sequence[Number]], rows: Sequence[Fraction], cols: Sequence[Fraction], *,
        tolerance: float = 1e-9, max_iterations: int = 10_000, max_seconds: float | None = None,
        newton_steps: int = NEWTON_STEPS, row_names: Sequence[str] | None = None,
        col_names: Sequence[str] | None = None) -> list[list[Fraction]] | Infeasible:
    """Iterative proportional fitting (RAS) of a non-negative seed to row and column totals.

    Returns exact Fractions whose rows and columns sum exactly to the totals:
    ipf_exact's cells as Fractions (see there for the arguments).
    """
    fit = ipf_exact(seed, rows, cols, tolerance=tolerance, max_iterations=max_iterations,
                    max_seconds=max_seconds, newton_steps=newton_steps, row_names=row_names,
                    col_names=col_names)
    return fit if isinstance(fit, Infeasible) else fit.fractions()


def ipf_exact(seed: Sequence[Sequence[Number]], rows: Sequence[Fraction], cols: Sequence[Fraction], *,
              tolerance: float = 1e-9, max_iterations: int = 10_000, max_seconds: float | None = None,
              newton_steps: int = NEWTON_STEPS, row_names: Sequence[str] | None = None,
              col_names: Sequence[str] | None = None) -> ExactCells | Infeasible:
    """IPF as `ipf`, the cells on one exact grid (no Fraction per cell).

    Rows and columns sum exactly to the totals. `max_iterations` caps the RAS
    sweeps; when they do not converge, at most `newton_steps` Newton steps in
    the log domain finish the fit.
    """
    n, m = len(rows), len(cols)
    check_shape(seed, n, m)
    if max_iterations < 1:
        raise ValueError("max_iterations must be at least 1")
    name_r, name_c = namers(row_names, col_names)
    rows, cols = [Fraction(x) for x in rows], [Fraction(x) for x in cols]
    A: Any = None  # the seed on one denominator: lists, or an int64 array (big)
    big: Any = None
    if n * m > SMALL_CROSS:  # numpy for the per-cell work (planc.maths.bigcross)
        from planc.maths import bigcross

        big = bigcross.seed_array(seed, n, m)
    if big is None:
        ints = _seed_ints(seed, name_r, name_c)
        if isinstance(ints, Infeasible):
            return ints
        A = ints[0]  # seed = A / D exactly, D = ints[1]
    total = sum(rows, Fraction(0))
    if total != sum(cols, Fraction(0)):  # exact: inputs are Fractions
        return Infeasible(f"the rows total {fmt(total)} but the columns total {fmt(sum(cols))}")
    row_any: list[Any]
    col_any: list[Any]
    if big is not None:
        row_any, col_any = big.any(axis=1).tolist(), big.any(axis=0).tolist()
    else:
        row_any = [any(line) for line in A]
        col_any = [any(line[j] for line in A) for j in range(m)]
    for kind, totals, name, seeded in (("row", rows, name_r, row_any), ("col", cols, name_c, col_any)):
        for k, (t, any_seed) in enumerate(zip(totals, seeded)):
            if t < 0:
                return Infeasible(f"{name([k])} has a negative total ({fmt(t)})", **{kind: k})
            if t > 0 and not any_seed:
                return Infeasible(f"{name([k])} has an all-zero seed but a total of {fmt(t)}",
                                  **{kind: k})
    if total == 0:
        return zeros(n, m)
    support: Any = None if big is None else bigcross.fit_support(big, rows, cols, name_r, name_c)
    if support is None:
        if big is not None:
            A = big.tolist()
        support = fit_support([[v > 0 for v in line] for line in A], rows, cols, name_r, name_c)
    elif big is not None:
        A = big
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


def controlled_round(cells: Sequence[Sequence[Fraction]] | ExactCells, rows: Sequence[Fraction],
                     cols: Sequence[Fraction], unit: Fraction, *,
                     row_names: Sequence[str] | None = None,
                     col_names: Sequence[str] | None = None) -> list[list[Fraction]] | Infeasible:
    """Round every cell to a multiple of `unit` so that each result is floor or ceil (to a
    multiple of unit) of the input cell, and each row sums exactly to rows[i] and each
    column to cols[j]. `cells`: Fractions, or ExactCells (then worked from their
    integer numerators; the same result)."""
    unit = Fraction(unit)
    if unit <= 0:
        raise ValueError("the rounding unit must be positive")
    n, m = len(rows), len(cols)
    check_shape(cells.numerators if isinstance(cells, ExactCells) else cells, n, m)
    name_r, name_c = namers(row_names, col_names)
    p, q = unit.numerator, unit.denominator
    in_units: list[list[int]] = []  # the totals as whole numbers of units
    for kind, totals, name in (("row", rows, name_r), ("col", cols, name_c)):
        in_units.append([])
        for k, x in enumerate(map(Fraction, totals)):
            whole, rest = divmod(x.numerator * q, x.denominator * p)
            if rest:
                return Infeasible(f"{name([k])} total {fmt(x)} is not a multiple of the "
                                  f"rounding unit {fmt(unit)}", **{kind: k})
            in_units[-1].append(whole)
    R_int, C_int = in_units
    if sum(R_int) != sum(C_int):
        return Infeasible(f"the rows total {fmt(sum(R_int) * unit)} but the columns total "
                          f"{fmt(sum(C_int) * unit)}")
    prepare = _rounding_parts(cells, unit, n * m)
    result = rounding.round_units(prepare(_SNAP), R_int, C_int, unit, name_r, name_c)
    if isinstance(result, Infeasible):  # snapping may cost the only solution
        result = rounding.round_units(prepare(None), R_int, C_int, unit, name_r, name_c)
    if isinstance(result, Infeasible):
        return result
    # k units, made once per distinct k and shared: a large cross repeats few amounts
    distinct = set().union(*result)
    if q == 1:  # a whole unit: k * unit is a whole number (Fraction(int) skips the gcd)
        amounts = {k: Fraction(k * p) for k in distinct}
    else:
        amounts = {k: k * unit for k in distinct}
    return [list(map(amounts.__getitem__, line)) for line in result]


def _rounding_parts(cells, unit: Fraction, size: int):
    """snap -> rounding.Prepared: numpy for the ExactCells of a large cross
    (planc.maths.bigcross), lists otherwise."""
    if isinstance(cells, ExactCells) and size > SMALL_CROSS:
        from planc.maths import bigcross

        return lambda snap: bigcross.prepare(cells, unit, snap)
    parts = (rounding.parts_of_exact(cells, unit) if isinstance(cells, ExactCells)
             else rounding.parts_of_fractions(cells, unit))
    return lambda snap: rounding.prepare(parts, snap)


# --- IPF internals ------------------------------------------------------------

def _seed_ints(seed, name_r, name_c):
    """The seed as integers on one denominator, (A, D) with seed = A / D; or
    Infeasible at the first cell (row by row) that is not finite or is negative."""
    S = [[v if type(v) is int or type(v) is Fraction else
          Fraction(v) if not isinstance(v, float) or math.isfinite(v) else None
          for v in line] for line in seed]
    for i, seed_line in enumerate(S):
        for j, v in enumerate(seed_line):
            if v is None or (v if type(v) is int else v.numerator) < 0:
                what = "is not a finite number" if v is None else f"is negative ({fmt(v)})"
                return Infeasible(f"seed cell ({name_r([i])}, {name_c([j])}) {what}", i, j)
    D = math.lcm(*{v.denominator for line in S for v in line if type(v) is not int})  # type: ignore[union-attr]
    if D == 1:
        return [[v if type(v) is int else v.numerator for v in line] for line in S], 1  # type: ignore[union-attr]
    return [[v * D if type(v) is int else v.numerator * (D // v.denominator) for v in line]  # type: ignore[union-attr]
            for line in S], D
