"""A plan with Chinese period names weighs by the stdlib profiles (keyed Q1…Q4, Jan…Dec):
a child takes the value of the key that names the same period (semantics/time.matching_key)."""

from __future__ import annotations

import pytest

from planc.semantics.time import matching_key

HEAD = 'plan "P" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 10000 }\nimport "std/seasonality"\n'

ZH = HEAD + """target 全年 = 1.2亿
split 全年 by 季度 using weight(retail_cn_quarterly) { 一季度; 二季度; 三季度; 四季度 }
split 一季度 by 月 using weight(retail_cn_monthly) { 一月; 二月; 三月 }
"""

EN = HEAD + """target year = 1.2亿
split year by quarter using weight(retail_cn_quarterly)
split Q1 by month using weight(retail_cn_monthly) { Jan; Feb; Mar }
"""


def _amounts(result) -> list:
    return [result.evaluation.values[path] for path in result.model.targets]


def test_chinese_quarters_and_months_take_the_profiles_values(plan):
    zh = plan(ZH)
    assert zh.diagnostics == []
    zh_amounts = _amounts(zh)
    en = plan(EN)
    assert en.diagnostics == []
    # year, 4 quarters and Q1's 3 months, in the same order in both plans
    assert zh_amounts == _amounts(en)
    assert zh.evaluation.values["全年.一季度"] == 26_880_000
    assert sum(zh_amounts[1:5]) == 120_000_000


@pytest.mark.parametrize("name,key", [("一季度", "Q1"), ("第四季度", "Q4"), ("4季度", "Q4"), ("一月", "Jan"),
                                      ("12月", "Dec"), ("十二月", "Dec"), ("January", "Jan"), ("Q2", "Q2")])
def test_matching_key_by_meaning(name, key):
    keys = ["Q1", "Q2", "Q3", "Q4", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"]
    assert matching_key(name, keys) == key


@pytest.mark.parametrize("name,keys", [("M1", ["Jan"]), ("一季度", ["Q1", "第一季度"]), ("east", ["Q1"]),
                                       ("一月", ["Jan", "January"])])
def test_no_match_for_another_period_kind_unknown_names_or_two_keys(name, keys):
    assert matching_key(name, keys) is None


def test_a_chinese_child_the_profile_lacks_still_gets_e012(plan):
    result = plan(HEAD + "target 全年 = 1.2亿\nsplit 全年 by 季度 using weight(retail_cn_quarterly) "
                         "{ 一季度; 二季度; 三季度; 五季度 }\n")
    assert [d.code for d in result.diagnostics] == ["E012"]
