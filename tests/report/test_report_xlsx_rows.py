"""The workbook's rows written the short way (report/xlsx_rows.py) are the XML XlsxWriter writes.

Each test writes the same workbook twice in constant-memory mode, once with the
short way and once through XlsxWriter's public methods, and compares the two
files byte for byte: the example, a plan of odd strings, and random rows.
"""

from __future__ import annotations

import datetime
import io
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from report_helpers import EXAMPLE, run_build

xlsxwriter = pytest.importorskip("xlsxwriter")

from planc.report import xlsx, xlsx_rows  # noqa: E402


def test_the_installed_xlsxwriter_takes_the_short_way():
    """Fails when an XlsxWriter upgrade is not among the checked versions or lacks the internals
    the short way uses: the workbook is then still right, only slower. Run this file's byte
    comparisons with the new version and add it to xlsx_rows.TESTED, or adapt xlsx_rows.py."""
    assert xlsx_rows.fast_path_problem() is None, xlsx_rows.fast_path_problem()


def test_another_xlsxwriter_version_takes_the_public_way(monkeypatch):
    monkeypatch.setattr(xlsxwriter, "__version__", "99.0.0")
    assert "XlsxWriter 99.0.0 is not among the versions" in xlsx_rows.fast_path_problem()


def test_missing_internals_are_named(monkeypatch):
    monkeypatch.setattr(xlsx_rows, "INTERNALS", (*xlsx_rows.INTERNALS, "_gone_in_a_later_version"))
    assert xlsx_rows.fast_path_problem().endswith("lacks the internals the fast row writer uses: _gone_in_a_later_version")


@pytest.fixture
def ways(monkeypatch):
    """build(plan, out, fast, **kw) -> (the workbook's bytes, rows written the public way)."""
    monkeypatch.setattr(xlsx, "CONSTANT_MEMORY_FROM", 1)
    public = xlsx_rows.public_row_writer

    def build(plan, out, fast: bool, **kw) -> tuple[bytes, int]:
        count = [0]

        def counted(ws):
            write = public(ws)

            def counting(*args):
                count[0] += 1
                return write(*args)

            return counting

        with monkeypatch.context() as m:
            m.setattr(xlsx_rows, "public_row_writer", counted)
            if not fast:
                m.setattr(xlsx, "fast_path_problem", lambda: "off for the test")
            code, _, err = run_build([plan], out, "xlsx", **kw)
        assert code == 0, err
        return (out / f"{plan.stem}.xlsx").read_bytes(), count[0]

    return build


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_example_byte_for_byte(tmp_path, ways, lang):
    fast, fast_public = ways(EXAMPLE, tmp_path / "fast", True, lang=lang)
    slow, slow_public = ways(EXAMPLE, tmp_path / "slow", False, lang=lang)
    assert fast == slow
    assert fast_public == 0 and slow_public > 100  # every row the short way, or none


ODD = '''plan "Odd & <odd>" { currency: CNY; period: 2027-01-01 .. 2027-12-31; round: 1 }
target year = 1000000  " leading space"  [owner: "Boss & Co", status: agreed]
split year by rep using even {
  a  "x < y > z & \\"q\\""  [owner: "A & B", status: proposed, note: "tab\\there"]
  b  "_x0041_ escaped"  [owner: "_x0042_", status: draft, note: "line\\nbreak"]
  c  "<r>rich</r>"  [owner: "trailing ", status: disputed, note: "  "]
  d  "LONG"  [owner: "陈浩", status: agreed, note: "\\t"]
  e  "收入"  [owner: "Boss & Co"]
}
split a by account using even { a1; a2; a3 }
'''


def test_odd_strings_byte_for_byte(tmp_path, ways):
    """Escaped text, preserved spaces, `_xHHHH_`, a would-be rich string, an over-long label:
    the same bytes; the rows XlsxWriter must write itself go the public way."""
    plan = tmp_path / "odd.plan"
    plan.write_text(ODD.replace("LONG", "x" * 20_000), encoding="utf-8")
    fast, fast_public = ways(plan, tmp_path / "fast", True)
    slow, slow_public = ways(plan, tmp_path / "slow", False)
    assert fast == slow
    # Rows with `<r>rich</r>` (the tree, the split, the owner) or the long label (the same): 6.
    assert fast_public == 6 and slow_public > fast_public


# ---- the row writer on its own, against XlsxWriter's public methods -----------------------

CREATED = datetime.datetime(2027, 1, 1)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["&", "<b>", "_x0041_", " a", "a ", "\u3000", "\t", "x\ny", "<r>r</r>", "\ufffe", "x" * 17_000])
value = st.none() | text | st.integers(-10**15, 10**15) | st.floats(allow_nan=False, allow_infinity=False) | st.fractions(
    max_denominator=1000)
rows = st.lists(st.tuples(st.lists(value, max_size=12), st.lists(st.integers(-1, 3), max_size=12), st.integers(-1, 9)),
                max_size=12)


def workbook(tmp_path, fast: bool, rows, gap: int = 0, column_format: bool = False) -> bytes:
    """Two sheets: a header, `rows` (values, format indices, level), a total row below."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"constant_memory": True, "tmpdir": str(tmp_path)})
    if fast:
        book.worksheet_class = xlsx_rows.sheet_class()
    book.set_properties({"created": CREATED})
    formats = [book.add_format({"bold": True}), book.add_format({"num_format": "0.0%"}),
               book.add_format({"num_format": "#,##0", "italic": True}), book.add_format({"bold": True})]
    for name in ("one", "two"):
        ws = book.add_worksheet(name)
        ws.set_column(1, 1, 20, formats[2] if column_format else None)
        ws.write_string(0, 0, "head", formats[3])
        write = xlsx_rows.row_writer(ws)
        for r, (values, picks, level) in enumerate(rows, start=1):
            chosen = [formats[i] if i >= 0 else None for i in picks] + [None] * (len(values) - len(picks))
            write(r * (gap + 1), values, chosen[:len(values)], level)
        ws.write_number(len(rows) * (gap + 1) + 1, 0, 1.5, formats[1])
    book.close()
    return buf.getvalue()


@settings(max_examples=40, deadline=None)
@given(rows=rows, gap=st.integers(0, 2), column_format=st.booleans())
def test_random_rows_byte_for_byte(tmp_path_factory, rows, gap, column_format):
    tmp = tmp_path_factory.mktemp("rows")
    assert workbook(tmp, True, rows, gap, column_format) == workbook(tmp, False, rows, gap, column_format)


def test_numbers_and_fractions_as_xlsxwriter_writes_them(tmp_path):
    rows = [([Fraction(1, 3), Fraction(6, 2), 10**15 + 1, -0.0, 1e-300, 2.5e20], [1, 2, -1, 0, 1, 2], 2)]
    assert workbook(tmp_path, True, rows) == workbook(tmp_path, False, rows)


def test_a_row_written_twice_is_refused(tmp_path):
    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True, "tmpdir": str(tmp_path)})
    book.worksheet_class = xlsx_rows.sheet_class()
    ws = book.add_worksheet("one")
    ws.write_string(0, 0, "head")
    write = xlsx_rows.row_writer(ws)
    write(1, ["a"])
    with pytest.raises(ValueError, match="row 2 of sheet 'one': rows go down, each written once"):
        write(1, ["b"])
    ws.set_row(1, 30)  # changes the row after it was written
    with pytest.raises(ValueError, match="row 2 of sheet 'one' changed after it was written"):
        write(2, ["c"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_streamed_example_matches_the_golden_dump(tmp_path, monkeypatch, lang):
    """Constant-memory mode with the short way: the same cells, formats and outline as the
    golden dump (made from the workbook written in memory, before the short way)."""
    from test_report_xlsx_golden import GOLDEN, dump

    monkeypatch.setattr(xlsx, "CONSTANT_MEMORY_FROM", 1)
    code, _, err = run_build([EXAMPLE], tmp_path, "xlsx", lang=lang)
    assert code == 0, err
    assert dump(tmp_path / "fy2027.xlsx") == (GOLDEN / f"fy2027.{lang}.txt").read_text(encoding="utf-8")


def test_sheet_names_still_unique_regardless_of_case(tmp_path):
    """The workbook checks a new sheet's name against a set, not every sheet: still XlsxWriter's checks."""
    from xlsxwriter.exceptions import DuplicateWorksheetName, InvalidWorksheetName

    book = xlsx_rows.book_class()(io.BytesIO(), {"constant_memory": True, "tmpdir": str(tmp_path)})
    assert isinstance(book.add_worksheet("Owner A"), xlsx_rows.sheet_class())
    book.add_worksheet()  # XlsxWriter's default name, Sheet2
    with pytest.raises(DuplicateWorksheetName, match="'owner a', with case ignored, is already in use"):
        book.add_worksheet("owner a")
    with pytest.raises(DuplicateWorksheetName):
        book.add_worksheet("SHEET2")
    with pytest.raises(InvalidWorksheetName):
        book.add_worksheet("a/b")
    assert [ws.name for ws in book.worksheets()] == ["Owner A", "Sheet2"]
    book.close()
