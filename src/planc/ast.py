"""The typed syntax tree: frozen attrs nodes, each with the span it came from.

Nothing here knows about Lark; `builder.py` builds these from the grammar.
Percentages are stored as ratios (20% -> 1/5). Nodes compare by identity
(`eq=False`): they are keyed by `id()` and never compared by value, and it
halves the cost of defining the classes at start-up.
"""

from __future__ import annotations

import datetime
from fractions import Fraction
from typing import Union

import attrs

from planc.source import Source, Span

# ---- expressions -----------------------------------------------------------


@attrs.frozen(eq=False)
class Number:
    value: Fraction
    text: str  # as written, for `fmt` and messages
    currency: str | None
    span: Span


@attrs.frozen(eq=False)
class Percent:
    ratio: Fraction
    text: str
    span: Span


@attrs.frozen(eq=False)
class PercentOf:
    percent: Percent
    base: "Expr"
    span: Span


@attrs.frozen(eq=False)
class Ref:
    parts: tuple[str, ...]
    span: Span

    @property
    def dotted(self) -> str:
        return ".".join(self.parts)


@attrs.frozen(eq=False)
class BinOp:
    op: str  # + - * /
    left: "Expr"
    right: "Expr"
    span: Span


@attrs.frozen(eq=False)
class Neg:
    operand: "Expr"
    span: Span


@attrs.frozen(eq=False)
class Paren:
    """Kept so `fmt` can print the user's parentheses back."""

    inner: "Expr"
    span: Span


@attrs.frozen(eq=False)
class Call:
    func: str  # min | max
    args: tuple["Expr", ...]
    span: Span


Expr = Union[Number, Percent, PercentOf, Ref, BinOp, Neg, Paren, Call]

# ---- allocation methods ------------------------------------------------------


@attrs.frozen(eq=False)
class Rest:
    span: Span


@attrs.frozen(eq=False)
class Even:
    span: Span


@attrs.frozen(eq=False)
class WeightArg:
    """`history: 60%` (table with a factor), `history` or `3` (raw score)."""

    table: str | None
    value: Expr
    span: Span


@attrs.frozen(eq=False)
class Weight:
    args: tuple[WeightArg, ...]
    span: Span


Method = Union[Even, Weight]
Alloc = Union[Expr, Rest, Even, Weight]


@attrs.frozen(eq=False)
class SumMarker:
    """`target year = sum`: the sum of the first split's children."""

    span: Span


# ---- settings (plan header entries and [attributes]) ------------------------

SettingValue = Union[str, Fraction, datetime.date, tuple]


@attrs.frozen(eq=False)
class Setting:
    key: str
    kind: str  # string | name | amount | percent | date | period
    value: SettingValue
    text: str
    span: Span
    key_span: Span


# ---- statements ------------------------------------------------------------------


@attrs.frozen(eq=False)
class PlanHeader:
    title: str
    settings: tuple[Setting, ...]
    span: Span


@attrs.frozen(eq=False)
class Import:
    path: str
    span: Span


@attrs.frozen(eq=False)
class TableEntry:
    key: str
    column: str | None  # set in 2-D tables
    value: Expr
    span: Span
    key_span: Span


@attrs.frozen(eq=False)
class Table:
    name: str
    dims: tuple[str, ...]  # () for a 1-D table
    entries: tuple[TableEntry, ...]
    span: Span
    name_span: Span


@attrs.frozen(eq=False)
class Data:
    name: str
    dims: tuple[str, ...]
    path: str
    span: Span
    name_span: Span
    path_span: Span


@attrs.frozen(eq=False)
class Target:
    name: str
    value: Union[Expr, SumMarker]
    label: str | None
    attributes: tuple[Setting, ...]
    span: Span
    name_span: Span


@attrs.frozen(eq=False)
class Child:
    name: str
    alloc: Alloc | None
    min: Expr | None
    max: Expr | None
    label: str | None
    attributes: tuple[Setting, ...]
    span: Span
    name_span: Span


@attrs.frozen(eq=False)
class Split:
    parent: Ref
    dimension: str
    method: Method | None
    overassign: Percent | None
    children: tuple[Child, ...]
    has_block: bool
    span: Span
    dimension_span: Span


@attrs.frozen(eq=False)
class Cross:
    dims: tuple[str, ...]
    dim_spans: tuple[Span, ...]
    seed: Ref | None  # a 2-D table
    span: Span


@attrs.frozen(eq=False)
class Assert:
    left: Expr
    op: str
    right: Expr
    message: str | None
    span: Span


Statement = Union[PlanHeader, Import, Table, Data, Target, Split, Cross, Assert]


@attrs.frozen(eq=False)
class Module:
    source: Source
    statements: tuple[Statement, ...]


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
