"""The small base modules: source positions, amounts, diagnostic renderers."""

from __future__ import annotations

import re
from fractions import Fraction
from fractions import Fraction as F

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planc.amounts import format_amount, format_percent, parse_number, to_json_number
from planc.diagnostics import error, warning
from planc.diagnostics.render import render_concise, render_github, render_text, to_dict
from planc.source import Source, Span


def test_positions_are_one_based_and_count_characters():
    src = Source("x.plan", "ab\n华东 = 1\n\nlast")
    assert src.position(0) == (1, 1)
    assert src.position(3) == (2, 1)
    assert src.position(6) == (2, 4)  # after `华东 `: characters, not bytes
    assert src.position(len(src.text)) == (4, 5)
    assert src.line_text(2) == "华东 = 1" and src.line_count == 4


@given(st.text(alphabet="ab\n\r华 \t", max_size=60))
def test_every_offset_has_the_line_and_column_a_count_of_line_breaks_gives(text):
    """`Source` finds where its lines start in C (the lengths of `text.split("\\n")`):
    each offset's line is one more than the "\\n" before it, its column one more than
    the characters since the last one."""
    src = Source("x.plan", text)
    for offset in range(len(text) + 1):
        before = text[:offset]
        assert src.position(offset) == (before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1)
    assert src.line_count == text.count("\n") + 1


@pytest.mark.parametrize("text,value", [
    ("120_000_000", 120_000_000), ("1.5", F(3, 2)), ("850k", 850_000), ("120M", 120_000_000),
    ("2B", 2_000_000_000), ("4500万", 45_000_000), ("1.2亿", 120_000_000), ("12.5%", F(25, 2)),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_parse_number_refuses_absurd_lengths():
    with pytest.raises(ValueError):
        parse_number("9" * 50)


def test_formatting_amounts_and_percentages():
    assert format_amount(F(126_000_000)) == "126,000,000"
    assert format_amount(F(-1500)) == "-1,500"
    assert format_amount(F(1, 3)) == "0.333333"
    assert format_percent(F(1, 5)) == "20%" and format_percent(F(1, 3)) == "33.3%"
    assert to_json_number(F(7)) == 7 and isinstance(to_json_number(F(7)), int)
    assert to_json_number(F(1, 4)) == 0.25


def test_text_rendering_underlines_the_span_in_terminal_columns():
    src = Source("p.plan", "target 华东 = 5M\n")
    d = error("E003", "undefined name", Span(src, 7, 9), label="here", help="did you mean `x`?")
    lines = render_text(d).splitlines()
    assert lines[0] == "p.plan:1:8: error[E003]: undefined name"
    assert lines[2] == "1 | target 华东 = 5M"
    assert lines[3] == "  |        ^^^^ here"  # two CJK characters are four columns
    assert lines[4] == "  = help: did you mean `x`?"  # `=` under the gutter's `|`
    assert render_concise(d) == lines[0]


def test_github_annotations_escape_their_syntax():
    src = Source("a,b:c.plan", "x\n")
    d = warning("W101", "50% flat\nsplit", Span(src, 0, 1), help="use 100%")
    line = render_github(d)
    assert line.startswith("::warning file=a%2Cb%3Ac.plan,line=1,endLine=1,col=1,endColumn=2,title=W101::")
    assert "50%25 flat%0Asplit" in line and "\n" not in line
    assert ",title=W101 a%2Cb%3A c::" in render_github(d, "W101 a,b: c")


def test_json_shape_of_a_diagnostic():
    src = Source("p.plan", "target y = 1\n")
    out = to_dict(error("E001", "bad", Span(src, 7, 8)))
    assert out == {"file": "p.plan", "line": 1, "column": 8, "severity": "error", "code": "E001",
                   "message": "bad", "end_line": 1, "end_column": 9}
    assert to_dict(error("E015", "gone", path="q.plan"))["file"] == "q.plan"


@given(st.one_of(st.integers(-10**45, 10**45), st.fractions(max_denominator=10**6)))
def test_format_amount_of_a_whole_number_is_its_digits_grouped(value):
    """The shortcut for whole numbers prints what the general rule prints: every digit,
    grouped by thousands, up to 10^40; a power of ten beyond; six decimals otherwise."""
    text = format_amount(value)
    exact = Fraction(value)
    if abs(exact) > 10**40:
        assert re.fullmatch(r"-?10\^\d+", text)
    elif exact.denominator == 1:
        assert text == f"{exact.numerator:,}" == format_amount(exact) == format_amount(int(exact))
    else:
        # six decimals, through a float: within half a millionth, or the float's own precision
        assert abs(Fraction(text.replace(",", "")) - exact) <= max(Fraction(1, 2 * 10**6), abs(exact) / 10**15)
