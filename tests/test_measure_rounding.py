"""Rounding modes of a measure (maths/allocate.py: `round_to`, `apportion`):
a total is put on the grid in its mode and its parts share it by largest
remainder, so they sum to it exactly and each stays within one grid step."""

from __future__ import annotations

from fractions import Fraction as F

from hypothesis import given
from hypothesis import strategies as st

from planc.maths.allocate import apportion, round_to

fractions = st.fractions(min_value=-10**6, max_value=10**6, max_denominator=1000)
units = st.sampled_from([F(1), F(5), F(10), F(1, 2), F(1000)])
modes = st.sampled_from(["nearest", "up", "down"])
quota_lists = st.lists(st.fractions(min_value=0, max_value=10**5, max_denominator=100), min_size=1, max_size=12)


def test_round_to_known_answers():
    assert round_to(F(1333, 100), F(1), "up") == 14
    assert round_to(F(1333, 100), F(1), "down") == 13
    assert round_to(F(1333, 100), F(1), "nearest") == 13
    assert round_to(F(25, 2), F(1), "nearest") == 13  # halfway goes up
    assert round_to(F(-1333, 100), F(1), "up") == -13  # up is towards +∞
    assert round_to(F(461), F(5), "up") == 465
    assert round_to(F(460), F(5), "up") == 460  # on the grid: unchanged


@given(fractions, units, modes)
def test_round_to_is_on_the_grid_within_one_step_on_the_modes_side(value, unit, mode):
    out = round_to(value, unit, mode)
    assert (out / unit).denominator == 1
    assert abs(out - value) < unit
    if mode == "up":
        assert out >= value
    elif mode == "down":
        assert out <= value
    else:
        assert abs(out - value) <= unit / 2


def test_apportion_known_answer():
    # 46.2 visits rounded up to 47, then shared 1 : 1 : 1 by largest remainder.
    assert apportion(F(462, 10), [F(1), F(1), F(1)], F(1), "up") == (47, [16, 16, 15])
    assert apportion(F(462, 10), [F(1), F(1), F(1)], F(1), "down") == (46, [16, 15, 15])


@given(fractions.map(abs), quota_lists, units, modes)
def test_apportion_parts_sum_to_the_rounded_total_each_within_one_step(exact, quotas, unit, mode):
    total, parts = apportion(exact, quotas, unit, mode)
    assert total == round_to(exact, unit, mode)
    assert sum(parts) == total
    weight = sum(quotas)
    scaled = [q * total / weight if weight else total / len(quotas) for q in quotas]
    for part, quota in zip(parts, scaled):
        assert (part / unit).denominator == 1
        assert abs(part - quota) < unit
