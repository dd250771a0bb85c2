"""Largest remainder in whole numbers: the fast path of `allocate.largest_remainder`.

The quotas, the total and the unit are put on one common denominator, so
flooring, the remainders and their ranking are integer operations, and
fractions appear only at the edges (reading the quotas, writing the
results). The results are the very values `largest_remainder` computes
with `Fraction`s (tests/test_rounding_properties.py checks the two against
each other); this path covers the usual case — quotas that already add up
to the total, a total on the grid, a positive unit — and returns None
otherwise, for the general code to handle.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Sequence


def exact_sum(values: Sequence[Fraction]) -> Fraction:
    """`sum(values, Fraction(0))` on one common denominator: one reduction, not one per term."""
    if not values:
        return Fraction(0)
    denominators = [v.denominator for v in values]
    if denominators.count(1) == len(denominators):  # whole amounts (most): no multiples to take
        return Fraction(sum([v.numerator for v in values]))
    common = math.lcm(*denominators)
    return Fraction(sum([v.numerator * (common // v.denominator) for v in values]), common)


def whole_units(
    total: Fraction,
    quotas: Sequence[Fraction],
    unit: Fraction,
    lows: Sequence[Fraction | None] | None = None,
    highs: Sequence[Fraction | None] | None = None,
) -> list[Fraction] | None:
    """`largest_remainder(total, quotas, unit, lows, highs)`, or None where
    it does not apply (quotas that do not add up to `total`, a `total` off the
    grid, a unit that is not positive)."""
    un, ud = unit.numerator, unit.denominator
    if un <= 0 or not quotas:
        return None
    # Each quota in units, times D = L·un, where L is the quotas' common denominator.
    common = math.lcm(*[q.denominator for q in quotas])
    scale = common * ud
    scaled = [q.numerator * (scale // q.denominator) for q in quotas]
    whole_total = sum(scaled)
    if whole_total * total.denominator != total.numerator * scale:
        return None  # the quotas do not add up to the total: the general code scales them
    big = common * un
    if whole_total % big:
        return None  # the total is off the grid: a sub-unit tail to place
    pairs = [divmod(x, big) for x in scaled]
    floors = [f for f, _ in pairs]
    rest = [r for _, r in pairs]
    bumps = whole_total // big - sum(floors)
    n = len(quotas)
    if (lows is None or all(low is None for low in lows)) and (highs is None or all(high is None for high in highs)):
        # The largest remainders first, ties to the earliest (a stable sort keeps them in order).
        chosen = sorted(range(n), key=rest.__getitem__, reverse=True)[:bumps]
    else:
        lows = lows or [None] * n
        highs = highs or [None] * n

        def rank(i: int) -> tuple:
            low, high = lows[i], highs[i]
            must = low is not None and floors[i] * unit < low
            barred = high is not None and (floors[i] + 1) * unit > high
            return (rest[i] == 0, not must, barred, -rest[i], i)

        chosen = sorted(range(n), key=rank)[:bumps]
    for i in chosen:
        floors[i] += 1
    if ud == 1:
        return [Fraction(k * un) for k in floors]
    return [Fraction(k * un, ud) for k in floors]


def proportional(amount: Fraction, weights: Sequence[int], total: int) -> list[Fraction]:
    """`amount · wᵢ / total` for whole weights summing to `total` > 0: the
    shares `allocate.water_fill` computes without caps (`amount / Σs · sᵢ`
    for scores sᵢ = wᵢ / L), one reduction a share instead of a product
    and a quotient of Fractions."""
    p, q = amount.numerator, amount.denominator * total
    return [Fraction(p * w, q) for w in weights]


_RECURRING = 4096  # at most this many remainders r for one set of (at most 100) weights (`_units_of`)


def _units(scale: int, big: int, units: int, weights: Sequence[int]) -> list[int]:
    """Each `scale·wᵢ / big` floored, and the `units` left over (Σ wᵢ·scale/big, whole)
    one each to the largest remainders, ties to the earliest."""
    pairs = [divmod(scale * w, big) for w in weights]
    floors = [f for f, _ in pairs]
    rest = [r for _, r in pairs]
    for i in sorted(range(len(floors)), key=rest.__getitem__, reverse=True)[:units - sum(floors)]:
        floors[i] += 1
    return floors


@functools.lru_cache(maxsize=4096)
def _units_of(weights: tuple[int, ...], big: int, r: int) -> tuple[int, ...]:
    """`_units` of `r` (0 ≤ r < big; Σwᵢ·r/big is whole whenever Σwᵢ·scale/big is)."""
    return tuple(_units(r, big, sum(weights) * r // big, weights))


def proportional_units(amount: Fraction, weights: Sequence[int], total: int, unit: Fraction,
                       made: dict[int, Fraction] | None = None) -> list[Fraction] | None:
    """`largest_remainder(amount, proportional(amount, weights, total), unit)`
    in whole numbers: each share in units is `p·wᵢ·ud / (q·total·un)` (amount
    p/q, unit un/ud), floored by `divmod`, and the leftover units go to the
    largest remainders, ties to the earliest. None where `whole_units`
    would not apply either (the amount off the grid, a unit not positive).
    `made`: whole amounts already made as Fractions, by value, kept across
    calls (a large plan has a million amounts but a few thousand distinct
    ones; a Fraction is immutable, so one object serves every target)."""
    un, ud = unit.numerator, unit.denominator
    if un <= 0 or not weights:
        return None
    scale = amount.numerator * ud
    big = amount.denominator * total * un
    units, off = divmod(scale * total, big)
    if off:
        return None  # the amount is off the grid: a sub-unit tail to place
    if big <= _RECURRING and len(weights) <= 100:
        # scale = q·big + r: each share is q·wᵢ units plus share(r)ᵢ, and the remainders,
        # so the leftover units, are r's. A few tables' weights and a small `big` make a
        # few r recur across a plan's splits (every month's forty products): read once.
        q, r = divmod(scale, big)
        floors = [q * w + k for w, k in zip(weights, _units_of(tuple(weights), big, r))]
    else:
        floors = _units(scale, big, units, weights)
    if ud != 1:
        return [Fraction(k * un, ud) for k in floors]
    if un != 1:
        floors = [k * un for k in floors]
    if made is None:
        return [Fraction(k) for k in floors]
    for k in set(floors).difference(made):  # (set operations on ints, in C)
        made[k] = Fraction(k)
    return list(map(made.__getitem__, floors))
