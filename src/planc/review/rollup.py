"""Rolling actuals up the plan: every split, both margins of every cross.

A target is a position off the time axis (`where`) over some dates: `Q1` is
the year in Q1, the cell `east.Q1` is `east` in Q1, a month of `east.Q1` is
`east` in that month. The actual of a target to date is:

1. its own rows within its dates — the longest first, leaving out rows
   inside them (a quarter's own row wins over its months'); else
2. the sum of its children's, along its first split (or cross with another
   non-time dimension) that has data; a child without data counts 0, so
   every parent is the sum of its children.

Rows whose dates start after the as-of date are left out; a row covering
the as-of date counts whole. A target whose own rows and whose children
disagree over the same dates gets a warning (W010) giving both figures.
"""

from __future__ import annotations

import bisect
import datetime
import decimal
from fractions import Fraction
from typing import Any

import attrs

from planc.semantics import time
from planc.semantics.model import CrossNode, Model, SplitNode, TargetNode
from planc.source import Span

Dates = time.Dates
ZERO = decimal.Decimal(0)
# Sums of decimal amounts are exact: a sum beyond this precision is an error (E043), never rounded.
EXACT = decimal.Context(prec=60, traps=[decimal.Inexact, decimal.InvalidOperation, decimal.Overflow])


class Placer:
    """`place` for each target, worked out once."""

    def __init__(self, period: Dates) -> None:
        self.period = period
        self.memo: dict[int, tuple[TargetNode, Dates]] = {}
        self.timely: dict[int, bool] = {}

    def is_time(self, split: SplitNode) -> bool:
        found = self.timely.get(id(split))
        if found is None:
            found = self.timely[id(split)] = time.is_time_split(split)
        return found

    def place(self, node: TargetNode) -> tuple[TargetNode, Dates]:
        """(where, when): the target off the time axis and the dates it covers."""
        found = self.memo.get(id(node))
        if found is None:
            producer, parent = node.producer, node.parent
            if isinstance(producer, SplitNode) and parent is not None and not self.is_time(producer):
                # a child of a split off the time axis: itself, over its parent's dates (as below)
                found = (node, (self.memo.get(id(parent)) or self.place(parent))[1])
            else:
                found = (self._where(node), self.cover(node))
            self.memo[id(node)] = found
        return found

    def place_all(self, nodes: list[TargetNode]) -> list[tuple[TargetNode, Dates]]:
        """`place` of each of many nodes: the children of one split off the time axis
        share their parent's dates, looked up once for them all."""
        memo, shared = self.memo, {}  # type: dict[int, tuple[TargetNode, Dates]], dict[int, Any]
        out = list(map(memo.get, map(id, nodes)))
        for i, found in enumerate(out):
            if found is not None:
                continue
            node = nodes[i]
            producer, parent = node.producer, node.parent
            dates = shared.get(id(producer))
            if dates is None:
                plain = isinstance(producer, SplitNode) and parent is not None and not self.is_time(producer)
                dates = shared[id(producer)] = self.place(parent)[1] if plain else ()  # type: ignore[arg-type]
            out[i] = memo[id(node)] = (node, dates) if dates else self.place(node)
        return out  # type: ignore[return-value]

    def cover(self, node: TargetNode) -> Dates:
        """`time.coverage`, each parent's worked out once (a cross cell: the long way)."""
        producer = node.producer
        if not isinstance(producer, SplitNode) or node.parent is None:
            return time.coverage(node, self.period)
        parent = self.place(node.parent)[1]
        return time.child_coverage(node, parent, self.period, self.is_time(producer))

    def _where(self, node: TargetNode) -> TargetNode:
        where = node
        while True:
            producer = where.producer
            if isinstance(producer, CrossNode):
                if self.is_time(producer.cols) and where.parent is not None:
                    where = where.parent  # the row is the cell's parent
                    continue
                column = next((c for c in producer.cols.children if c.name == where.name), None)
                if self.is_time(producer.rows) and column is not None:
                    where = column
                    continue
                return where
            if isinstance(producer, SplitNode) and self.is_time(producer) and where.parent is not None:
                where = where.parent
                continue
            return where


def groups_of(model: Model, places: Placer) -> dict[int, list[tuple[str, list[TargetNode]]]]:
    """The children of each target off the time axis whose actuals add up to it:
    by each of its non-time splits, then along the other dimension of each
    non-time cross it is a row or column of."""
    groups: dict[int, list[tuple[str, list[TargetNode]]]] = {}
    for node in model.targets.values():
        mine = [(s.dimension, s.children) for s in node.splits if not places.is_time(s)]
        if mine:
            groups[id(node)] = mine
    for cross in model.crosses:
        if places.is_time(cross.rows) or places.is_time(cross.cols):
            continue  # a time margin is the same target over fewer dates
        for r in cross.rows.children:
            cells = [cross.cells[(r.name, c.name)] for c in cross.cols.children if (r.name, c.name) in cross.cells]
            groups.setdefault(id(r), []).append((cross.cols.dimension, cells))
        for c in cross.cols.children:
            cells = [cross.cells[(r.name, c.name)] for r in cross.rows.children if (r.name, c.name) in cross.cells]
            groups.setdefault(id(c), []).append((cross.rows.dimension, cells))
    return groups


class Actuals:
    """The sums of all rows, by where (a target off the time axis: see
    `review.rollup.place`) and the dates they cover (a target's whole
    dates for an undated row). Rows of one target and dates add up."""

    def __init__(self, period: Dates) -> None:
        self.period = period
        self.buckets: dict[int, dict[Dates, decimal.Decimal]] = {}
        self.wheres: dict[int, TargetNode] = {}
        self.files: list[Any] = []  # review.actuals._File: finds a row again
        self.places = Placer(period)
        self.vectors: Any = None  # review.vectors.Vectors: the one file read the quick way

    def add(self, found: Any) -> None:
        """A file's amounts read the quick way; kept as they are if it is the only one."""
        if self.vectors is None and not self.buckets:
            self.vectors = found
        else:
            self.spread(found)

    def spread(self, found: Any = None) -> None:
        """Amounts read the quick way into the buckets of the long way."""
        if found is None:
            found, self.vectors = self.vectors, None
        if found is None:
            return
        for where, dates, amount in found.rows():
            bucket = self.bucket(where)
            bucket[dates] = bucket[dates] + amount if dates in bucket else amount

    def bucket(self, where: TargetNode) -> dict[Dates, decimal.Decimal]:
        """The sums of `where`, by dates, to add rows to."""
        if self.vectors is not None:
            self.spread()
        bucket = self.buckets.get(id(where))
        if bucket is None:
            bucket = self.buckets[id(where)] = {}
            self.wheres[id(where)] = where
        return bucket

    def locate(self, where: TargetNode, dates: Dates) -> tuple[Span | None, str, str]:
        """(span of the target, file shown, period as written) of the first
        row that gave `where` over `dates`: found again only for a problem."""
        for origin in self.files:
            found = origin.locate(where, dates)
            if found is not None:
                return found
        return None, self.files[0].spec.shown if self.files else "", ""


@attrs.frozen
class Disagreement:
    where: TargetNode
    dates: Dates
    own: Fraction
    by: str  # the dimension whose children (or "period": finer rows) disagree
    children: Fraction


class Rollup:
    """The actual to date of any target (see the module's docstring)."""

    def __init__(self, model: Model, actuals: Actuals, as_of: datetime.date) -> None:
        self.model, self.places = model, actuals.places
        self.as_of = as_of
        self.buckets = actuals.buckets
        # buckets with overlapping dates (a quarter's row and its months'); most have none
        self.nested = {key for key, bucket in self.buckets.items() if _has_nested(bucket)}
        self.wheres = actuals.wheres
        self.groups = groups_of(model, self.places)
        self.memo: dict[tuple[int, Dates], decimal.Decimal | None] = {}
        self.sorted: dict[int, tuple[list, list, list]] = {}  # key -> starts, ends, running totals

    def actual(self, node: TargetNode) -> Fraction | None:
        where, dates = self.places.place(node)
        with decimal.localcontext(EXACT):
            found = self.at(where, dates)
        return Fraction(found) if found is not None else None

    def at(self, where: TargetNode, dates: Dates) -> decimal.Decimal | None:
        key = (id(where), dates)
        if key in self.memo:
            return self.memo[key]
        found = self.own(where, dates)
        if found is None:
            for _dimension, children in self.groups.get(id(where), ()):
                found = self.sum_of(children, dates)
                if found is not None:
                    break
        self.memo[key] = found
        return found

    def own(self, where: TargetNode, dates: Dates) -> decimal.Decimal | None:
        """The longest of its own rows within `dates`, without the ones inside them."""
        bucket = self.buckets.get(id(where))
        if not bucket:
            return None
        first, last = dates[0], min(dates[1], self.as_of)
        if id(where) not in self.nested:
            return self._range(id(where), bucket, first, last, dates[1])
        mine = [d for d in bucket if first <= d[0] <= last and d[1] <= dates[1]]
        if not mine:
            return None
        return sum((bucket[d] for d in _outermost(mine)), ZERO)

    def _range(self, key: int, bucket: dict[Dates, decimal.Decimal], first: datetime.date, last: datetime.date,
               end: datetime.date) -> decimal.Decimal | None:
        """The sum of rows starting in first..last and ending by `end`, for
        rows that do not overlap: two look-ups in their running total."""
        found = self.sorted.get(key)
        if found is None:
            spans = sorted(bucket)
            running, total = [ZERO], ZERO
            for span in spans:
                total += bucket[span]
                running.append(total)
            found = self.sorted[key] = ([s[0] for s in spans], [s[1] for s in spans], running)
        starts, ends, running = found
        i, j = bisect.bisect_left(starts, first), bisect.bisect_right(starts, last)
        while j > i and ends[j - 1] > end:
            j -= 1
        return running[j] - running[i] if j > i else None

    def _inside(self, child: TargetNode, dates: Dates) -> tuple[TargetNode, Dates]:
        where, cover = self.places.place(child)
        return where, (max(dates[0], cover[0]), min(dates[1], cover[1]))

    def sum_of(self, children: list[TargetNode], dates: Dates) -> decimal.Decimal | None:
        total, seen = ZERO, False
        for child in children:
            where, cover = self.places.place(child)
            inside = (max(dates[0], cover[0]), min(dates[1], cover[1]))
            if inside[0] > inside[1]:
                continue
            value = self.at(where, inside)
            if value is not None:
                total += value
                seen = True
        return total if seen else None

    def disagreements(self) -> list[Disagreement]:
        """Own rows of a target that its children (by a split or a cross with
        data, or its own finer rows) add up to something else over."""
        out = []
        with decimal.localcontext(EXACT):
            for key, bucket in self.buckets.items():
                where = self.wheres[key]
                groups = self.groups.get(key, ())
                nested = key in self.nested
                if not groups and not nested:
                    continue
                for dates, own in bucket.items():
                    if dates[0] > self.as_of:
                        continue
                    parts: list[tuple[str, decimal.Decimal | None]] = []
                    if nested:
                        inner = _outermost([d for d in bucket if d != dates and dates[0] <= d[0] <= self.as_of
                                            and d[1] <= dates[1]])
                        if inner and _tiles(inner, (dates[0], min(dates[1], self.as_of))):
                            parts.append(("period", sum((bucket[d] for d in inner), ZERO)))
                    for dimension, children in groups:
                        if all(self.at(*self._inside(child, dates)) is not None for child in children):
                            parts.append((dimension, self.sum_of(children, dates)))
                    out += [Disagreement(where, dates, Fraction(own), dimension, Fraction(total))
                            for dimension, total in parts if total is not None and total != own]
        return out


def _outermost(spans: list[Dates]) -> list[Dates]:
    """The longest spans first, each kept unless it overlaps one already kept."""
    taken: list[Dates] = []
    for span in sorted(spans, key=lambda d: (d[0] - d[1], d[0])):
        if not any(t[0] <= span[1] and span[0] <= t[1] for t in taken):
            taken.append(span)
    return taken


def _tiles(spans: list[Dates], dates: Dates) -> bool:
    """Do the (non-overlapping) spans cover every day of `dates`?"""
    days = sum((min(s[1], dates[1]) - max(s[0], dates[0])).days + 1 for s in spans)
    return days >= (dates[1] - dates[0]).days + 1


def _overlap(spans) -> bool:
    ordered = sorted(spans)
    return any(b[0] <= a[1] for a, b in zip(ordered, ordered[1:]))


def _has_nested(bucket: dict) -> bool:
    return len(bucket) > 1 and _overlap(bucket)
