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
