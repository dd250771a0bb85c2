"""`planc build --format xlsx`: the report as an Excel workbook.

Reads only the view-model (`view.Report`), like the other renderers:

- the target tree, one row per target, grouped as outline levels that fold
  (parents above their children), with a frozen header and an autofilter;
- one sheet per split and a matrix sheet per cross, whose totals are `SUM`
  formulas carrying the plan's exact totals as their cached results (what a
  reader sees before Excel recalculates, and what it recalculates to);
- the open items, and one sheet per owner with their targets' time profile.

XlsxWriter (the `xlsx` extra) is imported only here, and only when this
format is asked for. A big plan's workbook is written in constant-memory
mode (row by row, through temporary files), so 100,000 targets stay small
in memory. It is reproducible: its creation date is the report's
generation time (`SOURCE_DATE_EPOCH` when set) and XlsxWriter fixes the
timestamps inside the zip.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from fractions import Fraction

from planc.evaluate.explain import explain
from planc.report.i18n import Words
from planc.report.view import CrossView, OwnerSheet, Report, Row, SplitView
from planc.report.xlsx_blocks import actions_block, activity_block, review_block
from planc.report.xlsx_blocks import number as _number
from planc.report.xlsx_blocks import put as _put
from planc.report.xlsx_rows import book_class, fast_path_problem, row_writer

PIP_HINT = "pip install 'planc[xlsx]'  (or: pip install XlsxWriter)"
MAX_OUTLINE = 7  # Excel's deepest outline level
WAN = '0"."0,"万"'  # 51767000 -> 5176.7万
# Above this many targets the workbook is written in constant-memory mode (each
# sheet streamed through a temporary file); below it, in memory, which is faster
# per sheet. The same plan always takes the same path, so builds stay reproducible.
CONSTANT_MEMORY_FROM = 20_000
SHM = "/dev/shm"  # Linux: memory-backed, for constant-memory mode's temporary files (temp_root)
SHM_ROOM = 1 << 30  # free space it needs: 100,000 targets write about 60 MB of sheets

# Words the HTML/Markdown reports do not need (report/i18n.py has the rest).
_WORDS = {
    "name": ("Name", "名称"),
    "level": ("Level", "层级"),
    "profile": ("Time profile", "时间分布"),
    "split_sheet": ("{i} {parent} by {dim}", "{i} {parent}·{dim}"),
    "cross_sheet": ("X{i} {rows}×{cols}", "交叉{i} {rows}×{cols}"),
    "kind_own": ("own split", "自身分解"),
    "kind_cross": ("cross table", "交叉矩阵"),
    "kind_indicative": ("indicative", "参考值"),
}


def missing_dependency() -> str | None:
    """None when XlsxWriter can be imported, else what to install."""
    import importlib.util

    return None if importlib.util.find_spec("xlsxwriter") is not None else PIP_HINT


def render_xlsx(report: Report, lang: str, review=None) -> bytes:
    """The workbook; with `review` (report/review.py), each owner's sheet has their review figures."""
    import xlsxwriter

    if len(report.rows) < CONSTANT_MEMORY_FROM:
        return _render(xlsxwriter, report, lang, review, {"in_memory": True})
    with tempfile.TemporaryDirectory(prefix="planc-xlsx-", dir=temp_root()) as folder:
        return _render(xlsxwriter, report, lang, review, {"constant_memory": True, "tmpdir": folder})


def temp_root() -> str | None:
    """Where constant-memory mode keeps each sheet while it is written (in a folder of its
    own, removed afterwards even on failure). `TMPDIR` when it is set; else, on a system with
    a memory-backed `/dev/shm` that has room (SHM_ROOM free), there: a big plan has thousands
    of sheets, and a temporary file per sheet created and deleted on a disk cost more than
    writing the cells (benchmarks/bench_xlsx.py; docs/reports.md). None: the system's default."""
    if os.environ.get("TMPDIR") or not os.path.isdir(SHM) or not os.access(SHM, os.W_OK | os.X_OK):
        return None
    try:
        room = os.statvfs(SHM)
    except OSError:
        return None
    return SHM if room.f_bavail * room.f_frsize >= SHM_ROOM else None


def _render(xlsxwriter, report: Report, lang: str, review, options: dict) -> bytes:
    t = Words(lang)
    buf = io.BytesIO()
    fast = options.get("constant_memory") and fast_path_problem() is None  # rows the short way (xlsx_rows.py)
    book = (book_class() if fast else xlsxwriter.Workbook)(buf, options)
    m = report.meta
    book.set_properties({"title": m.title, "subject": t("target_report"), "author": m.owner or "",
                         "comments": f"planc {m.planc_version}, from {m.source_name}",
                         "created": m.generated.replace(tzinfo=None)})
    fmt = _Formats(book, report, lang)
    names: set[str] = set()
    _targets_sheet(book, report, t, fmt, _sheet_name(t("tree"), names))
    for split in report.splits:
        title = _local(t, "split_sheet", i=split.index, parent=split.parent.name, dim=t.dimension(split.dimension))
        _split_sheet(book, split, t, fmt, _sheet_name(title, names))
    for cross in report.crosses:
        title = _local(t, "cross_sheet", i=cross.index, rows=t.dimension(cross.row_dimension),
                       cols=t.dimension(cross.col_dimension))
        _cross_sheet(book, cross, t, fmt, _sheet_name(title, names))
    _open_items_sheet(book, report, t, fmt, _sheet_name(t("open_items"), names))
    for sheet in report.owners:
        ws = _owner_sheet(book, sheet, t, fmt, _sheet_name(sheet.owner, names))
        below = len(sheet.rows) + (3 if sheet.total is not None else 2)  # one empty row after the table
        row = activity_block(ws, below, sheet.owner, report.activity, lang, t, fmt)
        row = review_block(ws, row, sheet.owner, review, lang, fmt)
        actions_block(ws, row, report.negotiation.actions_of(sheet.owner, tuple(r.path for r in sheet.rows)), t, fmt)
    book.close()
    return buf.getvalue()


def _local(t: Words, key: str, **fields: object) -> str:
    return _WORDS[key][t.index].format(**fields)


class _Formats:
    """The workbook's cell formats, made once (XlsxWriter dedupes them, but slowly)."""

    def __init__(self, book, report: Report, lang: str) -> None:
        places = _places(report.meta.round)
        amount = "#,##0" + ("." + "0" * places if places else "")
        self.head = book.add_format({"bold": True, "bottom": 1, "bg_color": "#EEF2F7"})
        self.amount = book.add_format({"num_format": amount})
        self.percent = book.add_format({"num_format": "0.0%"})
        self.total_label = book.add_format({"bold": True, "top": 1})
        self.total = book.add_format({"bold": True, "top": 1, "num_format": amount})
        self.total_percent = book.add_format({"bold": True, "top": 1, "num_format": "0.0%"})
        self.parent = book.add_format({"bold": True})
        # `--lang zh`: 5176.7万 for 51,767,000, as the report writes it, where that is exact (whole
        # thousands); the cell still holds the amount in yuan. `,` divides by 1,000 and the quoted
        # point sits before the last digit left: Excel and LibreOffice both read it.
        self.wan = lang == "zh"
        self.amount_wan = book.add_format({"num_format": WAN})
        self.total_wan = book.add_format({"bold": True, "top": 1, "num_format": WAN})
        self._explained: dict[int, tuple[object, str]] = {}

    def explain(self, how, t: Words) -> str:
        """`explain(how, t)`, once per target: its split's sheet and its owner's both show it."""
        known = self._explained.get(id(how))
        if known is None or known[0] is not how:
            known = self._explained[id(how)] = (how, explain(how, t))
        return known[1]

    def amount_for(self, value: Fraction | None):
        return self.amount_wan if self._in_wan(value) else self.amount

    def total_for(self, value: Fraction | None):
        return self.total_wan if self._in_wan(value) else self.total

    def _in_wan(self, value: Fraction | None) -> bool:
        return (self.wan and value is not None and value.denominator == 1 and value.numerator % 1000 == 0
                and abs(value) >= 10**4)


def _places(unit: Fraction) -> int:
    """Decimals the rounding unit needs (0 for whole units, 2 for `round: 0.01`)."""
    places = 0
    while (unit * 10**places).denominator != 1 and places < 6:
        places += 1
    return places


class _Statuses(dict):
    """A status in the report's words, each worded once."""

    def __init__(self, t: Words) -> None:
        super().__init__()
        self.t = t

    def __missing__(self, status: str) -> str:
        text = self[status] = self.t.status(status)
        return text


def _header(ws, heads: list[str], fmt: _Formats, widths: list[int]) -> None:
    for col, width in enumerate(widths[:len(heads)]):
        ws.set_column(col, col, width)
    row_writer(ws)(0, heads[:len(widths)], [fmt.head] * len(heads))
    ws.freeze_panes(1, 0)


_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(text: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters (UTF-16 units: an emoji is two), none of
    []:*?/\\, unique regardless of case."""
    base = _BAD_SHEET_CHARS.sub("_", text).strip("'") or "Sheet"
    base = _utf16_cut(base, 31)
    name, n = base, 2
    while name.lower() in taken or name.lower() == "history":
        suffix = f" ({n})"
        name, n = _utf16_cut(base, 31 - len(suffix)) + suffix, n + 1
    taken.add(name.lower())
    return name


def _utf16_cut(text: str, units: int) -> str:
    """The longest start of `text` of at most `units` UTF-16 units, not ending in an apostrophe."""
    text = text[:units]  # a character is one or two units
    while len(text.encode("utf-16-le")) > 2 * units:
        text = text[:-1]
    return text.rstrip("'") or "Sheet"


def _col(col: int) -> str:
    """0 -> A, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


# ---- sheets --------------------------------------------------------------------------------


def _targets_sheet(book, report: Report, t: Words, fmt: _Formats, name: str) -> None:
    ws = book.add_worksheet(name)
    heads = [t("col_path"), _local(t, "name"), t("col_label"), _local(t, "level"), t("col_parent"),
             t("col_amount"), t("col_share"), t("col_growth"), t("col_owner"), t("col_status")]
    _header(ws, heads, fmt, [28, 16, 28, 7, 22, 16, 9, 9, 14, 11])
    # Parents sit above their children, so the outline's buttons go above too.
    ws.outline_settings(True, False, False, False)
    # The hot loop of a big plan (100,000 rows): whole rows (report/xlsx_rows.py), formats and
    # words looked up once.
    write, status, amount_for, percent = row_writer(ws), _Statuses(t), fmt.amount_for, fmt.percent
    plain = None if fmt.wan else fmt.amount  # without 万, every amount has the one format
    formats = [None, None, None, None, None, plain, percent, percent, None, None]
    for r, row in enumerate(report.rows, start=1):
        a = row.amount
        formats[5] = plain or amount_for(a)
        write(r, [row.path, row.name, row.label, row.depth, row.parent, a, row.share, row.growth, row.owner,
                  status[row.status] if row.status else None], formats, min(row.depth, MAX_OUTLINE))
    ws.autofilter(0, 0, max(len(report.rows), 1), len(heads) - 1)


def _split_sheet(book, split: SplitView, t: Words, fmt: _Formats, name: str) -> None:
    ws = book.add_worksheet(name)
    heads = [t("col_target"), t("col_label"), t("col_how"), t("col_share"), t("col_amount"), t("col_growth"),
             t("col_owner"), t("col_status")]
    _header(ws, heads, fmt, [20, 28, 30, 9, 16, 9, 14, 11])
    write, status, amount_for, percent, explained = (row_writer(ws), _Statuses(t), fmt.amount_for,
                                                     fmt.percent, fmt.explain)
    plain = None if fmt.wan else fmt.amount
    formats = [None, None, None, percent, plain, percent, None, None]
    for r, row in enumerate(split.rows, start=1):
        a = row.amount
        formats[4] = plain or amount_for(a)
        write(r, [row.name, row.label, explained(row.how, t), row.share, a, row.growth, row.owner,
                  status[row.status] if row.status else None], formats)
    last = len(split.rows)
    total = last + 1
    ws.write_string(total, 0, t("total"), fmt.total_label)
    parent = split.parent.amount
    share = split.total / parent if parent else None
    if last:
        ws.write_formula(total, 3, f"=SUM(D2:D{last + 1})", fmt.total_percent, _number(share) if share is not None else 0)
        ws.write_formula(total, 4, f"=SUM(E2:E{last + 1})", fmt.total_for(split.total), _number(split.total))
    ws.write_string(total + 1, 0, split.parent.name, fmt.parent)
    _put(ws, total + 1, 4, parent, fmt.amount_for(parent))


def _cross_sheet(book, cross: CrossView, t: Words, fmt: _Formats, name: str) -> None:
    ws = book.add_worksheet(name)
    n_cols = len(cross.col_names)
    heads = [f"{t.dimension(cross.row_dimension)} \\ {t.dimension(cross.col_dimension)}", *cross.col_names,
             t("total")]
    _header(ws, heads, fmt, [20, *([14] * n_cols), 16])
    last_col = _col(n_cols)  # the last column of cells
    for i, (row_name, cells) in enumerate(zip(cross.row_names, cross.cells), start=1):
        ws.write_string(i, 0, row_name)
        for j, cell in enumerate(cells, start=1):
            _put(ws, i, j, cell, fmt.amount_for(cell))
        ws.write_formula(i, n_cols + 1, f"=SUM(B{i + 1}:{last_col}{i + 1})", fmt.total_for(cross.row_totals[i - 1]),
                         _number(cross.row_totals[i - 1]))
    total = len(cross.row_names) + 1
    ws.write_string(total, 0, t("total"), fmt.total_label)
    for j in range(1, n_cols + 1):
        letter = _col(j)
        ws.write_formula(total, j, f"=SUM({letter}2:{letter}{total})", fmt.total_for(cross.col_totals[j - 1]),
                         _number(cross.col_totals[j - 1]))
    ws.write_formula(total, n_cols + 1, f"=SUM(B2:{last_col}{total})", fmt.total_for(cross.total),
                     _number(cross.total))
    ws.freeze_panes(1, 1)


def _open_items_sheet(book, report: Report, t: Words, fmt: _Formats, name: str) -> None:
    ws = book.add_worksheet(name)
    heads = [t("col_path"), t("col_label"), t("col_amount"), t("col_owner"), t("col_status"), t("col_due"),
             t("col_note")]
    _header(ws, heads, fmt, [28, 28, 16, 14, 11, 11, 40])
    for r, row in enumerate(report.open_items, start=1):
        _row_basics(ws, r, row, t, fmt)
    if report.open_items:
        ws.autofilter(0, 0, len(report.open_items), len(heads) - 1)
    actions_block(ws, len(report.open_items) + 2, report.negotiation.actions, t, fmt)


def _row_basics(ws, r: int, row: Row, t: Words, fmt: _Formats) -> None:
    _put(ws, r, 0, row.path)
    _put(ws, r, 1, row.label)
    _put(ws, r, 2, row.amount, fmt.amount_for(row.amount))
    _put(ws, r, 3, row.owner)
    _put(ws, r, 4, t.status(row.status) if row.status else None)
    _put(ws, r, 5, row.due.isoformat() if row.due else None)
    _put(ws, r, 6, row.note)


def _owner_sheet(book, sheet: OwnerSheet, t: Words, fmt: _Formats, name: str):
    """The owner's targets, and each one's amount over time where the plan says it; the
    sheet, for the blocks below (review figures, actions: report/xlsx_blocks.py)."""
    ws = book.add_worksheet(name)
    periods: list[str] = []  # the time points of every profile, in first-seen order
    for profile in sheet.profiles:
        for point in profile.points if profile else ():
            if point.name not in periods:
                periods.append(point.name)
    heads = [t("col_path"), t("col_label"), t("col_amount"), t("col_share"), t("col_how"), t("col_status"),
             t("col_due"), t("col_note"), _local(t, "profile"), *periods]
    _header(ws, heads, fmt, [28, 28, 16, 9, 30, 11, 11, 30, 14, *([12] * len(periods))])
    first = len(heads) - len(periods)
    write, status, amount_for, percent = row_writer(ws), _Statuses(t), fmt.amount_for, fmt.percent
    column = {period: first + i for i, period in enumerate(periods)}
    for r, (row, profile) in enumerate(zip(sheet.rows, sheet.profiles), start=1):
        values = [row.path, row.label, row.amount, row.share, fmt.explain(row.how, t),
                  status[row.status] if row.status else None, row.due.isoformat() if row.due else None, row.note,
                  None, *([None] * len(periods))]
        formats = [None, None, amount_for(row.amount), percent, *([None] * (len(heads) - 4))]
        if profile is not None:
            values[8] = _local(t, f"kind_{profile.kind}")
            for point in profile.points:
                values[column[point.name]] = point.amount
                formats[column[point.name]] = amount_for(point.amount)
        write(r, values, formats)
    if sheet.total is not None:
        total = len(sheet.rows) + 1
        ws.write_string(total, 0, t("total"), fmt.total_label)
        _put(ws, total, 2, sheet.total, fmt.total_for(sheet.total))
    return ws
