"""The report's view-model: plain attrs classes that every output renders.

Nothing here formats numbers or picks words: amounts stay exact Fractions
and methods stay structured, so HTML, Markdown (in either language), JSON
and CSV all say the same thing. `gather.py` fills these from a compilation.
"""

from __future__ import annotations

import datetime
import functools
import re
from fractions import Fraction
from typing import Any, Callable, Iterator, Sequence, overload

import attrs

from planc.evaluate.record import Derivation
from planc.report.negotiation import Negotiation

STATUS_ORDER = {"disputed": 0, "proposed": 1, "draft": 2, None: 3}


@attrs.frozen
class Row:
    """One target, as a row of any table."""

    name: str
    path: str
    label: str | None
    parent: str | None  # parent's canonical path
    parent_name: str | None
    dimension: str | None
    depth: int
    amount: Fraction
    exact: Fraction
    share: Fraction | None  # of the parent's amount
    how: Derivation  # the evaluator's record of how the amount was made
    history: Fraction | None
    growth: Fraction | None
    owner: str | None
    status: str | None
    note: str | None
    due: datetime.date | None
    margin: Fraction | None
    unit: str | None = None  # a count's measure label, `%` for a ratio; None: the plan's currency
    activity_week: bool = False  # a week (or day) of a funnel step: in the activity section, not the tree

    @property
    def profit(self) -> Fraction | None:
        return None if self.margin is None else self.amount * self.margin


@attrs.frozen
class SplitView:
    index: int
    parent: Row
    dimension: str
    method: str  # the split's `using` as written, or ""
    overassign: Fraction | None
    is_time: bool
    rows: Sequence[Row]  # `Rows`: made when read (a big plan's reports show the top levels' splits)
    total: Fraction
    # An over-assigned split with computed children shares its total on the
    # rounding grid: parent × overassign exactly, next to what was shared.
    shared_exact: Fraction | None = None
    # The properties below are worked out once per table: the templates ask for them on
    # every row, and a split of a thousand children would otherwise cost a million steps.

    @functools.cached_property
    def has_labels(self) -> bool:
        return any(r.label for r in self.rows)

    @functools.cached_property
    def has_growth(self) -> bool:
        return any(r.growth is not None for r in self.rows)

    @functools.cached_property
    def has_margin(self) -> bool:
        return any(r.margin is not None for r in self.rows)

    @functools.cached_property
    def has_people(self) -> bool:
        return any(r.owner or r.status for r in self.rows)

    @functools.cached_property
    def blended_margin(self) -> tuple[Fraction, Fraction] | None:
        """(gross profit, blended margin) over the children that carry a margin."""
        rows = [r for r in self.rows if r.margin is not None]
        if not rows:
            return None
        profit = sum((r.amount * r.margin for r in rows), Fraction(0))  # type: ignore[operator]
        base = sum((r.amount for r in rows), Fraction(0))
        return profit, (profit / base if base else Fraction(0))

    @functools.cached_property
    def growth_range(self) -> tuple[Fraction, Fraction] | None:
        values = [r.growth for r in self.rows if r.growth is not None]
        return (min(values), max(values)) if len(values) >= 2 else None


@attrs.frozen
class CrossView:
    index: int
    parent: Row
    row_dimension: str
    col_dimension: str
    row_names: tuple[str, ...]
    col_names: tuple[str, ...]
    cells: tuple[tuple[Fraction | None, ...], ...]
    row_totals: tuple[Fraction, ...]
    col_totals: tuple[Fraction, ...]
    total: Fraction

    @functools.cached_property  # once per table: each cell's colour asks for it
    def max_cell(self) -> Fraction:
        values = [c for row in self.cells for c in row if c is not None]
        if not values:
            return Fraction(0)
        if all(v.denominator == 1 for v in values):  # (whole amounts: compared as integers, in C)
            return Fraction(max([v.numerator for v in values]))
        return max(values)

    def window(self, rows: int, columns: int) -> tuple[tuple[Fraction | None, ...], ...]:
        """The amounts a table shows of its first `rows` rows and `columns` columns (`Shown.window`)."""
        if rows >= len(self.cells) and columns >= len(self.col_names):
            return self.cells
        return tuple(line[:columns] for line in self.cells[:rows])


@attrs.frozen
class Point:
    name: str
    label: str | None
    amount: Fraction


@attrs.frozen
class TimeProfile:
    """A target's amount over time: exact (its own split, a cross) or indicative."""

    kind: str  # own | cross | indicative
    dimension: str
    source: str  # the target whose time split gives the shape
    points: tuple[Point, ...]
    groups: tuple[tuple[str, tuple[Point, ...]], ...] = ()  # months per quarter, when the plan has them
    unit: str | None = None  # a count's measure label, `%` for a ratio; None for money


@attrs.frozen
class AssertionView:
    text: str
    message: str | None
    left: Fraction | None
    right: Fraction | None
    passed: bool | None
    line: int
    soft: bool = False  # an `expect`: a failure is a warning


@attrs.frozen
class Problem:
    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    help: str | None
    related: tuple[dict, ...] = ()  # as in `planc check --format json`, files relative like `file`


@attrs.frozen
class OwnerSheet:
    owner: str
    slug: str
    rows: tuple[Row, ...]
    profiles: tuple[TimeProfile | None, ...]  # one per row
    total: Fraction | None  # None when the targets overlap (e.g. a region and a product line)


@attrs.frozen
class Meta:
    title: str
    description: str | None
    version: str | None
    plan_status: str | None
    period: tuple[datetime.date, datetime.date] | None
    currency: str | None
    owner: str | None
    round: Fraction
    source_name: str
    stem: str
    source_hash: str
    generated: datetime.datetime
    planc_version: str


@attrs.frozen
class Report:
    meta: Meta
    roots: tuple[Row, ...]
    headline: Row | None  # the plan's headline target; None: several roots, each shown (never added up)
    rows: Sequence[Row]  # every target, parents first (the tree, the CSV, the JSON); `Rows` from gather.py
    splits: tuple[SplitView, ...]
    crosses: tuple[CrossView, ...]
    time_profiles: tuple[TimeProfile, ...]  # of each root that has a time split
    assertions: tuple[AssertionView, ...]
    warnings: tuple[Problem, ...]
    open_items: tuple[Row, ...]
    owners: tuple[OwnerSheet, ...]
    diagnostics: tuple[Problem, ...]
    negotiation: Negotiation = Negotiation()  # proposals, actions, scenario columns (report/negotiation.py)
    activity: tuple = ()  # report.activity.FunnelView: each funnel and its members' counts
    units: dict = attrs.Factory(dict)  # path -> measure or `ratio`, for targets not in money (as `eval` has them)
    tree: Sequence[Row] | None = None  # `tree_rows`, when gather.py knows them without making every row

    @property
    def tree_rows(self) -> Sequence[Row]:
        """The target tree: every row but the weeks of funnel steps (the activity section has them)."""
        if self.tree is not None:
            return self.tree
        return tuple(r for r in self.rows if not r.activity_week)

    @property
    def assertions_passed(self) -> int:
        return sum(1 for a in self.assertions if a.passed)

    @property
    def disputed(self) -> int:
        return sum(1 for r in self.open_items if r.status == "disputed")


class Rows(Sequence[Row]):
    """The rows of some targets, each made when it is first read (`make(node)`, which keeps it).

    The HTML and Markdown reports of a big plan show a few thousand of its targets (limits.py),
    so a build of the default formats makes only those rows; the JSON, CSV and workbook read
    every one."""

    def __init__(self, nodes: Sequence[Any], make: Callable[[Any], Row]) -> None:
        self.nodes = nodes  # TargetNodes, in the rows' order
        self.make = make

    def __len__(self) -> int:
        return len(self.nodes)

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Row, ...]: ...

    def __getitem__(self, index: int | slice) -> Row | tuple[Row, ...]:
        if isinstance(index, slice):
            return tuple(map(self.make, self.nodes[index]))
        return self.make(self.nodes[index])

    def __iter__(self) -> Iterator[Row]:
        return map(self.make, self.nodes)

    def depths(self) -> list[int]:
        """Each row's depth, without making the rows."""
        return [node.depth for node in self.nodes]

    def __repr__(self) -> str:
        return f"Rows({len(self.nodes)})"


# ---- building ------------------------------------------------------------------------------


def slugify(text: str, taken: set[str]) -> str:
    """A file-name-safe, unique slug: letters (any script) and digits, joined by `-`."""
    base = "-".join(re.findall(r"\w+", text.lower())).strip("_-")[:60] or "owner"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def generation_time(environ: dict) -> datetime.datetime:
    """Now, or `SOURCE_DATE_EPOCH` (https://reproducible-builds.org/specs/source-date-epoch/)."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
