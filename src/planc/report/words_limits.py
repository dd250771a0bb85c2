"""The report's words for what a big plan's HTML and Markdown leave out (report/limits.py); joined into `i18n.WORDS`."""

from __future__ import annotations

WORDS: dict[str, tuple[str, str]] = {
    "limit_tree_levels": ("Showing the top {levels} levels of the tree: {shown} of {n} targets. "
                          "Every target is in the CSV and JSON reports:",
                          "仅显示目标树的前{levels}层：共{n}个目标，显示{shown}个。"
                          "全部目标见 CSV 和 JSON 报告："),
    "limit_rows": ("Showing the first {shown} of {n} rows. Every row is in the CSV and JSON reports:",
                   "仅显示前{shown}行，共{n}行。全部行见 CSV 和 JSON 报告："),
    "limit_splits": ("Showing the splits of the top {levels} levels: {shown} of {n} splits. "
                     "Every target is in the CSV and JSON reports:",
                     "仅显示前{levels}层的分解：共{n}项分解，显示{shown}项。全部目标见 CSV 和 JSON 报告："),
    "limit_splits_first": ("Showing the first {shown} of {n} splits. Every target is in the CSV and JSON reports:",
                           "仅显示前{shown}项分解，共{n}项。全部目标见 CSV 和 JSON 报告："),
    "limit_split_rows": ("Showing the first {shown} of {n} children; the total is the whole split's. "
                         "Every child is in the CSV and JSON reports:",
                         "仅显示前{shown}个子目标，共{n}个；合计为整个分解的合计。全部子目标见 CSV 和 JSON 报告："),
    # a cross's table (and the review's heat map of it): what is shown, then what the totals are, then where the rest is
    "limit_cross_rows": ("Showing the first {rows} of {n_rows} rows.", "仅显示前{rows}行，共{n_rows}行。"),
    "limit_cross_cols": ("Showing the first {cols} of {n_cols} columns.", "仅显示前{cols}列，共{n_cols}列。"),
    "limit_cross_both": ("Showing the first {rows} of {n_rows} rows and the first {cols} of {n_cols} columns.",
                         "仅显示前{rows}行（共{n_rows}行）、前{cols}列（共{n_cols}列）。"),
    "limit_cross_totals": ("Every total is the whole cross's.", "合计均为整个交叉表的合计。"),
    "limit_cells": ("Every cell is in the CSV and JSON reports:", "全部单元格见 CSV 和 JSON 报告："),
    "limit_owner_list": ("Listing {shown} of {n} owners; every owner's sheet is a file in the folder above.",
                         "列出{shown}位负责人，共{n}位；每位负责人的目标书都在上述文件夹中。"),
    "limit_owners": ("Showing {shown} of {n} owner sheets. Every owner's sheet is in the Markdown report "
                     "(planc build --format md: one file per owner).",
                     "显示{shown}份负责人目标书，共{n}份。每位负责人的目标书见 Markdown 报告"
                     "（planc build --format md：每位负责人一个文件）。"),
}
