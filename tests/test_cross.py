"""`cross`: cells that add up along rows and columns, plain and seeded."""

from __future__ import annotations

import math
from fractions import Fraction as F

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import codes, top_level_statements, values
from planc.pipeline import compile_text

PLAIN = """plan "C" { round: 1000; period: 2027-01-01 .. 2027-12-31 }
target year = 120M
split year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }
split year by region { east = 40M; north = 30M; south = 30M; west = rest }
cross region by quarter
"""


def test_plain_cross_is_row_times_column_over_parent(plan):
    v = values(plan(PLAIN))
    assert v["year.east.Q1"] == 40_000_000 * 24_000_000 // 120_000_000
    assert v["year.west.Q4"] == 20_000_000 * 36_000_000 // 120_000_000


def test_cells_are_reachable_both_ways_and_can_be_split(plan):
    result = plan(PLAIN + "split east.Q1 by month { Jan = 30%; Feb = 30%; Mar = rest }\n"
                          "assert Q1.east == east.Q1\nassert Q1.east.Jan == 2_400_000\n")
    assert codes(result) == []
    v = values(result)
    assert v["year.east.Q1.Mar"] == 3_200_000


def test_seeded_cross_matches_a_hand_computed_fit(plan):
    # Seed [[1,2],[3,4]] to rows (e, w) = (600, 400), columns (Q1, Q2) = (300, 700).
    # IPF keeps the seed's odds ratio (1·4)/(2·3) = 2/3. With e.Q1 = t the margins give
    # e.Q2 = 600 - t, w.Q1 = 300 - t, w.Q2 = 100 + t, so t(100 + t) / ((600 - t)(300 - t)) = 2/3,
    # i.e. t² + 2100 t - 360000 = 0.
    result = plan("target y = 1000\nsplit y by q { Q1 = 300; Q2 = 700 }\nsplit y by r { e = 600; w = 400 }\n"
                  "table h by r, q {\n  e: Q1 = 1, Q2 = 2\n  w: Q1 = 3, Q2 = 4\n}\ncross r by q seed h\n")
    v = values(result)
    t = (-2100 + math.sqrt(2100**2 + 4 * 360000)) / 2
    assert abs(result.evaluation.derivations["y.e.Q1"].exact - F(t)) < F(1, 10**6)
    assert abs(v["y.e.Q1"] - t) < 1
    assert v["y.e.Q1"] + v["y.e.Q2"] == 600 and v["y.e.Q1"] + v["y.w.Q1"] == 300
    assert v["y.w.Q1"] + v["y.w.Q2"] == 400 and v["y.e.Q2"] + v["y.w.Q2"] == 700


def test_seed_zeros_stay_zero_and_transposed_seeds_are_accepted(plan):
    result = plan("target y = 100\nsplit y by q { a = 40; b = 60 }\nsplit y by r { x = 50; z = 50 }\n"
                  "table s by q, r {\n  a: x = 0, z = 1\n  b: x = 1, z = 1\n}\ncross r by q seed s\n")
    v = values(result)
    assert v["y.x.a"] == 0 and v["y.z.a"] == 40 and v["y.x.b"] == 50 and v["y.z.b"] == 10


def test_seed_problems_name_the_row(plan):
    result = plan("target y = 100\nsplit y by r { a = 40; b = 60 }\nsplit y by q { x = 50; z = 50 }\n"
                  "table s by r, q {\n  a: x = 0, z = 0\n  b: x = 1, z = 1\n}\ncross r by q seed s\n")
    (d,) = [d for d in result.diagnostics if d.code == "E035"]
    assert "'a'" in d.message and "all-zero" in d.message


def test_seed_with_missing_and_unknown_keys(plan):
    result = plan("target y = 100\nsplit y by r { a = 40; b = 60 }\nsplit y by q { x = 50; z = 50 }\n"
                  "table s by r, q {\n  a: x = 1, z = 1\n  b: x = 1, k = 1\n}\ncross r by q seed s\n")
    messages = [d.message for d in result.diagnostics if d.code == "E036"]
    assert any("no value for b: z" in m for m in messages)
    assert any("b: k" in m for m in messages)


def test_seed_from_csv_with_two_key_columns(plan):
    result = plan('target y = 100\nsplit y by r { a = 40; b = 60 }\nsplit y by q { x = 50; z = 50 }\n'
                  'data s = csv("s.csv")\ncross r by q seed s\n',
                  {"s.csv": "r,q,value\na,x,1\na,z,1\nb,x,1\nb,z,1\n"})
    v = values(result)
    assert (v["y.a.x"], v["y.a.z"], v["y.b.x"], v["y.b.z"]) == (20, 20, 30, 30)


def test_overassigned_margins_cannot_be_crossed(plan):
    result = plan("target y = 100\nsplit y by r overassign 110% { a = 50%; b = rest }\n"
                  "split y by q { x = 50; z = 50 }\ncross r by q\n")
    assert "E032" in codes(result)


# ---- properties ---------------------------------------------------------------------------

@st.composite
def crosses(draw):
    unit = draw(st.sampled_from([1, 10, 1000]))
    rows = draw(st.lists(st.integers(0, 60), min_size=1, max_size=6))
    cols_n = draw(st.integers(1, 6))
    # Margins from a random non-negative matrix with the seed's zero pattern: a fit exists.
    seed = [[draw(st.integers(0, 5)) for _ in range(cols_n)] for _ in rows]
    base = [[draw(st.integers(1, 40)) if s else 0 for s in row] for row in seed]
    row_totals = [sum(r) * unit for r in base]
    col_totals = [sum(r[j] for r in base) * unit for j in range(cols_n)]
    seeded = draw(st.booleans())
    return unit, seed, row_totals, col_totals, seeded


def _cross_plan(unit, seed, rows, cols, seeded):
    total = sum(rows)
    text = f'plan "P" {{ round: {unit} }}\ntarget t = {total}\n'
    text += "split t by r { " + "; ".join(f"r{i} = {v}" for i, v in enumerate(rows)) + " }\n"
    text += "split t by c { " + "; ".join(f"c{j} = {v}" for j, v in enumerate(cols)) + " }\n"
    if seeded:
        text += "table s by r, c {\n" + "\n".join(
            f"  r{i}: " + ", ".join(f"c{j} = {v}" for j, v in enumerate(row)) for i, row in enumerate(seed)) + "\n}\n"
    return text + f"cross r by c{' seed s' if seeded else ''}\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(crosses())
def test_cross_cells_add_up_both_ways_and_round_by_at_most_one_unit(case):
    unit, seed, rows, cols, seeded = case
    result = compile_text(_cross_plan(unit, seed, rows, cols, seeded))
    if any(d.is_error for d in result.diagnostics):
        # Only an all-zero seed row/column against a zero-total margin could fail; never a crash.
        assert {d.code for d in result.diagnostics if d.is_error} <= {"E035"}
        return
    v = result.evaluation.values
    d = result.evaluation.derivations
    for i, total in enumerate(rows):
        assert sum(v[f"t.r{i}.c{j}"] for j in range(len(cols))) == total
    for j, total in enumerate(cols):
        assert sum(v[f"t.r{i}.c{j}"] for i in range(len(rows))) == total
    for i in range(len(rows)):
        for j in range(len(cols)):
            cell, fitted = v[f"t.r{i}.c{j}"], d[f"t.r{i}.c{j}"].exact
            assert cell in (math.floor(fitted / unit) * unit, math.ceil(fitted / unit) * unit)
            if seeded and seed[i][j] == 0:
                assert cell == 0


@settings(max_examples=40, deadline=None)
@given(crosses(), st.randoms())
def test_cross_is_deterministic_and_order_free(case, rnd):
    text = _cross_plan(*case)
    first = compile_text(text)
    head, *blocks = top_level_statements(text)
    rnd.shuffle(blocks)
    again = compile_text("\n".join([head] + blocks) + "\n")
    assert again.evaluation.values == first.evaluation.values
    assert compile_text(text).evaluation.values == first.evaluation.values


def test_numpy_is_loaded_by_a_large_seeded_cross_only(tmp_path):
    """numpy (the float fit on arrays) costs start-up: a plain cross and a small seeded
    one (up to matrix.SMALL_CROSS cells, fitted on lists) must not import it."""
    import subprocess
    import sys

    seeded = PLAIN.replace("cross region by quarter", "table s by region, quarter {\n" + "\n".join(
        f"  {r}: Q1 = 1, Q2 = 2, Q3 = 3, Q4 = 4" for r in ("east", "north", "south", "west")) +
        "\n}\ncross region by quarter seed s")
    loaded = {}
    for name, text, small in (("plain", PLAIN, 10_000), ("seeded", seeded, 10_000), ("large", seeded, 0)):
        path = tmp_path / f"{name}.plan"
        path.write_text(text, encoding="utf-8")
        code = ("import sys\nimport planc.maths.matrix as mx\nmx.SMALL_CROSS = %d\n"
                "from planc.cli import main\nrc = main(['check', %r])\n"
                "print('numpy' in sys.modules, rc)" % (small, str(path)))
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        loaded[name] = proc.stdout.split()[-2:]
    assert loaded == {"plain": ["False", "0"], "seeded": ["False", "0"], "large": ["True", "0"]}
