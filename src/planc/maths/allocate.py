"""Pure allocation maths: numbers in, numbers out. Knows nothing of plans.

Every function works on exact `Fraction`s. Problems (infeasible bounds,
nothing to share by) come back as `Infeasible` values, never exceptions.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Iterable, Sequence

import attrs

from planc.amounts import format_amount
from planc.maths import apportion as whole  # integer paths (its name clashes with `apportion` below)


@attrs.frozen
class Infeasible:
    reason: str


def is_multiple(value: Fraction, unit: Fraction) -> bool:
    return (value / unit).denominator == 1


def round_half_up(value: Fraction, unit: Fraction) -> Fraction:
    """The nearest multiple of `unit`; a value halfway between goes up."""
    return math.floor(value / unit + Fraction(1, 2)) * unit


ROUNDING_MODES = ("nearest", "up", "down")


def round_to(value: Fraction, unit: Fraction, mode: str = "nearest") -> Fraction:
    """`value` on the grid of `unit`: the nearest multiple (halfway goes up, as
    `round_half_up`), the next one up (`up`, a ceiling) or down (`down`, a floor).
    The result is within one `unit` of `value`, on the side the mode names."""
    steps = value / unit
    if mode == "up":
        return math.ceil(steps) * unit
    if mode == "down":
        return math.floor(steps) * unit
    return round_half_up(value, unit)


def apportion(exact_total: Fraction, quotas: Sequence[Fraction], unit: Fraction,
              mode: str = "nearest") -> tuple[Fraction, list[Fraction]]:
    """An exact total and its parts put on a grid together: the total is
    rounded in `mode` (`round_to`), then the parts share it by largest
    remainder (`largest_remainder`, quotas scaled to the rounded total).
    Returns (the rounded total, the parts); the parts sum to it exactly and
    each is within one `unit` of its scaled quota."""
    total = round_to(exact_total, unit, mode)
    return total, largest_remainder(total, quotas, unit)


def largest_remainder(
    total: Fraction,
    quotas: Sequence[Fraction],
    unit: Fraction,
    lows: Sequence[Fraction | None] | None = None,
    highs: Sequence[Fraction | None] | None = None,
) -> list[Fraction]:
    """Hamilton apportionment of `total` in multiples of `unit`.

    Quotas are scaled to sum to `total` first (any gap is spread in
    proportion to their size: plain scaling when they have one sign). Each result is the quota
    floored to a multiple of `unit`, and the leftover units go one each to
    the largest remainders, ties to the earliest quota (declaration order).
    The results sum to `total` exactly and each is within one unit of its
    quota. If `total` is not a multiple of `unit` (a fixed sibling off the
    grid took an odd part), the sub-unit tail goes to the child furthest
    below its quota.

    Optional bounds (caps) steer the leftover units: a child whose floor is
    below its low gets a unit first, a child a unit would lift above its
    high gets one only when no other child can take it.
    """
    n = len(quotas)
    if n == 0:
        return []
    fast = whole.whole_units(total, quotas, unit, lows, highs)  # the same results, in integers
    if fast is not None:
        return fast
    lows = lows or [None] * n
    highs = highs or [None] * n
    gap = total - sum(quotas, Fraction(0))
    scaled = list(quotas)
    if gap:  # (the usual case is none: quotas already share out the total)
        weights = [abs(q) for q in quotas]
        weight_sum = sum(weights, Fraction(0))
        if weight_sum == 0:
            # Nothing to go by: share the gap equally, in declaration order.
            weights, weight_sum = [Fraction(1)] * n, Fraction(n)
        # Quotas of one sign are scaled in proportion; mixed signs (or quotas that
        # sum to zero) take the gap by their size, so a zero sum moves nothing.
        scaled = [q + gap * w / weight_sum for q, w in zip(quotas, weights)]
    floors = [math.floor(q / unit) * unit for q in scaled]
    remainders = [q - f for q, f in zip(scaled, floors)]
    whole_units = math.floor((total - sum(floors, Fraction(0))) / unit)

    def rank(i: int) -> tuple:
        low, high = lows[i], highs[i]
        must = low is not None and floors[i] < low
        barred = high is not None and floors[i] + unit > high
        # Only children with a remainder are ever bumped: that keeps each
        # within one unit of its quota (there are always enough of them).
        return (remainders[i] == 0, not must, barred, -remainders[i], i)

    result = list(floors)
    for i in sorted(range(n), key=rank)[:whole_units]:
        result[i] += unit
    tail = total - sum(result, Fraction(0))
    if tail:
        fits = [i for i, high in enumerate(highs) if high is None or result[i] + tail <= high] or list(range(n))
        lowest = min(fits, key=lambda i: (result[i] - scaled[i], i))
        result[lowest] += tail
    return result


def water_fill(
    amount: Fraction,
    scores: Sequence[Fraction],
    lows: Sequence[Fraction | None],
    highs: Sequence[Fraction | None],
) -> list[Fraction] | Infeasible:
    """Share `amount` by `scores`, clamping each share to [low, high].

    What a clamp frees or takes is redistributed among the unclamped shares
    by their scores until no bound is violated. Exactly: find the level λ
    with Σ clamp(λ·sᵢ, lowᵢ, highᵢ) = amount. That sum is piecewise linear
    and non-decreasing in λ, so we walk its breakpoints in order.
    """
    n = len(scores)
    if all(low is None for low in lows) and all(high is None for high in highs):
        # No caps (the common case): a plain proportional share.
        if any(s.numerator < 0 for s in scores):
            return Infeasible("a share has a negative score")
        total = whole.exact_sum(scores)
        if total == 0:
            return [Fraction(0)] * n if amount == 0 else Infeasible(
                "no share can take what is left (all scores zero)")
        ratio = amount / total  # (amount · s / total, one product a share)
        return [ratio * s for s in scores]
    # On common denominators (issue 15): each score sᵢ = aᵢ/S (`water_level`).
    s_den = math.lcm(*[s.denominator for s in scores])
    level = water_level(amount, [s.numerator * (s_den // s.denominator) for s in scores], lows, highs)
    return level if isinstance(level, Infeasible) else level.shares()


class WaterLevel:
    """Where `water_level` found the water: share i is clamp(ν·aᵢ, lowᵢ, highᵢ) / B
    for the level ν (a Fraction) and the bounds as whole numbers over B."""

    __slots__ = ("level", "a", "lo", "hi", "b_den")

    def __init__(self, level: Fraction, a: Sequence[int], lo: list[int], hi: list[int | None], b_den: int) -> None:
        self.level, self.a, self.lo, self.hi, self.b_den = level, a, lo, hi, b_den

    def _scaled(self, places: Iterable[int]) -> list[int]:
        """Shares at these places, times q·B (ν = p/q)."""
        p, q, a, lo, hi = self.level.numerator, self.level.denominator, self.a, self.lo, self.hi
        out = []
        for i in places:
            v = max(p * a[i], lo[i] * q)
            high = hi[i]
            out.append(v if high is None or v <= high * q else high * q)
        return out

    def share(self, i: int) -> Fraction:
        return Fraction(self._scaled((i,))[0], self.level.denominator * self.b_den)

    def free(self, i: int) -> bool:
        """Share i is its score's part at the level, held by neither bound."""
        return self._scaled((i,))[0] == self.level.numerator * self.a[i]

    def shares(self) -> list[Fraction]:
        q = self.level.denominator
        made: dict[int, Fraction] = {}  # (shares held at one cap: one Fraction)
        out = []
        for v in self._scaled(range(len(self.a))):
            share = made.get(v)
            if share is None:
                share = made[v] = Fraction(v, q * self.b_den)
            out.append(share)
        return out


def water_level(
    amount: Fraction,
    a: Sequence[int],
    lows: Sequence[Fraction | None],
    highs: Sequence[Fraction | None],
) -> WaterLevel | Infeasible:
    """`water_fill` for whole scores aᵢ (on a common denominator S, as scores sᵢ = aᵢ/S),
    as the level it finds: `WaterLevel.shares()` are `water_fill`'s shares, and a
    caller that needs few of them (evaluate/plain.py) asks for those alone.

    Each bound and the amount are whole numbers over B, so a share at level ν
    (that is λ·B/S) is ν·aᵢ/B and every comparison, sum and breakpoint below is
    an integer one; Fractions appear for the levels (a few per split)."""
    n = len(a)
    b_den = math.lcm(amount.denominator, *[v.denominator for v in (*lows, *highs) if v is not None])
    total_b = amount.numerator * (b_den // amount.denominator)
    lo = [0 if v is None else v.numerator * (b_den // v.denominator) for v in lows]
    hi = [None if v is None else v.numerator * (b_den // v.denominator) for v in highs]
    for i in range(n):
        if a[i] < 0:
            return Infeasible(f"share {i + 1} has a negative score")
        if hi[i] is not None and lo[i] > hi[i]:  # type: ignore[operator]
            return Infeasible(f"share {i + 1} has min {format_amount(Fraction(lo[i], b_den))} "
                              f"above max {format_amount(Fraction(hi[i], b_den))}")  # type: ignore[arg-type]
    low_sum = sum(lo)
    if total_b < low_sum:
        return Infeasible(f"the mins need {format_amount(Fraction(low_sum, b_den))} "
                          f"but only {format_amount(amount)} is left")
    if None not in hi and total_b > sum(hi):  # type: ignore[arg-type]
        return Infeasible(f"the maxes allow only {format_amount(Fraction(sum(hi), b_den))} "  # type: ignore[arg-type]
                          f"but {format_amount(amount)} is left")

    def filled(level: Fraction) -> WaterLevel:
        return WaterLevel(level, a, lo, hi, b_den)

    # The total at level ν is C + slope·ν between breakpoints: walk them in order,
    # updating C and the slope as each share starts to grow or reaches its max, so
    # the walk is O(n log n) rather than a full sum at every breakpoint. A
    # breakpoint X/aᵢ is keyed by its lowest terms.
    const, slope = 0, 0
    events: dict[tuple[int, int], list[int]] = {}  # level (p, q) -> [change of C, change of slope]
    zero_break = False
    for ai, low, high in zip(a, lo, hi):
        zero_break = zero_break or (ai > 0 and (low == 0 or high == 0))
        if ai == 0 or (high is not None and high <= 0):
            const += min(max(0, low), high) if high is not None else max(0, low)
            continue
        if low > 0:
            const += low
            g = math.gcd(low, ai)
            change = events.setdefault((low // g, ai // g), [0, 0])
            change[0] -= low
            change[1] += ai
        else:
            slope += ai
        if high is not None:
            g = math.gcd(high, ai)
            change = events.setdefault((high // g, ai // g), [0, 0])
            change[0] += high
            change[1] -= ai
    levels = ([(0, 1)] if zero_break else []) + sorted(events, key=_level)
    prev, prev_total = Fraction(0), Fraction(const)
    for key in levels + [None]:
        if key is None:
            # Past the last breakpoint only uncapped shares still grow.
            if slope == 0:
                if prev_total == total_b:
                    return filled(prev)
                return Infeasible("no share can take what is left (all scores zero or capped)")
            return filled(prev + (total_b - prev_total) / slope)
        level = _level(key)
        total = const + slope * level
        if total >= total_b:
            if total == prev_total:
                return filled(level)
            # Linear between the two breakpoints: interpolate exactly.
            return filled(prev + (level - prev) * (total_b - prev_total) / (total - prev_total))
        d_const, d_slope = events.get(key, (0, 0))
        const, slope = const + d_const, slope + d_slope
        prev, prev_total = level, total
    raise AssertionError("unreachable")


def binding_cap(share: Fraction, low: Fraction | None, high: Fraction | None, left: Fraction) -> str | None:
    """"max" or "min" when that cap holds a flexible child's exact `share` of `left`
    (a max of all that is left, or a min of nothing, holds nothing)."""
    if high is not None and share == high and high < left:
        return "max"
    if low is not None and share == low and low > 0:
        return "min"
    return None


def hold_at_caps(held: Sequence[tuple[int, str, Fraction, Fraction | None, Fraction | None]], count: int,
                 unit: Fraction) -> dict[int, Fraction]:
    """The amounts of shares a cap holds, among `count` shares that are rounded together.
    `held`: (place, the cap that holds it ("min" or "max"), its exact share, low, high).
    Each is put on the grid towards the inside of its cap (down from a max, up from a
    min); one with no multiple of `unit` within both its caps is left out (it is
    apportioned with the others), and so is the last share when every one is held:
    someone must take what rounding the held ones frees. By place."""
    found: dict[int, Fraction] = {}
    for i, bound, share, low, high in held:
        steps = share / unit
        value = (math.floor(steps) if bound == "max" else math.ceil(steps)) * unit
        if (low is None or value >= low) and (high is None or value <= high):
            found[i] = Fraction(value)
    if count and len(found) == count:
        found.pop(count - 1, None)
    return found


def _level(key: tuple[int, int]) -> Fraction:
    """A breakpoint of `water_fill`, kept as (numerator, denominator) in lowest terms."""
    return Fraction(key[0], key[1])
