"""The evaluator's record of how every amount was made (evaluate/record.py):
structured values for every method, and the one renderer (evaluate/explain.py)."""

from __future__ import annotations

import json
import re
from fractions import Fraction as F
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from helpers import ROOT, run_planc
from planc.pipeline import compile_text
from test_properties import split_plans
from planc.evaluate.explain import DETAIL, PLAIN, as_json, explain, explain_lines
from planc.evaluate.record import Cap, Derivation, Factor, Input

HEAD = 'plan "R" { currency: CNY; round: 1000; period: 2027-01-01 .. 2027-12-31 }\n'


def records(plan, text: str, files=None) -> dict[str, Derivation]:
    result = plan(HEAD + text, files)
    assert not [d for d in result.diagnostics if d.is_error], [d.message for d in result.diagnostics]
    return result.evaluation.derivations


def split_adds_up(recs: dict[str, Derivation], parent: str, children: list[str]) -> None:
    """Every record: rounded − exact is its adjustment; the children's rounded amounts make the parent."""
    for path in [parent, *children]:
        d = recs[path]
        assert d.rounded - d.exact == d.adjustment
    assert sum(recs[c].rounded for c in children) == recs[parent].rounded


def roles(d: Derivation) -> dict[str, Input]:
    return {i.role: i for i in d.inputs}


# ---- every method ----------------------------------------------------------------------------


def test_root_records_its_expression_and_the_values_it_read(plan):
    recs = records(plan, "table history { east = 28M }\ntarget year = 120M\n"
                         "target stretch = 110% of year\ntarget next = history.east * 110%\n")
    year = recs["year"]
    assert (year.method, year.exact, year.rounded, year.adjustment, year.inputs) == ("root", 120_000_000,
                                                                                     120_000_000, 0, ())
    stretch = recs["stretch"]
    assert stretch.expression == "110% of year"
    assert stretch.inputs == (Input("percent", "110%", F(11, 10)), Input("target", "year", F(120_000_000), "year"))
    nxt = recs["next"]
    assert nxt.inputs == (Input("table", "history.east", F(28_000_000)),)
    assert nxt.exact == nxt.rounded == F(30_800_000) and nxt.share is None


def test_fixed_and_arithmetic_children_record_each_reference(plan):
    recs = records(plan, "table history { east = 28M }\ntarget year = 100M\n"
                         "split year by region { east = history.east * 110%; north = 20M; west = rest }\n"
                         "split year by team { a = 20% of east; b = rest }\n")
    east = recs["year.east"]
    assert east.method == "fixed" and east.expression == "history.east * 110%"
    assert east.inputs == (Input("table", "history.east", F(28_000_000)),)
    assert east.share == F(30_800_000, 100_000_000) and east.dimension == ("region",)
    north = recs["year.north"]
    assert (north.method, north.exact, north.inputs) == ("fixed", 20_000_000, ())
    a = recs["year.a"]  # `20% of east`: the percentage and east, with its path and amount
    assert a.method == "fixed"
    assert a.inputs == (Input("percent", "20%", F(1, 5)), Input("target", "east", F(30_800_000), "year.east"))
    split_adds_up(recs, "year", ["year.east", "year.north", "year.west"])


def test_share_and_rest_record_the_parent_and_what_the_fixed_siblings_take(plan):
    recs = records(plan, "target year = 1_000_000\nsplit year by q { Q1 = 33.3333%; Q2 = 100_000; Q3 = rest }\n")
    q1 = recs["year.Q1"]
    assert q1.method == "share"
    assert roles(q1)["percent"] == Input("percent", "33.3333%", F(333333, 1000000))
    assert roles(q1)["parent"] == Input("parent", "year", F(1_000_000), "year")
    assert q1.exact == F(333_333) and q1.rounded == 333_000 and q1.adjustment == -333
    q3 = recs["year.Q3"]
    assert q3.method == "rest"
    assert roles(q3)["parent"].value == 1_000_000 and roles(q3)["taken"].value == F(433_333)
    assert q3.exact == 566_667 and q3.rounded == 567_000 and q3.adjustment == 333
    assert q3.share == q3.exact / 1_000_000
    split_adds_up(recs, "year", ["year.Q1", "year.Q2", "year.Q3"])


def test_even_records_pool_scores_and_share(plan):
    recs = records(plan, "target y = 1_000_000\nsplit y by q using even { a; b; c }\n")
    for name in "abc":
        d = recs[f"y.{name}"]
        assert (d.method, d.score, d.exact, d.share) == ("even", 1, F(1_000_000, 3), F(1, 3))
        assert roles(d)["pool"].value == 1_000_000 and roles(d)["scores"].value == 3
        assert d.using == "even"
    assert [recs[f"y.{n}"].rounded for n in "abc"] == [334_000, 333_000, 333_000]
    assert recs["y.a"].adjustment == F(2000, 3)
    split_adds_up(recs, "y", ["y.a", "y.b", "y.c"])


def test_weight_by_one_table_records_the_factor_and_score(plan):
    recs = records(plan, "table history { east = 30; west = 10 }\ntarget y = 1M\n"
                         "split y by region using weight(history) { east; west }\n")
    east = recs["y.east"]
    assert east.method == "weight"
    assert east.weights == (Factor("history", F(1), F(30), F(40)),)
    assert east.score == F(3, 4) and east.weights[0].part == F(3, 4)
    assert east.exact == 750_000 and east.share == F(3, 4)
    split_adds_up(recs, "y", ["y.east", "y.west"])


def test_weight_by_two_tables_normalises_the_weights(plan):
    recs = records(plan, "table history { east = 28M; west = 12M }\ntable potential { east = 30; west = 70 }\n"
                         "target y = 10M\nsplit y by region { east = weight(history: 60%, potential: 20%); "
                         "west = weight(history: 60%, potential: 20%); hq = 1M }\n")
    east = recs["y.east"]
    assert east.weights == (Factor("history", F(3, 4), F(28_000_000), F(40_000_000)),
                            Factor("potential", F(1, 4), F(30), F(100)))
    assert east.score == F(3, 4) * F(28, 40) + F(1, 4) * F(30, 100)
    assert roles(east)["pool"].value == 9_000_000 and roles(east)["taken"].value == 1_000_000
    assert east.exact == 9_000_000 * east.score
    split_adds_up(recs, "y", ["y.east", "y.west", "y.hq"])


def test_raw_weight_records_its_score_and_the_value_it_read(plan):
    recs = records(plan, "table t { a = 3 }\ntarget y = 100\n"
                         "split y by q { a = weight(t.a); b = weight(1); c = even }\n")
    a = recs["y.a"]
    assert (a.method, a.score, a.weights, a.exact) == ("weight", 3, (), F(60))
    assert a.inputs[0] == Input("table", "t.a", F(3))
    assert roles(a)["scores"].value == 5
    assert recs["y.c"].method == "even" and recs["y.c"].score == 1
    split_adds_up(recs, "y", ["y.a", "y.b", "y.c"])


def test_caps_binding_max_and_min(plan):
    recs = records(plan, "target y = 10M\nsplit y by r using even { a max 1M; b min 5M; c; d }\n")
    a, b, c = recs["y.a"], recs["y.b"], recs["y.c"]
    assert a.caps == (Cap("max", F(1_000_000), "1M", True),) and a.capped == "max" and a.exact == 1_000_000
    assert b.caps == (Cap("min", F(5_000_000), "5M", True),) and b.capped == "min" and b.exact == 5_000_000
    assert c.caps == () and c.capped is None and c.exact == 2_000_000
    split_adds_up(recs, "y", ["y.a", "y.b", "y.c", "y.d"])


def test_a_cap_that_does_not_bind_is_recorded_as_not_binding(plan):
    recs = records(plan, "target y = 10M\nsplit y by r { a = weight(1) max 45%; b = weight(1); c = 2M min 1M }\n")
    assert recs["y.a"].caps == (Cap("max", F(4_500_000), "45%", False),) and recs["y.a"].capped is None
    assert recs["y.c"].caps == (Cap("min", F(1_000_000), "1M", False),)


def test_sum_records_its_children(plan):
    recs = records(plan, "target y = sum\nsplit y by team { a = 1.2M; b = 800k }\n")
    y = recs["y"]
    assert (y.method, y.exact, y.rounded, y.dimension) == ("sum", 2_000_000, 2_000_000, ("team",))
    assert y.inputs == (Input("child", "a", F(1_200_000), "y.a"), Input("child", "b", F(800_000), "y.b"))
    split_adds_up(recs, "y", ["y.a", "y.b"])


def test_overassign_is_on_the_record_and_shares_are_of_the_total_shared(plan):
    recs = records(plan, "target y = 1M\nsplit y by rep overassign 110% { a = even; b = even }\n")
    a = recs["y.a"]
    assert a.overassign == F(11, 10) and roles(a)["overassign"].value == F(11, 10)
    assert a.exact == 550_000 and a.share == F(1, 2)
    assert sum(recs[p].rounded for p in ("y.a", "y.b")) == 1_100_000


CROSS = ("target year = 10M\nsplit year by region { east = 45%; north = 35%; west = rest }\n"
         "split year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }\n")


def test_proportional_cell_records_its_row_column_and_parent(plan):
    recs = records(plan, CROSS + "cross region by quarter\n")
    cell = recs["year.east.Q1"]
    assert cell.method == "cell" and cell.dimension == ("region", "quarter")
    assert roles(cell)["row"] == Input("row", "east", F(4_500_000), "year.east")
    assert roles(cell)["column"] == Input("column", "Q1", F(2_000_000), "year.Q1")
    assert roles(cell)["parent"] == Input("parent", "year", F(10_000_000), "year")
    assert cell.exact == F(4_500_000 * 2_000_000, 10_000_000) and cell.share == F(9, 100)
    for region in ("east", "north", "west"):
        split_adds_up(recs, f"year.{region}", [f"year.{region}.Q{i}" for i in range(1, 5)])


def test_seeded_cell_records_the_seed_value(plan):
    recs = records(plan, CROSS + "table s by region, quarter {\n  east: Q1 = 1, Q2 = 1, Q3 = 1, Q4 = 2\n"
                                 "  north: Q1 = 1, Q2 = 1, Q3 = 1, Q4 = 1\n  west: Q1 = 0, Q2 = 1, Q3 = 1, Q4 = 1\n}\n"
                                 "cross region by quarter seed s\n")
    cell = recs["year.east.Q4"]
    assert roles(cell)["seed"] == Input("seed", "s", F(2))
    assert recs["year.west.Q1"].exact == 0 and recs["year.west.Q1"].rounded == 0
    for region in ("east", "north", "west"):
        split_adds_up(recs, f"year.{region}", [f"year.{region}.Q{i}" for i in range(1, 5)])


# ---- rendering ----------------------------------------------------------------------------


def test_explain_renders_each_method_with_its_values(plan):
    recs = records(plan, "table history { east = 28M; west = 12M }\ntable potential { east = 30; west = 70 }\n"
                         "target year = 100M\ntarget stretch = 110% of year\ntarget next = history.east * 2\n"
                         "split year by q { Q1 = 20%; Q2 = rest }\n"
                         "split year by region using weight(history: 60%, potential: 40%) { east max 40M; west }\n"
                         "split year by team using weight(history) { east2 = 10M; rest2 = weight(history.east) }\n"
                         "cross q by region\n")
    assert explain(recs["year"]) == "100M"
    assert explain(recs["stretch"]) == "110% of year (100,000,000)"
    assert explain(recs["next"]) == "history.east * 2 (history.east = 28,000,000)"
    assert explain(recs["year.Q1"]) == "20% of year (100,000,000)"
    assert explain(recs["year.Q2"]) == "rest: 100,000,000 − 20,000,000"
    assert explain(recs["year.west"]).startswith("weight(history 60%, potential 40%) → score 0.")
    assert explain(recs["year.east"]).endswith(" (held at its max 40,000,000)")
    assert explain(recs["year.rest2"]) == "weight 28,000,000"
    assert explain(recs["year.Q1.east"]) == "Q1 × east / year"


def test_detail_words_keep_the_report_fields_as_they_were(plan):
    recs = records(plan, "table history { east = 28M; west = 12M }\ntarget year = 100M\n"
                         "split year by q { Q1 = 20%; Q2 = rest }\n"
                         "split year by region using weight(history) { east; west }\ncross q by region\n"
                         "target t = sum\nsplit t by team { a = 1M }\n")
    assert [explain(recs[p], DETAIL) for p in ("year.Q1", "year.Q2", "year.east", "year.Q1.east", "t")] == [
        "20% of year", "rest", "weight(history)", "q × region / year", "sum of team"]


def test_explain_lines_hold_the_whole_record(plan):
    recs = records(plan, "table history { east = 30; west = 10 }\ntable h2 { a = 2; b = 1 }\ntarget y = 1M\n"
                         "split y by region using weight(history) { east max 700k; west }\n"
                         "target z = 1M\nsplit z by q using weight(h2) { a; b }\n")
    lines = explain_lines(recs["y.east"], code=lambda s: f"`{s}`")
    assert lines[0] == "computed: `weight(history)`"
    assert "inputs: parent `y` = 1,000,000; left to share 1,000,000; scores add up to 1" in lines
    assert "weight `history` 100%: 30 of 40 → 0.7500" in lines
    assert "max `700k` = 700,000: held it" in lines
    assert "exact: 700,000, no rounding adjustment" in lines
    a = explain_lines(recs["z.a"])
    assert "exact before rounding: 666,666.666667; rounded: 667,000 (adjustment +333.333333)" in a
    assert "exact share of the total shared: 66.6667%" in a


def test_a_long_sum_names_its_first_dozen_children(plan):
    children = "; ".join(f"c{i} = {i}k" for i in range(1, 15))
    lines = explain_lines(records(plan, f"target t = sum\nsplit t by team {{ {children} }}\n")["t"])
    inputs = next(line for line in lines if line.startswith("inputs: "))
    assert inputs.startswith("inputs: c1 = 1,000; c2 = 2,000;") and inputs.endswith("c12 = 12,000; … 2 more")


def test_plain_words_and_the_report_words_name_the_same_keys():
    from planc.report.i18n import WORDS

    for key in PLAIN.words:
        assert key in WORDS and key in DETAIL.words, key


def test_as_json_keeps_numbers_exact(plan):
    recs = records(plan, "target y = 100_000\nsplit y by q using even { a; b; c }\n")
    out = as_json(recs["y.a"])
    assert (out["method"], out["exact"], out["rounded"], out["adjustment"], out["share"]) == (
        "even", "100000/3", 34_000, "2000/3", "1/3")
    assert out["text"] == "even" and out["score"] == 1
    assert {i["role"] for i in out["inputs"]} == {"parent", "pool", "scores"}


# ---- the consumers --------------------------------------------------------------------------


def test_eval_json_adds_derivations_only_when_asked(tmp_path):
    path = tmp_path / "p.plan"
    path.write_text(HEAD + "target y = 1M\nsplit y by q { a = 40%; b = rest }\n", encoding="utf-8")
    plain = json.loads(run_planc("eval", str(path), "--format", "json").stdout)
    assert list(plain) == ["plan", "currency", "targets", "diagnostics", "schema_version"]
    full = json.loads(run_planc("eval", str(path), "b", "--format", "json", "--how").stdout)
    assert full["targets"] == {"y.b": 600_000}
    assert list(full["derivations"]) == ["y.b"]
    assert full["derivations"]["y.b"]["method"] == "rest"
    assert full["derivations"]["y.b"]["text"] == "rest: 1,000,000 − 400,000"


SPAN_TEXT = re.compile(r"\.(alloc|min|max|method|value|overassign)\b[^\n]*\.span\.text|"
                       r"\b(alloc|cap|method)\.span\.text")


@pytest.mark.parametrize("folder", ["report", "lsp", "cli", "review"])
def test_consumers_never_read_the_plan_text_to_explain_an_amount(folder):
    """Explanations come from the evaluator's record, not from allocation, cap or method nodes."""
    for path in sorted((ROOT / "src" / "planc" / folder).rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not SPAN_TEXT.search(line), f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
            assert "weight_parts" not in line and ".detail" not in line, f"{Path(path).name}:{number}"


def test_the_grep_catches_what_it_is_for():
    assert SPAN_TEXT.search("expr = decl.value.span.text")
    assert SPAN_TEXT.search("bound = cap.span.text if cap is not None else ''")
    assert SPAN_TEXT.search("method = split.decl.method.span.text if split.decl.method else ''")
    assert SPAN_TEXT.search("alloc.span.text")
    assert not SPAN_TEXT.search("text = f'{d.left.span.text} {d.op}'")


# ---- on any split ------------------------------------------------------------------------------


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(split_plans())
def test_every_record_agrees_with_the_amounts(case):
    text, unit, total, overassign, caps = case
    result = compile_text(text)
    if result.has_errors:
        return
    values, recs = result.evaluation.values, result.evaluation.derivations
    assert all(path in recs for path in values)  # (a split's records are made when asked: not iterated)
    assert "top.nowhere" not in recs and recs.get("top.nowhere") is None
    children = [p for p in values if p.startswith("top.")]
    shared = total * F(overassign or 100, 100)
    for path in values:
        d = recs[path]
        assert d.rounded == values[path] and d.rounded - d.exact == d.adjustment
        for cap in d.caps:
            if cap.binding:
                assert d.exact == cap.value
    if not overassign:  # (how an over-assigned total meets the grid is the splits' business)
        assert sum(recs[p].exact for p in children) == shared == total
        assert sum(recs[p].share for p in children) == 1
