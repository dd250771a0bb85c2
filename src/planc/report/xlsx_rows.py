"""Whole rows of a big workbook's sheets, written fast (`planc build --format xlsx`).

In constant-memory mode XlsxWriter keeps the cells of the current row in a
table and writes their XML when the next row starts: per cell a dozen Python
calls (dimension checks, a tuple, attribute lists, three escaping passes) and
a write to the sheet's temporary file. 100,000 targets make about a million
cells in 207,000 rows, and that was most of the workbook's time
(benchmarks/bench_xlsx.py; docs/reports.md).

`row_writer(ws)` returns `write(r, values, formats, level)`, which writes one
row, cells from column A on (`values[c]` in column c, None for an empty cell;
`formats[c]` its format or None; `level` its outline level), as one string:
the very XML XlsxWriter writes for the same cells (tests/report/
test_report_xlsx_rows.py compares workbooks written both ways byte for byte,
odd strings and random rows included). Numbers and text that needs no
escaping take the short way; text that does is escaped by XlsxWriter's own
functions. Anything else in a row (a string over 16,383 characters, a value
of another kind, a row that cannot be written in one go) sends the whole row
through XlsxWriter's public methods, as do a workbook written in memory
(small plans) and any XlsxWriter other than the versions this was compared
against (TESTED): the output is the same either way, only slower.

The sheets are `sheet_class()`, a subclass of XlsxWriter's worksheet that
holds the row written last until XlsxWriter would have written it out (so
the formats are numbered in the same order), in a workbook of `book_class()`,
which also checks sheet names against a set. Both rely on XlsxWriter
internals (the worksheet's row table and file, its dimension check, its
escaping helpers, a format's XF index, the workbook's sheet-name check),
named in INTERNALS; `fast_path_problem()` says which are missing or why the
short way is off, and a test fails with that message when an XlsxWriter
upgrade changes them.
"""

from __future__ import annotations

import functools
import re
from fractions import Fraction
from typing import Protocol

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
# What XlsxWriter's `_escape_control_characters` changes: without it the text is its own result
# (most text that needs care only has `&`, `<`, `>` or a line break; the call costs a substitution).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")


class Row(Protocol):
    """Writes row `r`: `values[c]` in column c (None: empty), `formats[c]` its format, `level` its outline level."""

    def __call__(self, r: int, values: list, formats: list | None = None, level: int = 0) -> None: ...


def fast_path_problem() -> str | None:
    """None when the short way can be used with the XlsxWriter installed; else why not (in words)."""
    import xlsxwriter
    import xlsxwriter.format
    from xlsxwriter import utility, worksheet

    version = getattr(xlsxwriter, "__version__", "?")
    if version not in TESTED:
        return f"XlsxWriter {version} is not among the versions the fast row writer was checked against {TESTED}"
    sample = worksheet.Worksheet()
    missing = [name for name in INTERNALS if not hasattr(sample, name)]
    if not hasattr(xlsxwriter.Workbook, "_check_sheetname"):
        missing.append("Workbook._check_sheetname")
    if not hasattr(xlsxwriter.format.Format(), "xf_index"):
        missing.append("Format.xf_index")
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
    """`write(r, values, formats=None, level=0)` through XlsxWriter's methods, cell by cell
    (`xlsx_blocks.put`): None leaves a cell empty, text is never read as a number."""
    from planc.report.xlsx_blocks import put

    pair = writers(ws)

    def write(r: int, values: list, formats: list | None = None, level: int = 0) -> None:
        if level:
            ws.set_row(r, None, None, {"level": level})
        for c, value in enumerate(values):
            put(ws, r, c, value, formats[c] if formats else None, pair)

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
        previous_row: int  # XlsxWriter's: the row its table holds

        def _write_single_row(self, current_row_num=0) -> None:
            pending = self.planc_pending
            if pending is None:
                return super()._write_single_row(current_row_num)
            self.planc_pending = None
            row = self.previous_row
            if not isinstance(pending, str):
                head, cells = pending
                pending = head + "".join(f'<c r="{ref}"{rest}' if fmt is None else
                                         f'<c r="{ref}" s="{fmt._get_xf_index()}"{rest}'
                                         for ref, fmt, rest in cells) + "</row>"
            self.fh.write(pending)
            if self.table.get(row) or row in self.row_info:
                raise ValueError(f"row {row + 1} of sheet {self.name!r} changed after it was written")
            self.previous_row = current_row_num  # all XlsxWriter does when the row's cells are written

    return RowSheet


@functools.cache
def book_class():
    """XlsxWriter's workbook whose sheets are `sheet_class()`, and whose sheet names are checked
    against a set: XlsxWriter compares each new name with every sheet's (2 million comparisons
    for 2,000 sheets)."""
    from xlsxwriter import Workbook
    from xlsxwriter.exceptions import DuplicateWorksheetName

    class RowBook(Workbook):
        worksheet_class = sheet_class()
        worksheets_objs: list  # XlsxWriter's: the sheets, in order

        def _check_sheetname(self, sheetname, is_chartsheet=False):
            taken = self.__dict__.setdefault("planc_taken", set())
            sheets, self.worksheets_objs = self.worksheets_objs, []  # XlsxWriter's other checks, without the walk
            try:
                name = super()._check_sheetname(sheetname, is_chartsheet)
            finally:
                self.worksheets_objs = sheets
            if name.lower() in taken:
                raise DuplicateWorksheetName(f"Sheetname '{name}', with case ignored, is already in use.")
            taken.add(name.lower())
            return name

    return RowBook


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
    care, control = _NEEDS_CARE.search, _CONTROL.search
    col_info = ws.col_info
    attribute: dict = {}  # format -> its ` s="XF index"`, once it has one
    nothing = (None,) * len(letters)  # no formats

    def odd_rest(value) -> str | None:
        """The XML after the reference and format of a cell the loop below does not take,
        as XlsxWriter writes it; None when XlsxWriter should write it."""
        kind = type(value)
        if kind is str:
            if len(value) > strmax:
                return None
            text = ws._escape_control_characters(value) if control(value) else value
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

    def unnumbered(number: str, values: list, formats: list | None) -> list | None:
        """The cells of a row with a format that has no XF index yet: (reference, format, rest)."""
        cells = []
        for c, value in enumerate(values):
            if value is None:
                continue
            fmt = formats[c] if formats else None
            info = col_info.get(c)
            rest = odd_rest(value)
            if rest is None or (fmt is None and info is not None and info.column_format is not None):
                return None
            cells.append((letters[c] + number, fmt, rest))
        return cells

    def write(r: int, values: list, formats: list | None = None, level: int = 0) -> None:
        previous = ws.previous_row
        if r <= previous and ws.planc_pending is not None:
            raise ValueError(f"row {r + 1} of sheet {ws.name!r}: rows go down, each written once")
        if r < previous or (r == previous and ws.table) or r in ws.row_info:
            return public_row(r, values, formats, level)
        if ((level and ws.dim_colmin is None) or r >= ws.xls_rowmax or len(values) > len(letters)
                or ws.excel_version == 2010 or ws.default_row_height != ws.original_row_height):
            return public_row(r, values, formats, level)  # (set_row reads the sheet's first column)
        fmts = formats or nothing
        number = str(r + 1)
        parts: list[str] = []
        numbered = True  # every format in the row has its XF index
        first = last = -1
        c = -1
        for value in values:
            c += 1
            if value is None:
                continue
            fmt = fmts[c]
            s: str | None
            if fmt is None:
                info = col_info.get(c)
                if info is not None and info.column_format is not None:
                    return public_row(r, values, formats, level)  # the column's format applies
                s = ""
            else:
                s = attribute.get(fmt)
                if s is None:
                    if fmt.xf_index is None:
                        numbered = False  # numbered when the row is written out (RowSheet)
                        break
                    s = attribute[fmt] = f' s="{fmt.xf_index}"'
            kind = type(value)
            if kind is str and len(value) <= strmax and care(value) is None:
                parts.append(f'<c r="{letters[c]}{number}"{s} t="inlineStr"><is><t>{value}</t></is></c>')
            else:
                if kind is Fraction:
                    value = value.numerator if value.denominator == 1 else float(value)
                    kind = type(value)
                if kind is int or kind is float and value - value == 0.0:  # a float that is finite
                    parts.append(f'<c r="{letters[c]}{number}"{s}><v>{value:.16G}</v></c>')
                else:
                    rest = odd_rest(value)
                    if rest is None:
                        return public_row(r, values, formats, level)
                    parts.append(f'<c r="{letters[c]}{number}"{s}{rest}')
            if first < 0:
                first = c
            last = c
        cells = None
        if not numbered:
            cells = unnumbered(number, values, formats)
            if cells is None:
                return public_row(r, values, formats, level)
            filled = [c for c, value in enumerate(values) if value is not None]
            first, last = filled[0], filled[-1]
        elif first < 0:
            return public_row(r, values, formats, level)
        if r > previous:
            ws._write_single_row(r)  # the row before, as XlsxWriter writes it out when a row starts
        ws._check_dimensions(r, first)
        if last > first:
            ws._check_dimensions(r, last)
        level = max(0, min(level, 7))
        if level:
            ws.outline_row_level = max(ws.outline_row_level, level)
            ws.row_sizes[r] = [ws.default_row_height, False]
            head = f'<row r="{number}" outlineLevel="{level}">'
        else:
            head = f'<row r="{number}">'
        ws.planc_pending = (head, cells) if cells is not None else head + "".join(parts) + "</row>"

    return write
