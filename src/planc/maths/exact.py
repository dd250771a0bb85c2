"""Exact cells on one grid (issue 15): every cell of a fit is a whole number of
steps of one Fraction, so a large cross needs no Fraction per cell until one is
shown. Stdlib and attrs only.

`ExactCells.numerators[i][j] * step` is the exact cell (i, j). The grid is not
reduced: two ExactCells may hold the same cells on different steps (compare
their `fractions()`). `Infeasible` and the small helpers the maths modules
share live here too (planc.maths.matrix re-exports Infeasible).
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import attrs


@attrs.frozen
class Infeasible:
    """Why a fit or rounding cannot be done: returned as a value, never raised."""

    reason: str
    row: int | None = None
    col: int | None = None


@attrs.frozen(eq=False)
class ExactCells:
    """Cells numerators[i][j] * step, exactly; `step` > 0. Equality is by cell
    value (two grids for the same cells compare equal)."""

    numerators: list[list[int]]
    step: Fraction
    # From the float fit of a large cross (planc.maths.ipf.make_exact), or None:
    # (Q, K, moved), numerators[i][j] == int(Q[i, j]) * K except at the cells in
    # `moved`; lets controlled_round work on 64-bit integer arrays (planc.maths.bigcross).
    coarse: object = attrs.field(default=None, repr=False)

    def cell(self, i: int, j: int) -> Fraction:
        """Cell (i, j) as a normalised Fraction (as Fraction(numerators[i][j] * step))."""
        return Fraction(self.numerators[i][j] * self.step.numerator, self.step.denominator)

    def fractions(self) -> list[list[Fraction]]:
        """All cells as Fractions, row by row (zero cells share one Fraction(0))."""
        p, q = self.step.numerator, self.step.denominator
        zero = Fraction(0)
        return [[Fraction(v * p, q) if v else zero for v in line] for line in self.numerators]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExactCells):
            return NotImplemented
        if self.step == other.step:
            return self.numerators == other.numerators
        return self.fractions() == other.fractions()

    __hash__ = None  # type: ignore[assignment]  # the lists are mutable


def zeros(n: int, m: int) -> ExactCells:
    """An n x m cross of zeros."""
    return ExactCells([[0] * m for _ in range(n)], Fraction(1))


def proportional_exact(rows: Sequence[Fraction], cols: Sequence[Fraction]) -> ExactCells:
    """Unseeded cross: cell (i, j) = rows[i] * cols[j] / total (total = sum(rows)),
    on one grid: rows as a[i] / d, columns as b[j] / e, cell = a[i] b[j] steps of
    1 / (d e total)."""
    rows, cols = [Fraction(x) for x in rows], [Fraction(x) for x in cols]
    total = sum(rows, Fraction(0))
    if total == 0:
        return zeros(len(rows), len(cols))
    d, a = _common(rows)
    e, b = _common(cols)
    return ExactCells([[x * y for y in b] for x in a], Fraction(1, d * e) / total)


def _common(values: list[Fraction]) -> tuple[int, list[int]]:
    """(d, a) with values[k] = a[k] / d: one denominator for all."""
    d = math.lcm(*{v.denominator for v in values})
    return d, [v.numerator * (d // v.denominator) for v in values]


def shares(values: Sequence[Fraction], total: Fraction) -> tuple[list[int], int]:
    """(a, T) with values[k] / total = a[k] / T, all integers (not reduced): the
    totals' parts of the grand total without a Fraction division each."""
    d = math.lcm(total.denominator, *{v.denominator for v in values})
    return [v.numerator * (d // v.denominator) for v in values], total.numerator * (d // total.denominator)


def grid_of(a: list[int], T: int) -> int:
    """The least K such that every a[k] / T is a whole number of 1/K (the lcm of their
    reduced denominators)."""
    return math.lcm(*{T // math.gcd(x, T) for x in a})


def check_shape(matrix: Sequence[Sequence[object]], n: int, m: int) -> None:
    if len(matrix) != n or any(len(line) != m for line in matrix):
        raise ValueError(f"expected a {n} x {m} matrix")


def namers(row_names, col_names):
    return (lambda idx: _label("row", row_names, idx),
            lambda idx: _label("column", col_names, idx))


def _label(kind: str, names: Sequence[str] | None, idx: Sequence[int]) -> str:
    """'row 'east'', 'rows 'east', 'west'', 'column 3'."""
    parts = [f"'{names[k]}'" if names else str(k) for k in idx]
    return f"{kind}{'s' if len(parts) > 1 else ''} {', '.join(parts)}"


def fmt(x: Fraction | int) -> str:
    """Thousands separators, exact when whole (same style as planc.amounts)."""
    x = Fraction(x)
    if x.denominator == 1:
        return f"{x.numerator:,}"
    return f"{float(x):,.6f}".rstrip("0").rstrip(".")
