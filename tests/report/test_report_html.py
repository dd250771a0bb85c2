"""Structural tests of the HTML report: parse it, find the tables and the numbers."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planc.report.activity import is_activity_split
from report_helpers import ALLOWED_TAGS, EXAMPLE, render
from htmltree import parse, table_rows

from planc.amounts import format_amount
from planc.pipeline import compile_plan, compile_text
from planc.report.gather import build_report
from planc.report.render import render_html
from planc.report.view import generation_time



@pytest.fixture(scope="module")
def example():
    result = compile_plan(EXAMPLE)
    html = render(EXAMPLE, "html")["fy2027.html"]
    root, tags = parse(html)
    return result, html, root, tags


def amount_cells(row: list[str]) -> list[str]:
    return [c for c in row if re.fullmatch(r"-?[\d,]+", c)]


def test_page_is_self_contained(example):
    _, html, root, tags = example
    assert {t for t, _ in tags} <= ALLOWED_TAGS
    for tag, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("href", "src", "xlink:href"):
            value = attrs.get(key)
            if value is not None and tag != "svg":
                assert value.startswith("#"), (tag, attrs)  # in-page links only: no network
    assert "<script" not in html and "@import" not in html and "url(" not in html
    assert root.find("style") is not None


def test_header_facts(example):
    result, _, root, _ = example
    assert root.find("h1").text() == "FY2027 Sales Targets"
    facts = root.find("dl", "facts").text()
    for fact in ("2027-01-01 – 2027-12-31", "CNY", "Wang Fang", "1,000"):
        assert fact in facts
    provenance = root.find("p", "provenance").text()
    assert "fy2027.plan" in provenance and re.search(r"sha256 [0-9a-f]{12}", provenance)
    assert "2027-01-01 00:00 UTC" in provenance  # SOURCE_DATE_EPOCH


def test_every_split_table_shows_the_evaluated_amounts(example):
    result, _, root, _ = example
    values = result.evaluation.values
    cards = [d for d in root.find_all("div", "card") if d.attrs.get("id", "").startswith("split-")]
    splits = [s for s in result.model.splits if not is_activity_split(s)]  # funnel steps' weeks: the activity section
    assert len(cards) == len(splits) == len(result.model.splits) - 4 * 3
    for card, split in zip(cards, splits):
        table = card.find("table")
        rows = table_rows(table)
        assert len(rows) == len(split.children)
        for row, child in zip(rows, split.children):
            assert row[0].startswith(child.name)
            assert format_amount(values[child.path]) in amount_cells(row)
        total = sum(values[c.path] for c in split.children)
        footer = table_rows(table, "tfoot")[0]
        assert format_amount(total) in footer
        over = split.decl.overassign.ratio if split.decl.overassign else 1
        shared = result.evaluation.derivations[split.children[0].path]
        if shared.shared_rounded is not None:  # an over-assigned total is shared on the grid
            assert shared.shared_exact == values[split.parent.path] * over
            assert total == shared.shared_rounded and total % result.model.header.round == 0
        else:
            assert total == values[split.parent.path] * over  # exactly, and the report says so
        assert len(card.find_all("svg", "chart")) == 1  # its share bar


def test_the_tree_lists_every_target(example):
    result, _, root, _ = example
    rows = table_rows(root.find("table", "tree"))
    weeks = {p for p in result.evaluation.values if ".visits.W" in p or ".deals.W" in p or ".proposals.W" in p}
    values = {p: v for p, v in result.evaluation.values.items() if p not in weeks}  # the activity section has them
    assert len(rows) == len(values) and len(weeks) == 4 * 3 * 53
    shown: dict[str, list] = {}  # a name can recur (year.Q1 and the cross cell year.华东.Q1)
    labelled = []  # a count shows its measure's label, never the currency: `45 new accounts`
    for row in rows:
        counts = [c for c in row if re.fullmatch(r"-?[\d,]+ [^\d\s].*", c)]
        labelled += counts
        shown.setdefault(row[0].lstrip("└").split(" · ")[0].strip(), []).extend(
            amount_cells(row) + [c.split(" ")[0] for c in counts])
    assert "45 new accounts" in labelled
    for path, value in values.items():
        assert format_amount(value) in shown[path.split(".")[-1]]


def test_assertions_and_open_items(example):
    result, _, root, _ = example
    rows = table_rows(root.find("table", "assertions"))
    assert len(rows) == len(result.evaluation.assertions) == 8  # seven assertions and one `expect`
    assert all("pass" in row[-1] for row in rows)
    open_rows = table_rows(root.find("table", "open"))
    statuses = [row[0] for row in open_rows]
    assert statuses[:2] == ["disputed", "disputed"]  # disputed first
    assert "agreed" not in statuses


def test_charts_have_geometry(example):
    _, _, root, _ = example
    charts = root.find_all("svg", "chart")
    assert len(charts) > 15
    bars = [r for svg in root.find_all("svg", "bars") for r in svg.find_all("rect")]
    assert bars
    for rect in bars:
        assert float(rect.attrs["height"]) >= 0
        assert 0 < float(rect.attrs["width"].rstrip("%")) <= 100
    share_total = [sum(float(r.attrs["width"].rstrip("%")) for r in svg.find_all("rect"))
                   for svg in root.find_all("svg", "share")]
    assert all(abs(total - 100) < 0.05 for total in share_total)


def test_owner_sheets(example):
    result, _, root, _ = example
    sheets = root.find_all("div", "owner-sheet")
    owners = {n.attributes["owner"].value for n in result.model.targets.values() if "owner" in n.attributes}
    assert len(sheets) == len(owners)
    li_na = next(s for s in sheets if "Li Na" in s.find("h3").text())
    rows = table_rows(li_na.find("table"))
    assert [r[0].split()[0] for r in rows] == ["year.华东East", "year.华东.key_accountsKey"]  # path, then label
    assert "51,767,000 in total" in li_na.text()  # key_accounts lies inside 华东: not added twice
    assert li_na.find_all("svg", "bars")  # time profiles


def test_chinese_report():
    html = render(EXAMPLE, "html", "zh")["fy2027.html"]
    root, _ = parse(html)
    assert root.find("html").attrs["lang"] == "zh-CN"
    assert "1.5亿" in root.find("div", "kpi").text()
    assert "目标分解报告" in root.find("p", "kicker").text()
    # 华东 = 51,767,000 is written in the table's unit (charts keep `5,176.7万` in their tooltips)
    split = next(c for c in root.find_all("div", "card") if c.attrs.get("id") == "split-2")
    assert split.find("p", "unit").text() == "单位：万元"
    rows = {r[0].split()[0][:2]: r for r in table_rows(split.find("table"))}
    assert rows["华东"][3] == "5,176.7" and rows["华南"][3] == "3,600.0"  # one column, one unit, same decimals
    assert table_rows(split.find("table"), "tfoot")[0][3] == "15,000.0"


PARENT = st.integers(1, 10**6).map(lambda k: k * 1000)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parent=PARENT, shares=st.lists(st.integers(1, 30), min_size=1, max_size=4),
       weights=st.lists(st.integers(1, 9), min_size=1, max_size=3), lang=st.sampled_from(["en", "zh"]))
def test_generated_plans_show_their_amounts(parent, shares, weights, lang):
    """Plans that are not in the repository: every amount in the report is the evaluated one."""
    lines = [f"target total = {parent}", "split total by part {"]
    lines += [f"  s{i} = {p}%" for i, p in enumerate(shares)] + ["  tail = rest", "}"]
    lines += ["split tail by kind {"] + [f"  w{i} = weight({w})" for i, w in enumerate(weights)] + ["}"]
    text = "\n".join(lines) + "\n"
    if sum(shares) > 100:
        return
    result = compile_text(text, "gen.plan")
    assert not result.has_errors
    report = build_report(result, text.encode(), generation_time({"SOURCE_DATE_EPOCH": "0"}))
    root, _ = parse(render_html(report, lang))
    tree = next(s for s in root.find_all("section") if s.attrs.get("id") == "tree")
    shown = {}
    for row in table_rows(tree.find("table", "tree")):
        name = row[0].lstrip("└").split(" · ")[0].strip()
        shown[name] = row[3]
    if lang == "en":
        assert tree.find("p", "unit") is None
        for path, value in result.evaluation.values.items():
            assert format_amount(Fraction(value)) == shown[path.split(".")[-1]]
        return
    # Chinese: the table states its unit once, and every figure is the plan's amount in it, exactly
    caption = tree.find("p", "unit").text()
    scale = {"单位：亿元": 10**8, "单位：万元": 10**4, "单位：元": 1}[caption]
    for path, value in result.evaluation.values.items():
        assert Fraction(shown[path.split(".")[-1]].replace(",", "")) * scale == value
