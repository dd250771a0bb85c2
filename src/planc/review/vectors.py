"""The quick way through a large, clean actuals file: one vector per target.

Most actuals files name each target once and each period by one text, the
periods do not overlap (months, or days) and every row is within its
target's dates. Then the rows of a file are, for each target off the time
axis (`review.rollup.Placer`), one vector of amounts over the file's periods
(`slots`), and the roll-up of `review.rollup.Rollup` comes down to adding
vectors bottom-up — once per split, not once per ancestor and period — and
summing, for each target, the slots inside its dates up to the as-of date.

It gives the same figures as `Rollup` when nothing is ambiguous: no target
has both rows of its own and children with rows, and a target with children
with rows along two splits (both margins of a cross) has them in the same
periods — else which split wins could depend on the dates asked about (the
first split with rows wins, as in `Rollup`). `roll` checks that and answers
None otherwise; so does `vectors` for a file that is not clean. The caller
then takes the long way, with its diagnostics.

Amounts stay `Decimal` as the long way reads them (exact: the context traps
anything inexact), and each target's sum becomes a `Fraction` at the end.
"""

from __future__ import annotations

import datetime
import decimal
from fractions import Fraction
from itertools import chain

from planc.review.rollup import EXACT, Actuals, Placer, groups_of
from planc.semantics import time
from planc.semantics.model import Model, TargetNode

Dates = time.Dates
ZERO = decimal.Decimal(0)
MAX_SLOTS = 400  # more distinct periods than the days of a year and some: the long way
Vector = tuple[tuple[decimal.Decimal, ...], tuple[bool, ...]]  # amounts by slot (0 where none), rows present


class Unsafe(Exception):
    """The quick roll-up could differ from `Rollup`: take the long way."""


class Vectors:
    """Amounts of one file by target off the time axis (`where`) and slot."""

    def __init__(self, slots: list[Dates], data: dict[int, Vector], wheres: dict[int, TargetNode]) -> None:
        self.slots, self.data, self.wheres = slots, data, wheres

    def rows(self):
        """(where, dates, amount) of each slot with rows: the long way's buckets."""
        for key, (amounts, present) in self.data.items():
            for dates, amount, there in zip(self.slots, amounts, present):
                if there:
                    yield self.wheres[key], dates, amount


def vectors(sums: dict[str, dict[str, decimal.Decimal]], targets: list[TargetNode | None],
            whens: dict[str, Dates | None], places: Placer, limit: decimal.Decimal) -> Vectors | None:
    """The vectors of a file's sums by target text, then period text (`targets`:
    what each target text names; `whens`: the dates of each period text, each
    worked out once), or None if the file is not clean: a target or period not
    named, two texts for one period, periods that overlap, a row outside its
    target's dates, an amount beyond `limit`."""
    if None in targets or None in whens.values() or not 0 < len(whens) <= MAX_SLOTS:
        return None
    order = sorted(whens, key=whens.__getitem__)  # type: ignore[arg-type]
    slots: list[Dates] = [whens[w] for w in order]  # type: ignore[misc]
    if any(b[0] <= a[1] for a, b in zip(slots, slots[1:])):
        return None  # the same dates twice, or overlapping ones
    try:
        amounts = chain.from_iterable(map(dict.values, sums.values()))
        if max(amounts) > limit or min(chain.from_iterable(map(dict.values, sums.values()))) < -limit:
            return None
    except decimal.InvalidOperation:  # a NaN
        return None
    first, last = slots[0][0], max(s[1] for s in slots)
    data: dict[int, Vector] = {}
    wheres: dict[int, TargetNode] = {}
    place, zeros, everywhere, size = places.place, (ZERO,) * len(order), (True,) * len(order), len(order)
    for node, inner in zip(targets, sums.values()):
        where, cover = place(node)  # type: ignore[arg-type]
        present = everywhere if len(inner) == size else tuple(map(inner.__contains__, order))
        if not (cover[0] <= first and last <= cover[1]) and any(
                mark and not (cover[0] <= s[0] and s[1] <= cover[1]) for s, mark in zip(slots, present)):
            return None
        values = tuple(map(inner.get, order, zeros))
        key = id(where)
        if key in data:  # two names of one target: their rows add up
            had = data[key]
            values = tuple(a + b for a, b in zip(had[0], values))
            present = tuple(a or b for a, b in zip(had[1], present))
        data[key] = (values, present)
        wheres[key] = where
    return Vectors(slots, data, wheres)


def roll(model: Model, actuals: Actuals, as_of: datetime.date) -> dict[str, Fraction] | None:
    """The actual to date of every target with data, as `Rollup` gives it, or None
    when the quick way could differ (see the module's docstring)."""
    found = actuals.vectors
    if found is None:
        return None
    if not isinstance(found, Vectors):  # read as columns: review/columns.py
        return found.roll(model, actuals, as_of)
    places = actuals.places
    groups = groups_of(model, places)
    slots = found.slots
    first, last = min(s[0] for s in slots), max(s[1] for s in slots)
    memo: dict[int, Vector | None] = {}
    placed, place = places.memo.get, places.place

    def total(where: TargetNode) -> Vector | None:
        key = id(where)
        if key in memo:
            return memo[key]
        own = found.data.get(key)
        chosen: Vector | None = None
        for _dimension, children in groups.get(key, ()):
            parts = []
            for child in children:
                child_where, cover = placed(id(child)) or place(child)
                got = total(child_where)
                if got is not None and not (cover[0] <= first and last <= cover[1]):
                    got = _within(got, slots, cover)
                if got is not None:
                    parts.append(got)
            if not parts:
                continue
            if own is not None:
                raise Unsafe
            summed: Vector = (tuple(map(sum, zip(*(p[0] for p in parts)))),  # type: ignore[arg-type]
                              tuple(map(any, zip(*(p[1] for p in parts)))))
            if chosen is None:
                chosen = summed
            elif summed[1] != chosen[1]:  # which split wins could depend on the dates asked about
                raise Unsafe
        memo[key] = result = own if own is not None else chosen
        return result

    windows: dict[Dates, list[int]] = {}
    out: dict[str, Fraction] = {}
    try:
        with decimal.localcontext(EXACT):
            for path, node in model.targets.items():
                where, dates = placed(id(node)) or place(node)
                got = memo[id(where)] if id(where) in memo else total(where)
                if got is None:
                    continue
                inside = windows.get(dates)
                if inside is None:
                    end = min(dates[1], as_of)
                    inside = windows[dates] = [i for i, s in enumerate(slots)
                                               if dates[0] <= s[0] <= end and s[1] <= dates[1]]
                amounts, present = got
                if len(inside) == len(slots):  # every slot: the whole vector
                    if any(present):
                        out[path] = Fraction(sum(amounts, ZERO))
                elif any(map(present.__getitem__, inside)):
                    out[path] = Fraction(sum(map(amounts.__getitem__, inside), ZERO))
    except (Unsafe, RecursionError, decimal.DecimalException):
        return None
    return out


def _within(vector: Vector, slots: list[Dates], cover: Dates) -> Vector | None:
    """Only the slots inside `cover`; None if none of them has rows."""
    keep = [cover[0] <= s[0] and s[1] <= cover[1] for s in slots]
    present = tuple(p and k for p, k in zip(vector[1], keep))
    if not any(present):
        return None
    return tuple(a if k else ZERO for a, k in zip(vector[0], keep)), present
