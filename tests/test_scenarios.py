"""Scenarios (`scenario NAME { … }`, eval/diff --scenario) and the named functions
round/ceil/floor/last/growth. Each scenario's amounts are checked against the
same plan written out in full: a scenario is the base with statements changed."""

from __future__ import annotations

import json
from fractions import Fraction

import jsonschema
import pytest

from helpers import ROOT, codes, errors, run_planc, values
from planc.fmt import format_text
from planc.pipeline import compile_text

BASE = """\
plan "S" { round: 1000 }
table history { east = 30M; west = 20M; north = 10M }
target year = 120M
split year by region using weight(history) {
  east
  west
  north  max 20M
}
split year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }
"""

STRETCH = "scenario stretch {\n  year = 1.65亿\n  north max 26M\n  year by region overassign 105%\n}\n"

# The same plan as the scenario, written out by hand.
STRETCH_IN_FULL = BASE.replace("target year = 120M", "target year = 1.65亿").replace(
    "north  max 20M", "north  max 26M").replace("weight(history) {", "weight(history) overassign 105% {")


def test_a_scenario_is_the_base_with_its_statements_changed():
    result = compile_text(BASE + STRETCH)
    assert errors(result) == []
    stretch = result.scenarios["stretch"].evaluation.values
    assert stretch == values(compile_text(STRETCH_IN_FULL))
    assert values(result) == values(compile_text(BASE))  # the base is untouched
    assert stretch["year"] == Fraction(165_000_000)
    assert sum(stretch[f"year.{r}"] for r in ("east", "west", "north")) == Fraction(165_000_000) * Fraction(105, 100)


def test_a_fixed_child_and_attributes_in_a_scenario():
    result = compile_text(BASE + 'scenario low { Q1 = 10%; year.east [owner: "Li"] }\n')
    low = result.scenarios["low"]
    assert low.evaluation.values["year.Q1"] == 12_000_000
    assert low.evaluation.values["year.Q4"] == 120_000_000 - 12_000_000 - 2 * 30_000_000
    assert low.model.targets["year.east"].attributes["owner"].value == "Li"


def test_an_error_in_a_scenario_says_which_scenario():
    result = compile_text(BASE + "scenario broken { Q1 = 60% }\n")
    (d,) = errors(result)
    assert d.code == "E009" and d.message.startswith("scenario `broken`: ")
    assert values(result)["year.Q1"] == 24_000_000  # the base still evaluates


def test_scenario_names_resolve_as_in_the_base():
    result = compile_text(BASE + "scenario s { nowhere = 5M }\nscenario s { year = 1M }\n")
    assert [(d.code, d.line) for d in errors(result)] == [("E062", 10), ("E062", 11)]
    assert "not a target of the plan" in errors(result)[0].message
    assert "defined twice" in errors(result)[1].message


def test_a_scenario_in_an_imported_file(tmp_path):
    """Scenarios kept in a file of their own, imported by the plan, are the plan's scenarios."""
    (tmp_path / "scenarios.plan").write_text(STRETCH, encoding="utf-8")
    (tmp_path / "p.plan").write_text(BASE.replace("\n", '\nimport "scenarios.plan"\n', 1), encoding="utf-8")
    proc = run_planc("eval", "p.plan", "--scenario", "stretch", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    assert json.loads(proc.stdout)["targets"] == {k: int(v) for k, v in values(compile_text(STRETCH_IN_FULL)).items()}


def test_eval_and_diff_with_scenarios(tmp_path):
    (tmp_path / "p.plan").write_text(BASE + STRETCH, encoding="utf-8")
    proc = run_planc("eval", "p.plan", "--scenario", "stretch", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    schemas = ROOT / "docs" / "schemas"
    jsonschema.validate(out, json.loads((schemas / "eval.schema.json").read_text(encoding="utf-8")))
    assert out["scenario"] == "stretch" and out["targets"]["year"] == 165_000_000
    full = compile_text(STRETCH_IN_FULL)
    assert out["targets"] == {k: int(v) for k, v in values(full).items()}

    proc = run_planc("diff", "p.plan", "--scenario", "base,stretch", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    diff = json.loads(proc.stdout)
    jsonschema.validate(diff, json.loads((schemas / "diff.schema.json").read_text(encoding="utf-8")))
    year = next(c for c in diff["changes"] if c["path"] == "year")
    assert (year["old"], year["new"], year["delta"]) == (120_000_000, 165_000_000, 45_000_000)
    assert diff["scenarios"] == ["base", "stretch"]

    proc = run_planc("eval", "p.plan", "--scenario", "nope", cwd=tmp_path)
    assert proc.returncode == 2 and "has no scenario `nope` (it has: base, stretch)" in proc.stderr


def test_fmt_keeps_the_new_statements():
    text = (BASE + STRETCH + 'expect year >= 1亿  "board"\n'
            'action "深挖 TOP50 客户" for year.east  [owner: "李娜", due: 2027-03-31, status: open]\n')
    formatted, diags = format_text(text)
    assert diags == [] and formatted is not None
    assert "scenario stretch {\n  year = 1.65亿\n  north max 26M\n  year by region overassign 105%\n}" in formatted
    assert 'expect year >= 1亿  "board"' in formatted
    assert format_text(formatted)[0] == formatted


# ---- functions ---------------------------------------------------------------------------


@pytest.mark.parametrize("expr,expected", [
    ("round(1_234_567, 100k)", 1_200_000), ("round(1_250_000, 100k)", 1_300_000),
    ("ceil(1_200_001, 100k)", 1_300_000), ("floor(1_299_999, 100k)", 1_200_000),
    ("round(-1_250_000, 100k)", -1_200_000), ("ceil(7, 3)", 9), ("floor(-7, 3)", -9),
])
def test_step_functions(expr, expected):
    assert values(compile_text(f"target y = {expr}\n"))["y"] == expected


GROWTH = "table history { east = 30M; west = 20M; north = 10_001_000 }\n"


def test_growth_is_bottom_up_under_a_sum():
    result = compile_text(GROWTH + "target year = sum\nsplit year by region using growth(history, 112%)\n")
    v = values(result)
    assert (v["year.east"], v["year.west"], v["year.north"]) == (33_600_000, 22_400_000, Fraction(11_201_120))
    assert v["year"] == 33_600_000 + 22_400_000 + 11_201_120
    assert result.evaluation.derivations["year.east"].method == "fixed"


def test_growth_under_a_fixed_parent_gives_the_gap_to_rest_or_is_an_error():
    plan = GROWTH + "target year = 80M\nsplit year by region using growth(history, 110%) {\n  east\n  west\n  north{}\n}\n"
    v = values(compile_text(plan.replace("north{}", "north = rest")))
    assert (v["year.east"], v["year.west"], v["year.north"]) == (33_000_000, 22_000_000, 25_000_000)
    short = compile_text(plan.replace("  north{}\n", ""))
    assert [d.code for d in errors(short)] == ["E006"]


def test_last_reads_the_childs_key():
    v = values(compile_text(GROWTH + "target year = 100M\nsplit year by region {\n"
                            "  east = last(history) * 105%\n  west = round(last(history) * 1.1, 1M)\n"
                            "  north = rest\n}\n"))
    assert (v["year.east"], v["year.west"], v["year.north"]) == (31_500_000, 22_000_000, 46_500_000)


def test_growth_missing_key_is_the_tables_error():
    result = compile_text("table history { east = 1M }\ntarget year = sum\n"
                          "split year by region using growth(history, 110%) { east; south }\n")
    assert "E026" in codes(result) and "has no key `south`" in " ".join(d.message for d in errors(result))


# ---- margins -----------------------------------------------------------------------------

MARGINS = """\
target year = 100M
split year by product {
  core      = 56%  [margin: 24%]
  strategic = 12%  [margin: 38%]
  services  = rest [margin: 55%]
}
target gross_profit = profit(core) + profit(strategic) + profit(services)
target blended = round(gross_profit / year * 1000, 1)
"""


def test_margin_and_profit_read_the_margin_attribute():
    result = compile_text(MARGINS + "assert margin(strategic) > margin(core)\n")
    v = values(result)
    assert v["gross_profit"] == 56_000_000 * Fraction(24, 100) + 12_000_000 * Fraction(38, 100) + 32_000_000 * Fraction(55, 100)
    assert v["blended"] == 356  # 35.6% in tenths of a percent
    assert errors(result) == [] and result.evaluation.assertions[0].passed is True
    record = result.evaluation.derivations["gross_profit"]
    assert ("margin(core)", Fraction(6, 25)) in [(i.name, i.value) for i in record.inputs]


def test_margin_of_a_target_without_one():
    result = compile_text(MARGINS + "target x = margin(year)\n")
    (d,) = errors(result)
    assert (d.code, d.line, d.column) == ("E060", 9, 12) and "`year` has none" in d.message


# ---- ramp: checked against a calculation written out by hand --------------------------------

RAMP = """\
plan "R" { period: 2027-01-01 .. 2027-12-31; round: 1 }
import "std/ramp"
target team = 1_300_000
split team by rep using even {
  zhang
  li     [start: 2027-07-01, ramp: ramp_standard]
  wang   [start: 2027-10-15]
}
split li by quarter using even { Q1; Q2; Q3; Q4 }
split li by month using even { Jan; Feb; Mar; Apr; May; Jun; Jul; Aug; Sep; Oct; Nov; Dec }
"""


def _hamilton(total: int, weights: list[Fraction]) -> list[int]:
    """Largest remainder, ties by order: written here again, independently of planc."""
    quotas = [total * w / sum(weights) for w in weights]
    floors = [int(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in order[:total - sum(floors)]:
        floors[i] += 1
    return floors


def test_ramped_reps_share_by_capacity_and_their_profile_starts_at_the_start_date():
    v = values(compile_text(RAMP))
    li_months = [Fraction(0)] * 6 + [Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1), Fraction(1)]
    wang_months = [Fraction(0)] * 9 + [Fraction(1)] * 3  # October on: no ramp table, full from the start month
    capacities = [Fraction(1), sum(li_months) / 12, sum(wang_months) / 12]
    zhang, li, wang = _hamilton(1_300_000, capacities)
    assert (v["team.zhang"], v["team.li"], v["team.wang"]) == (zhang, li, wang)
    quarters = [sum(li_months[i:i + 3]) / 3 for i in (0, 3, 6, 9)]
    assert [v[f"team.li.Q{i}"] for i in (1, 2, 3, 4)] == _hamilton(li, quarters)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    assert [v[f"team.li.{m}"] for m in months] == _hamilton(li, li_months)


def test_the_how_text_names_the_ramp_factor():
    """`eval --how` and the report word a ramped rep's share with its capacity (the
    record's `ramp` input); a rep without `start:` says nothing of a ramp."""
    from planc.evaluate.explain import PLAIN, explain
    from planc.report.i18n import Words

    result = compile_text(RAMP)
    derivations = result.evaluation.derivations
    li = derivations["team.li"]
    factor = li.input("ramp").value
    assert factor == (Fraction(1, 4) + Fraction(1, 2) + Fraction(3, 4) + 2) / 12
    assert explain(li) == f"even, at {PLAIN.percent(factor)} capacity (ramp-up)"
    assert explain(li, Words("zh", "CNY")).endswith(f"爬坡期产能按 {PLAIN.percent(factor)} 计")
    assert "ramp" not in explain(derivations["team.zhang"])


def test_a_broken_ramp_table():
    result = compile_text(RAMP.replace("ramp: ramp_standard", "ramp: nothing"))
    assert [d.code for d in errors(result)] == ["E063"]
