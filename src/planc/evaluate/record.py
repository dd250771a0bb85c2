"""What evaluation produces: every target's amount and how it was made.

Splits and crosses write into an `Evaluation` through the `Scope` the
engine gives them, so they never import the engine (imports run one way)."""

from __future__ import annotations

from fractions import Fraction
from typing import Protocol

import attrs

from planc.diagnostics import Diagnostic
from planc.semantics.expressions import Lookup
from planc.semantics.model import Model, TargetNode
from planc.syntax import ast


@attrs.frozen
class Derivation:
    """How one target got its amount (for reports and `eval`)."""

    method: str  # root | sum | fixed | share | rest | even | weight | cell
    exact: Fraction  # before rounding
    detail: str = ""
    capped: str | None = None  # "min" or "max" when a cap bound it
    # A child of an over-assigned split: the split's total, parent × overassign,
    # exactly and rounded to the grid as its children share it (language.md, Rounding).
    shared_exact: Fraction | None = None
    shared_rounded: Fraction | None = None


@attrs.frozen
class AssertionResult:
    decl: ast.Assert
    left: Fraction | None
    right: Fraction | None
    passed: bool | None  # None when a side could not be evaluated


@attrs.define
class Evaluation:
    values: dict[str, Fraction] = attrs.Factory(dict)  # canonical path -> final amount
    derivations: dict[str, Derivation] = attrs.Factory(dict)
    assertions: list[AssertionResult] = attrs.Factory(list)


class Scope(Protocol):
    """What a split or a cross needs from the engine that runs it."""

    model: Model
    unit: Fraction
    diags: list[Diagnostic]

    def value(self, node: TargetNode) -> Fraction | None: ...

    def set_value(self, node: TargetNode, amount: Fraction, derivation: Derivation) -> None: ...

    def lookup(self, ref: ast.Ref) -> Fraction | None: ...

    def expr(self, expr, lookup: Lookup | None = None) -> Fraction | None: ...

    def check_multiple(self, amount: Fraction, expr) -> None: ...
