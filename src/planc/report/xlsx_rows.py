"""Whole rows of a big workbook's sheets, written fast (`planc build --format xlsx`).

In constant-memory mode XlsxWriter keeps the cells of the current row in a
table and writes their XML when the next row starts: per cell a dozen Python
calls (dimension checks, a tuple, attribute lists, three escaping passes) and
a write to the sheet's temporary file. 100,000 targets make about 2.5 million
cells, and that was most of the workbook's time (benchmarks/bench_xlsx.py).

`row_writer(ws)` returns `write(r, values, formats, level)`, which writes one
row, cells from column A on (`values[c]` in column c, None for an empty cell;
`formats[c]` its format or None; `level` its outline level), and writes it as
one string: the very XML XlsxWriter writes for the same cells
(tests/report/test_report_xlsx_rows.py compares the workbooks byte for byte,
odd strings included). The common cells take the short way: numbers, and
strings that need no escaping and keep no leading or trailing space; a string
that needs escaping is escaped by XlsxWriter's own functions. Anything else in
a row (a string over 16,383 characters, a value of another kind, a row that
cannot be written in one go) sends the whole row through XlsxWriter's public
methods, as do a workbook written in memory (small plans) and any XlsxWriter
other than the versions this was compared against (TESTED): the output is the
same either way, only slower.

It relies on XlsxWriter internals (the worksheet's row table and file, its
dimension check, its escaping helpers, a format's XF index), named in
INTERNALS; `fast_path_problem` says which are missing or why the short way is
off, and a test fails with that message when an XlsxWriter upgrade changes
them.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Callable

# XlsxWriter versions whose worksheet XML the short way was compared against, byte for byte.
TESTED = ("3.3.1",)

# The worksheet internals the short way reads, calls or sets.
INTERNALS = ("constant_memory", "previous_row", "table", "row_info", "row_sizes", "col_info", "fh",
             "dim_colmin", "outline_row_level", "default_row_height", "original_row_height", "excel_version",
             "xls_strmax", "xls_rowmax", "xls_colmax", "_write_single_row", "_check_dimensions",
             "_escape_control_characters", "_escape_data")

# A string XlsxWriter writes as it is: no XML or control character to escape, no `_xHHHH_`
# to protect, no leading or trailing white space to preserve.
_NEEDS_CARE = re.compile(r"[&<>\x00-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|^\s|\s$")

Row = Callable[[int, list, "list | None", int], None]


def fast_path_problem() -> str | None:
    """None when the short way can be used with the XlsxWriter installed; else why not (in words)."""
    import xlsxwriter
    from xlsxwriter import utility, worksheet

    version = getattr(xlsxwriter, "__version__", "?")
    if version not in TESTED:
        return f"XlsxWriter {version} is not among the versions the fast row writer was checked against {TESTED}"
    sample = worksheet.Worksheet()
    missing = [name for name in INTERNALS if not hasattr(sample, name)]
    if not hasattr(utility, "_preserve_whitespace"):
        missing.append("utility._preserve_whitespace")
    if missing:
        return f"XlsxWriter {version} lacks the internals the fast row writer uses: {', '.join(missing)}"
    return None


def writers(ws):
    """`ws.write_string` and `ws.write_number` without the decorator that first tries to
    read the row as A1 notation (`row, col` are always numbers here): the functions it
    wraps, its `__wrapped__` (functools), bound to `ws`. A version of XlsxWriter without
    it gets the decorated ones."""
    cls = type(ws)
    text = getattr(cls.write_string, "__wrapped__", None)
    number = getattr(cls.write_number, "__wrapped__", None)
    if text is None or number is None:
        return ws.write_string, ws.write_number
    return functools.partial(text, ws), functools.partial(number, ws)


def public_row_writer(ws) -> Row:
    """`write(r, values, formats=None, level=0)` through XlsxWriter's methods, cell by cell,
    as `xlsx_blocks.put` writes a cell: None leaves it empty, text is never read as a number."""
    text, number = writers(ws)

    def write(r: int, values: list, formats: list | None = None, level: int = 0) -> None:
        if level:
            ws.set_row(r, None, None, {"level": level})
        for c, value in enumerate(values):
            if value is None:
                continue
            fmt = formats[c] if formats else None
            if isinstance(value, str):
                text(r, c, value, fmt)
            elif isinstance(value, Fraction):
                number(r, c, value.numerator if value.denominator == 1 else float(value), fmt)
            else:
                number(r, c, value, fmt)

    return write


@functools.cache
def sheet_class():
    """XlsxWriter's worksheet with `row_writer`'s short way (for `Workbook.worksheet_class`)."""
    from xlsxwriter.worksheet import Worksheet

    class RowSheet(Worksheet):
        """A worksheet that holds the row written last the short way until XlsxWriter
        writes out the row before the next (`_write_single_row`: when a later row starts,
        or when the workbook closes), as it would have held that row's cells.

        That is when XlsxWriter gives a format not used before its XF index (its number
        in styles.xml), so a row with such a format waits with its formats unnumbered
        (`cells`: (reference, format, the rest of the cell's XML)) and the formats get the
        numbers they would have had. Otherwise the row waits as its XML."""

        planc_pending: str | tuple[str, list] | None = None

        def _write_single_row(self, current_row_num=0) -> None:
            pending = self.planc_pending
            if pending is not None:
                self.planc_pending = None
                if self.table.get(self.previous_row):
                    raise ValueError(f"row {self.previous_row + 1} of sheet {self.name!r} written twice")
                if not isinstance(pending, str):
                    head, cells = pending
                    pending = head + "".join(f'<c r="{ref}"{rest}' if fmt is None else
                                             f'<c r="{ref}" s="{fmt._get_xf_index()}"{rest}'
                                             for ref, fmt, rest in cells) + "</row>"
                self.fh.write(pending)
            super()._write_single_row(current_row_num)

    return RowSheet


@functools.cache
def _letters() -> tuple[str, ...]:
    """Column letters: A, B, … IV."""
    from xlsxwriter.utility import xl_col_to_name

    return tuple(xl_col_to_name(c) for c in range(256))


def row_writer(ws) -> Row:
    """`write(r, values, formats=None, level=0)` for the sheet `ws` (see the module's docs)."""
    public_row = public_row_writer(ws)
    if not ws.constant_memory or not isinstance(ws, sheet_class()):
        return public_row
    from xlsxwriter.utility import _preserve_whitespace as preserve_space

    letters = _letters()
    strmax = ws.xls_strmax // 2  # a string up to this long cannot exceed Excel's limit (UTF-16 units)
    care = _NEEDS_CARE.search
    col_info = ws.col_info

    def odd_cell(value) -> str | None:
        """The XML after the reference and format of a cell the loop below does not take,
        as XlsxWriter writes it; None when XlsxWriter should write it."""
        kind = type(value)
        if kind is str:
            if len(value) > strmax:
                return None
            text = ws._escape_control_characters(value)
            if text.startswith("<r>") and text.endswith("</r>"):
                return None  # XlsxWriter takes it for a rich string
            space = ' xml:space="preserve"' if preserve_space(text) else ""
            return f' t="inlineStr"><is><t{space}>{ws._escape_data(text)}</t></is></c>'
        if kind is Fraction:
            value = value.numerator if value.denominator == 1 else float(value)
            kind = type(value)
        if kind is int or (kind is float and value - value == 0.0):  # a float that is finite
            return f"><v>{value:.16G}</v></c>"
        return None

    def write(r: int, values: list, formats: list | None = None, level: int = 0) -> None:
        previous = ws.previous_row
        if r == previous and ws.planc_pending is not None:
            raise ValueError(f"row {r + 1} of sheet {ws.name!r} written twice")
        if (r < previous or (r == previous and (ws.table or r in ws.row_info)) or ws.dim_colmin is None
                or r >= ws.xls_rowmax or len(values) > min(len(letters), ws.xls_colmax)
                or ws.excel_version == 2010 or ws.default_row_height != ws.original_row_height):
            return public_row(r, values, formats, level)
        number = str(r + 1)
        cells = []  # (reference, format, the rest)
        numbered = True  # every format has its XF index already
        first = last = -1
        for c, value in enumerate(values):
            if value is None:
                continue
            fmt = formats[c] if formats else None
            kind = type(value)
            if kind is Fraction:
                value = value.numerator if value.denominator == 1 else float(value)
                kind = type(value)
            if fmt is None and (info := col_info.get(c)) is not None and info.column_format is not None:
                return public_row(r, values, formats, level)  # the column's format applies
            if kind is str and len(value) <= strmax and care(value) is None:
                rest = f' t="inlineStr"><is><t>{value}</t></is></c>'
            elif kind is int or kind is float and value - value == 0.0:  # a float that is finite
                rest = f"><v>{value:.16G}</v></c>"
            else:
                odd = odd_cell(value)
                if odd is None:
                    return public_row(r, values, formats, level)
                rest = odd
            if fmt is not None and fmt.xf_index is None:
                numbered = False
            cells.append((letters[c] + number, fmt, rest))
            if first < 0:
                first = c
            last = c
        if first < 0:
            return public_row(r, values, formats, level)
        if r > previous:
            ws._write_single_row(r)  # the row before, as XlsxWriter writes it out when a row starts
        ws._check_dimensions(r, first)
        ws._check_dimensions(r, last)
        level = max(0, min(level, 7))
        if level:
            ws.outline_row_level = max(ws.outline_row_level, level)
            ws.row_sizes[r] = [ws.default_row_height, False]
            head = f'<row r="{number}" outlineLevel="{level}">'
        else:
            head = f'<row r="{number}">'
        if numbered:
            ws.planc_pending = head + "".join(f'<c r="{ref}"{rest}' if fmt is None else f'<c r="{ref}" s="{fmt.xf_index}"{rest}'
                                        for ref, fmt, rest in cells) + "</row>"
        else:
            ws.planc_pending = (head, cells)

    return write
