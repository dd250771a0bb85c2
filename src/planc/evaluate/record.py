"""What evaluation produces: every target's amount and how it was made.

Splits and crosses write into an `Evaluation` through the `Scope` the
engine gives them, so they never import the engine (imports run one way)."""

from __future__ import annotations

from fractions import Fraction
from operator import attrgetter
from typing import Callable, Iterable, Protocol

import attrs

from planc.diagnostics import Diagnostic
from planc.semantics.expressions import Lookup
from planc.semantics.model import Model, SplitNode, TargetNode
from planc.syntax import ast

_path = attrgetter("path")


@attrs.frozen
class Input:
    """One named value an amount was made from, as the evaluator used it."""

    role: str  # percent | parent | target | table | taken | pool | scores | child | row | column | seed | overassign
    name: str  # as the plan names it: `45%`, `east`, `history.east`, a table cell `seed[east, Q1]`
    value: Fraction
    path: str | None = None  # a target's canonical path


@attrs.frozen
class Factor:
    """One table of a `weight(…)`: score += weight × value / total."""

    table: str
    weight: Fraction  # normalised: the factors of one child sum to 1
    value: Fraction  # the child's value in the table
    total: Fraction  # the table's values summed over the children weighted by it

    @property
    def part(self) -> Fraction:
        return self.weight * self.value / self.total


@attrs.frozen
class Cap:
    """A child's `min` or `max` and whether it held the child."""

    bound: str  # "min" | "max"
    value: Fraction
    expression: str  # as written, for display only
    binding: bool


@attrs.define(eq=False, repr=False)  # one per amount: see the docstring
class Derivation:
    """How one target got its amount, as values (rendered by `evaluate/explain.py`).

    `exact` is the amount before rounding, `rounded` the final amount;
    `share` is the exact part of the total its split (or cross) shared out.
    Nothing here needs the AST to be read: `expression` and the caps'
    `expression` are the source text, kept for display only.

    A record is never changed once made, but the class is not `frozen`:
    a frozen instance is set field by field through `object.__setattr__`,
    three times the cost of a plain one, and a large plan makes a million
    of them (benchmarks/bench_scale.py). No equality or repr is generated
    either: they would cost start-up (see ast.py); `__repr__` is below."""

    method: str  # root | sum | fixed | share | rest | even | weight | cell
    exact: Fraction  # before rounding
    rounded: Fraction  # the final amount
    share: Fraction | None = None  # exact / the total shared by its split or cross
    inputs: tuple[Input, ...] = ()
    weights: tuple[Factor, ...] = ()  # `weight(TABLE: w, …)` children
    score: Fraction | None = None  # weight and even children: the score the pool is shared by
    caps: tuple[Cap, ...] = ()
    expression: str = ""  # the allocation or root value as written, on one line
    dimension: tuple[str, ...] = ()  # the split's dimension; a cell's row and column dimensions
    overassign: Fraction | None = None  # the split's `overassign` ratio, when it has one
    using: str = ""  # the split's `using` method as written, for display only
    # A child of an over-assigned split: the split's total, parent × overassign,
    # exactly and rounded to the grid as its children share it (language.md, Rounding).
    shared_exact: Fraction | None = None
    shared_rounded: Fraction | None = None

    @property
    def adjustment(self) -> Fraction:
        """What rounding added (negative: took away)."""
        return self.rounded - self.exact

    @property
    def capped(self) -> str | None:
        """"min" or "max" when a cap held the amount."""
        return next((c.bound for c in self.caps if c.binding), None)

    def inputs_as(self, role: str) -> tuple[Input, ...]:
        return tuple(i for i in self.inputs if i.role == role)

    def input(self, role: str) -> Input | None:
        for i in self.inputs:  # a plain loop: `explain` asks a 100,000-cell cross five times a cell
            if i.role == role:
                return i
        return None

    def __repr__(self) -> str:
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)))
        return f"Derivation({fields})"


@attrs.frozen
class AssertionResult:
    decl: ast.Assert
    left: Fraction | None
    right: Fraction | None
    passed: bool | None  # None when a side could not be evaluated


class CellMaker(Protocol):
    """Makes the records of one cross's cells (evaluate/crosses.py) or one split's
    children (evaluate/plain.py, evaluate/splits.py) when asked."""

    def record(self, cell: TargetNode) -> Derivation | None: ...

    def wording(self, words) -> Callable[[TargetNode], str | None]:
        """`cell -> explain(self.record(cell), words)`, without making the record."""


class Records(dict):
    """Path -> Derivation, read by path only (`get`, `[]`, `in`; never iterated).
    The records of a cross's cells and of a split's children are not stored:
    the cross's or split's maker (`lazy`, by its producer) makes a target's
    record when it is asked for, so a 400,000-cell cross keeps its fit and a
    million-target plan its splits' weights, not a record per target."""

    __slots__ = ("targets", "lazy")

    def __init__(self, targets: dict[str, TargetNode]) -> None:
        super().__init__()
        self.targets = targets
        self.lazy: dict[int, CellMaker] = {}  # id(CrossNode or SplitNode) -> its targets' maker

    def lazy_at(self, path: str) -> tuple[CellMaker, TargetNode] | None:
        """The maker of the path's record, and its target, when the record is made when asked."""
        node = self.targets.get(path) if self.lazy else None
        if node is None or dict.__contains__(self, path):
            return None
        maker = self.lazy.get(id(node.producer))
        return (maker, node) if maker is not None else None

    def _made(self, path: str) -> Derivation | None:
        made = self.lazy_at(path)
        return made[0].record(made[1]) if made is not None else None

    def __missing__(self, path: str) -> Derivation:
        made = self._made(path)
        if made is None:
            raise KeyError(path)
        return made

    def get(self, path: str, default=None):
        found = dict.get(self, path)
        if found is None:
            found = self._made(path)
        return default if found is None else found

    def __contains__(self, path: object) -> bool:
        return dict.__contains__(self, path) or (isinstance(path, str) and self._made(path) is not None)


def parent_input(split: SplitNode, parent: Fraction) -> Input:
    """The input a split's child is given by its parent's amount."""
    return Input("parent", split.parent.name, parent, split.parent.path)


def keep_lazily(records: dict[str, Derivation], producer: object, maker: CellMaker,
                targets: Iterable[TargetNode]) -> None:
    """Let `maker` make the records of `producer`'s `targets` when asked
    (`Records`); an evaluation without lazy records gets each one now."""
    if isinstance(records, Records):
        records.lazy[id(producer)] = maker
        return
    for node in targets:
        made = maker.record(node)
        if made is not None:
            records[node.path] = made


@attrs.define
class Evaluation:
    values: dict[str, Fraction] = attrs.Factory(dict)  # canonical path -> final amount
    derivations: dict[str, Derivation] = attrs.Factory(dict)
    assertions: list[AssertionResult] = attrs.Factory(list)
    units: dict[str, str] = attrs.Factory(dict)  # path -> measure or `ratio`, for targets not in money

    def children_values(self, split: SplitNode) -> list[Fraction | None]:
        """`values` of each of `split`'s children, in order (None where unknown). A split
        that computed them as one list (a plain split's maker: its `amounts`) gives that
        list, not a lookup for each of a million children; the caller does not change it."""
        records = self.derivations
        maker = records.lazy.get(id(split)) if isinstance(records, Records) else None
        amounts = getattr(maker, "amounts", None)
        if amounts is not None:
            return amounts
        return list(map(self.values.get, map(_path, split.children)))


class Trace:
    """A lookup that remembers the value each reference gave, so a record
    can name the inputs of an expression with the values actually used."""

    def __init__(self, lookup: Lookup, model: Model) -> None:
        self.lookup = lookup
        self.model = model
        self.seen: dict[str, Input] = {}

    def __call__(self, ref: ast.Ref) -> Fraction | None:
        value = self.lookup(ref)
        if value is not None and ref.dotted not in self.seen:
            target = self.model.refs.get(id(ref))
            if isinstance(target, TargetNode):
                self.seen[ref.dotted] = Input("target", ref.dotted, value, target.path)
            else:
                self.seen[ref.dotted] = Input("table", ref.dotted, value)
        return value

    def inputs(self, expr=None) -> tuple[Input, ...]:
        """The references seen, after the percentage of a `P% of X` expression."""
        head = (Input("percent", expr.percent.text, expr.percent.ratio),) if isinstance(expr, ast.PercentOf) else ()
        return head + tuple(self.seen.values())


class Scope(Protocol):
    """What a split or a cross needs from the engine that runs it."""

    model: Model
    unit: Fraction  # the grid of the target being computed (evaluate/units.py)
    mode: str  # its rounding mode: nearest | up | down
    diags: list[Diagnostic]
    memo: dict  # what splits compute once per evaluation and share (e.g. table scores)
    result: Evaluation  # what `set_value` writes (a plain split writes it directly: evaluate/plain.py)

    def value(self, node: TargetNode) -> Fraction | None: ...

    def set_value(self, node: TargetNode, amount: Fraction, derivation: Derivation) -> None: ...

    def lookup(self, ref: ast.Ref) -> Fraction | None: ...

    def expr(self, expr, lookup: Lookup | None = None) -> Fraction | None: ...

    def check_multiple(self, amount: Fraction, expr) -> None: ...
