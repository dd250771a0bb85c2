"""The typed syntax tree: frozen attrs nodes, each with the span it came from.

Nothing here knows about Lark; `builder.py` builds these from the grammar.
Percentages are stored as ratios (20% -> 1/5). Nodes compare by identity
(`eq=False`): they are keyed by `id()` and never compared by value. They
share one `__repr__` instead of one generated per class: defining ~30
classes is a real part of `planc check`'s start-up, and both choices halve it.
"""

from __future__ import annotations

import datetime
from operator import attrgetter
from fractions import Fraction
from typing import TYPE_CHECKING, Union

import attrs

from planc.source import Source, Span, pickled_by_fields, slot_setters

KEYWORDS = frozenset(
    "plan target split by using rest even weight of table data assert cross seed import min max "
    "overassign sum csv expect action for scenario measure funnel in".split())

# `NAME(NAME)` is a funnel lookup (`win_rate(rep)`) unless NAME is one of these functions
# (semantics/functions.py), which read their argument as a name of the plan.
NAMED_FUNCTIONS = frozenset({"round", "ceil", "floor", "last", "growth", "margin", "profit", "actual", "expected"})

if TYPE_CHECKING:  # the attrs plugin of type checkers knows `frozen` by name
    from attrs import frozen as _node
else:
    def _node(cls):  # compared by identity: nodes are places in a text; pickled by their fields (parse cache)
        return pickled_by_fields(attrs.frozen(eq=False, repr=False)(cls))


def _repr(self) -> str:
    fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)))
    return f"{type(self).__name__}({fields})"


# ---- expressions -----------------------------------------------------------


@_node
class Number:
    value: Fraction
    text: str  # as written, for `fmt` and messages
    currency: str | None
    span: Span
    measure: str | None = None  # `45 accounts`: a measure's name (docs/language.md, Measures)
    measure_span: Span | None = None


@_node
class Percent:
    ratio: Fraction
    text: str
    span: Span


@_node
class PercentOf:
    percent: Percent
    base: "Expr"
    span: Span


@_node
class Ref:
    parts: tuple[str, ...]
    span: Span

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@_node
class BinOp:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    span: Span


@_node
class Neg:
    operand: "Expr"
    span: Span


@_node
class Paren:
    """Kept so `fmt` can print the user's parentheses back."""

    inner: "Expr"
    span: Span


REVIEW_CALLS = ("actual", "expected")  # in an assert: figures from the actuals (planc track)


@_node
class Call:
    func: str  # min | max, or a named function: round ceil floor last growth margin profit
    args: tuple["Expr", ...]
    span: Span

    @property
    def dotted(self) -> str:
        """How the record of an amount names what `margin(…)`/`profit(…)` read: the margin."""
        return "margin(" + ", ".join(" ".join(a.span.text.split()) for a in self.args) + ")"


@_node
class Lookup:
    """`win_rate(rep)` in a funnel: table `win_rate` at the member's key along `rep`."""

    table: str
    dimension: str
    span: Span
    table_span: Span
    dimension_span: Span


Expr = Union[Number, Percent, PercentOf, Ref, BinOp, Neg, Paren, Call, Lookup]

# ---- allocation methods ------------------------------------------------------


@_node
class Rest:
    span: Span


@_node
class Even:
    span: Span


@_node
class WeightArg:
    """`history: 60%` (table with a factor), `history` or `3` (raw score)."""

    table: str | None
    value: Expr
    span: Span


@_node
class Weight:
    args: tuple[WeightArg, ...]
    span: Span


Method = Union[Even, Weight]
Alloc = Union[Expr, Rest, Even, Weight]


@_node
class SumMarker:
    """`target year = sum`: the sum of the first split's children."""

    span: Span


# ---- settings (plan header entries and [attributes]) ------------------------

SettingValue = Union[str, Fraction, datetime.date, tuple]


@_node
class Setting:
    key: str
    kind: str  # string | name | amount | percent | date | period
    value: SettingValue
    text: str
    span: Span
    key_span: Span


# ---- statements ------------------------------------------------------------------


@_node
class PlanHeader:
    title: str
    settings: tuple[Setting, ...]
    span: Span


@_node
class Import:
    path: str
    span: Span


@_node
class TableEntry:
    key: str
    column: str | None  # set in 2-D tables
    value: Expr
    span: Span
    key_span: Span


@_node
class Table:
    name: str
    dims: tuple[str, ...]  # () for a 1-D table
    entries: tuple[TableEntry, ...]
    span: Span
    name_span: Span


@_node
class Data:
    name: str
    dims: tuple[str, ...]
    path: str
    span: Span
    name_span: Span
    path_span: Span


@_node
class CsvSource:
    """`csv("path", encoding: "gb18030")` in an `actuals = …` statement."""

    path: str
    encoding: str | None
    span: Span
    path_span: Span


@_node
class ActualsDecl:
    """`actuals = csv("…"), …`: where the plan's actuals are (planc track)."""

    sources: tuple[CsvSource, ...]
    span: Span
    name_span: Span


@_node
class Target:
    name: str
    value: Union[Expr, SumMarker]
    label: str | None
    attributes: tuple[Setting, ...]
    span: Span
    name_span: Span


@_node
class Child:
    name: str
    alloc: Alloc | None
    min: Expr | None
    max: Expr | None
    label: str | None
    attributes: tuple[Setting, ...]
    span: Span
    name_span: Span


_CHILD_SLOTS = ("name", "alloc", "min", "max", "label", "attributes", "span", "name_span")
_set_name, _set_alloc, _set_min, _set_max, _set_label, _set_attributes, _set_span, _set_name_span = \
    slot_setters(Child, _CHILD_SLOTS)
_new = object.__new__


def _child(name: str, alloc: "Alloc | None", min: "Expr | None", max: "Expr | None", label: str | None,
           attributes: tuple[Setting, ...], span: Span, name_span: Span) -> Child:
    """`Child(…)`, slot by slot (`source.slot_setters`): how the parse cache reads a child back."""
    child = _new(Child)
    _set_name(child, name)
    _set_alloc(child, alloc)
    _set_min(child, min)
    _set_max(child, max)
    _set_label(child, label)
    _set_attributes(child, attributes)
    _set_span(child, span)
    _set_name_span(child, name_span)
    return child


pickled_by_fields(Child, _child)


@_node
class Split:
    parent: Ref
    dimension: str
    method: "Method | Call | None"  # a Call: `using growth(T, 112%)`
    overassign: Percent | None
    children: tuple[Child, ...]
    has_block: bool
    span: Span
    dimension_span: Span


@_node
class Cross:
    dims: tuple[str, ...]
    dim_spans: tuple[Span, ...]
    seed: Ref | None  # a 2-D table
    span: Span


@_node
class Assert:
    left: Expr
    op: str
    right: Expr
    message: str | None
    span: Span
    soft: bool = False  # `expect`: a failure is a warning, not an error


@_node
class Action:
    """`action "text" for TARGET [owner: "…", due: DATE, status: open]`."""

    text: str
    target: Ref
    attributes: tuple[Setting, ...]
    span: Span


@_node
class Override:
    """In a scenario: `REF = ALLOC`, `REF max EXPR`, `REF [margin: 40%]`: what it changes of REF."""

    target: Ref
    alloc: Alloc | None
    min: Expr | None
    max: Expr | None
    attributes: tuple[Setting, ...]
    span: Span


@_node
class SplitOverride:
    """In a scenario: `REF by DIM [using METHOD] [overassign P%]`."""

    parent: Ref
    dimension: str
    method: "Method | Call | None"
    overassign: Percent | None
    span: Span
    dimension_span: Span


@_node
class Scenario:
    name: str
    entries: tuple[Union[Override, SplitOverride], ...]
    span: Span
    name_span: Span


@_node
class Measure:
    """`measure visits "拜访" { round: 5; rounding: up }`: a unit that is not money."""

    name: str
    label: str | None
    settings: tuple[Setting, ...]
    span: Span
    name_span: Span


@_node
class FunnelStep:
    """`deals = self / 150k in deals "average deal size"`: one derived activity target."""

    name: str
    value: Expr
    measure: str | None
    label: str | None
    span: Span
    name_span: Span
    measure_span: Span | None


@_node
class Funnel:
    """`funnel NAME for DIMENSION { STEP … }`: steps derived for every target along a dimension."""

    name: str
    dimension: str
    label: str | None
    steps: tuple[FunnelStep, ...]
    span: Span
    name_span: Span
    dimension_span: Span
    by: str | None = None  # `by week` / `by day`: each step split over the calendar
    by_span: Span | None = None
    of: Ref | None = None  # `for rep of key_accounts`: only the members under that target


Statement = Union[PlanHeader, Import, Table, Data, Target, Split, Cross, Assert, Action, Scenario, Measure,
                  Funnel, ActualsDecl]


@_node
class Module:
    source: Source
    statements: tuple[Statement, ...]


for _cls in (Number, Percent, PercentOf, Ref, BinOp, Neg, Paren, Call, Rest, Even, WeightArg, Weight, SumMarker,
             Setting, PlanHeader, Import, TableEntry, Table, Data, CsvSource, ActualsDecl, Target, Child, Split, Cross,
             Assert, Module, Action, Override, SplitOverride, Scenario, Measure, Lookup, FunnelStep, Funnel):
    _cls.__repr__ = _repr  # type: ignore[method-assign]


def walk_expr(expr: object):
    """Every sub-expression of an expression or allocation, pre-order."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        yield node
        if isinstance(node, BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, (Neg,)):
            stack.append(node.operand)
        elif isinstance(node, Paren):
            stack.append(node.inner)
        elif isinstance(node, PercentOf):
            stack.extend((node.base, node.percent))
        elif isinstance(node, Call):
            stack.extend(reversed(node.args))
        elif isinstance(node, Weight):
            stack.extend(reversed([a.value for a in node.args]))
