"""The integer core of controlled rounding (planc.maths.matrix.controlled_round):
each cell as floor + rem / den units, then floors plus 0/1 bumps that meet the
margins exactly. Stdlib only.

Cells given as Fractions have a denominator each; cells given as ExactCells
share one (`den` an int): one big-int multiply and divmod per cell, no
Fraction. Either way the bumps depend only on the cells' values.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Callable, Sequence

import attrs

from planc.maths.exact import ExactCells, Infeasible, fmt
from planc.maths.flow import Bipartite, greedy

# (floors, rems, den): cell (i, j) is floors[i][j] + rems[i][j] / den units, den an
# int shared by every cell or a matrix of them
Parts = tuple[list[list[int]], list[list[int]], "int | list[list[int]]"]


def parts_of_fractions(cells: Sequence[Sequence[Fraction]], unit: Fraction) -> Parts:
    """cell / unit = floor + rem / den, in plain ints (Fraction arithmetic is slow)."""
    p, q = unit.numerator, unit.denominator
    floors, rems, dens = [], [], []
    for line in cells:
        fl, rm, dn = [], [], []
        for c in line:
            if type(c) is not Fraction:
                c = Fraction(c)
            den = c.denominator * p
            a, b = divmod(c.numerator * q, den)
            fl.append(a)
            rm.append(b)
            dn.append(den)
        floors.append(fl)
        rems.append(rm)
        dens.append(dn)
    return floors, rems, dens


def parts_of_exact(cells: ExactCells, unit: Fraction) -> Parts:
    """cell / unit = numerator * (step / unit) = floor + rem / den, den shared."""
    ratio = cells.step / unit
    a, b = ratio.numerator, ratio.denominator
    floors, rems = [], []
    for line in cells.numerators:
        qr = [divmod(v * a, b) for v in line]
        floors.append([x for x, _ in qr])
        rems.append([y for _, y in qr])
    return floors, rems, b


@attrs.frozen
class Prepared:
    """The floors (a fresh matrix, bumped in place; or [] and `finish` adds the
    bumps), their row and column sums, how many cells of each row and column
    have a fractional part (room), and those cells in bumping order: biggest
    fractional part first, ties by row, then column."""

    base: list[list[int]]
    row_sums: list[int]
    col_sums: list[int]
    room_r: list[int]
    room_c: list[int]
    ci: list[int]
    cj: list[int]
    network: Callable[[list[int], list[int], list[int]], Bipartite]  # (bumps, r_left, c_left)
    finish: Callable[[list[int]], list[list[int]]] | None = None  # floors plus bumps, if not base's


def _bumped(prep: Prepared, bumps: list[int]) -> list[list[int]]:
    """The floors plus the bumps, in base."""
    base = prep.base
    for i, j, f in zip(prep.ci, prep.cj, bumps):
        if f:
            base[i][j] += 1
    return base


def prepare(parts: Parts, snap: int | None) -> Prepared:
    """Prepared from the cells' parts, on lists. With `snap` = k, a fractional part
    below 1/k counts as 0 and above 1 - 1/k as 1."""
    base, fi, fj, keys = _snapped(parts, snap)
    n, m = len(base), len(base[0]) if base else 0
    # Biggest fractional part first; a stable sort keeps exact ties in row, then column, order
    order = sorted(range(len(keys)), key=keys.__getitem__)
    room_r, room_c = [0] * n, [0] * m
    for i in fi:
        room_r[i] += 1
    for j in fj:
        room_c[j] += 1
    ci, cj = [fi[k] for k in order], [fj[k] for k in order]
    return Prepared(base, list(map(sum, base)), list(map(sum, zip(*base))) if n else [0] * m, room_r, room_c,
                    ci, cj, lambda bumps, r_left, c_left: Bipartite(n, m, ci, cj, 1, bumps, r_left, c_left))


def round_units(prep: Prepared, R: list[int], C: list[int], unit: Fraction, name_r, name_c
                ) -> list[list[int]] | Infeasible:
    """Integer rounding in units: floors plus 0/1 bumps that meet R and C exactly."""
    n = len(R)
    r = [t - s for t, s in zip(R, prep.row_sums)]
    c = [t - s for t, s in zip(C, prep.col_sums)]
    for kind, need, room, total, name in (("row", r, prep.room_r, R, name_r),
                                          ("col", c, prep.room_c, C, name_c)):
        for k in range(len(need)):
            if not 0 <= need[k] <= room[k]:
                return Infeasible(f"{name([k])} cannot reach its total of {fmt(total[k] * unit)}: its "
                                  f"cells round down to {fmt((total[k] - need[k]) * unit)} and at "
                                  f"most {room[k]} of them can round up by {fmt(unit)}", **{kind: k})
    r_left, c_left = r[:], c[:]
    bumps, placed = greedy(prep.ci, prep.cj, r_left, c_left, 1)  # biggest fractional parts first
    if placed < sum(r):  # Dinic completes the greedy start, possibly re-routing it
        prep.network(bumps, r_left, c_left).max_flow()  # rows try big fracs first
        for i in range(n):
            if r_left[i]:
                return Infeasible(f"the cells cannot be rounded so that {name_r([i])} and every "
                                  "column meet their totals (the cells' margins do not match)", row=i)
    return prep.finish(bumps) if prep.finish else _bumped(prep, bumps)


def _snapped(parts: Parts, snap: int | None):
    """The floors (snapped up where the fractional part is within 1/snap of 1, a
    new matrix), and the cells left with a fractional part, row by row: their
    rows, columns and sort keys (-fractional part, as floats)."""
    floors, rems, dens = parts
    base, fi, fj, keys = [], [], [], []
    for i, (fl_line, rm_line) in enumerate(zip(floors, rems)):
        line = list(fl_line)
        base.append(line)
        for j, rem in enumerate(rm_line):
            if not rem:
                continue
            den = dens if isinstance(dens, int) else dens[i][j]
            if snap:
                if rem * snap < den:
                    continue
                if (den - rem) * snap < den:
                    line[j] += 1
                    continue
            fi.append(i)
            fj.append(j)
            keys.append(-(rem / den))
    return base, fi, fj, keys
