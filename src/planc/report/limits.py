"""How much of a big plan the HTML and Markdown reports show at once.

A report is read by people: a table of a million rows is neither readable
nor loadable (an 11 MB page takes a browser seconds). So the HTML and
Markdown reports show a plan's top levels and keep every row in the CSV and
JSON reports, which are for tools (docs/reports.md, "Big plans"):

- the target tree shows whole levels, from the roots down, as many as fit in
  `TREE_ROWS` rows and at most `TREE_LEVELS` levels (if even the roots do not
  fit, the first `TREE_ROWS`), so a chain thousands of levels deep does not
  indent its rows by thousands of columns;
- the splits section shows a card for the splits of the top levels, as many
  whole levels of parents as fit in `SPLIT_CARDS` cards; a card's table shows
  at most `SPLIT_ROWS` children (its total is always the whole split's);
- a cross's table shows at most `CROSS_COLUMNS` columns and as many rows as
  fit in `CROSS_CELLS` cells (at least one); its totals are the whole cross's
  (the review's heat map of the cross the same);
- the open items show at most `TABLE_ROWS` rows; the HTML owner sheets and the
  Markdown report's list of owners at most `OWNER_SHEETS` (the Markdown report
  writes every owner's own file).

A plan under every limit (most plans) is shown whole, unchanged. Where
something is left out, the section says how much and where it is.
"""

from __future__ import annotations

import weakref
from typing import Callable, Sequence, TypeVar

import attrs

from planc.report.view import OwnerSheet, Report, Row, Rows, SplitView

TREE_ROWS = 5000
TREE_LEVELS = 50
SPLIT_CARDS = 100
SPLIT_ROWS = 1000
TABLE_ROWS = 5000
CROSS_CELLS = 10_000
CROSS_COLUMNS = 100
OWNER_SHEETS = 200

T = TypeVar("T")


@attrs.frozen
class Shown:
    """What the HTML and Markdown reports show of each long section, and what they leave out."""

    tree: tuple[Row, ...]
    tree_hidden: int  # rows of the tree not shown
    tree_levels: int | None  # when levels were left out: how many levels are shown
    splits: tuple[SplitView, ...]
    splits_hidden: int
    splits_levels: int | None  # as tree_levels, counting the levels of the splits' parents
    open_items: tuple[Row, ...]
    open_hidden: int
    owners: tuple[OwnerSheet, ...]
    owners_hidden: int

    def rows(self, split: SplitView) -> Sequence[Row]:
        """The children a split's card lists."""
        return split.rows[:SPLIT_ROWS]

    def rows_hidden(self, split: SplitView) -> int:
        return max(0, len(split.rows) - SPLIT_ROWS)

    @staticmethod
    def window(rows: int, columns: int) -> tuple[int, int]:
        """How many of a cross's rows and columns its table shows: every column up to
        `CROSS_COLUMNS`, and the first rows that fit in `CROSS_CELLS` cells, at least one."""
        shown_columns = min(columns, CROSS_COLUMNS)
        return min(rows, max(1, CROSS_CELLS // max(1, shown_columns))), shown_columns


def shown(report: Report) -> Shown:
    """What the reports show of `report`: worked out once per report (a build renders the
    HTML, the Markdown and every owner's sheet from the same report)."""
    last = _LAST.get("report")
    if last is not None and last[0]() is report:
        return last[1]
    out = _shown(report)
    _LAST["report"] = (weakref.ref(report), out)
    return out


_LAST: dict[str, tuple[weakref.ref, Shown]] = {}


def _shown(report: Report) -> Shown:
    tree = report.tree_rows
    # By position, so that the depths of the rows left out are read without making those rows (view.Rows).
    depths = tree.depths() if isinstance(tree, Rows) else [r.depth for r in tree]
    kept, levels = by_level(range(len(tree)), depths.__getitem__, TREE_ROWS, TREE_LEVELS)
    shown_tree = tuple(tree[i] for i in kept)
    splits, split_levels = by_level(report.splits, lambda s: s.parent.depth, SPLIT_CARDS)
    return Shown(
        tree=shown_tree, tree_hidden=len(tree) - len(shown_tree), tree_levels=levels,
        splits=splits, splits_hidden=len(report.splits) - len(splits), splits_levels=split_levels,
        open_items=report.open_items[:TABLE_ROWS], open_hidden=max(0, len(report.open_items) - TABLE_ROWS),
        owners=report.owners[:OWNER_SHEETS], owners_hidden=max(0, len(report.owners) - OWNER_SHEETS),
    )


def by_level(items: Sequence[T], depth: Callable[[T], int], limit: int,
             levels: int | None = None) -> tuple[tuple[T, ...], int | None]:
    """The items of the top levels, in their order: the most whole levels (0, 1, …) that fit in
    `limit` items (and, with `levels`, at most that many levels), and how many levels that is
    (None: all of them). When not even the first level fits, its first `limit` items."""
    counts: dict[int, int] = {}
    for item in items:
        level = depth(item)
        counts[level] = counts.get(level, 0) + 1
    if len(items) <= limit and (levels is None or len(counts) <= levels):
        return tuple(items), None
    total, deepest = 0, -1
    for n, level in enumerate(sorted(counts)):
        if total + counts[level] > limit or (levels is not None and n >= levels):
            break
        total, deepest = total + counts[level], level
    if deepest < 0:
        return tuple(items[:limit]), 0
    kept = tuple(item for item in items if depth(item) <= deepest)
    return kept, len([level for level in counts if level <= deepest])
