"""The allocation maths on its own: exact sums, caps, ties, determinism."""

from __future__ import annotations

import math
from fractions import Fraction as F

from hypothesis import given, settings
from hypothesis import strategies as st

from planc.maths.allocate import Infeasible, largest_remainder, water_fill

units = st.sampled_from([F(1), F(10), F(1000), F(1, 100)])
quota_lists = st.lists(st.fractions(min_value=0, max_value=10**7, max_denominator=1000), min_size=1, max_size=12)


def test_largest_remainder_known_answer_and_declaration_order_ties():
    # 100 in thirds: the extra unit goes to the first of the tied remainders.
    assert largest_remainder(F(100), [F(1), F(1), F(1)], F(1)) == [34, 33, 33]
    # Remainders .6, .3, .1 of 10.6, 20.3, 30.1 in a total of 61: .6 wins.
    assert largest_remainder(F(61), [F(106, 10), F(203, 10), F(301, 10)], F(1)) == [11, 20, 30]


@given(quota_lists, units, st.integers(min_value=0, max_value=10**6))
def test_largest_remainder_sums_exactly_and_stays_within_one_unit(quotas, unit, k):
    total = k * unit
    out = largest_remainder(total, quotas, unit)
    assert sum(out) == total
    qsum = sum(quotas)
    scaled = [q * total / qsum for q in quotas] if qsum else [total / len(quotas)] * len(quotas)
    for got, exact in zip(out, scaled):
        assert (got / unit).denominator == 1
        assert abs(got - exact) < unit


@given(quota_lists, units, st.integers(min_value=0, max_value=10**6))
def test_largest_remainder_is_deterministic(quotas, unit, k):
    assert largest_remainder(k * unit, quotas, unit) == largest_remainder(k * unit, list(quotas), unit)


def test_water_fill_redistributes_what_a_cap_frees():
    # Scores 1:1:2 of 100 would be 25/25/50; a max of 10 on the first frees 15,
    # a min of 30 on the second takes 5 more, the third gets the rest.
    assert water_fill(F(100), [F(1), F(1), F(2)], [None, F(30), None], [F(10), None, None]) == [10, 30, 60]


def test_water_fill_reports_infeasible_bounds():
    assert isinstance(water_fill(F(100), [F(1), F(1)], [F(60), F(60)], [None, None]), Infeasible)
    assert isinstance(water_fill(F(100), [F(1), F(1)], [None, None], [F(10), F(10)]), Infeasible)
    assert isinstance(water_fill(F(10), [F(0), F(0)], [None, None], [None, None]), Infeasible)
    assert isinstance(water_fill(F(10), [F(1)], [F(5)], [F(4)]), Infeasible)


@st.composite
def capped_problems(draw):
    n = draw(st.integers(min_value=1, max_value=8))
    scores = [F(draw(st.integers(min_value=0, max_value=50))) for _ in range(n)]
    lows = [draw(st.one_of(st.none(), st.integers(min_value=0, max_value=40).map(F))) for _ in range(n)]
    highs = [draw(st.one_of(st.none(), st.integers(min_value=0, max_value=80).map(F))) for _ in range(n)]
    amount = F(draw(st.integers(min_value=0, max_value=300)))
    return amount, scores, lows, highs


@settings(max_examples=300)
@given(capped_problems())
def test_water_fill_sums_respects_caps_or_says_why(problem):
    amount, scores, lows, highs = problem
    out = water_fill(amount, scores, lows, highs)
    if isinstance(out, Infeasible):
        assert out.reason
        return
    assert sum(out) == amount
    for value, low, high in zip(out, lows, highs):
        assert value >= (low or 0)
        if high is not None:
            assert value <= high
    # Unclamped shares are proportional to their scores (one common level).
    free = [(v, s) for v, s, lo, hi in zip(out, scores, lows, highs)
            if s > 0 and v != (lo or 0) and v != hi]
    levels = {v / s for v, s in free}
    assert len(levels) <= 1


@st.composite
def bounded_quotas(draw):
    """Quotas summing to a whole number of units, each with optional bounds around it."""
    unit = draw(units)
    n = draw(st.integers(min_value=1, max_value=8))
    quotas = [draw(st.fractions(min_value=0, max_value=1000, max_denominator=7)) * unit for _ in range(n)]
    k = math.ceil(sum(quotas) / unit)
    quotas[-1] += k * unit - sum(quotas)  # the total is a whole number of units
    lows = [draw(st.one_of(st.none(), st.fractions(min_value=0, max_value=1, max_denominator=5).map(
        lambda f, q=q: q * f))) for q in quotas]
    highs = [draw(st.one_of(st.none(), st.fractions(min_value=1, max_value=2, max_denominator=5).map(
        lambda f, q=q: q * f))) for q in quotas]
    return k * unit, quotas, unit, lows, highs


@settings(max_examples=300)
@given(bounded_quotas())
def test_largest_remainder_keeps_caps_whenever_some_rounding_can(case):
    total, quotas, unit, lows, highs = case
    out = largest_remainder(total, quotas, unit, lows, highs)
    assert sum(out) == total
    assert all(abs(o - q) < unit for o, q in zip(out, quotas))
    # Each child may take its floor or its ceiling: caps can be kept iff the
    # children forced up are few enough and the children free to go up many enough.
    floors = [math.floor(q / unit) * unit for q in quotas]
    k = (total - sum(floors)) / unit
    can_up = [q != f and (hi is None or f + unit <= hi) for q, f, hi in zip(quotas, floors, highs)]
    must_up = [lo is not None and f < lo for f, lo in zip(floors, lows)]
    feasible = all(c for c, m in zip(can_up, must_up) if m) and sum(must_up) <= k <= sum(can_up)
    if feasible:
        for o, lo, hi in zip(out, lows, highs):
            assert lo is None or o >= lo
            assert hi is None or o <= hi


def test_round_half_up_goes_to_the_nearest_multiple_and_up_at_the_half():
    from planc.maths.allocate import round_half_up

    unit = F(1000)
    assert round_half_up(F(42_056_300), unit) == 42_056_000
    assert round_half_up(F(42_056_500), unit) == 42_057_000
    assert round_half_up(F(42_056_501), unit) == 42_057_000
    assert round_half_up(F(-1_500), unit) == -1_000  # half up, also below zero


def _fraction_water_fill(amount, scores, lows, highs):
    """`water_fill` with caps as it was written in Fractions, before it worked on
    common denominators: the oracle for the integer walk (issue 15)."""
    n = len(scores)
    lo = [low if low is not None else F(0) for low in lows]
    hi = list(highs)
    for i in range(n):
        high = hi[i]
        if scores[i] < 0:
            return Infeasible(f"share {i + 1} has a negative score")
        if high is not None and lo[i] > high:
            return Infeasible(f"share {i + 1} has min {_amount(lo[i])} above max {_amount(high)}")
    low_sum = sum(lo, F(0))
    if amount < low_sum:
        return Infeasible(f"the mins need {_amount(low_sum)} but only {_amount(amount)} is left")
    bounded = [h for h in hi if h is not None]
    if len(bounded) == n and amount > sum(bounded, F(0)):
        return Infeasible(f"the maxes allow only {_amount(sum(bounded, F(0)))} "
                          f"but {_amount(amount)} is left")

    def filled(level: F) -> list[F]:
        out = []
        for s, low, high in zip(scores, lo, hi):
            v = max(level * s, low)
            out.append(min(v, high) if high is not None else v)
        return out

    # The total at level λ is C + S·λ between breakpoints: walk them in order,
    # updating C and S as each share starts to grow or reaches its max, so the
    # walk is O(n log n) rather than a full sum at every breakpoint.
    const, slope = F(0), F(0)
    events: dict[Fraction, list[F]] = {}  # level -> [change of C, change of S]
    zero_break = False
    for s, low, high in zip(scores, lo, hi):
        zero_break = zero_break or (s > 0 and (low == 0 or high == 0))
        if s == 0 or (high is not None and high <= 0):
            const += min(max(F(0), low), high) if high is not None else max(F(0), low)
            continue
        if low > 0:
            const += low
            change = events.setdefault(low / s, [F(0), F(0)])
            change[0] -= low
            change[1] += s
        else:
            slope += s
        if high is not None:
            change = events.setdefault(high / s, [F(0), F(0)])
            change[0] += high
            change[1] -= s
    levels = ([F(0)] if zero_break else []) + sorted(events)
    prev, prev_total = F(0), const
    for level in levels + [None]:
        if level is None:
            # Past the last breakpoint only uncapped shares still grow.
            if slope == 0:
                if prev_total == amount:
                    return filled(prev)
                return Infeasible("no share can take what is left (all scores zero or capped)")
            return filled(prev + (amount - prev_total) / slope)
        total = const + slope * level
        if total >= amount:
            if total == prev_total:
                return filled(level)
            # Linear between the two breakpoints: interpolate exactly.
            return filled(prev + (level - prev) * (amount - prev_total) / (total - prev_total))
        d_const, d_slope = events.get(level, (F(0), F(0)))
        const, slope = const + d_const, slope + d_slope
        prev, prev_total = level, total
    raise AssertionError("unreachable")


def _amount(value):
    from planc.amounts import format_amount

    return format_amount(value)


bounds = st.one_of(st.none(), st.fractions(min_value=-20, max_value=200, max_denominator=12))


@settings(max_examples=600)
@given(st.fractions(min_value=-50, max_value=900, max_denominator=30),
       st.lists(st.tuples(st.fractions(min_value=-1, max_value=40, max_denominator=9), bounds, bounds),
                min_size=1, max_size=9))
def test_water_fill_on_common_denominators_is_the_fraction_walk(amount, rows):
    """The integer walk gives the Fraction walk's shares, every one, or its very reason
    for refusing: negative and zero bounds, zero scores, thirds and sevenths of units."""
    scores, lows, highs = (list(column) for column in zip(*rows))
    if all(b is None for b in lows + highs):
        highs[0] = F(7, 3)  # (no caps at all is the proportional branch, not the walk)
    assert water_fill(amount, scores, lows, highs) == _fraction_water_fill(amount, scores, lows, highs)


def test_binding_cap_names_the_cap_that_holds_a_share():
    from planc.maths.allocate import binding_cap

    assert binding_cap(F(10), None, F(10), F(100)) == "max"
    assert binding_cap(F(10), F(10), None, F(100)) == "min"
    assert binding_cap(F(100), None, F(100), F(100)) is None  # a max of all that is left holds nothing
    assert binding_cap(F(0), F(0), None, F(100)) is None  # nor does a min of nothing
    assert binding_cap(F(9), F(5), F(10), F(100)) is None


def test_held_shares_go_to_the_inside_of_their_cap_and_the_last_is_released():
    from planc.maths.allocate import hold_at_caps

    unit = F(1)
    # down from a max, up from a min
    assert hold_at_caps([(0, "max", F(21, 2), None, F(21, 2)), (2, "min", F(7, 2), F(7, 2), None)], 3, unit) \
        == {0: 10, 2: 4}
    # no whole amount within both caps: rounded with the others
    assert hold_at_caps([(1, "max", F(21, 2), F(41, 4), F(21, 2))], 3, unit) == {}
    # every share held: the last takes what rounding frees
    assert hold_at_caps([(0, "max", F(5), None, F(5)), (1, "max", F(9, 2), None, F(9, 2))], 2, unit) == {0: 5}
    assert hold_at_caps([], 0, unit) == {}
