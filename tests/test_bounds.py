"""Hostile input gets a diagnostic, never an exception or unbounded work
(issue 14): computed amounts are bounded, odd tables are refused."""

from __future__ import annotations

import json
from fractions import Fraction as F

from helpers import codes, errors, run_planc
from planc.amounts import format_amount, format_percent
from planc.fmt import format_text
from planc.pipeline import compile_plan


# ---- bounded amounts (E037) ------------------------------------------------------------


def test_thirty_squarings_stop_at_the_first_amount_out_of_range(plan):
    lines = ["target a0 = 10M"] + [f"target a{i + 1} = a{i} * a{i}" for i in range(30)]
    result = plan("\n".join(lines) + "\n")
    assert [(d.code, d.line, d.column) for d in errors(result)] == [("E037", 3, 13)]
    assert "`a1 * a1` comes to 10,000,000,000,000,000,000,000,000,000" in errors(result)[0].message
    assert result.evaluation.values["a1"] == 10**14 and "a2" not in result.evaluation.values


def test_a_chain_of_fractions_stops_at_the_denominator_bound(plan):
    lines = ["target f0 = 1 / 3"] + [f"target f{i + 1} = f{i} * f{i}" for i in range(30)]
    result = plan("\n".join(lines) + "\n")
    assert [(d.code, d.line) for d in errors(result)] == [("E037", 9)]
    assert "denominator" in errors(result)[0].message


def test_a_step_inside_an_expression_may_exceed_an_amount_but_not_the_result(plan):
    result = plan("target g = 10B * 10B * 10B / 10B / 10B\ntarget h = 10B * 10B * 10B / 10B\n")
    assert result.evaluation.values["g"] == 10**10
    assert [(d.code, d.line, d.column) for d in errors(result)] == [("E037", 2, 12)]


def test_split_totals_shares_and_sums_are_bounded(plan):
    result = plan("target y = 900_000_000_000_000_000\n"
                  "split y by q overassign 1000% { a = rest }\n"
                  "split y by r { b = 500%; c = rest }\n"
                  "target z = sum\n"
                  "split z by s { d = 900_000_000_000_000_000; e = 900_000_000_000_000_000 }\n")
    assert [(d.code, d.line, d.column) for d in errors(result)] == [("E037", 2, 25), ("E037", 3, 20),
                                                                     ("E037", 5, 1)]


def test_formatting_never_overflows():
    huge = F(10) ** 5000
    assert format_amount(huge) == "10^5000"
    assert format_amount(-huge / 3) == "-10^4999"
    assert format_amount(F(10) ** 400 / 7).startswith("10^")
    assert format_percent(F(10) ** 400) == "10^402%"
    assert format_amount(F(1, 3)) == "0.333333"


def test_the_largest_amounts_go_through_json_and_build(tmp_path):
    (tmp_path / "p.plan").write_text("target y = 1_000_000_000_000_000_000\n"
                                     "split y by q using even { a; b; c }\n", encoding="utf-8")
    out = run_planc("eval", "--format", "json", "p.plan", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    targets = json.loads(out.stdout)["targets"]
    assert targets["y.a"] == 333_333_333_333_333_334
    built = run_planc("build", "p.plan", "-o", "out", cwd=tmp_path)
    assert built.returncode == 0, built.stderr


# ---- tables that mix `k = v` and `row: col = v` ---------------------------------------------

MIXED = """table t by r, c {
  a: x = 1, y = 2
  b = 3
}
table u { a = 1; b: x = 2 }
target y = 10
split y by r using weight(u) { a; b }
split y by s using weight(u)
target z = t.a.q + u.c
"""


def test_a_table_mixing_entry_kinds_is_refused_with_one_error(plan):
    result = plan(MIXED)
    assert [(d.code, d.line, d.column) for d in errors(result)] == [("E026", 3, 3), ("E026", 5, 21)]
    assert all("mixes `key = value` and `row: column = value`" in d.message for d in errors(result))


def test_fmt_lays_out_a_mixed_table_as_written():
    out, diags = format_text(MIXED)
    assert diags == [] and out is not None
    assert "  b = 3\n" in out and "table u { a = 1; b: x = 2 }" in out
    assert format_text(out) == (out, [])


def test_mixed_tables_in_check_fmt_and_build_exit_cleanly(tmp_path):
    (tmp_path / "p.plan").write_text(MIXED, encoding="utf-8")
    for args in (("check", "p.plan"), ("fmt", "--check", "p.plan"), ("build", "p.plan", "-o", "out")):
        out = run_planc(*args, cwd=tmp_path)
        assert "Traceback" not in out.stderr and "E099" not in out.stderr, (args, out.stderr)
        assert out.returncode in (0, 1), (args, out.returncode)
    assert codes(compile_plan(tmp_path / "p.plan")) == ["E026", "E026"]
