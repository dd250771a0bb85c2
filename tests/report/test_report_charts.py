"""Markdown charts that read right on GitHub (issue 13): bar charts with a
y-axis from 0 in a readable unit, pie titles without stray quotes."""

from __future__ import annotations

import re
from fractions import Fraction

import pytest

from report_helpers import EXAMPLE, render

from planc.report.charts import chart_axis, nice_ceiling


@pytest.mark.parametrize("x, top", [(0, 1), (Fraction(47569, 1000), 50), (Fraction(2320, 1000), Fraction(5, 2)),
                                    (1, 1), (Fraction(101, 100), Fraction(6, 5)), (23.65, 25), (4757, 5000),
                                    (Fraction(81, 10), 10), (Fraction(3, 10), Fraction(3, 10))])
def test_nice_ceiling(x, top):
    assert nice_ceiling(Fraction(x)) == top


def test_axis_unit_follows_the_language_and_size():
    en = chart_axis([Fraction(31_548_000), Fraction(47_569_000)], "CNY", "en")
    assert (en.title, en.divisor, en.range) == ("CNY (M)", 10**6, "0 --> 50")
    assert en.value(Fraction(31_548_000)) == "31.55" and en.value(Fraction(2_000_000)) == "2"
    zh = chart_axis([Fraction(31_548_000), Fraction(47_569_000)], "CNY", "zh")
    assert (zh.title, zh.divisor, zh.range) == ("CNY (万)", 10**4, "0 --> 5000")
    assert zh.value(Fraction(31_548_000)) == "3154.8"
    assert chart_axis([Fraction(900)], None, "en").title == "amount"
    assert chart_axis([Fraction(-2_000_000), Fraction(3_000_000)], "USD", "en").range == "-2 --> 3"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_bar_chart_starts_at_zero_and_holds_its_bars(lang):
    text = render(EXAMPLE, "md", lang)["fy2027.md"]
    charts = re.findall(r"```mermaid\nxychart-beta\n(.*?)```", text, flags=re.S)
    assert len(charts) >= 2
    for chart in charts:
        (low, high), = re.findall(r'^    y-axis "[^"]+" (-?[\d.]+) --> ([\d.]+)$', chart, flags=re.M)
        (bars,) = re.findall(r"^    bar \[(.*)\]$", chart, flags=re.M)
        values = [float(v) for v in bars.split(", ")]
        assert float(low) == 0 and max(values) <= float(high) < 2.5 * max(values)
        assert all(re.fullmatch(r"\d+(\.\d{1,2})?", v) for v in bars.split(", "))  # no separators, short
    unit = "M" if lang == "en" else "万"
    assert f'y-axis "CNY ({unit})" 0 --> ' in text
    q = re.search(r'x-axis \["Q1", "Q2", "Q3", "Q4"\]\n    y-axis .*\n    bar \[(.*)\]', text).group(1)
    assert q.split(", ")[0] == ("31.55" if lang == "en" else "3154.8")  # Q1 = 31,548,000


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pie_titles_have_no_quotes(lang):
    text = render(EXAMPLE, "md", lang)["fy2027.md"]
    titles = re.findall(r"```mermaid\npie\n    title (.*)\n", text)
    assert titles and all('"' not in t for t in titles)
    assert ("year by region" if lang == "en" else "year · 按区域分解") in titles
