"""The exact grid form (issue 15): ipf_exact, proportional_exact and
controlled_round on ExactCells give, cell for cell, what the Fraction path gave
before them (digests of 454 generated problems in tests/data/maths_digests.json,
written by that code; see tests/maths_digests.py), and agree with ipf,
proportional_cells and controlled_round on Fractions."""

from __future__ import annotations

import json
import math
from fractions import Fraction as F

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import maths_digests
from planc.maths import matrix
from planc.maths.exact import ExactCells
from planc.maths.matrix import (Infeasible, controlled_round, ipf, ipf_exact, proportional_cells,
                                proportional_exact)

STORED = json.loads(maths_digests.FIXTURE.read_text(encoding="utf-8"))
PROBLEMS = list(maths_digests.problems())


def test_the_fixture_covers_every_generated_problem():
    assert sorted(STORED) == sorted(name for name, _, _ in PROBLEMS)
    assert len(STORED) > 400


@pytest.mark.parametrize("path", ["exact", "fractions"])
def test_every_fit_and_rounding_is_what_it_was(path):
    """The new exact path (ipf_exact, proportional_exact, controlled_round of ExactCells)
    and the Fraction path both reproduce every stored digest."""
    if path == "exact":
        fns = (ipf_exact, proportional_exact, controlled_round)
    else:
        fns = (ipf, proportional_cells, controlled_round)
    changed = [name for name, kind, args in PROBLEMS
               if maths_digests.digest(kind, args, *fns) != STORED[name]]
    assert changed == []


# --- properties -------------------------------------------------------------------------

def margins(M):
    return [sum(line, F(0)) for line in M], [sum(col, F(0)) for col in zip(*M)]


@st.composite
def problems(draw, max_n=8, max_m=8):
    """A seed of ints or Fractions with zeros (and ties), totals that are margins of a
    matrix on its support, in multiples of the unit (1, 1000 or 1/2)."""
    n, m = draw(st.integers(1, max_n)), draw(st.integers(1, max_m))
    unit = draw(st.sampled_from([F(1), F(1000), F(1, 2)]))
    value = st.one_of(st.integers(0, 5), st.fractions(0, 50, max_denominator=7))
    seed = [[draw(value) for _ in range(m)] for _ in range(n)]
    M = [[draw(st.integers(0, 9)) * unit if seed[i][j] else F(0) for j in range(m)] for i in range(n)]
    rows, cols = margins(M)
    return seed, rows, cols, unit


def assert_rounding(out, cells, rows, cols, unit):
    assert not isinstance(out, Infeasible), out.reason
    assert margins(out) == (rows, cols)
    for line, fline in zip(out, cells):
        for v, x in zip(line, fline):
            assert v in (math.floor(x / unit) * unit, math.ceil(x / unit) * unit)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_exact_cells_are_the_fit_and_round_alike(problem):
    seed, rows, cols, unit = problem
    exact = ipf_exact(seed, rows, cols)
    fit = ipf(seed, rows, cols)
    if isinstance(fit, Infeasible):
        assert exact == fit
        return
    assert isinstance(exact, ExactCells)
    assert exact.fractions() == fit
    assert all(exact.cell(i, j) == fit[i][j] for i in range(len(rows)) for j in range(len(cols)))
    assert margins(fit) == (rows, cols)
    out = controlled_round(exact, rows, cols, unit)
    assert out == controlled_round(fit, rows, cols, unit)
    assert_rounding(out, fit, rows, cols, unit)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 9), st.integers(1, 9), st.sampled_from([F(1), F(10), F(1, 2)]), st.randoms())
def test_proportional_exact_is_proportional_cells(n, m, unit, rnd):
    M = [[rnd.randint(0, 9) * unit for _ in range(m)] for _ in range(n)]
    rows, cols = margins(M)
    exact = proportional_exact(rows, cols)
    cells = proportional_cells(rows, cols)
    total = sum(rows, F(0))
    assert exact.fractions() == cells
    assert all(cells[i][j] == (rows[i] * cols[j] / total if total else 0) for i in range(n) for j in range(m))
    out = controlled_round(exact, rows, cols, unit)
    assert out == controlled_round(cells, rows, cols, unit)
    assert_rounding(out, cells, rows, cols, unit)
    with forced_large():  # the rounding on object arrays (bigcross._split)
        assert controlled_round(exact, rows, cols, unit) == out


class forced_large:
    """Every cross counts as large (numpy: planc.maths.bigcross) inside the block."""

    def __enter__(self):
        self.saved = matrix.SMALL_CROSS
        matrix.SMALL_CROSS = 0

    def __exit__(self, *exc):
        matrix.SMALL_CROSS = self.saved


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(max_n=12, max_m=12), st.booleans())
def test_the_large_cross_path_gives_the_same_cells(problem, over_ask):
    """bigcross (the int64 seed, the support's start and one-component test, Dinic's
    levels on matrices, the rounding on arrays) gives what the list code gives,
    feasible or not."""
    seed, rows, cols, unit = problem
    if over_ask and len(rows) > 1:  # likely past Hall's condition: row 0 asks more
        seed = [[x if j == 0 or i else 0 for j, x in enumerate(line)] for i, line in enumerate(seed)]
        rows = [rows[0] + unit] + rows[1:]
        cols = [cols[0]] + [c for c in cols[1:-1]] + [cols[-1] + unit] if len(cols) > 1 else [cols[0] + unit]
    small = ipf_exact(seed, rows, cols)
    with forced_large():
        large = ipf_exact(seed, rows, cols)
    assert large == small
    if isinstance(small, Infeasible):
        return
    out = controlled_round(small, rows, cols, unit)
    with forced_large():
        assert controlled_round(large, rows, cols, unit) == out
        assert controlled_round(small.fractions(), rows, cols, unit) == out


def test_exact_cells_compare_by_value_and_normalise():
    a = ExactCells([[2, 0], [1, 3]], F(1, 4))
    b = ExactCells([[4, 0], [2, 6]], F(1, 8))
    assert a == b and a != ExactCells([[2, 0], [1, 4]], F(1, 4))
    assert a.cell(0, 0) == F(1, 2) and a.cell(0, 0).denominator == 2
    assert a.fractions() == [[F(1, 2), 0], [F(1, 4), F(3, 4)]]


def test_a_rounding_from_exact_cells_shares_its_amounts():
    S, rows, cols = maths_digests._bench(60, 30)
    fit = ipf_exact(S, rows, cols)
    out = controlled_round(fit, rows, cols, F(1000))
    assert_rounding(out, fit.fractions(), rows, cols, F(1000))
    amounts = {id(v) for line in out for v in line}
    assert len(amounts) == len({v for line in out for v in line})  # one Fraction per distinct amount
