"""Reports that read right in Chinese: one unit per table, spacing and punctuation,
statuses and counts in the report's language; English plurals."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from report_helpers import EXAMPLE, GOLDEN, md_tables_with_units, render

from planc.report.i18n import WORDS, Words, plural, zh_format
from planc.report.units import table_unit

SCALE = {"亿": 10**8, "万": 10**4, "": 1}


# ---- one unit per table ---------------------------------------------------------------------


@pytest.mark.parametrize("values, caption, shown", [
    # the largest figure picks the unit; every figure gets the same decimals, the fewest that are exact
    ([150_000_000, 31_548_000, 7_657_000], "单位：万元", ["15,000.0", "3,154.8", "765.7"]),
    ([120_000_000, 40_040_000], "单位：万元", ["12,000", "4,004"]),
    ([25_000_000_000, 100_000_000], "单位：亿元", ["250", "1"]),
    ([12_345_678_900, 5_000], "单位：万元", ["1,234,567.89", "0.50"]),  # 亿 would need 6 decimals for 5,000
    ([99_999, 1], "单位：元", ["99,999", "1"]),  # below 10万: yuan
    ([1_234_567, 8], "单位：万元", ["123.4567", "0.0008"]),  # a whole number of yuan is always exact in 万
    ([Fraction(1, 3), 500_000], "单位：元", ["0.333333", "500,000"]),  # not exact in 万: the whole table in yuan
    ([-2_500_000, 1_000_000], "单位：万元", ["-250", "100"]),
])
def test_one_unit_per_table(values, caption, shown):
    unit = table_unit([[Fraction(v) for v in values]], "zh", "CNY")
    assert unit.caption == caption
    assert [unit(Fraction(v)) for v in values] == shown


def test_unit_names_the_currency():
    assert table_unit([10**6], "zh", "USD").caption == "单位：万美元"
    assert table_unit([10**6], "zh", None).caption == "单位：万元"
    assert table_unit([10**6], "zh", "XAU").caption == "单位：万 XAU"
    assert table_unit([10], "zh", "XAU").caption == "单位：XAU"


def test_english_tables_have_no_unit_line():
    unit = table_unit([Fraction(51_767_000)], "en", "CNY")
    assert unit.caption == "" and unit(Fraction(51_767_000)) == "51,767,000"


@given(st.lists(st.integers(-10**13, 10**13), min_size=1, max_size=8))
def test_unit_figures_are_the_amounts_exactly(values):
    """Reading a figure back in its unit gives the amount, never a re-rounded one."""
    unit = table_unit([values], "zh", "CNY")
    name = unit.caption.removeprefix("单位：").removesuffix("元")
    texts = [unit(Fraction(v)) for v in values]
    assert len({len(t.partition(".")[2]) for t in texts}) == 1  # one number of decimals in the table
    for value, text in zip(values, texts):
        assert Fraction(text.replace(",", "")) * SCALE[name] == value


_zh_tables = md_tables_with_units

AMOUNT_HEADS = ("金额", "左侧", "上年实绩", "毛利 ")


@pytest.mark.parametrize("plan", [EXAMPLE, GOLDEN / "chinese.plan"])
def test_zh_markdown_tables_never_mix_units(plan):
    files = render(plan, "md", "zh")
    tables = _zh_tables(files[f"{plan.stem}.md"])
    measures = {f"单位：{label}" for label in re.findall(r'^measure \w+ "([^"]+)"', plan.read_text(encoding="utf-8"),
                                                            flags=re.M)}
    with_amounts = [(u, b) for u, b in tables if any(h in b[0] for h in AMOUNT_HEADS) or "合计" in b[0]]
    assert len(with_amounts) >= 4
    for unit, block in tables[1:]:  # the first is the header's facts (`取整单位 | 1万`)
        cells = [c.strip().strip("*") for line in block[2:] for c in line.split("|")]
        assert not [c for c in cells if re.fullmatch(r"-?[\d,.]+[万亿]", c)], block  # no figure carries its own 万/亿
    for unit, block in with_amounts:
        # and the table states its unit once: money, or the measure of a split of counts
        assert unit in ("单位：万元", "单位：亿元", "单位：元") or unit in measures, block


def test_zh_split_column_in_one_unit():
    """`1.2亿` and `4,004万` never share a column: the split of 1.2亿 reads in 万元."""
    text = render(GOLDEN / "chinese.plan", "md", "zh")["chinese.md"]
    section = text.split("### 全年 · 按区域分解", 1)[1].split("```", 1)[0]
    assert "单位：万元" in section
    assert "| **12,000** |" in section and "|      6,263 |" in section
    assert "1.2亿 |" not in section


# ---- words ------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, text", [(0, "0 cross tables"), (1, "1 cross table"), (2, "2 cross tables")])
def test_plural(n, text):
    assert plural(n, "table", "tables") == ("table" if n == 1 else "tables")
    assert Words("en")("n_crosses", n=n) == text


@pytest.mark.parametrize("key, fields, texts", [
    ("warnings_n", {}, ("0 warnings", "1 warning", "2 warnings")),
    ("n_splits", {}, ("0 splits", "1 split", "2 splits")),
    ("n_owner_sheets", {}, ("0 owner sheets", "1 owner sheet", "2 owner sheets")),
    ("owner_count", {}, ("0 targets", "1 target", "2 targets")),
    ("owner_total", {"amount": "9"}, ("0 targets, 9 in total", "1 target, 9 in total", "2 targets, 9 in total")),
])
def test_every_count_noun_agrees(key, fields, texts):
    assert tuple(Words("en")(key, n=n, **fields) for n in (0, 1, 2)) == texts


def test_count_of_the_second_number():
    assert Words("en")("targets_in_splits", n=5, k=1) == "5 in 1 split"
    assert Words("en")("targets_in_splits", n=1, k=2) == "1 in 2 splits"


def test_zh_spacing_around_names():
    zh = Words("zh")
    assert zh("owner_intro", owner="张伟", title="2027年度销售目标").startswith("2027年度销售目标中由张伟负责的")
    assert "中由 Li Na 负责的" in zh("owner_intro", owner="Li Na", title="FY2027 Sales Targets")
    assert zh("owner_total", n=3, amount="1.2亿") == "共 3 项目标，合计 1.2亿"
    assert zh("growth_range", low="+9.8%", high="+18.0%") == "较上年增长 +9.8% 至 +18.0%"
    assert zh("share_of", pct="45.0%", parent="华东") == "占华东的 45.0%"
    assert zh_format("{a}：{b}", a="华东", b="x") == "华东：x"  # none next to full-width punctuation


def test_zh_templates_have_no_spaces_around_fields():
    """Spaces in Chinese text come from the one spacing rule (zh_format), not the templates."""
    for key, (_, zh) in WORDS.items():
        assert not re.search(r"[\u4e00-\u9fff] \{|\} [\u4e00-\u9fff]", zh), (key, zh)


def test_statuses_and_lists_in_chinese():
    zh = Words("zh")
    assert zh.status("draft") == "草稿" and zh.status("final") == "定稿"
    text = render(EXAMPLE, "md", "zh")["fy2027.md"]
    assert "项分解，1 个交叉矩阵" in text  # one comma style in a Chinese line
    assert ", 1 个" not in text
    assert "（较上年 +14.1%）" in text


def test_plan_status_is_translated(tmp_path):
    plan = tmp_path / "p.plan"
    plan.write_text('plan "P" {\n  currency: CNY\n  status: draft\n}\ntarget year = 1.2亿\n'
                    "split year by region { east = 40%; west = rest }\n", encoding="utf-8")
    zh = render(plan, "html,md", "zh")
    assert "目标分解报告 · 草稿" in zh["p.html"] and "draft" not in zh["p.html"].split("<body>")[1].split("</header>")[0]
    assert "| 计划状态     | 草稿 " in zh["p.md"]
    assert "Target report · draft" in render(plan, "html", "en")["p.html"]


def test_english_kpi_counts_agree():
    html = render(GOLDEN / "chinese.plan", "html", "en")["chinese.html"]
    assert "2 splits" in html and "4 owner sheets" in html
    one = render(EXAMPLE, "html", "en")["fy2027.html"]
    assert "1 cross table<" in one and "1 cross tables" not in one


def _csv(plan, lang):
    import csv
    import io
    text = render(plan, "csv", lang)[f"{plan.stem}.csv"]
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_chinese_csv_has_chinese_words_and_the_same_numbers():
    en, zh = _csv(EXAMPLE, "en"), _csv(EXAMPLE, "zh")
    assert en[0][:8] == ["path", "parent", "dimension", "amount", "share", "method", "owner", "status"]
    assert zh[0][:8] == ["路径", "上级", "维度", "金额", "占比", "方法", "负责人", "状态"]
    assert zh[0][-3:] == ["层级", "末级", "单位"]
    assert len(en) == len(zh)
    head = zh[0]
    col = {name: head.index(name) for name in head}
    statuses = {row[col["状态"]] for row in zh[1:]} - {""}
    assert statuses == {"已确认", "已提议", "草稿", "有异议"}
    assert {row[col["末级"]] for row in zh[1:]} == {"是", "否"}
    assert {row[col["维度"]] for row in zh[1:]} >= {"季度", "月份", "区域"}
    assert not [row for row in zh[1:] if re.fullmatch(r"[a-z_]+", row[col["方法"]])]  # no method left in English
    for e, z in zip(en[1:], zh[1:]):  # paths, amounts, shares, levels: the same
        assert (e[0], e[3], e[4], e[16]) == (z[0], z[3], z[4], z[16])


def test_json_keys_do_not_depend_on_the_language():
    assert render(EXAMPLE, "json", "zh")["fy2027.json"] == render(EXAMPLE, "json", "en")["fy2027.json"]


def _visible_lines(html_text: str) -> list[str]:
    import html as h
    body = re.sub(r"<style>.*?</style>", "", html_text, flags=re.S)
    return [h.unescape(x).strip() for x in re.sub(r"<[^>]+>", "\n", body).splitlines() if x.strip()]


ENGLISH_WORDS = re.compile(r"\b(region|quarter|month|team|rep|product|customers|agreed|proposed|draft|disputed|"
                           r"splits?|cross tables?|owner sheets?|targets?)\b")


@pytest.mark.parametrize("plan", [EXAMPLE, GOLDEN / "chinese.plan", GOLDEN / "bottom_up.plan"])
def test_zh_html_has_no_english_report_words(plan):
    """The plan's own names stay as written; the report's words and dimensions are Chinese,
    with Chinese punctuation next to Chinese text."""
    import json
    files = render(plan, "html,json", "zh")
    doc = json.loads(files[f"{plan.stem}.json"])
    own = {seg for path in doc["targets"] for seg in path.split(".")}  # the plan's own text, shown as written
    own |= {v for d in doc["details"].values() for k, v in d.items() if k in ("label", "note", "owner") and v}
    own |= {doc["plan"]}
    own |= set(re.findall(r'^action\s+"([^"]+)"', plan.read_text(encoding="utf-8"), flags=re.M))  # actions' own words
    own |= {d["detail"] for d in doc["details"].values() if d["method"] == "funnel"}  # a step's expression
    lines = []
    for line in _visible_lines(files[f"{plan.stem}.html"]):
        for text in sorted(own, key=len, reverse=True):
            line = line.replace(text, "")
        lines.append(line)
    mixed = [x for x in lines if re.search(r"[\u4e00-\u9fff]", x) and ENGLISH_WORDS.search(x)]
    assert not mixed, mixed[:5]
    ascii_punct = [x for x in lines if re.search(r"[\u4e00-\u9fff][:,(]|[:,] ?[\u4e00-\u9fff]", x)]
    assert not ascii_punct, ascii_punct[:5]


def test_a_count_time_profile_reads_in_its_measure():
    """`new_logos = 45 accounts` split by half-year: its time profile states the measure,
    its chart's axis names it, and on the owner's sheet its periods are counts that do not
    pull the sheet's money unit down to 万元 with four decimals (0.0018万元 for 18 accounts)."""
    from planc.pipeline import compile_plan

    result = compile_plan(EXAMPLE)
    values = result.evaluation.values
    label = re.search(r'^measure accounts "([^"]+)"', EXAMPLE.read_text(encoding="utf-8"), flags=re.M).group(1)
    files = render(EXAMPLE, "md", "zh")
    section = files["fy2027.md"].split("### 时间分布 · new_logos", 1)[1].split("### ", 1)[0]
    assert f"单位：{label}" in section
    assert f'y-axis "{label}"' in section
    sheet = next(text for name, text in files.items() if "owners/" in name and "\n## new_logos" in text)
    profile = sheet.split("\n## new_logos", 1)[1].split("时间分布", 1)[1]
    cells = [c.strip() for c in profile.split("\n\n")[1].splitlines()[2].strip("|").split("|")]
    assert cells == [f"{values[p]} {label}" for p in ("new_logos.H1", "new_logos.H2")]
    money = [c.strip().strip("*") for line in sheet.splitlines() if line.startswith("| 金额")
             for c in line.split("|")[2:3]]
    assert money and all(re.fullmatch(r"[\d,]+(\.\d)?( .+)?", m) for m in money), money
