"""Every lint rule: triggered at an exact line and column, and quiet on a clean plan."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from lintkit import codes, found, lint  # noqa: F401 - `lint` is a fixture
from planc.lint.rules import RULES, lookup, run
from planc.semantics.concepts import customer_kind
from planc.semantics.time import is_time_name

CLEAN = """\
plan "FY2027 Sales Targets" {
  currency: CNY
  period: 2027-01-01 .. 2027-12-31
  owner: "Wang Fang"
  round: 1000
  owners: required
  status: final
}

import "std/seasonality"

table history { east = 28M; north = 20M; south = 25M; west = 12M }
table potential { east = 10; north = 8; south = 7; west = 6 }

target year = 100M "Company revenue target" [status: agreed]

split year by quarter using weight(retail_cn_quarterly)

split year by region using weight(history: 60%, potential: 40%) {
  east  [owner: "Chen Jie", status: agreed]
  north [owner: "Li Na", status: agreed]
  south = 30M [owner: "Zhao Lei", status: agreed]
  west min 8M [owner: "Sun Mei", status: agreed]
}

split east by customers {
  existing = 70% [owner: "Chen Jie", status: agreed]
  new      = rest [owner: "Chen Jie", status: agreed]
}

assert Q4 <= 35% of year "no hockey-stick year"
"""

PERIOD = 'plan "P" {\n  period: 2027-01-01 .. 2027-12-31\n}\n'


def test_clean_plan_has_no_diagnostics(lint):
    result = lint(CLEAN)
    assert result.diagnostics == [], [f"{d.line}:{d.column} {d.code} {d.message}" for d in result.diagnostics]


def test_registry_is_complete_and_consistent():
    assert list(RULES) == sorted(RULES)
    for code, rule in RULES.items():
        assert rule.code == code
        assert re.fullmatch(r"W\d{3}", code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name)
        assert rule.severity in ("warning", "error")
        assert "Bad" in rule.doc and "Good" in rule.doc and "```" in rule.doc, code
        assert lookup(rule.name) is rule and lookup(code.lower()) is rule


def _examples(rule):
    blocks = re.findall(r"```\n(.*?)```", rule.doc, re.S)
    bad_at = rule.doc.index("Bad")
    good_at = rule.doc.index("Good")
    bad = [b for b in blocks if bad_at < rule.doc.index(b) < good_at]
    good = [b for b in blocks if rule.doc.index(b) > good_at]
    return bad, good


@pytest.mark.parametrize("code", list(RULES))
def test_documented_examples(lint, code):
    """The bad example in each rule's docs triggers it; the good one does not."""
    bad, good = _examples(RULES[code])
    assert bad and good
    if code == "W031":  # only with `check --as-of` (tests/test_negotiation.py runs its bad example)
        bad = []
    for text in bad:
        result = lint(text)
        assert code in codes(result), (code, text, codes(result))
        assert not any(d.is_error for d in result.diagnostics), [d.message for d in result.diagnostics]
    for text in good:
        result = lint(text)
        assert code not in codes(result), (code, text)
        assert not any(d.is_error for d in result.diagnostics), [d.message for d in result.diagnostics]


def test_run_takes_a_compilation_or_a_pair(lint):
    result = lint("target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n")
    assert [d.code for d in run(result)] == ["W101"]
    assert [d.code for d in run((result.model, result.evaluation))] == ["W101"]


# ---- W101 flat-time-split ----------------------------------------------------------------


def test_w101_flat_quarters(lint):
    result = lint(PERIOD + "target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n")
    assert found(result, "W101") == [(5, 15)]
    assert codes(result) == ["W101"]


def test_w101_months_by_name_with_equal_percentages(lint):
    result = lint("target year = 120M\nsplit year by period {\n  Jan = 50%\n  Feb = rest\n}\n")
    assert found(result, "W101") == [(2, 15)]


def test_w101_equal_before_rounding(lint):
    # 100 / 3 rounds to 33, 33, 34: still a flat split
    result = lint("target year = 100\nsplit year by month using even { 一月; 二月; 三月 }\n")
    assert found(result, "W101") == [(2, 15)]


def test_w101_quiet_on_seasonal_and_non_time_splits(lint):
    result = lint("target year = 120M\nsplit year by quarter { Q1 = 20%; Q2 = 24%; Q3 = 26%; Q4 = rest }\n"
                  "split year by region using even { east; west }\n")
    assert "W101" not in codes(result)


@pytest.mark.parametrize("name", ["Q1", "q4", "Jan", "december", "Sept", "1月", "12月", "十二月", "M03",
                                  "第一季度", "二季度"])
def test_time_names(name):
    assert is_time_name(name)


@pytest.mark.parametrize("name", ["east", "Q5", "13月", "Janet", "team"])
def test_not_time_names(name):
    assert not is_time_name(name)


# ---- W102 high-growth / W103 negative-growth -------------------------------------------------


def test_w102_growth_above_threshold(lint):
    result = lint("table history { east = 28M; north = 30M; west = 12M }\ntarget year = 128M\n"
                  "split year by region {\n  east = 60M\n  north = 44M\n  west = rest\n}\n")
    assert found(result, "W102") == [(4, 3)]  # west grows exactly 100%: not above
    assert "+114.3% over history" in [d.label for d in result.diagnostics][0]


def test_w102_history_key_as_path_suffix(lint):
    result = lint('table history { "east.Q1" = 4M }\ntarget year = 100M\n'
                  "split year by region { east = 50%; west = rest }\n"
                  "split east by quarter { Q1 = 10M; Q2 = 15M; Q3 = 12M; Q4 = rest }\n")
    assert found(result, "W102") == [(4, 25)]


def test_w102_ambiguous_or_unknown_keys_are_skipped(lint):
    # `Q1` names year.east.Q1 and year.west.Q1 (same depth): not compared
    result = lint("table history { Q1 = 1; nobody = 5 }\ntarget year = 100M\n"
                  "split year by region { east = 50%; west = rest }\n"
                  "split east by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }\n"
                  "split west by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }\n")
    assert "W102" not in codes(result) and "W103" not in codes(result)


def test_w103_decline(lint):
    result = lint("table history { east = 28M; north = 20M; west = 20M }\ntarget year = 70M\n"
                  "split year by region {\n  east = 31M\n  north = 21M\n  west = rest\n}\n")
    assert found(result, "W103") == [(6, 3)]
    assert codes(result) == ["W103"]


def test_history_of_a_root_target(lint):
    result = lint("table history { year = 100M }\ntarget year = 201M\n")
    assert found(result, "W102") == [(2, 8)]


# ---- W104 missing-owner ---------------------------------------------------------------------


OWNERS = ('plan "P" {\n  period: 2027-01-01 .. 2027-12-31\n  owners: required\n}\n'
          "target year = 120M\nsplit year by region {\n  east = 60% [owner: \"Chen Jie\"]\n  west = rest\n}\n"
          "split year by quarter { Q1 = 20%; Q2 = 30%; Q3 = 20%; Q4 = rest }\n")


def test_w104_missing_owner(lint):
    result = lint(OWNERS)
    assert found(result, "W104") == [(5, 8), (8, 3)]  # not the quarters: they are year's periods
    assert codes(result) == ["W104", "W104"]


def test_w104_header_owner_owns_roots(lint):
    result = lint(OWNERS.replace("owners: required", 'owners: required\n  owner: "Wang Fang"'))
    assert found(result, "W104") == [(9, 3)]


def test_w104_only_when_asked(lint):
    assert "W104" not in codes(lint(OWNERS.replace("owners: required", "owners: optional")))


# ---- W105 not-agreed ---------------------------------------------------------------------------


FINAL = ('plan "P" {\n  period: 2027-01-01 .. 2027-12-31\n  status: final\n}\n'
         "target year = 120M [status: agreed]\nsplit year by region {\n"
         '  east = 60% [owner: "Chen Jie", status: disputed, proposed: 55M]\n  west = rest\n}\n')


def test_w105_status_not_agreed(lint):
    result = lint(FINAL)
    assert found(result, "W105") == [(7, 34)]
    assert codes(result) == ["W105"]


def test_w105_quiet_when_not_final(lint):
    assert "W105" not in codes(lint(FINAL.replace("status: final", "status: draft")))


def test_w105_require_status(lint, tmp_path):
    (tmp_path / "planc.toml").write_text("[rules.not-agreed]\nrequire-status = true\n")
    result = lint(FINAL)
    assert found(result, "W105") == [(7, 34), (8, 3)]


# ---- W106 dominant-child -----------------------------------------------------------------------


def test_w106_dominant_child(lint):
    result = lint("target year = 100M\nsplit year by region { east = 76M; north = 20M; west = rest }\n")
    assert found(result, "W106") == [(2, 24)]
    assert codes(result) == ["W106"]


def test_w106_threshold_is_strict_and_customers_are_exempt(lint):
    result = lint("target year = 100M\nsplit year by region { east = 75%; west = rest }\n"
                  "split year by customers { existing = 90%; new = rest }\n")
    assert "W106" not in codes(result)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 60), min_size=2, max_size=5), st.sampled_from(["1", "0.01"]),
       st.sampled_from(["75%", "50%", "90%"]))
def test_w106_reports_exactly_the_children_above_the_share(amounts, step, limit):
    """Whole amounts are compared in integers, others exactly: W106 names each child whose
    share of the split is above `max-share`, and only those (the brute force below)."""
    from fractions import Fraction

    from planc.lint.config import parse
    from planc.pipeline import compile_text

    kids = "; ".join(f"k{i} = {a}{'.25' if step == '0.01' and i % 2 == 0 else ''}" for i, a in enumerate(amounts))
    text = (f'plan "P" {{ round: {step} }}\ntarget year = {sum(amounts) + 3}\n'
            f"split year by region {{ {kids}; rest_ = rest }}\n")
    config = parse({"rules": {"dominant-child": {"max-share": limit}}})
    result = compile_text(text, "p.plan", config=config)
    assert not result.has_errors
    values = result.evaluation.values
    kids_paths = [f"year.k{i}" for i in range(len(amounts))] + ["year.rest_"]
    total = sum(values[p] for p in kids_paths)
    share = Fraction(int(limit[:-1]), 100)
    expected = sorted(p.rpartition(".")[2] for p in kids_paths if total > 0 and values[p] > share * total)
    got = sorted(d.message.split("`")[1] for d in result.diagnostics if d.code == "W106")
    assert got == expected


# ---- W107 unused-table ----------------------------------------------------------------------------


def test_w107_unused_table_and_data(lint):
    result = lint('import "std/seasonality"\ntable potential { east = 5 }\ndata extra = csv("extra.csv")\n'
                  "target year = 1M\n", files={"extra.csv": "name,value\nx,1\n"})
    assert found(result, "W107") == [(2, 7), (3, 6)]  # never the stdlib's tables
    assert codes(result) == ["W107", "W107"]


def test_w107_used_tables(lint):
    result = lint("table a { x = 1 }\ntable b { east = 1; west = 2 }\ntable history { east = 1M }\n"
                  "target year = 3M + a.x\nsplit year by region using weight(b) { east; west }\n")
    assert "W107" not in codes(result)


def test_w107_history_that_matches_nothing_is_unused(lint):
    result = lint("table history { nobody = 1M }\ntarget year = 3M\n")
    assert found(result, "W107") == [(1, 7)]


# ---- W108 zero-rest / W109 redundant-rest ------------------------------------------------------------


def test_w108_zero_rest(lint):
    result = lint("target year = 100M\nsplit year by region { east = 60M; north = 40M; west = rest }\n")
    assert found(result, "W108") == [(2, 56)]
    assert "W109" not in codes(result)


def test_w109_percentages_sum_to_100(lint):
    result = lint("target year = 120M\nsplit year by quarter {\n  Q1 = 20%\n  Q2 = 25%\n  Q3 = 25%\n"
                  "  Q4 = 30%\n  extra = rest\n}\n")
    assert found(result, "W109") == [(7, 11)]
    assert "W108" not in codes(result)


def test_w109_with_overassign(lint):
    result = lint("target year = 100M\nsplit year by region overassign 110% { a = 60%; b = 50%; c = rest }\n")
    assert found(result, "W109") == [(2, 62)]
    assert "W109" not in codes(lint("target year = 100M\n"
                                    "split year by region overassign 110% { a = 60%; b = 40%; c = rest }\n"))


# ---- W110 existing-customers-only ------------------------------------------------------------------------


def test_w110_no_new_customers(lint):
    result = lint("target year = 100M\nsplit year by customers { existing = 100% }\n")
    assert found(result, "W110") == [(2, 15)]


def test_w110_new_gets_nothing(lint):
    result = lint("target year = 100M\nsplit year by customer_type {\n  老客户 = 100M\n  新客户 = rest\n}\n")
    assert found(result, "W110") == [(4, 3)]


def test_w110_only_existing_grows(lint):
    result = lint("table history { existing = 80M; new = 20M }\ntarget year = 120M\n"
                  "split year by customers {\n  existing = 102M\n  new = rest\n}\n")
    assert found(result, "W110") == [(5, 3)]


def test_w110_quiet_when_new_customers_grow(lint):
    result = lint("table history { existing_customers = 80M; new_customers = 20M }\ntarget year = 110M\n"
                  "split year by customers { existing_customers = 85M; new_customers = rest }\n")
    assert "W110" not in codes(result)


@pytest.mark.parametrize("name,kind", [("new", "new"), ("new_accounts", "new"), ("新客户", "new"),
                                       ("增量", "new"), ("existing", "existing"), ("renewals", "existing"),
                                       ("存量客户", "existing"), ("east", None), ("newsletter", None)])
def test_customer_kinds(name, kind):
    assert customer_kind(name) == kind


# ---- W111 missing-period ---------------------------------------------------------------------------------


def test_w111_header_without_period(lint):
    result = lint('# the plan\nplan "FY2027" {\n  currency: CNY\n}\ntarget year = 1M\n')
    assert found(result, "W111") == [(2, 1)]
    assert codes(result) == ["W111"]


def test_w111_no_header_is_not_reported(lint):
    assert codes(lint("target year = 1M\n")) == []


# ---- W112 shadowed-name ---------------------------------------------------------------------------------


def test_w112_table_hides_an_imported_table(lint):
    result = lint('import "std/seasonality"\ntable retail_monthly { Jan = 9; Feb = 7 }\n'
                  "target year = 12M\nsplit year by month using weight(retail_monthly) { Jan; Feb }\n")
    assert found(result, "W112") == [(2, 7)]
    assert "std/seasonality" in [d.message for d in result.diagnostics if d.code == "W112"][0]


def test_w112_target_named_like_a_table(lint):
    result = lint("table east { a = 1 }\ntarget year = 2M + east.a\nsplit year by region { east = 50%; west = rest }\n")
    assert found(result, "W112") == [(3, 24)]


def test_w112_imported_plan_file(lint):
    result = lint('import "./shared.plan"\ntable weights { a = 1 }\ntarget t = 1M * weights.a\n',
                  files={"shared.plan": "table weights { a = 2 }\n"})
    assert found(result, "W112") == [(2, 7)]


def test_w112_finds_through_the_name_index_what_every_target_gives(lint, monkeypatch):
    """The rule looks up the targets named like a table in the resolver's index: the
    same reports as the walk over every target of the file (an imported file's target
    and a cross cell are not reported; a name reached twice is reported once)."""
    import attrs

    from planc.lint.rules import shadowed_name
    from planc.lint.rules.context import Context

    result = lint("table east { a = 1 }\ntable Q1 { a = 1 }\nimport \"./shared.plan\"\n"
                  "target year = 2M + east.a\nsplit year by region { east = 50%; west = rest }\n"
                  "split year by quarter { Q1 = 50%; Q2 = rest }\ncross region by quarter\n"
                  "split year.west by team using even { east; north }\n",
                  files={"shared.plan": "target east = 1\n"})
    assert found(result, "W112") == [(5, 24), (6, 25), (8, 38)]

    def reports(model):
        ctx = Context(model, result.evaluation, "W112", "warning", {}, {})
        return sorted((d.line, d.column) for d in shadowed_name.check(ctx))

    assert reports(result.model) == reports(attrs.evolve(result.model, by_name={}, by_pair={})) == \
        [(5, 24), (6, 25), (8, 38)]


# ---- built-in warnings ------------------------------------------------------------------------------------


def test_w001_is_a_registered_builtin(lint):
    assert RULES["W001"].builtin and RULES["W001"].check is None
    result = lint(PERIOD.replace("period", "round: 1000\n  period") + "target year = 1_234_567\n")
    assert found(result, "W001") == [(5, 15)]


def test_rules_ignore_imported_files(lint):
    shared = ("table history { east = 1M }\ntarget other = 100M\n"
              "split other by quarter using even { Q1; Q2; Q3; Q4 }\n")
    result = lint('import "./shared.plan"\ntarget year = 1M\n', files={"shared.plan": shared})
    assert codes(result) == []


def test_rules_survive_plans_with_errors(lint):
    result = lint("table history { east = 1M }\ntarget year = 100M\n"
                  "split year by region { east = 80M; west = 30M }\n"
                  "split year by quarter using even { Q1; Q2; Q3; Q4 }\n")
    assert "E005" in codes(result) and "W101" in codes(result)


# ---- W113 ratio-as-amount -------------------------------------------------------------------------


def test_w113_percentages_in_arithmetic_are_ratios(lint):
    result = lint("target year = 100M\nsplit year by quarter { Q1 = 10% * 2; Q2 = 30%; Q3 = 25%; Q4 = rest }\n"
                  "target bonus = 5% + 1%\n")
    assert found(result, "W113") == [(2, 30), (3, 16)]


def test_w113_not_when_the_percentage_has_a_base(lint):
    result = lint("table history { east = 28M }\ntarget year = 100M\n"
                  "split year by region { east = history.east * 110%; west = 20% of year; north = 30%; "
                  "south = rest }\n")
    assert "W113" not in codes(result)


def test_w113_quiet_on_an_amount_times_a_percentage(lint):
    result = lint("target next = 120M * 110%\ntarget half = 2.5M * 50%\ntarget whole = 48000000 * 110%\n"
                  "target odd = 10% * 2\n")
    assert found(result, "W113") == [(4, 14)]


def test_w101_names_what_rounding_made_of_an_even_split(lint):
    result = lint('plan "T" { round: 1000 }\ntarget small = 45\nsplit small by quarter using even { Q1; Q2; Q3; Q4 }\n')
    [d] = [d for d in result.diagnostics if d.code == "W101"]
    assert "same amount" not in d.message
    assert d.message.endswith("the same share, 11.25 each before rounding (45, 0, 0, 0 after)")


def test_w101_says_same_amount_when_the_rounded_amounts_agree(lint):
    result = lint("target year = 120M\nsplit year by quarter using even { Q1; Q2; Q3; Q4 }\n")
    [d] = [d for d in result.diagnostics if d.code == "W101"]
    assert d.message == "split of year by quarter gives all 4 periods the same amount"


# ---- W114 amount-vs-ratio -------------------------------------------------------------------------

SHARES = "target year = 120M\nsplit year by quarter { Q1 = 20%; Q2 = 25%; Q3 = 25%; Q4 = rest }\n" \
         "split year by region { east = 40%; west = rest }\n"


def test_w114_amount_compared_with_a_bare_percentage(lint):
    result = lint(SHARES + "assert Q4 <= 35%\nassert 10% <= east\n")
    assert found(result, "W114") == [(4, 14), (5, 8)]
    first, second = [d for d in result.diagnostics if d.code == "W114"]
    assert "`35%` is a bare ratio, the number 0.35" in first.message
    assert first.help == "write `35% of year`: `assert Q4 <= 35% of year`"
    assert second.help == "write `10% of year`: `assert 10% of year <= east`"


def test_w114_without_a_parent_names_a_root_in_the_example(lint):
    result = lint("target year = 120M\nassert year >= 10% + 5%\n")
    [d] = [d for d in result.diagnostics if d.code == "W114"]
    assert (d.line, d.column) == (2, 16)
    assert d.help == "say what `10% + 5%` is a share of, e.g. `year * (10% + 5%)`, or compare with a fixed amount"


def test_w114_quiet_on_shares_and_amounts(lint):
    result = lint(SHARES + "assert Q4 / year <= 35%\nassert Q4 <= 35% of year\nassert east >= 10M\n")
    assert "W114" not in codes(result)


def test_w114_knows_counts_and_ratio_targets_from_the_evaluation(lint):
    """Money over a count is money (an average); a ratio target compared with an amount is the mistake."""
    plan = ("measure accounts\ntarget new = 30M\ntarget logos = 45 accounts\ntarget rate = 15%\n"
            "assert new / logos >= 500k\nassert rate <= 2M\n")
    result = lint(plan)
    assert found(result, "W114") == [(6, 8)]


# ---- W115 percent-of-sum --------------------------------------------------------------------------


def test_w115_percent_of_followed_by_a_sum(lint):
    result = lint("target a = 10M\ntarget b = 2M\ntarget c = 110% of a + b\ntarget d = 5M + 110% of a - b\n")
    assert found(result, "W115") == [(3, 12), (4, 17)]
    d = next(d for d in result.diagnostics if d.code == "W115")
    assert d.message == "`110% of a + b` is `(110% of a) + b`: `of` takes only `a`"
    assert d.help == "add parentheses to say which you mean: `(110% of a) + b` or `110% of (a + b)`"


def test_w115_quiet_with_parentheses_and_products(lint):
    result = lint("target a = 10M\ntarget b = 2M\ntarget c = (110% of a) + b\ntarget d = 110% of (a + b)\n"
                  "target e = b + 110% of a\ntarget f = 110% of a * 2\n")
    assert "W115" not in codes(result)


def test_w113_help_writes_the_share_it_computed(lint):
    result = lint("target year = 100M\nsplit year by quarter { Q1 = 10% * 2; Q2 = 30%; Q3 = 25%; Q4 = rest }\n"
                  "target bonus = 5% + 1%\n")
    helps = [d.help for d in result.diagnostics if d.code == "W113"]
    assert helps == ["write the share alone: `Q1 = 20%` means 20% of `year`",
                     "say what it is a share of: `6% of year`"]
