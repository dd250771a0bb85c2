"""Known answers for every allocation form and the rounding rules."""

from __future__ import annotations

from helpers import codes, errors, values


def test_first_plan_example_amounts(plan):
    """The example plan of language.md, "A first plan", without its cross and with other potentials."""
    result = plan(
        'plan "FY" { currency: CNY; round: 1000; period: 2027-01-01 .. 2027-12-31 }\n'
        "table history { east = 28M; north = 20M; south = 25M; west = 12M }\n"
        'data potential = csv("potential.csv")\n'
        "target year = 120M\n"
        "split year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }\n"
        "split year by region using weight(history: 60%, potential: 40%) {\n"
        "  east\n  north\n  south = 30M [owner: \"Chen Jie\", status: agreed]\n  west min 8M\n}\n"
        "split east by team { key_accounts = 45%; channel = 35%; retail = rest }\n"
        "assert Q4 <= 35% of year\n",
        {"potential.csv": "name,value\neast,30\nnorth,25\nsouth,25\nwest,20\n"})
    assert not result.diagnostics
    v = values(result)
    assert [v[f"year.Q{i}"] for i in range(1, 5)] == [24_000_000, 28_800_000, 31_200_000, 36_000_000]
    # 90M shared: east .6*28/60 + .4*30/75 = .44, north .3333…, west .2266…
    assert (v["year.east"], v["year.north"], v["year.west"]) == (39_600_000, 30_000_000, 20_400_000)
    assert v["year.east.retail"] == 39_600_000 - 17_820_000 - 13_860_000


def test_rounding_is_largest_remainder_with_declaration_order_ties(plan):
    v = values(plan("target y = 100\nsplit y by q using even { a; b; c }\n"))
    assert (v["y.a"], v["y.b"], v["y.c"]) == (34, 33, 33)


def test_children_are_apportioned_from_the_rounded_parent(plan):
    v = values(plan('plan "x" { round: 1000 }\ntarget y = 1_000_000\n'
                    "split y by q using even { a; b; c }\nsplit a by t using even { x; y2; z }\n"))
    assert v["y.a"] == 334_000 and v["y.b"] == v["y.c"] == 333_000
    assert sorted([v["y.a.x"], v["y.a.y2"], v["y.a.z"]]) == [111_000, 111_000, 112_000]


def test_fixed_amounts_off_the_grid_stay_as_written_with_a_warning(plan):
    result = plan('plan "x" { round: 1000 }\ntarget y = 100_000\nsplit y by q { a = 12_345; b = rest }\n')
    assert [c for c in codes(result) if not c.startswith("W1")] == ["W001"]  # W1xx: lint rules
    v = values(result)
    assert v["y.a"] == 12_345 and v["y.b"] == 87_655


def test_even_shares_what_fixed_children_leave(plan):
    v = values(plan("target y = 100\nsplit y by q { a = 40; b = even; c = even }\n"))
    assert (v["y.a"], v["y.b"], v["y.c"]) == (40, 30, 30)


def test_raw_weights_and_even_mix(plan):
    v = values(plan("target y = 120\nsplit y by q { a = weight(3); b = weight(1); c = even }\n"))
    assert (v["y.a"], v["y.b"], v["y.c"]) == (72, 24, 24)


def test_weight_with_tables_named_equally(plan):
    v = values(plan("table h { a = 1; b = 3 }\ntable p { a = 1; b = 1 }\ntarget y = 800\n"
                    "split y by q using weight(h, p) { a; b }\n"))
    # a: (1/4 + 1/2) / 2 = 3/8
    assert (v["y.a"], v["y.b"]) == (300, 500)


def test_caps_clamp_and_redistribute(plan):
    v = values(plan("target y = 100\nsplit y by q using even { a max 10; b; c min 50 }\n"))
    assert (v["y.a"], v["y.b"], v["y.c"]) == (10, 40, 50)


def test_percentage_caps_are_of_the_parent(plan):
    v = values(plan("target y = 1000\nsplit y by q using weight(1) { a max 20%; b; c }\n"))
    assert (v["y.a"], v["y.b"], v["y.c"]) == (200, 400, 400)


def test_overassign_makes_children_sum_above_the_parent(plan):
    v = values(plan("target y = 1000\nsplit y by rep overassign 110% { a = 50%; b = rest }\n"))
    assert (v["y.a"], v["y.b"]) == (500, 600)


def test_percent_of_arithmetic_and_functions(plan):
    v = values(plan("table h { east = 28M }\ntarget y = 100M\nsplit y by r {\n"
                    "  east = h.east * 110%\n  west = min(20% of y, 25M)\n  north = max(1M, 2M) + (3M - 1M) / 2\n"
                    "  south = rest\n}\n"))
    assert v["y.east"] == 30_800_000 and v["y.west"] == 20_000_000 and v["y.north"] == 3_000_000
    assert v["y.south"] == 100_000_000 - 30_800_000 - 20_000_000 - 3_000_000


def test_siblings_can_refer_to_each_other(plan):
    v = values(plan("target y = 1000\nsplit y by q { Q2 = Q1 * 150%; Q1 = 20%; Q3 = rest }\n"))
    assert (v["y.Q1"], v["y.Q2"], v["y.Q3"]) == (200, 300, 500)


def test_bottom_up_sum_target(plan):
    v = values(plan("target y = sum\nsplit y by r { a = 30; b = 70 }\nsplit y by q { h1 = 40%; h2 = rest }\n"))
    assert (v["y"], v["y.h1"], v["y.h2"]) == (100, 40, 60)


def test_split_without_block_takes_children_from_table_keys(plan):
    v = values(plan('import "std/seasonality"\ntarget y = 1200\nsplit y by month using weight(flat_monthly)\n'))
    assert [v[f"y.{m}"] for m in ("Jan", "Jun", "Dec")] == [100, 100, 100]
    assert len([p for p in v if p.startswith("y.")]) == 12


def test_unicode_names_and_chinese_suffixes(plan):
    v = values(plan("target 全年 = 1.2亿\nsplit 全年 by 区域 { 华东 = 4500万; 华北 = rest }\n"))
    assert v["全年.华东"] == 45_000_000 and v["全年.华北"] == 75_000_000


def test_reference_resolution_prefers_siblings_then_shallowest(plan):
    result = plan("target a = 60\ntarget b = 100\nsplit a by q { x = 30; y = x }\n"
                  "split b by q { x = 50; z = rest }\nsplit z by t { x = 10; w = rest }\n"
                  "target c = b.x + z.x\n")
    v = values(result)
    assert v["a.y"] == 30  # sibling x, not b.x
    assert v["c"] == 60


def test_csv_values_accept_separators_percent_and_bom(plan):
    v = values(plan('data d = csv("d.csv")\ntarget y = d.a + d.b + d.c\n',
                    {"d.csv": "\ufeffname,value\na,\"1,000\"\nb,50%\n\nc,2k\n"}))
    assert v["y"] == 1000 + 0.5 + 2000


def test_many_problems_are_reported_in_one_run(plan):
    result = plan("target y = 100\nsplit y by q { a = 60; b = 60 }\nsplit y by r { c = 10 }\ntarget z = nope\n")
    assert {d.code for d in errors(result)} == {"E005", "E006", "E003"}


def test_assertions_use_final_amounts(plan):
    result = plan("target y = 100\nsplit y by q using even { a; b; c }\nassert a == 34\nassert b == 34\n")
    assert codes(result) == ["E014"]
    assert result.evaluation.assertions[0].passed is True


def test_table_keys_that_are_not_names_cannot_become_children(plan):
    result = plan('table t { "a b" = 1; c = 2 }\ntarget y = 10\nsplit y by k using weight(t)\n')
    (d,) = errors(result)
    assert d.code == "E026" and "`a b` cannot name a target" in d.message


def test_csv_numbers_follow_the_plan_number_forms(plan):
    result = plan('data d = csv("d.csv")\n', {"d.csv": "name,value\na,\"1,5\"\nb,1k%\nc,1e3\n"})
    assert [d.code for d in errors(result)] == ["E018", "E018", "E018"]
