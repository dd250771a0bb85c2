"""The matrix of one actuals file read as columns (review/columns.py), and its roll-up.

A `Matrix` holds the amounts of a file by target off the time axis (a row
each; `review.rollup.Placer`) and period (`slots`), as integers of
`10^-places` (int64, or Python integers when int64 could overflow), and
which cells had rows. Its roll-up gives the figures of `review.rollup.Rollup`
(the rules of `review.vectors.roll`): a target's total is its own row, else
the sum of its children's along its first split (or non-time cross) with
rows; rows of its own and children with rows, or two splits with rows in
different periods, and it answers None — the long way then says what the
figures are. Totals are worked out a level of the plan at a time (leaves,
then their parents, …), each level's sums in one numpy call; then each
target's slots inside its dates up to the as-of date are summed, all targets
at once, and its figure is a `Fraction` of that integer and the power of ten.
"""

from __future__ import annotations

import datetime
import decimal
from fractions import Fraction
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from planc.review.rollup import EXACT, Actuals, groups_of
from planc.review.vectors import Unsafe
from planc.semantics import time
from planc.semantics.model import Model, TargetNode

Dates = time.Dates


class Matrix:
    """Amounts of one file by target off the time axis (`wheres`, a row each) and slot,
    as integers of `10^-places`; `present`: which cells had rows."""

    def __init__(self, slots: list[Dates], cells, present, wheres: list[TargetNode],
                 row_of: dict[int, int], places: int) -> None:
        self.slots, self.cells, self.present, self.wheres = slots, cells, present, wheres
        self.row_of, self.places = row_of, places

    def rows(self):
        """(where, dates, amount) of each cell with rows: the long way's buckets."""
        import numpy as np

        for i, where in enumerate(self.wheres):
            for j in np.flatnonzero(self.present[i]).tolist():
                yield where, self.slots[j], decimal.Decimal(int(self.cells[i, j])).scaleb(-self.places, EXACT)

    def roll(self, model: Model, actuals: Actuals, as_of: datetime.date) -> dict[str, Fraction] | None:
        """The actual to date of every target with data, as `Rollup` gives it, or
        None when the quick way could differ (review/vectors.py, `roll`)."""
        try:
            return _Roll(self, model, actuals).figures(model, as_of)
        except (Unsafe, RecursionError):
            return None


class _Roll:
    """Totals of each target off the time axis, as rows added to the matrix: worked
    out bottom-up, all the targets of one height (leaves 0) at once."""

    def __init__(self, found: Matrix, model: Model, actuals: Actuals) -> None:
        import numpy as np

        self.np, self.found = np, found
        self.places = actuals.places
        self.groups = groups_of(model, self.places)
        slots = found.slots
        self.first, self.last = min(s[0] for s in slots), max(s[1] for s in slots)
        self.cells, self.marks, self.size = found.cells, found.present, len(found.wheres)
        groups = self.groups  # the row of each target with rows and no children to add: its own
        self.memo: dict[int, int] = dict(found.row_of)  # -1: no data
        for key in groups.keys() & self.memo.keys():
            del self.memo[key]
        self.parts: dict[int, list[tuple[list[int], list[Dates] | None]]] = {}  # children's keys (and dates)
        self.height: dict[int, int] = {}
        self.pending: list[tuple[Any, Any]] = []  # rows of a level to add: see _within

    def visit(self, where: TargetNode) -> int:
        """The height of `where` (1 + its highest child's), its children's keys noted."""
        key = id(where)
        height = self.height.get(key)
        if height is not None:
            return height
        groups, placed, place = self.groups, self.places.memo.get, self.places.place
        first, last = self.first, self.last
        height, mine = 1, []
        for _dimension, children in groups[key]:
            pairs: Any = list(map(placed, map(id, children)))  # (where, dates) of each child
            if None in pairs:
                pairs = [pair or place(child) for pair, child in zip(pairs, children)]
            keys = list(map(id, map(itemgetter(0), pairs)))
            covers = list(map(itemgetter(1), pairs))
            inner = groups.keys() & keys
            if inner:
                for (child_where, _), ckey in zip(pairs, keys):
                    if ckey in inner:
                        height = max(height, self.visit(child_where) + 1)
            distinct = dict(zip(map(id, covers), covers)).values()  # a split's children share their parent's
            narrow = any(not (cover[0] <= first and last <= cover[1]) for cover in distinct)
            mine.append((keys, covers if narrow else None))
        self.parts[key] = mine
        self.height[key] = height
        return height

    def work_out(self, wheres: list[TargetNode]) -> None:
        """The totals of `wheres` and of everything below them (review/vectors.py, `roll`)."""
        for where in wheres:
            self.visit(where)
        levels: dict[int, list[int]] = {}
        for key, height in self.height.items():
            if key not in self.memo:
                levels.setdefault(height, []).append(key)
        for height in sorted(levels):
            self.level(levels[height])

    def level(self, keys: list[int]) -> None:
        np, memo, known, own_row = self.np, self.memo, self.memo.get, self.found.row_of.get
        rows: list[int] = []
        starts: list[int] = []
        segments: list[list[int]] = []  # of each target: its groups' segments (those with rows)
        self.pending = []
        for key in keys:
            mine = []
            for children, covers in self.parts[key]:
                got = list(map(known, children, repeat(-1)))
                if covers is not None:  # children whose dates hold only some of the slots
                    got = [self._within(row, cover) if row >= 0 else -1 for row, cover in zip(got, covers)]
                parts = [row for row in got if row >= 0]
                if parts:
                    mine.append(len(starts))
                    starts.append(len(rows))
                    rows += parts
            segments.append(mine)
        if self.pending:
            self.append(np.array([a for a, _ in self.pending]), np.array([p for _, p in self.pending]))
        if rows:
            sums = np.add.reduceat(self.cells[rows], starts, axis=0)
            seen = np.logical_or.reduceat(self.marks[rows], starts, axis=0)
        chosen: list[int] = []
        for key, mine in zip(keys, segments):
            own = own_row(key)
            if not mine:
                memo[key] = -1 if own is None else own
                continue
            if own is not None:
                raise Unsafe  # rows of its own and children with rows
            if any(not np.array_equal(seen[i], seen[mine[0]]) for i in mine[1:]):
                raise Unsafe  # which split wins could depend on the dates asked about
            memo[key] = self.size + len(chosen)
            chosen.append(mine[0])
        if chosen:
            self.append(sums[chosen], seen[chosen])

    def append(self, amounts, present) -> None:
        np = self.np
        self.cells = np.concatenate([self.cells, amounts])
        self.marks = np.concatenate([self.marks, present])
        self.size = len(self.cells)

    def _within(self, row: int, cover: Dates) -> int:
        """A row (added with the level's `pending` ones) of only the slots of `row` inside
        `cover`; -1 if none of them has rows."""
        np = self.np
        keep = np.array([cover[0] <= s[0] and s[1] <= cover[1] for s in self.found.slots])
        present = self.marks[row] & keep
        if not present.any():
            return -1
        self.pending.append((np.where(keep, self.cells[row], 0).astype(self.cells.dtype), present))
        return self.size + len(self.pending) - 1

    def figures(self, model: Model, as_of: datetime.date) -> dict[str, Fraction]:
        """Each target's slots inside its dates up to `as_of`, summed, in the order of the plan's
        targets as the long way gives them; targets grouped by their dates (few of them)."""
        np, places, groups = self.np, self.places, self.groups
        nodes = list(model.targets.values())
        placed: Any = list(map(places.memo.get, map(id, nodes)))  # (where, dates) of each target
        if None in placed:
            placed = [found or places.place(node) for found, node in zip(placed, nodes)]
        wheres = list(map(id, map(itemgetter(0), placed)))
        dates = list(map(itemgetter(1), placed))
        tops = {key: where for key, (where, _) in zip(wheres, placed) if key in groups}
        self.work_out(list(tops.values()))
        rows = np.fromiter(map(self.memo.get, wheres, repeat(-1)), dtype=np.int64, count=len(wheres))
        has = rows >= 0  # a target with rows, or children with rows
        windows = {d: i for i, d in enumerate(dict.fromkeys(dates))}
        which = np.fromiter(map(windows.__getitem__, dates), dtype=np.int64, count=len(dates))[has]
        slots, rows = self.found.slots, rows[has]
        inside = np.array([[d[0] <= s[0] <= min(d[1], as_of) and s[1] <= d[1] for s in slots] for d in windows])
        keep = inside[which]
        sums: Any = np.where(keep, self.cells[rows], 0).sum(axis=1).tolist()
        seen: Any = (self.marks[rows] & keep).any(axis=1)
        paths = compress(compress(model.targets, has.tolist()), seen.tolist())
        unit = 10 ** self.found.places
        return dict(zip(paths, map(Fraction, compress(sums, seen.tolist()), repeat(unit))))
