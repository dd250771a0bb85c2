"""What keeps `planc build` of a big plan fast (issue 15) says the same as the plain way:
rows made only when read (view.Rows), charts' geometry and cells made in Python
(geometry.py, cells.py), whole-number fast paths of the report's numbers, and
Markdown escaping that skips plain text."""

from __future__ import annotations

import re
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from report_helpers import ENV

from planc.pipeline import compile_text
from planc.report import data, limits
from planc.report.cells import mini_bar
from planc.report.gather import build_report
from planc.report.geometry import bars, number, ratio, segments
from planc.report.i18n import Words, compact_en, percent
from planc.report.render import _CONTROL, _MD_SPECIAL, md_escape, render_html, render_markdown
from planc.report.view import Point, Rows, generation_time

HEADER = 'plan "Speed" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }'

fractions = st.fractions(min_value=-10**12, max_value=10**12, max_denominator=10**6)


def _plan(reps: int = 6, products: int = 4) -> str:
    out = [HEADER, f"target year = {reps * 1_200_000}",
           "split year by rep using even { " + "; ".join(f'r{i} [owner: "Rep {i}", status: proposed]'
                                                        for i in range(reps)) + " }"]
    for i in range(reps):
        out.append(f"split r{i} by month using even {{ Jan; Feb; Mar }}")
        for m in ("Jan", "Feb", "Mar"):
            out.append(f"split r{i}.{m} by product using even {{ " + "; ".join(f"p{k}" for k in range(products)) + " }")
    return "\n".join(out) + "\n"


def _report():
    comp = compile_text(_plan(), "speed.plan")
    assert not comp.has_errors, [d.message for d in comp.diagnostics]
    return build_report(comp, _plan().encode(), generation_time(ENV))


def _made(report) -> int:
    """How many rows the report's builder has made so far."""
    return len(report.rows.make.__self__.rows)


# ---- rows made when read ----------------------------------------------------------------------


def test_html_and_markdown_make_only_the_rows_they_show(monkeypatch):
    monkeypatch.setattr(limits, "TREE_ROWS", 10)  # the tree shows year and the reps
    monkeypatch.setattr(limits, "SPLIT_CARDS", 7)  # the cards of year's and the reps' splits
    report = _report()
    total = len(report.rows)
    assert isinstance(report.rows, Rows) and total == 1 + 6 + 18 + 72
    assert _made(report) == 1 + 6 + 18  # the splits' parents (the products have no split)
    render_html(report)
    render_markdown(report, owner_dir="speed.owners")
    assert _made(report) == 1 + 6 + 18  # no product row was made
    assert len(limits.shown(report).tree) == 7 and len(limits.shown(report).splits) == 7
    list(data.json_chunks(report))  # the JSON reads every target
    assert _made(report) == total


def test_a_report_whose_rows_were_all_made_first_is_the_same(monkeypatch):
    monkeypatch.setattr(limits, "TREE_ROWS", 10)
    monkeypatch.setattr(limits, "SPLIT_CARDS", 7)
    lazy, eager = _report(), _report()
    rows = list(eager.rows)  # every row made before anything is rendered
    assert [r.path for r in rows] == [r.path for r in lazy.rows]
    assert render_html(lazy) == render_html(eager)
    assert render_markdown(lazy, owner_dir="o") == render_markdown(eager, owner_dir="o")


def test_rows_index_slice_and_depths_without_making_rows():
    report = _report()
    rows = report.rows
    assert rows.depths()[:4] == [0, 1, 2, 3] and _made(report) == 1 + 6 + 18  # the splits' parents
    assert rows[0].path == "year" and [r.name for r in rows[1:3]] == ["r0", "Jan"]
    assert len(rows[-2:]) == 2 and rows[-1].path.endswith("p3")


# ---- charts ---------------------------------------------------------------------------------


def test_bars_of_a_time_profile():
    t = Words("en")
    first, second = bars([Point("Q1", None, Fraction(1_000)), Point("Q2", None, Fraction(2_000))], 64, t)
    # slot 50%: bar 34% wide at 8% and 58%; heights 32 and 64 under a 20-pixel margin
    assert (first.x, first.y, first.width, first.height, first.mid, first.top) == ("8", "52", "34", "32", "25", "46")
    assert (second.x, second.y, second.height, second.mid, second.top) == ("58", "20", "64", "75", "14")
    assert (first.amount, first.short, first.fill) == ("1,000", "1k", "#1f4e79")
    assert bars([], 64, t) == []


def test_segments_of_a_share_bar_lie_side_by_side():
    class R:
        def __init__(self, amount):
            self.amount = Fraction(amount)

    a, b, c = segments([R(1), R(3), R(-1)], Fraction(4))
    assert (a.x, a.width, a.mid, a.inside) == ("0", "25", "12.5", True)
    assert (b.x, b.width, b.mid, b.inside) == ("25", "75", "62.5", True)
    assert (c.x, c.width, c.inside) == ("100", "0", False)  # a negative amount draws nothing


# ---- whole-number fast paths: the same text as the Fraction arithmetic ----------------------


@given(fractions)
def test_mini_bar_width_is_that_of_the_exact_share(share):
    width = number(max(min(share or 0, 1), 0) * 84)
    assert re.search(r'<rect width="([^"]+)" height="8" rx="2" fill="#2e86ab"/>', mini_bar(share)).group(1) == width


@given(st.one_of(fractions, st.integers(-10**15, 10**15).map(Fraction)), st.integers(0, 2))
def test_percent_is_that_of_the_exact_ratio(value, digits):
    text = f"{float(value * 100):.{digits}f}%"
    assert percent(value, digits) == ("0.0%" if text in ("-0.0%", "-0%") else text)


@given(st.one_of(fractions, st.integers(-10**15, 10**15).map(Fraction)))
def test_short_amounts_are_those_of_the_exact_amount(value):
    a = abs(value)
    limit, suffix = next(((lim, s) for lim, s in ((10**9, "B"), (10**6, "M"), (10**3, "k")) if a >= lim), (1, ""))
    text = f"{float(a / limit):,.{1 if suffix else 0}f}"
    text = text.rstrip("0").rstrip(".") if "." in text else text
    assert compact_en(value) == ("-" if value < 0 else "") + text + suffix


@given(st.one_of(fractions, st.integers(-10**15, 10**15).map(Fraction)), fractions.filter(bool))
def test_chart_ratios_are_those_of_the_exact_quotient(part, whole):
    assert ratio(part, whole) == float(part / whole)
    n, d = part.numerator, whole.numerator  # whole numbers: the fast path
    assert ratio(Fraction(n), Fraction(d)) == float(Fraction(n, d))


@given(st.text(alphabet=st.sampled_from(list("ab _1.\\`*[]<>|&$~#@{}\t\n\r\x00·万")), max_size=12))
def test_md_escape_of_plain_text_is_the_text_and_otherwise_the_full_escape(text):
    full = _MD_SPECIAL.sub(lambda m: "\\" + m.group(0), _CONTROL.sub(" ", text))
    assert md_escape(text) == full
