"""The integer apportioning path (maths/apportion.py) against the Fraction one.

`largest_remainder` tries `whole_units` first; with it switched off, the
general Fraction code runs. Both must give the very same amounts, for any
quotas, units and caps — including the cases the fast path hands back.
"""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import given, settings, strategies as st

import planc.maths.allocate as allocate
import planc.maths.apportion as apportion
from planc.maths.apportion import whole_units

units = st.sampled_from([F(1), F(1000), F(1, 100), F(5, 2), F(3, 7), F(250)])
small = st.fractions(min_value=-10**6, max_value=10**7, max_denominator=10**4)


def _reference(total, quotas, unit, lows=None, highs=None):
    saved = apportion.whole_units
    apportion.whole_units = lambda *args: None  # the general (Fraction) code only
    try:
        return allocate.largest_remainder(total, quotas, unit, lows, highs)
    finally:
        apportion.whole_units = saved


@st.composite
def shared_out(draw):
    """Quotas that add up to a total on the grid (the fast path's case), with or without caps."""
    unit = draw(units)
    n = draw(st.integers(1, 12))
    total = draw(st.integers(-10**6, 10**8)) * unit
    scores = draw(st.lists(st.integers(0, 10**6), min_size=n, max_size=n))
    if sum(scores) == 0:
        scores[0] = 1
    quotas = [total * s / sum(scores) for s in scores]
    caps = draw(st.booleans())
    lows = [draw(st.one_of(st.none(), st.just(q - unit / 2), st.just(q))) for q in quotas] if caps else None
    highs = [draw(st.one_of(st.none(), st.just(q + unit / 3), st.just(q))) for q in quotas] if caps else None
    return total, quotas, unit, lows, highs


@settings(max_examples=400, deadline=None)
@given(shared_out())
def test_whole_units_give_the_fraction_results(case):
    total, quotas, unit, lows, highs = case
    fast = whole_units(total, quotas, unit, lows, highs)
    assert fast is not None  # this is the case it is for
    assert fast == _reference(total, quotas, unit, lows, highs)
    assert all(type(x) is F for x in fast)
    assert sum(fast) == total


@settings(max_examples=300, deadline=None)
@given(small, st.lists(small, min_size=1, max_size=10), units)
def test_any_quotas_give_the_same_results_with_and_without_the_fast_path(total, quotas, unit):
    # Quotas that do not add up or a total off the grid go to the general code.
    assert allocate.largest_remainder(total, quotas, unit) == _reference(total, quotas, unit)


def test_the_fast_path_declines_what_it_does_not_cover():
    assert whole_units(F(10), [F(3), F(3)], F(1)) is None  # quotas short of the total
    assert whole_units(F(21, 2), [F(5), F(11, 2)], F(1)) is None  # a total off the grid
    assert whole_units(F(10), [F(5), F(5)], F(-1)) is None  # not a positive unit
    assert whole_units(F(10), [F(10, 3), F(10, 3), F(10, 3)], F(1)) == [F(4), F(3), F(3)]
