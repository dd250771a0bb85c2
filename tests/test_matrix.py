"""Tests for planc.maths.matrix: proportional cells, IPF and controlled rounding."""

from __future__ import annotations

import math
import random
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planc.maths.matrix import Infeasible, controlled_round, ipf, proportional_cells


def margins(M):
    return [sum(line, F(0)) for line in M], [sum(col, F(0)) for col in zip(*M)]


def assert_rounding(out, fitted, rows, cols, unit):
    """Exact margins, every cell a multiple of unit and the floor or ceil of its input."""
    assert not isinstance(out, Infeasible), out
    assert margins(out) == (list(rows), list(cols))
    for line, fline in zip(out, fitted):
        for v, x in zip(line, fline):
            assert (v / unit).denominator == 1
            assert v in (math.floor(x / unit) * unit, math.ceil(x / unit) * unit), (v, x)


# --- proportional cells -----------------------------------------------------------

def test_proportional_cells_are_exact_products():
    cells = proportional_cells([F(30), F(70)], [F(25), F(75)])
    assert cells == [[F(15, 2), F(45, 2)], [F(35, 2), F(105, 2)]]
    assert margins(cells) == ([30, 70], [25, 75])


def test_proportional_cells_zero_total():
    assert proportional_cells([F(0), F(0)], [F(0)]) == [[0], [0]]


# --- IPF known answers ------------------------------------------------------------

def test_ipf_2x2_closed_form():
    # RAS keeps the cross-product ratio x11*x22/(x12*x21) = (1*4)/(2*3) = 2/3.
    # With x11 = t: x12 = 10-t, x21 = 12-t, x22 = 8+t, so 3t(8+t) = 2(10-t)(12-t),
    # i.e. t^2 + 68t - 240 = 0 and t = (-68 + sqrt(5584)) / 2 = 3.36308338...
    fit = ipf([[1, 2], [3, 4]], [F(10), F(20)], [F(12), F(18)])
    assert not isinstance(fit, Infeasible)
    assert margins(fit) == ([10, 20], [12, 18])  # exact, not approximately
    t = (-68 + math.sqrt(5584)) / 2
    expected = [[t, 10 - t], [12 - t, 8 + t]]
    for line, eline in zip(fit, expected):
        for v, e in zip(line, eline):
            assert float(v) == pytest.approx(e, rel=1e-8)
    assert controlled_round(fit, [10, 20], [12, 18], F(1)) == [[3, 7], [9, 11]]


def test_ipf_3x3_with_zero_cell():
    # The fit is unique, so a matrix diag(a) S diag(b) with the same zeros is it:
    # a = (1, 2, 3), b = (2, 1, 4) gives X below; its margins are the totals.
    S = [[1, 2, 0], [1, 1, 1], [0, 3, 1]]
    X = [[2, 2, 0], [4, 2, 8], [0, 9, 12]]
    rows, cols = [F(4), F(14), F(21)], [F(6), F(13), F(20)]
    fit = ipf(S, rows, cols)
    assert not isinstance(fit, Infeasible)
    assert margins(fit) == (rows, cols)
    assert fit[0][2] == 0 and fit[2][0] == 0
    for line, xline in zip(fit, X):
        for v, x in zip(line, xline):
            assert float(v) == pytest.approx(x, abs=1e-7)


def test_ipf_seed_already_fitting_is_kept():
    S = [[F(1, 2), F(3, 2)], [F(5, 2), F(1, 2)]]
    fit = ipf(S, [F(2), F(3)], [F(3), F(2)])
    assert controlled_round(fit, [2, 3], [3, 2], F(1, 2)) == S


def test_ipf_accepts_float_seed():
    fit = ipf([[0.5, 1.5], [2.0, 0.0]], [F(4), F(2)], [F(4), F(2)])
    assert not isinstance(fit, Infeasible)
    assert margins(fit) == ([4, 2], [4, 2]) and fit[1][1] == 0


def test_ipf_cells_forced_to_zero_by_the_margins():
    # Row 1 can only use column 1, which it fills; so cell (0, 1) must be 0 even
    # though it is seeded: the RAS limit, reached exactly rather than crept towards.
    fit = ipf([[1, 1], [0, 1]], [F(5), F(5)], [F(5), F(5)])
    assert fit == [[5, 0], [0, 5]]


def test_ipf_all_zero_totals():
    assert ipf([[1, 2], [3, 4]], [F(0), F(0)], [F(0), F(0)]) == [[0, 0], [0, 0]]


def test_ipf_zero_total_row_with_seed():
    fit = ipf([[1, 2], [3, 4]], [F(0), F(9)], [F(3), F(6)])
    assert fit == [[0, 0], [3, 6]]


# --- IPF infeasible ------------------------------------------------------------------

def test_ipf_all_zero_row_names_the_row():
    res = ipf([[0, 0], [1, 1]], [F(5000), F(10)], [F(5005), F(5)], row_names=["east", "west"])
    assert isinstance(res, Infeasible) and res.row == 0
    assert res.reason == "row 'east' has an all-zero seed but a total of 5,000"


def test_ipf_all_zero_column():
    res = ipf([[1, 0], [1, 0]], [F(5), F(5)], [F(5), F(5)], col_names=["Q1", "Q2"])
    assert isinstance(res, Infeasible) and res.col == 1
    assert "column 'Q2'" in res.reason and "all-zero" in res.reason


def test_ipf_incompatible_zero_pattern_names_rows_from_min_cut():
    S = [[1, 0, 0], [1, 0, 0], [1, 1, 1]]
    res = ipf(S, [F(5), F(5), F(2)], [F(4), F(4), F(4)],
              row_names=["a", "b", "c"], col_names=["x", "y", "z"])
    assert isinstance(res, Infeasible) and res.row == 0
    assert res.reason == "rows 'a', 'b' need 10 but the seeded columns (column 'x') total only 4"


def test_ipf_sum_mismatch():
    res = ipf([[1, 1]], [F(10)], [F(5), F(6)])
    assert isinstance(res, Infeasible)
    assert res.reason == "the rows total 10 but the columns total 11"


def test_ipf_sum_mismatch_is_exact():
    res = ipf([[1, 1]], [F(10)], [F(5), F(5) + F(1, 10**30)])
    assert isinstance(res, Infeasible)


@pytest.mark.parametrize("seed, rows, cols, where", [
    ([[1, -1], [1, 1]], [2, 2], [2, 2], (0, 1)),
    ([[1, 1], [1, 1]], [-2, 6], [2, 2], (0, None)),
    ([[1, 1], [1, 1]], [2, 2], [5, -1], (None, 1)),
    ([[1, float("nan")], [1, 1]], [2, 2], [2, 2], (0, 1)),
])
def test_ipf_negative_or_bad_inputs(seed, rows, cols, where):
    res = ipf(seed, [F(x) for x in rows], [F(x) for x in cols])
    assert isinstance(res, Infeasible)
    assert (res.row, res.col) == where


def test_ipf_iteration_cap():
    res = ipf([[1, 2], [3, 4]], [F(10), F(20)], [F(12), F(18)], max_iterations=1, newton_steps=0)
    assert isinstance(res, Infeasible)
    assert res.reason.startswith("did not converge after 1 sweeps (max margin error ")
    # With Newton steps allowed after the one sweep, the fit is finished: the RAS limit.
    fit = ipf([[1, 2], [3, 4]], [F(10), F(20)], [F(12), F(18)], max_iterations=1)
    assert not isinstance(fit, Infeasible) and margins(fit) == ([10, 20], [12, 18])
    assert float(fit[0][0]) == pytest.approx((-68 + math.sqrt(5584)) / 2, rel=1e-8)


def test_ipf_too_loose_a_tolerance_is_reported_not_wrong():
    S = [[1, 1000, 1, 1000], [1000, 1000, 0.001, 1000]]
    res = ipf(S, [F(11), F(21)], [F(9), F(7), F(16), F(0)], tolerance=0.9, newton_steps=0)
    assert isinstance(res, Infeasible) and "smaller tolerance" in res.reason
    # Newton steps tighten such a fit until the exact repair can keep every cell >= 0.
    fit = ipf(S, [F(11), F(21)], [F(9), F(7), F(16), F(0)], tolerance=0.9)
    assert not isinstance(fit, Infeasible) and margins(fit) == ([11, 21], [9, 7, 16, 0])
    assert all(v >= 0 for line in fit for v in line)
    fit = ipf(S, [F(11), F(21)], [F(9), F(7), F(16), F(0)])
    assert not isinstance(fit, Infeasible) and margins(fit) == ([11, 21], [9, 7, 16, 0])


def test_ipf_shape_error_raises():
    with pytest.raises(ValueError):
        ipf([[1, 2]], [F(1), F(2)], [F(1), F(2)])


# --- controlled rounding ------------------------------------------------------------

def test_round_prefers_larger_fractional_parts():
    cells = [[F(7, 10), F(3, 10)], [F(3, 10), F(7, 10)]]
    assert controlled_round(cells, [1, 1], [1, 1], F(1)) == [[1, 0], [0, 1]]
    cells = [[F(3, 10), F(7, 10)], [F(7, 10), F(3, 10)]]
    assert controlled_round(cells, [1, 1], [1, 1], F(1)) == [[0, 1], [1, 0]]


def test_round_ties_go_by_index():
    half = [[F(1, 2)] * 2] * 2
    assert controlled_round(half, [1, 1], [1, 1], F(1)) == [[1, 0], [0, 1]]


def test_round_unit_and_zero_cells():
    cells = proportional_cells([F(1000), F(2000), F(0)], [F(1500), F(1500)])
    out = controlled_round(cells, [1000, 2000, 0], [1500, 1500], F(100))
    assert_rounding(out, cells, [1000, 2000, 0], [1500, 1500], F(100))
    assert out[2] == [0, 0]


def test_round_snaps_float_noise_to_the_near_integer():
    eps = F(1, 10**15)
    cells = [[3 - eps, 2 + eps], [1 + eps, 4 - eps]]
    assert controlled_round(cells, [5, 5], [4, 6], F(1)) == [[3, 2], [1, 4]]


def test_round_total_not_multiple_of_unit():
    res = controlled_round([[F(5)]], [F(5)], [F(5)], F(2), row_names=["east"])
    assert isinstance(res, Infeasible) and res.row == 0
    assert res.reason == "row 'east' total 5 is not a multiple of the rounding unit 2"


def test_round_inconsistent_cells_are_infeasible_not_wrong():
    # Row 0's cells round to 0 or 1 in total, but its total is 2.
    res = controlled_round([[F(1, 2), F(0)], [F(1, 2), F(1)]], [2, 1], [2, 1], F(1))
    assert isinstance(res, Infeasible) and res.row == 0
    assert res.reason == ("row 0 cannot reach its total of 2: its cells round down "
                          "to 0 and at most 1 of them can round up by 1")
    # Each line alone is fine, but rows 0 and 1 need 2 units from columns 0 and 1,
    # which can take only 1: the flow does not saturate.
    h = F(1, 2)
    res = controlled_round([[h, h, 0], [h, h, 0], [0, 0, h]], [1, 1, 0], [1, 0, 1], F(1))
    assert isinstance(res, Infeasible)


# --- properties -----------------------------------------------------------------------

@st.composite
def feasible_problems(draw):
    """A seed (with zeros and ties) and totals that are margins of an integer matrix
    with the seed's zero pattern, scaled by the unit: a fit exists by construction."""
    n, m = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    unit = F(draw(st.sampled_from([1, 10, 1000])))
    seed = [[draw(st.integers(0, 4)) for _ in range(m)] for _ in range(n)]
    M = [[draw(st.integers(0, 9)) if seed[i][j] else 0 for j in range(m)] for i in range(n)]
    rows, cols = margins([[x * unit for x in line] for line in M])
    return seed, rows, cols, unit


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(feasible_problems())
def test_ipf_then_round_properties(problem):
    seed, rows, cols, unit = problem
    fit = ipf(seed, rows, cols)
    assert not isinstance(fit, Infeasible), fit
    assert margins(fit) == (rows, cols)
    assert all(v >= 0 for line in fit for v in line)
    out = controlled_round(fit, rows, cols, unit)
    assert_rounding(out, fit, rows, cols, unit)
    for sline, fline, oline in zip(seed, fit, out):
        for s, f, o in zip(sline, fline, oline):
            if s == 0:
                assert f == 0 and o == 0
    assert ipf(seed, rows, cols) == fit
    assert controlled_round(fit, rows, cols, unit) == out


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.sampled_from([1, 10, 1000]), st.randoms())
def test_round_proportional_cells(n, m, unit, rnd):
    M = [[rnd.randint(0, 9) * unit for _ in range(m)] for _ in range(n)]
    rows, cols = margins(M)
    cells = proportional_cells(rows, cols)
    out = controlled_round(cells, rows, cols, F(unit))
    assert_rounding(out, cells, rows, cols, F(unit))
    assert controlled_round(cells, rows, cols, F(unit)) == out


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 8), st.integers(1, 8), st.randoms())
def test_round_arbitrary_fractions_with_integral_margins(n, m, rnd):
    # Free cells are random fractions; the last column and row top their lines up
    # to whole numbers, which makes every margin whole (the grand total is whole).
    A = [[F(rnd.randint(0, 40), rnd.randint(1, 7)) for _ in range(m)] for _ in range(n)]
    for i in range(n - 1):
        part = sum(A[i][:-1], F(0))
        A[i][-1] = math.ceil(part) - part + rnd.randint(0, 3)
    for j in range(m - 1):
        part = sum((A[i][j] for i in range(n - 1)), F(0))
        A[-1][j] = math.ceil(part) - part + rnd.randint(0, 3)
    part = sum(A[-1][:-1], F(0))
    A[-1][-1] = math.ceil(part) - part + rnd.randint(0, 3)
    rows, cols = margins(A)
    assert all(x.denominator == 1 for x in rows + cols)
    assert_rounding(controlled_round(A, rows, cols, F(1)), A, rows, cols, F(1))


def test_200_by_50_problem():
    rnd = random.Random(7)
    n, m, unit = 200, 50, F(1000)
    S = [[0 if rnd.random() < 0.1 else rnd.randint(1, 100) for _ in range(m)] for _ in range(n)]
    M = [[rnd.randint(0, 50) * unit if S[i][j] else 0 for j in range(m)] for i in range(n)]
    rows, cols = margins(M)
    fit = ipf(S, rows, cols)
    assert not isinstance(fit, Infeasible), fit
    assert margins(fit) == (rows, cols)
    out = controlled_round(fit, rows, cols, unit)
    assert_rounding(out, fit, rows, cols, unit)
    assert all(o == 0 for sl, ol in zip(S, out) for s, o in zip(sl, ol) if s == 0)
