"""Unit tests of the report's pieces: number formats, Markdown helpers, view-model rules."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planc.amounts import parse_number
from planc.report.i18n import Words, amount_zh, compact_en, compact_zh, percent
from planc.diagnostics import display_width as width
from planc.report.render import md_escape, md_table
from planc.report.view import slugify


@pytest.mark.parametrize("value, text", [
    (150_000_000, "1.5亿"), (123_000_000, "1.23亿"), (51_767_000, "5,176.7万"), (4_670_000, "467万"),
    (123_456_789, "123,456,789"), (1_234_567_000, "123,456.7万"), (8_500, "8,500"), (10_000, "1万"),
    (-2_500_000, "-250万"), (0, "0"), (Fraction(1, 3), "0.333333"),
])
def test_chinese_amounts(value, text):
    assert amount_zh(Fraction(value)) == text


def _parse_zh(text: str) -> Fraction:
    sign = -1 if text.startswith("-") else 1
    return sign * parse_number(text.lstrip("-").replace(",", ""))


@given(st.integers(-10**15, 10**15))
def test_chinese_amounts_are_exact(n):
    """万/亿 only where the amount stays exact: reading the text back gives the amount."""
    assert _parse_zh(amount_zh(Fraction(n))) == n


@given(st.integers(0, 10**15))
def test_compact_amounts_are_close(n):
    for text in (compact_en(Fraction(n)), compact_zh(Fraction(n))):
        assert text and text[0].isdigit()
    back = parse_number(compact_en(Fraction(n)).replace(",", ""))
    assert abs(back - n) <= max(n, 1) * Fraction(6, 100)


def test_words():
    en, zh = Words("en"), Words("zh")
    assert en("warnings_n", n=1) == "1 warning" and en("warnings_n", n=3) == "3 warnings"
    assert zh("warnings_n", n=3) == "3 条警告"
    assert en.status("disputed") == "disputed" and zh.status("disputed") == "有异议"
    assert en.status(None) == "no status"
    assert zh.dimension("region") == "区域" and zh.dimension("季度") == "季度" and en.dimension("region") == "region"
    assert en.growth(Fraction(141, 1000)) == "+14.1%" and en.growth(Fraction(-1, 20)) == "-5.0%"
    assert percent(Fraction(-1, 10**6)) == "0.0%"
    with pytest.raises(ValueError):
        Words("fr")


@pytest.mark.parametrize("text, escaped", [
    ("key_accounts", "key_accounts"), ("_x_", "\\_x\\_"), ("a|b", "a\\|b"), ("<b>", "\\<b\\>"),
    ("$5 & @me", "\\$5 \\& \\@me"), ("line\nbreak", "line break"), ("`x`", "\\`x\\`"), ("华东", "华东"),
])
def test_markdown_escape(text, escaped):
    assert md_escape(text) == escaped


def test_markdown_table_lines_up_wide_characters():
    table = md_table(["name", "amount"], [["华东", "1,000"], ["west", "22,000"]], "lr")
    lines = table.splitlines()
    assert len({width(line) for line in lines}) == 1
    assert lines[1] == "| ---- | -----: |"
    assert lines[2] == "| 华东 |  1,000 |"


def test_slugs_are_safe_and_unique():
    taken: set[str] = set()
    assert slugify("Li Na", taken) == "li-na"
    assert slugify("li na", taken) == "li-na-2"
    assert slugify("../../etc/passwd", taken) == "etc-passwd"
    assert slugify("张伟", taken) == "张伟"
    assert slugify("<>", taken) == "owner"
